-- Whether a thread has had a file on any of its messages. Most conversations have none, and
-- their pages then skip the query for files. Set when a file is linked to a message (at its
-- insert or by the post that links an upload); never cleared, so at worst a page asks for
-- files and finds none.
ALTER TABLE threads ADD COLUMN has_files INTEGER NOT NULL DEFAULT 0;
UPDATE threads SET has_files = 1
    WHERE id IN (SELECT m.thread_id FROM attachments a JOIN messages m ON m.id = a.message_id);

CREATE TRIGGER thread_files_on_insert AFTER INSERT ON attachments
    WHEN new.message_id IS NOT NULL BEGIN
    UPDATE threads SET has_files = 1
        WHERE id = (SELECT thread_id FROM messages WHERE id = new.message_id) AND has_files = 0;
END;
CREATE TRIGGER thread_files_on_link AFTER UPDATE OF message_id ON attachments
    WHEN new.message_id IS NOT NULL BEGIN
    UPDATE threads SET has_files = 1
        WHERE id = (SELECT thread_id FROM messages WHERE id = new.message_id) AND has_files = 0;
END;
