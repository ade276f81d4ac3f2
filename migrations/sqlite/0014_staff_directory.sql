-- Active staff, by name: the inbox's and the thread page's list of assignees and the
-- support alerts' recipients come from a few rows instead of a scan of every member.
-- Queries repeat this condition word for word, which is how SQLite matches a partial index.
CREATE INDEX users_staff ON users (name, id)
    WHERE disabled = 0 AND (is_admin = 1 OR perm_access = 1 OR perm_manage_threads = 1
        OR perm_assign_threads = 1 OR perm_manage_settings = 1);
