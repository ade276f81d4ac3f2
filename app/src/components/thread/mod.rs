//! Parts of a conversation.
pub mod attachment_list;
pub mod message_body;
pub mod message_list;
pub mod reply_form;
