-- Threads, their participants and messages, and the notifications each message makes due.
CREATE TABLE threads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('support', 'direct')),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'closed')),
    assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    started_by_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    started_by_guest_email TEXT,
    started_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_message_id INTEGER NOT NULL DEFAULT 0,
    last_message_at INTEGER NOT NULL,
    last_author_name TEXT NOT NULL DEFAULT '',
    closed_at INTEGER,
    deleted_at INTEGER
);
CREATE INDEX threads_by_activity ON threads (last_message_at DESC, id DESC);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    guest_email TEXT,
    guest_email_lower TEXT,
    display_name TEXT NOT NULL,
    last_read_message_id INTEGER NOT NULL DEFAULT 0,
    last_read_at INTEGER,
    notify INTEGER NOT NULL DEFAULT 1,
    left_at INTEGER,
    joined_at INTEGER NOT NULL,
    CHECK ((user_id IS NULL) <> (guest_email_lower IS NULL))
);
CREATE UNIQUE INDEX participants_one_user ON participants (thread_id, user_id)
    WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX participants_one_guest ON participants (thread_id, guest_email_lower)
    WHERE guest_email_lower IS NOT NULL;
CREATE INDEX participants_by_user ON participants (user_id, thread_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('message', 'note', 'event')),
    author_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    author_guest_email TEXT,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_in_thread ON messages (thread_id, id);

-- One row per email a message makes due; the mail queue sends them.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    participant_id INTEGER REFERENCES participants(id) ON DELETE CASCADE,
    recipient_user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_by_status ON outbox (status, id);
