-- History, part two (docs/editing.md): where each feature stood in its file
-- at each revision, so that the files of an old version come back byte for
-- byte (?as_of=VERSION); changes keep the bodies, positions the order.

-- A row whenever a revision puts a feature at a place in its file: when it
-- is added, and when it moves (an import that reorders the file). An update
-- in place writes none.
CREATE TABLE positions (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    file        TEXT NOT NULL,
    feature_id  TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (revision_id, file, feature_id)
);
CREATE INDEX positions_by_feature ON positions (file, feature_id, revision_id);

CREATE TRIGGER positions_kept_on_delete BEFORE DELETE ON positions
BEGIN SELECT RAISE(ABORT, 'history is kept: positions are never deleted'); END;
CREATE TRIGGER positions_kept_on_update BEFORE UPDATE ON positions
BEGIN SELECT RAISE(ABORT, 'history is kept: positions are never rewritten'); END;
