//! Email: composing notifications, the transports, and the queue worker.
pub mod compose;
pub mod transport;
pub mod worker;
