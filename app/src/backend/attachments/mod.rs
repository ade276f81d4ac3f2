//! Files on messages (SPEC §9): what is accepted, and how it is served.
pub mod file_check;
