//! Domain rules. Server functions and the command line call these; they call `db`.
pub mod accounts;
pub mod rate_limit;
pub mod settings;
pub mod validate;
