-- One-time "set your password" links (docs/editing.md, "Password links"):
-- made by `dataset user add -link`, `dataset user link` or an admin on
-- /admin/users, used once at /set-password. hash is the SHA-256 (hex) of the
-- link's 256-bit random token: a copy of the database sets no password. A
-- link ends when used (used_at), when a newer one is made for its user or
-- the user is disabled (revoked_at), or at expires_at.
-- The same table as 0005_password_links.sqlite.sql, in PostgreSQL's types.
CREATE TABLE password_links (
    hash       TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    made_by    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    revoked_at TEXT
);
CREATE INDEX password_links_by_user ON password_links (user_id);
