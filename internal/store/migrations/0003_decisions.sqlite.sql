-- Proposals and their review (docs/editing.md): a revision is decided once.
-- Approving or rejecting a proposal sets its state, who decided, when and
-- why; after that nothing of it changes, and no revision's author, time or
-- reason ever does, so the audit trail cannot be edited through any route.
CREATE TRIGGER revisions_decided_once BEFORE UPDATE ON revisions
WHEN OLD.state <> 'proposed'
  OR NEW.id IS NOT OLD.id OR NEW.author IS NOT OLD.author OR NEW.user_id IS NOT OLD.user_id
  OR NEW.created_at IS NOT OLD.created_at OR NEW.reason IS NOT OLD.reason
BEGIN SELECT RAISE(ABORT, 'history is kept: a decided revision is never changed, nor any revision''s author, time or reason'); END;

-- The review queue reads the proposals in order.
CREATE INDEX revisions_by_state ON revisions (state, id);
