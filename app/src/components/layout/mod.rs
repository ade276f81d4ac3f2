//! The page frame: header, session, notices.
pub mod flash_notice;
pub mod refused;
pub mod session;
pub mod site_header;
