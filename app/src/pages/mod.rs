//! One module per page.
pub mod account;
pub mod admin;
pub mod guest;
pub mod home;
pub mod member;
pub mod not_found;
