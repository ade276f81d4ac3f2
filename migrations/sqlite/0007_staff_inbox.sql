-- The staff inbox: its sources and sorts, and full-text search over subjects, message bodies
-- (internal notes too, never system events) and participants' names and email addresses.
CREATE INDEX threads_by_assignee ON threads (assignee_id, last_message_at DESC, id DESC);
CREATE INDEX threads_by_kind ON threads (kind, last_message_at DESC, id DESC);
CREATE INDEX threads_by_created ON threads (created_at DESC, id DESC);
CREATE INDEX threads_by_subject ON threads (subject, id);
CREATE INDEX threads_in_trash ON threads (deleted_at, last_message_at DESC, id DESC)
    WHERE deleted_at IS NOT NULL;

-- One search document per subject, message and participant. A document's rowid is its
-- thread's id times 2^24 plus its place in the thread (0: the subject; 1 up: the thread's
-- messages in order; 2^23 up: its participants in order), so the thread of a match is
-- rowid >> 24 and one thread's documents are one rowid range.
CREATE VIRTUAL TABLE search_fts USING fts5(
    text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_thread_insert AFTER INSERT ON threads BEGIN
    INSERT INTO search_fts (rowid, text) VALUES (new.id << 24, new.subject);
END;
CREATE TRIGGER search_thread_subject AFTER UPDATE OF subject ON threads BEGIN
    DELETE FROM search_fts WHERE rowid = old.id << 24;
    INSERT INTO search_fts (rowid, text) VALUES (new.id << 24, new.subject);
END;
CREATE TRIGGER search_thread_delete AFTER DELETE ON threads BEGIN
    DELETE FROM search_fts WHERE rowid BETWEEN old.id << 24 AND (old.id << 24) + 16777215;
END;
CREATE TRIGGER search_message_insert AFTER INSERT ON messages WHEN new.kind <> 'event' BEGIN
    INSERT INTO search_fts (rowid, text) VALUES (
        (new.thread_id << 24) + (SELECT COUNT(*) FROM messages WHERE thread_id = new.thread_id),
        new.body
    );
END;
CREATE TRIGGER search_participant_insert AFTER INSERT ON participants BEGIN
    INSERT INTO search_fts (rowid, text) VALUES (
        (new.thread_id << 24) + 8388608
            + (SELECT COUNT(*) FROM participants WHERE thread_id = new.thread_id),
        new.display_name || ' ' ||
            COALESCE(new.guest_email, (SELECT email FROM users WHERE id = new.user_id), '')
    );
END;

INSERT INTO search_fts (rowid, text) SELECT id << 24, subject FROM threads;
INSERT INTO search_fts (rowid, text)
    SELECT (thread_id << 24) + n, body FROM (
        SELECT thread_id, kind, body, ROW_NUMBER() OVER (PARTITION BY thread_id ORDER BY id) AS n
        FROM messages
    ) WHERE kind <> 'event';
INSERT INTO search_fts (rowid, text)
    SELECT (p.thread_id << 24) + 8388608
               + ROW_NUMBER() OVER (PARTITION BY p.thread_id ORDER BY p.id),
           p.display_name || ' ' || COALESCE(p.guest_email, u.email, '')
    FROM participants p LEFT JOIN users u ON u.id = p.user_id;
