//! Pigeon: a self-hosted two-way messaging server.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod backend;
