-- Emails that belong to no thread (address verification, password reset) and support alerts
-- to addresses without an account: the outbox's thread becomes optional and a row may name a
-- bare address. SQLite cannot relax NOT NULL in place, so the table is rebuilt.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    thread_id INTEGER REFERENCES threads(id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    participant_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
    recipient_user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    recipient_email TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    last_error TEXT,
    sent_at INTEGER
);
INSERT INTO outbox_new (id, kind, thread_id, message_id, participant_id, recipient_user_id,
    status, created_at, attempts, next_attempt_at, locked_until, last_error, sent_at)
SELECT id, kind, thread_id, message_id, participant_id, recipient_user_id,
    status, created_at, attempts, next_attempt_at, locked_until, last_error, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_by_status ON outbox (status, id);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_thread ON outbox (thread_id);

-- Single-use links sent by email. Only a hash of the token is kept.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose);
