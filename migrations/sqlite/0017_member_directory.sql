-- Active users by lower-cased name: the start form's list of members to write to (the first
-- 50 by name, or those matching a search) is read in name order from here and stops at 50,
-- instead of sorting every user on each view of the conversation list.
CREATE INDEX users_by_name ON users (LOWER(name), id) WHERE disabled = 0;
