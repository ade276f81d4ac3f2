-- SQLite only: its text index needs a vocabulary table to look words up by prefix
-- (migration 0013 there). PostgreSQL's text search finds prefixes itself, so nothing changes
-- here; the file keeps both folders on the same version numbers.
SELECT 1;
