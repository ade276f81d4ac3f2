-- What changed, in commit order, for the pages open on it (live updates): a row per change,
-- written by triggers in the transaction of the change itself, so that nothing that writes
-- can forget it. Each process reads the new rows and tells its open pages; a page that
-- reconnects asks for the rows after the last one it saw. Rows are kept for an hour.
-- kind: 'message' (a visible message), 'staff' (an internal note or a system event),
-- 'thread' (status, assignee, Trash, deletion), 'people' (participants and read marks).
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX events_by_time ON events (created_at);
CREATE TRIGGER events_on_message AFTER INSERT ON messages
BEGIN
    INSERT INTO events (thread_id, kind, created_at) VALUES (new.thread_id,
        CASE WHEN new.kind = 'message' THEN 'message' ELSE 'staff' END,
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER events_on_thread_change AFTER UPDATE OF status, assignee_id, deleted_at ON threads
BEGIN
    INSERT INTO events (thread_id, kind, created_at)
        VALUES (new.id, 'thread', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER events_on_thread_delete AFTER DELETE ON threads
BEGIN
    INSERT INTO events (thread_id, kind, created_at)
        VALUES (old.id, 'thread', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER events_on_participant AFTER INSERT ON participants
BEGIN
    INSERT INTO events (thread_id, kind, created_at)
        VALUES (new.thread_id, 'people', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER events_on_participant_change
AFTER UPDATE OF last_read_message_id, left_at ON participants
BEGIN
    INSERT INTO events (thread_id, kind, created_at)
        VALUES (new.thread_id, 'people', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
