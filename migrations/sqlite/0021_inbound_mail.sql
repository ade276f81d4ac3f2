-- Mail coming in (SMTP receiver or IMAP poller): each message is kept as it arrived before
-- anything is done with it, then processed once: posted to a conversation, a conversation
-- started, held for review, dropped (auto-reply, bounce, duplicate) or failed, with the
-- reason. `dedupe_key` is the Message-ID (or a digest of the message when it has none):
-- the same message delivered twice is kept once. Rows are claimed with a lease, like the
-- outbox, so that any instance may process them and a crash mid-way only delays one.
CREATE TABLE inbound_mail (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at INTEGER NOT NULL,
    via TEXT NOT NULL,
    envelope_from TEXT NOT NULL,
    envelope_to TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    raw BLOB NOT NULL,
    size INTEGER NOT NULL,
    from_address TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'new',
    reason TEXT NOT NULL DEFAULT '',
    thread_id INTEGER,
    posted_message_id INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    processed_at INTEGER
);
CREATE UNIQUE INDEX inbound_mail_once ON inbound_mail (dedupe_key);
CREATE INDEX inbound_mail_due ON inbound_mail (state, id);
CREATE INDEX inbound_mail_by_thread ON inbound_mail (thread_id);
-- A guest's reply addresses name this number; revoking the guest's links moves it on, and
-- the addresses in emails sent before stop working.
ALTER TABLE participants ADD COLUMN reply_epoch INTEGER NOT NULL DEFAULT 0;
-- Addresses that bounced (a delivery status notification came back): shown on the outbox.
CREATE TABLE bouncing_addresses (
    email_lower TEXT PRIMARY KEY,
    bounced_at INTEGER NOT NULL,
    reason TEXT NOT NULL
);
