-- History, part two (docs/editing.md): the same positions table as
-- 0004_history.sqlite.sql, and a notification on every new version, which
-- every strikemap process on this database listens for (LISTEN
-- strikemap_versions) to serve the new version within a second.

CREATE TABLE positions (
    revision_id BIGINT NOT NULL REFERENCES revisions (id),
    file        TEXT NOT NULL,
    feature_id  TEXT NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (revision_id, file, feature_id)
);
CREATE INDEX positions_by_feature ON positions (file, feature_id, revision_id);

CREATE TRIGGER positions_kept BEFORE DELETE OR UPDATE ON positions
    FOR EACH ROW EXECUTE FUNCTION history_is_kept();

-- The notification is sent when the transaction that made the version
-- commits, never before: a listener that reads then sees the whole change.
CREATE FUNCTION version_made() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('strikemap_versions', NEW.number::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER versions_notify AFTER INSERT ON versions
    FOR EACH ROW EXECUTE FUNCTION version_made();
