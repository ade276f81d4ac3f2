//! Staff pages.
pub mod dashboard;
pub mod inbox;
pub mod outbox;
pub mod settings;
pub mod thread_page;
pub mod users;
