//! Staff pages.
pub mod dashboard;
pub mod outbox;
pub mod thread_page;
