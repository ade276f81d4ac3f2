//! Domain rules. Server functions and the command line call these; they call `db`.
pub mod account_links;
pub mod accounts;
pub mod fan_out;
pub mod files;
pub mod guest;
pub mod housekeeping;
pub mod live;
pub mod member_threads;
pub mod messages;
pub mod outbox;
pub mod rate_limit;
pub mod read_state;
pub mod staff_inbox;
pub mod staff_threads;
pub mod status_rules;
pub mod submission_keys;
pub mod threads;
