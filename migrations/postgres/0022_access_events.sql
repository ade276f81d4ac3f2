-- Changes to who may hear what (0019's events, kind 'access'): a session ended, an account
-- disabled or its rights changed, a guest link revoked or dropped. Open event streams check
-- their listener again when they hear of one, instead of every second; pages are sent
-- nothing. thread_id is the guest link's thread, or 0 when it is about no one thread.
CREATE FUNCTION pigeon_events_on_access() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'guest_tokens' THEN
        PERFORM pigeon_event(OLD.thread_id, 'access');
    ELSE
        PERFORM pigeon_event(0, 'access');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_on_session_end AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION pigeon_events_on_access();
CREATE TRIGGER events_on_account_change
    AFTER UPDATE OF disabled, is_admin, perm_access, perm_manage_threads, perm_assign_threads,
        perm_manage_settings ON users
    FOR EACH ROW EXECUTE FUNCTION pigeon_events_on_access();
CREATE TRIGGER events_on_guest_link_end AFTER DELETE ON guest_tokens
    FOR EACH ROW EXECUTE FUNCTION pigeon_events_on_access();
