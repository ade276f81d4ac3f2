-- Who of the staff has a conversation open, and whether they are writing a reply or a note:
-- a row per person and thread, renewed by the open page every few seconds and gone soon
-- after it stops. Arriving, leaving and starting or stopping to write are changes (0019) that
-- only staff hear of.
CREATE TABLE presence (
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_name TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX presence_by_expiry ON presence (expires_at);
CREATE FUNCTION pigeon_events_on_presence() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pigeon_event(OLD.thread_id, 'presence');
    ELSIF TG_OP = 'INSERT' OR OLD.state <> NEW.state THEN
        PERFORM pigeon_event(NEW.thread_id, 'presence');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_on_presence AFTER INSERT OR DELETE OR UPDATE OF state ON presence
    FOR EACH ROW EXECUTE FUNCTION pigeon_events_on_presence();
