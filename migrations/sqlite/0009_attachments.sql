-- Files on messages. A row is written before its file is stored, with no message yet; the
-- message's transaction links it. Rows without a message are uploads that never finished,
-- refused posts, or files of threads deleted for good: a periodic sweep deletes their files
-- and then the rows, so a crash anywhere between the database and the store leaves nothing
-- behind for long.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    storage_key TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    size_bytes INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX attachments_unlinked ON attachments (created_at) WHERE message_id IS NULL;
