-- One guarded way to change a job's state. Before this, a dozen statements in six files each moved jobs and each wrote
-- its own job_events row: a new path could forget the event or make a move the queue's contract does not have. Now a
-- trigger sees every insert of a job and every update that changes its state or attempt or names a reason: it refuses
-- a move that job_state_transitions does not list, refuses one that does not say why, and writes the event itself.
--
-- The reason travels in jobs.transition_reason, a write-only channel that is NULL at rest: the statement that moves a
-- job sets it, the update trigger copies it into the event and stores NULL. An insert's event is written after the row
-- (when ON CONFLICT has decided it exists), where the row can no longer be changed, so an insert names no reason: its
-- event says 'submitted', or the error it was created with (cancelled because a dependency failed). The event's
-- worker is the job's worker for any move into or out of running.

ALTER TABLE jobs ADD COLUMN transition_reason text;

-- The queue's state machine: every move a job may make (from_state NULL: the job is being created).
CREATE TABLE job_state_transitions (
    from_state text,
    to_state   text NOT NULL,
    what       text NOT NULL,
    UNIQUE NULLS NOT DISTINCT (from_state, to_state)
);
INSERT INTO job_state_transitions (from_state, to_state, what) VALUES
    (NULL,        'queued',    'submitted'),
    (NULL,        'waiting',   'submitted with unfinished dependencies'),
    (NULL,        'cancelled', 'submitted after a dependency failed or was cancelled'),
    ('waiting',   'queued',    'its last dependency succeeded'),
    ('waiting',   'cancelled', 'cancelled, or a dependency failed or was cancelled'),
    ('queued',    'running',   'claimed by a worker'),
    ('queued',    'cancelled', 'cancelled before it ran'),
    ('running',   'running',   'claimed again after its lease expired, or its cancellation requested'),
    ('running',   'succeeded', 'its worker finished it'),
    ('running',   'failed',    'failed for good, or its lease expired on the last attempt'),
    ('running',   'queued',    'failed with attempts left, or handed back by a draining worker'),
    ('running',   'cancelled', 'stopped by its worker, or its lease expired with cancellation requested'),
    ('succeeded', 'queued',    'retried'),
    ('succeeded', 'waiting',   'retried while a dependency is unfinished'),
    ('failed',    'queued',    'retried'),
    ('failed',    'waiting',   'retried while a dependency is unfinished'),
    ('cancelled', 'queued',    'retried'),
    ('cancelled', 'waiting',   'retried while a dependency is unfinished');

CREATE FUNCTION sky_job_transition() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous text;                   -- NULL: the job is being inserted
    worker text := NEW.worker_id;
    reason text := NEW.transition_reason;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        previous := OLD.state;
        worker := coalesce(NEW.worker_id, OLD.worker_id);
    ELSIF reason IS NOT NULL THEN
        RAISE EXCEPTION 'job %: an insert names no transition_reason (its event says submitted, or its error)', NEW.id
            USING ERRCODE = 'check_violation';
    ELSE
        reason := coalesce(NEW.error, 'submitted');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM job_state_transitions t
                   WHERE t.from_state IS NOT DISTINCT FROM previous AND t.to_state = NEW.state) THEN
        RAISE EXCEPTION 'job %: no transition from % to % in job_state_transitions', NEW.id, coalesce(previous, '(new)'), NEW.state
            USING ERRCODE = 'check_violation';
    END IF;
    IF reason IS NULL THEN
        RAISE EXCEPTION 'job %: the move from % to % names no transition_reason', NEW.id, coalesce(previous, '(new)'), NEW.state
            USING ERRCODE = 'not_null_violation';
    END IF;
    INSERT INTO job_events (job_id, attempt, from_state, to_state, worker_id, reason)
    VALUES (NEW.id, NEW.attempt, previous, NEW.state, CASE WHEN 'running' IN (previous, NEW.state) THEN worker END, reason);
    IF TG_OP = 'UPDATE' THEN
        NEW.transition_reason := NULL;
        RETURN NEW;
    END IF;
    RETURN NULL;
END
$$;

-- Before an update (so the reason can be cleared); after an insert (so a row ON CONFLICT skipped gets no event).
CREATE TRIGGER jobs_transition_update BEFORE UPDATE ON jobs FOR EACH ROW
    WHEN (NEW.state IS DISTINCT FROM OLD.state OR NEW.attempt IS DISTINCT FROM OLD.attempt OR NEW.transition_reason IS NOT NULL)
    EXECUTE FUNCTION sky_job_transition();
CREATE TRIGGER jobs_transition_insert AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION sky_job_transition();
