//! Account pages.
pub mod forgot_password;
pub mod login;
pub mod logout;
pub mod register;
pub mod reset_password;
pub mod setup;
pub mod verify_email;
