//! Staff pages.
pub mod dashboard;
