-- Changes to who may hear what (0019's events, kind 'access'): a session ended, an account
-- disabled or its rights changed, a guest link revoked or dropped. Open event streams check
-- their listener again when they hear of one, instead of every second; pages are sent
-- nothing. thread_id is the guest link's thread, or 0 when it is about no one thread.
CREATE TRIGGER events_on_session_end AFTER DELETE ON sessions
BEGIN
    INSERT INTO events (thread_id, kind, created_at) VALUES (0, 'access', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER events_on_account_change
AFTER UPDATE OF disabled, is_admin, perm_access, perm_manage_threads, perm_assign_threads,
    perm_manage_settings ON users
BEGIN
    INSERT INTO events (thread_id, kind, created_at) VALUES (0, 'access', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER events_on_guest_link_end AFTER DELETE ON guest_tokens
BEGIN
    INSERT INTO events (thread_id, kind, created_at) VALUES (old.thread_id, 'access', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
