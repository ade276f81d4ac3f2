-- What changed, in commit order, for the pages open on it (live updates): a row per change,
-- written by triggers in the transaction of the change itself, so that nothing that writes
-- can forget it. Every instance hears of new rows through NOTIFY (sent at commit), reads
-- them and tells its open pages; a page that reconnects asks for the rows after the last one
-- it saw. Rows are kept for an hour.
-- kind: 'message' (a visible message), 'staff' (an internal note or a system event),
-- 'thread' (status, assignee, Trash, deletion), 'people' (participants and read marks).
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    thread_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_by_time ON events (created_at);
CREATE FUNCTION pigeon_event(thread BIGINT, what TEXT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (thread_id, kind, created_at)
        VALUES (thread, what, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);
    PERFORM pg_notify('pigeon_events', '');
END
$$;
CREATE FUNCTION pigeon_events_on_message() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pigeon_event(NEW.thread_id,
        CASE WHEN NEW.kind = 'message' THEN 'message' ELSE 'staff' END);
    RETURN NULL;
END
$$;
CREATE TRIGGER events_on_message AFTER INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION pigeon_events_on_message();
CREATE FUNCTION pigeon_events_on_thread() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pigeon_event(OLD.id, 'thread');
    ELSE
        PERFORM pigeon_event(NEW.id, 'thread');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_on_thread AFTER DELETE OR UPDATE OF status, assignee_id, deleted_at
    ON threads FOR EACH ROW EXECUTE FUNCTION pigeon_events_on_thread();
CREATE FUNCTION pigeon_events_on_participant() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pigeon_event(NEW.thread_id, 'people');
    RETURN NULL;
END
$$;
CREATE TRIGGER events_on_participant AFTER INSERT OR UPDATE OF last_read_message_id, left_at
    ON participants FOR EACH ROW EXECUTE FUNCTION pigeon_events_on_participant();
