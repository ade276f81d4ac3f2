//! Reusable parts of pages.
pub mod form;
pub mod layout;
pub mod live;
pub mod local_time;
pub mod shortcuts;
pub mod thread;
