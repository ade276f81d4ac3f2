-- A message's search document is numbered by its place in the thread (migration 0007). The
-- place came from counting the thread's messages at every insert, which costs more as a
-- conversation grows (a thread of 10,000 messages counted 10,000 index entries per reply).
-- The thread now keeps its count of messages, events included, as the count did.
ALTER TABLE threads ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
UPDATE threads SET message_count = (SELECT COUNT(*) FROM messages WHERE thread_id = threads.id);

DROP TRIGGER search_message_insert;
CREATE TRIGGER message_place AFTER INSERT ON messages BEGIN
    UPDATE threads SET message_count = message_count + 1 WHERE id = new.thread_id;
    INSERT INTO search_fts (rowid, text)
        SELECT (new.thread_id << 24) + message_count, new.body FROM threads
        WHERE id = new.thread_id AND new.kind <> 'event';
END;
