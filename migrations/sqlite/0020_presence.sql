-- Who of the staff has a conversation open, and whether they are writing a reply or a note:
-- a row per person and thread, renewed by the open page every few seconds and gone soon
-- after it stops. Arriving, leaving and starting or stopping to write are changes (0019) that
-- only staff hear of.
CREATE TABLE presence (
    thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_name TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX presence_by_expiry ON presence (expires_at);
CREATE TRIGGER events_on_presence_arrive AFTER INSERT ON presence
BEGIN
    INSERT INTO events (thread_id, kind, created_at)
        VALUES (new.thread_id, 'presence', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER events_on_presence_change AFTER UPDATE OF state ON presence
WHEN old.state <> new.state
BEGIN
    INSERT INTO events (thread_id, kind, created_at)
        VALUES (new.thread_id, 'presence', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER events_on_presence_leave AFTER DELETE ON presence
BEGIN
    INSERT INTO events (thread_id, kind, created_at)
        VALUES (old.thread_id, 'presence', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
