//! HTTP glue: the router and its middleware.
pub mod client_ip;
pub mod form_fallback;
pub mod page_status;
pub mod router;
pub mod security_headers;
