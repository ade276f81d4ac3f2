//! Data shared between the server and the browser.
pub mod admin;
pub mod file_size;
pub mod form_echo;
pub mod guest;
pub mod inbound;
pub mod message_text;
pub mod notice;
pub mod outbox;
pub mod row_text;
pub mod saved_reply;
pub mod session;
pub mod staff;
pub mod thread;
pub mod time_text;
pub mod viewer;
