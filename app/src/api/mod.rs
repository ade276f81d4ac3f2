//! Server functions: thin adapters from HTTP to services.
pub mod account;
pub mod admin;
pub mod guest;
pub mod session;
pub mod staff;
pub mod threads;
