-- Counts that stay quick as a site grows. The staff badge counts from one covering index.
CREATE INDEX threads_awaiting_count ON threads (status, kind, deleted_at, assignee_id);

-- Each participant row carries its thread's last visible message id, kept by triggers, so a
-- person's unread count reads only their unread rows (a partial index) and not every thread
-- they ever took part in.
ALTER TABLE participants ADD COLUMN thread_last_message_id BIGINT NOT NULL DEFAULT 0;
UPDATE participants p SET thread_last_message_id = t.last_message_id
    FROM threads t WHERE t.id = p.thread_id;
CREATE FUNCTION pigeon_participants_follow_last_message() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE participants SET thread_last_message_id = NEW.last_message_id
    WHERE thread_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER participants_follow_last_message AFTER UPDATE OF last_message_id ON threads
    FOR EACH ROW EXECUTE FUNCTION pigeon_participants_follow_last_message();
CREATE FUNCTION pigeon_participants_start_at_last_message() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.thread_last_message_id :=
        (SELECT last_message_id FROM threads WHERE id = NEW.thread_id);
    RETURN NEW;
END
$$;
CREATE TRIGGER participants_start_at_last_message BEFORE INSERT ON participants
    FOR EACH ROW EXECUTE FUNCTION pigeon_participants_start_at_last_message();
CREATE INDEX participants_unread ON participants (user_id, thread_id)
    WHERE thread_last_message_id > last_read_message_id AND left_at IS NULL;
