//! Everything that only runs on the server: database, services, auth, HTTP glue.
pub mod attachments;
pub mod auth;
pub mod config;
pub mod db;
pub mod inbound;
pub mod mail;
pub mod service;
pub mod settings;
pub mod state;
pub mod validate;
pub mod web;
