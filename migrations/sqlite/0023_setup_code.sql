-- The one-time code of the first-run setup link (`/setup?code=…`), printed by `pigeon serve`
-- while no administrator exists: the page creates the first one. Only the code's hash is
-- kept; it is deleted when used, and every code is deleted once an administrator exists.
CREATE TABLE setup_codes (
    code_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);
