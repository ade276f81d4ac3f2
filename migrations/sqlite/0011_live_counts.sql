-- Counts kept as they change, so that the header's numbers cost one row read however large
-- the site grows: support threads awaiting a reply per assignee (0: nobody), and unread
-- threads per user. Triggers keep them in the transaction of every change.
CREATE TABLE awaiting_counts (
    assignee_id INTEGER PRIMARY KEY,
    n INTEGER NOT NULL DEFAULT 0
);
INSERT INTO awaiting_counts (assignee_id, n)
    SELECT COALESCE(assignee_id, 0), COUNT(*) FROM threads
    WHERE kind = 'support' AND status = 'pending' AND deleted_at IS NULL
    GROUP BY COALESCE(assignee_id, 0);
CREATE TRIGGER awaiting_on_insert AFTER INSERT ON threads
WHEN new.kind = 'support' AND new.status = 'pending' AND new.deleted_at IS NULL
BEGIN
    INSERT INTO awaiting_counts (assignee_id, n) VALUES (COALESCE(new.assignee_id, 0), 1)
        ON CONFLICT (assignee_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER awaiting_on_delete AFTER DELETE ON threads
WHEN old.kind = 'support' AND old.status = 'pending' AND old.deleted_at IS NULL
BEGIN
    UPDATE awaiting_counts SET n = n - 1 WHERE assignee_id = COALESCE(old.assignee_id, 0);
END;
CREATE TRIGGER awaiting_on_update_leave AFTER UPDATE OF kind, status, deleted_at, assignee_id
ON threads
WHEN old.kind = 'support' AND old.status = 'pending' AND old.deleted_at IS NULL
BEGIN
    UPDATE awaiting_counts SET n = n - 1 WHERE assignee_id = COALESCE(old.assignee_id, 0);
END;
CREATE TRIGGER awaiting_on_update_join AFTER UPDATE OF kind, status, deleted_at, assignee_id
ON threads
WHEN new.kind = 'support' AND new.status = 'pending' AND new.deleted_at IS NULL
BEGIN
    INSERT INTO awaiting_counts (assignee_id, n) VALUES (COALESCE(new.assignee_id, 0), 1)
        ON CONFLICT (assignee_id) DO UPDATE SET n = n + 1;
END;

-- Whether the participant's thread is in the Trash, copied onto the row so that "unread"
-- is a property of the participant row alone.
ALTER TABLE participants ADD COLUMN thread_deleted INTEGER NOT NULL DEFAULT 0;
UPDATE participants SET thread_deleted = 1
    WHERE thread_id IN (SELECT id FROM threads WHERE deleted_at IS NOT NULL);
CREATE TRIGGER participants_follow_trash AFTER UPDATE OF deleted_at ON threads
WHEN (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
BEGIN
    UPDATE participants SET thread_deleted = CASE WHEN new.deleted_at IS NULL THEN 0 ELSE 1 END
    WHERE thread_id = new.id;
END;
CREATE TRIGGER participants_start_trashed AFTER INSERT ON participants
WHEN EXISTS (SELECT 1 FROM threads WHERE id = new.thread_id AND deleted_at IS NOT NULL)
BEGIN
    UPDATE participants SET thread_deleted = 1 WHERE id = new.id;
END;

CREATE TABLE unread_counts (
    user_id INTEGER PRIMARY KEY,
    n INTEGER NOT NULL DEFAULT 0
);
INSERT INTO unread_counts (user_id, n)
    SELECT user_id, COUNT(*) FROM participants
    WHERE user_id IS NOT NULL AND left_at IS NULL AND thread_deleted = 0
      AND thread_last_message_id > last_read_message_id
    GROUP BY user_id;
CREATE TRIGGER unread_on_insert AFTER INSERT ON participants
WHEN new.user_id IS NOT NULL AND new.left_at IS NULL AND new.thread_deleted = 0
    AND new.thread_last_message_id > new.last_read_message_id
BEGIN
    INSERT INTO unread_counts (user_id, n) VALUES (new.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER unread_on_delete AFTER DELETE ON participants
WHEN old.user_id IS NOT NULL AND old.left_at IS NULL AND old.thread_deleted = 0
    AND old.thread_last_message_id > old.last_read_message_id
BEGIN
    UPDATE unread_counts SET n = n - 1 WHERE user_id = old.user_id;
END;
CREATE TRIGGER unread_on_update_read AFTER UPDATE ON participants
WHEN old.user_id IS NOT NULL AND old.left_at IS NULL AND old.thread_deleted = 0
    AND old.thread_last_message_id > old.last_read_message_id
    AND NOT (new.user_id IS NOT NULL AND new.left_at IS NULL AND new.thread_deleted = 0
        AND new.thread_last_message_id > new.last_read_message_id)
BEGIN
    UPDATE unread_counts SET n = n - 1 WHERE user_id = old.user_id;
END;
CREATE TRIGGER unread_on_update_unread AFTER UPDATE ON participants
WHEN new.user_id IS NOT NULL AND new.left_at IS NULL AND new.thread_deleted = 0
    AND new.thread_last_message_id > new.last_read_message_id
    AND NOT (old.user_id IS NOT NULL AND old.left_at IS NULL AND old.thread_deleted = 0
        AND old.thread_last_message_id > old.last_read_message_id)
BEGIN
    INSERT INTO unread_counts (user_id, n) VALUES (new.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET n = n + 1;
END;

-- The unread count no longer reads participant rows.
DROP INDEX participants_unread;
