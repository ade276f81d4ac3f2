-- SQLite only: there a message's search document is numbered by its place in the thread, and
-- the thread keeps a count of its messages for that (migration 0015 there). PostgreSQL's
-- search documents need no place, so nothing changes here; the file keeps both folders on the
-- same version numbers.
SELECT 1;
