//! Email: composing notifications, the transports, and the queue worker.
pub mod compose;
pub mod incoming;
pub mod list_headers;
pub mod reply_address;
pub mod smtp;
pub mod template_engine;
pub mod templates;
pub mod text;
pub mod transport;
pub mod unsubscribe;
pub mod worker;
