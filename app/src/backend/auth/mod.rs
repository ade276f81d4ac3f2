//! Passwords, sessions, permission checks and the cross-site request guard.
pub mod links;
pub mod origin_guard;
pub mod password;
pub mod permissions;
pub mod request_memo;
pub mod session;
