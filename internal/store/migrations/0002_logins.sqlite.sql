-- Logins: sessions, API tokens and the record of login attempts that
-- throttles guessing. docs/editing.md describes them. Only hashes of the
-- secrets are stored: a copy of the database logs nobody in.

-- A browser's login. id is the SHA-256 (hex) of the 256-bit random token
-- the session cookie holds. A session ends when revoked_at is set (logout,
-- the user disabled), when it has not been seen for the idle timeout, or at
-- expires_at, whichever comes first.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    client       TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- A token for scripts (Authorization: Bearer), acting with its user's role.
-- hash is the SHA-256 (hex) of the token, which is shown once when it is
-- made; name is what it is for ("nightly ACLED import"), for the lists.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    hash         TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- Every login tried, for throttling: in the database, not in memory, so
-- that several strikemap processes behind one load balancer count the same
-- failures. account is the name as typed (lower-cased), known or not;
-- client is the address (an IPv6 one cut to its /64).
CREATE TABLE login_attempts (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    account TEXT NOT NULL,
    client  TEXT NOT NULL,
    ok      INTEGER NOT NULL
);
CREATE INDEX login_attempts_by_account ON login_attempts (account, at);
CREATE INDEX login_attempts_by_client ON login_attempts (client, at);
CREATE INDEX login_attempts_by_time ON login_attempts (at);
