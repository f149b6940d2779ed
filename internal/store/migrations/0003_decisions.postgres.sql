-- Proposals and their review (docs/editing.md): a revision is decided once.
-- The same rule as 0003_decisions.sqlite.sql, in PL/pgSQL.
CREATE FUNCTION revisions_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state <> 'proposed'
       OR NEW.id IS DISTINCT FROM OLD.id OR NEW.author IS DISTINCT FROM OLD.author
       OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.reason IS DISTINCT FROM OLD.reason THEN
        RAISE EXCEPTION 'history is kept: a decided revision is never changed, nor any revision''s author, time or reason';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER revisions_decided_once BEFORE UPDATE ON revisions
    FOR EACH ROW EXECUTE FUNCTION revisions_decided_once();

-- The review queue reads the proposals in order.
CREATE INDEX revisions_by_state ON revisions (state, id);
