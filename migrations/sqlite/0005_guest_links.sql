-- Private links for guests: one row per emailed link, stored only as a hash, each with its
-- own expiry (extended when the guest uses it).
CREATE TABLE guest_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX guest_tokens_by_participant ON guest_tokens (participant_id, id);
CREATE INDEX guest_tokens_by_expiry ON guest_tokens (expires_at);
CREATE INDEX participants_by_guest_email ON participants (guest_email_lower);
