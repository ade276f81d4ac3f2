-- Counts kept as they change, so that the header's numbers cost one row read however large
-- the site grows: support threads awaiting a reply per assignee (0: nobody), and unread
-- threads per user. Triggers keep them in the transaction of every change.
CREATE TABLE awaiting_counts (
    assignee_id BIGINT PRIMARY KEY,
    n BIGINT NOT NULL DEFAULT 0
);
INSERT INTO awaiting_counts (assignee_id, n)
    SELECT COALESCE(assignee_id, 0), COUNT(*) FROM threads
    WHERE kind = 'support' AND status = 'pending' AND deleted_at IS NULL
    GROUP BY COALESCE(assignee_id, 0);
CREATE FUNCTION pigeon_awaiting_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.kind = 'support' AND OLD.status = 'pending'
        AND OLD.deleted_at IS NULL THEN
        UPDATE awaiting_counts SET n = n - 1 WHERE assignee_id = COALESCE(OLD.assignee_id, 0);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.kind = 'support' AND NEW.status = 'pending'
        AND NEW.deleted_at IS NULL THEN
        INSERT INTO awaiting_counts (assignee_id, n) VALUES (COALESCE(NEW.assignee_id, 0), 1)
            ON CONFLICT (assignee_id) DO UPDATE SET n = awaiting_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER awaiting_counts AFTER INSERT OR DELETE
    OR UPDATE OF kind, status, deleted_at, assignee_id ON threads
    FOR EACH ROW EXECUTE FUNCTION pigeon_awaiting_counts();

-- Whether the participant's thread is in the Trash, copied onto the row so that "unread"
-- is a property of the participant row alone.
ALTER TABLE participants ADD COLUMN thread_deleted INTEGER NOT NULL DEFAULT 0;
UPDATE participants SET thread_deleted = 1
    WHERE thread_id IN (SELECT id FROM threads WHERE deleted_at IS NOT NULL);
CREATE FUNCTION pigeon_participants_follow_trash() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) THEN
        UPDATE participants
        SET thread_deleted = CASE WHEN NEW.deleted_at IS NULL THEN 0 ELSE 1 END
        WHERE thread_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER participants_follow_trash AFTER UPDATE OF deleted_at ON threads
    FOR EACH ROW EXECUTE FUNCTION pigeon_participants_follow_trash();
CREATE FUNCTION pigeon_participants_start_trashed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM threads WHERE id = NEW.thread_id AND deleted_at IS NOT NULL) THEN
        UPDATE participants SET thread_deleted = 1 WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER participants_start_trashed AFTER INSERT ON participants
    FOR EACH ROW EXECUTE FUNCTION pigeon_participants_start_trashed();

CREATE TABLE unread_counts (
    user_id BIGINT PRIMARY KEY,
    n BIGINT NOT NULL DEFAULT 0
);
INSERT INTO unread_counts (user_id, n)
    SELECT user_id, COUNT(*) FROM participants
    WHERE user_id IS NOT NULL AND left_at IS NULL AND thread_deleted = 0
      AND thread_last_message_id > last_read_message_id
    GROUP BY user_id;
CREATE FUNCTION pigeon_unread_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    was BOOLEAN := TG_OP <> 'INSERT' AND OLD.user_id IS NOT NULL AND OLD.left_at IS NULL
        AND OLD.thread_deleted = 0 AND OLD.thread_last_message_id > OLD.last_read_message_id;
    now_unread BOOLEAN := TG_OP <> 'DELETE' AND NEW.user_id IS NOT NULL AND NEW.left_at IS NULL
        AND NEW.thread_deleted = 0 AND NEW.thread_last_message_id > NEW.last_read_message_id;
BEGIN
    IF was AND NOT now_unread THEN
        UPDATE unread_counts SET n = n - 1 WHERE user_id = OLD.user_id;
    ELSIF now_unread AND NOT was THEN
        INSERT INTO unread_counts (user_id, n) VALUES (NEW.user_id, 1)
            ON CONFLICT (user_id) DO UPDATE SET n = unread_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER unread_counts AFTER INSERT OR DELETE OR UPDATE ON participants
    FOR EACH ROW EXECUTE FUNCTION pigeon_unread_counts();

-- The unread count no longer reads participant rows.
DROP INDEX participants_unread;
