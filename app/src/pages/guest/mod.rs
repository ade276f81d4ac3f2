//! Pages for visitors without an account.
pub mod contact;
pub mod honeypot;
pub mod request_link;
pub mod thread;
