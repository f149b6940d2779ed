-- The record with its history: docs/editing.md describes every table.

-- The dataset files, one row each: what surrounds the feature array (head
-- and tail, compact JSON) and how the file was laid out, so that an export
-- gives back the imported bytes.
CREATE TABLE files (
    name          TEXT PRIMARY KEY,
    head          TEXT NOT NULL,
    tail          TEXT NOT NULL,
    layout        TEXT NOT NULL CHECK (layout IN ('indent', 'lines', 'verbatim')),
    indent        TEXT NOT NULL,
    final_newline INTEGER NOT NULL,
    verbatim      TEXT
);

-- People who may change the record. Rows are disabled, never deleted.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('contributor', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

-- A revision is one change to the record by one author, with why.
CREATE TABLE revisions (
    id              INTEGER PRIMARY KEY,
    author          TEXT NOT NULL,
    user_id         INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL,
    reason          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'rejected')),
    decided_by      INTEGER REFERENCES users (id),
    decided_at      TEXT,
    decision_reason TEXT
);

-- The before and after of each feature a revision touches (NULL before: it
-- was added; NULL after: it was retracted, a tombstone). feature_id '' is
-- the file row itself.
CREATE TABLE changes (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    file        TEXT NOT NULL,
    feature_id  TEXT NOT NULL,
    before      TEXT,
    after       TEXT,
    PRIMARY KEY (revision_id, file, feature_id)
);
CREATE INDEX changes_by_feature ON changes (file, feature_id, revision_id);

-- Each approved revision makes a dataset version.
CREATE TABLE versions (
    number      INTEGER PRIMARY KEY,
    revision_id INTEGER NOT NULL UNIQUE REFERENCES revisions (id),
    created_at  TEXT NOT NULL,
    digest      TEXT NOT NULL
);

-- The current record: one row per feature of each file, its canonical
-- (compact) JSON as the geo package reads and writes it, and the columns
-- queries need.
CREATE TABLE features (
    file        TEXT NOT NULL REFERENCES files (name),
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    body        TEXT NOT NULL,
    date        TEXT,
    date_end    TEXT,
    base        TEXT,
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    PRIMARY KEY (file, id)
);
CREATE INDEX features_in_order ON features (file, position);
CREATE INDEX features_by_date ON features (file, date);

-- History is never deleted nor rewritten.
CREATE TRIGGER changes_kept_on_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'history is kept: changes are never deleted'); END;
CREATE TRIGGER changes_kept_on_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'history is kept: changes are never rewritten'); END;
CREATE TRIGGER revisions_kept BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'history is kept: revisions are never deleted'); END;
CREATE TRIGGER versions_kept_on_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'history is kept: versions are never deleted'); END;
CREATE TRIGGER versions_kept_on_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'history is kept: versions are never rewritten'); END;
CREATE TRIGGER users_kept BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'users are disabled, never deleted'); END;
