-- A member's conversations, newest activity first, straight from the index: the list no
-- longer sorts every thread a busy member ever took part in.
CREATE INDEX participants_by_activity ON participants (user_id, thread_last_message_id DESC)
    WHERE left_at IS NULL AND user_id IS NOT NULL;
