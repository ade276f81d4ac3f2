//! Staff pages.
pub mod dashboard;
pub mod outbox;
