//! One module per page.
pub mod account;
pub mod admin;
pub mod home;
pub mod not_found;
