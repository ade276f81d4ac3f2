-- Participants by thread. The unique indexes on (thread_id, user) are partial, so a lookup by
-- thread alone could not use them: the triggers that keep each participant's copy of the
-- thread's last message id, and the search index's participant rows, read the whole table
-- for every new message and every new participant.
CREATE INDEX participants_by_thread ON participants (thread_id);
