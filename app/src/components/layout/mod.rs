//! The page frame: header, session, notices.
pub mod flash_notice;
pub mod session;
pub mod site_header;
