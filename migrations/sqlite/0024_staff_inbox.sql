-- The staff inbox's working state: each staff member's read mark per conversation (bold rows
-- until they open it), the team's saved replies, and what an action changed, so its author
-- can undo it exactly.
CREATE TABLE staff_reads (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    last_read_message_id INTEGER NOT NULL,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX staff_reads_by_thread ON staff_reads (thread_id);

CREATE TABLE saved_replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX saved_replies_by_title ON saved_replies (title);

-- `prior` holds one line per thread: `<id> <status> <assignee id or -> <trashed 0/1>`.
CREATE TABLE undo_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    prior TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX undo_actions_by_age ON undo_actions (created_at);
