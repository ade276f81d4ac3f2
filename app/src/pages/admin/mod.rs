//! Staff pages.
mod composer;
mod composer_pickers;
pub mod dashboard;
pub mod inbound;
pub mod inbox;
mod inbox_rows;
pub mod outbox;
pub mod saved_replies;
pub mod settings;
mod thread_controls;
pub mod thread_page;
mod thread_presence;
pub mod users;
