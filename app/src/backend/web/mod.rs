//! HTTP glue: the router and its middleware.
pub mod actions;
pub mod attachment_download;
pub mod client_ip;
pub mod error_response;
pub mod guest_forms;
pub mod input_guard;
pub mod json_api;
pub mod listener;
pub mod live;
pub mod mark_read_on_view;
pub mod paced_body;
pub mod page_cache;
pub mod page_status;
pub mod router;
pub mod security_headers;
pub mod site_files;
pub mod unsubscribe;
