-- The staff inbox: its sources and sorts, and full-text search over subjects, message bodies
-- (internal notes too, never system events) and participants' names and email addresses.
-- Text is indexed with punctuation turned into spaces, so that parts of an email address match.
CREATE INDEX threads_by_assignee ON threads (assignee_id, last_message_at DESC, id DESC);
CREATE INDEX threads_by_kind ON threads (kind, last_message_at DESC, id DESC);
CREATE INDEX threads_by_created ON threads (created_at DESC, id DESC);
CREATE INDEX threads_by_subject ON threads (subject, id);
CREATE INDEX threads_in_trash ON threads (deleted_at, last_message_at DESC, id DESC)
    WHERE deleted_at IS NOT NULL;

CREATE INDEX threads_search ON threads USING GIN (
    to_tsvector('simple', regexp_replace(subject, '[^[:alnum:]]+', ' ', 'g'))
);
CREATE INDEX messages_search ON messages USING GIN (
    to_tsvector('simple', regexp_replace(body, '[^[:alnum:]]+', ' ', 'g'))
) WHERE kind <> 'event';
CREATE INDEX participants_search ON participants USING GIN (
    to_tsvector('simple',
        regexp_replace(display_name || ' ' || COALESCE(guest_email, ''), '[^[:alnum:]]+', ' ', 'g'))
);
CREATE INDEX users_search ON users USING GIN (
    to_tsvector('simple', regexp_replace(name || ' ' || email, '[^[:alnum:]]+', ' ', 'g'))
);
