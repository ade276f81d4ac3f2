//! Data shared between the server and the browser.
pub mod form_echo;
pub mod notice;
pub mod session;
pub mod viewer;
