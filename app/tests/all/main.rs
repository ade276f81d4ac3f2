//! The integration tests, one crate linked once: each module is a part of Pigeon driven
//! through its services or its real router, on SQLite and on PostgreSQL (`support`).
mod support;

mod account_mail_http;
mod accounts_db;
mod accounts_http;
mod action_table;
mod attachments_http;
mod conversations_db;
mod conversations_http;
mod every_route_http;
mod fan_out_db;
mod guest_http;
mod hardening_http;
mod inbound_corpus;
mod inbound_db;
mod inbound_imap;
mod inbound_smtp;
mod inbox_search_db;
mod layers;
mod live_access_table;
mod live_counts_db;
mod live_http;
mod mail_queue_db;
mod outbox_http;
mod presence_http;
mod search_index_db;
mod setup_http;
mod slow_clients_http;
mod smtp_delivery;
mod staff_badge_http;
mod staff_inbox_http;
mod staff_thread_http;
mod staff_workday_db;
mod stale_reply_http;
mod unsubscribe_http;
mod write_cancel_db;
