-- The staff badge and dashboard widget: support threads waiting for a reply, newest first.
CREATE INDEX threads_awaiting ON threads (status, kind, last_message_at DESC, id DESC);
