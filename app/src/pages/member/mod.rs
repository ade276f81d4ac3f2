//! The member area.
pub mod start_form;
pub mod thread_page;
pub mod threads_page;
pub mod unsubscribe_page;
