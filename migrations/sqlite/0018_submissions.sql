-- One-time submission keys of message forms: a repeated key with the same text (a double
-- click, a resent form) answers with the first post's result and stores nothing. The key is
-- stored with a digest of the text, so a used key sent with other text (a page the back
-- button restored) is a new message. Kept for a day.
CREATE TABLE submissions (
    actor TEXT NOT NULL,
    submission_key TEXT NOT NULL,
    thread_id INTEGER,
    message_id INTEGER,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (actor, submission_key)
);
CREATE INDEX submissions_expiry ON submissions (expires_at);
