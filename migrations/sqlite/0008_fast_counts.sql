-- Counts that stay quick as a site grows. The staff badge counts from one covering index.
CREATE INDEX threads_awaiting_count ON threads (status, kind, deleted_at, assignee_id);

-- Each participant row carries its thread's last visible message id, kept by triggers, so a
-- person's unread count reads only their unread rows (a partial index) and not every thread
-- they ever took part in.
ALTER TABLE participants ADD COLUMN thread_last_message_id INTEGER NOT NULL DEFAULT 0;
UPDATE participants SET thread_last_message_id =
    (SELECT last_message_id FROM threads WHERE threads.id = participants.thread_id);
CREATE TRIGGER participants_follow_last_message AFTER UPDATE OF last_message_id ON threads
BEGIN
    UPDATE participants SET thread_last_message_id = new.last_message_id
    WHERE thread_id = new.id;
END;
CREATE TRIGGER participants_start_at_last_message AFTER INSERT ON participants BEGIN
    UPDATE participants SET thread_last_message_id =
        (SELECT last_message_id FROM threads WHERE id = new.thread_id)
    WHERE id = new.id;
END;
CREATE INDEX participants_unread ON participants (user_id, thread_id)
    WHERE thread_last_message_id > last_read_message_id AND left_at IS NULL;
