-- Sky's job queue: jobs, their dependencies, state-change history, workers, logs and metrics.
--
-- Why these shapes:
-- * State is text with a CHECK constraint (not an enum type) so a later migration can add a state
--   without ALTER TYPE's restrictions inside transactions. The states and who moves jobs between them
--   are documented on SkyCore.JobState.
-- * `attempt` counts claims and is the fencing token: every write by a worker names (id, attempt), so a
--   worker whose lease expired and whose job was re-claimed cannot change the newer attempt.
-- * `uncharged_attempts` counts claims handed back on graceful shutdown; they do not use up
--   `max_attempts`, but the fencing token still moves forward.
-- * Requirements are denormalised into columns so the claim statement filters with plain operators.

CREATE TABLE workers (
    id            text PRIMARY KEY,                 -- chosen by the worker: host-pid-random
    host          text NOT NULL,
    pid           integer NOT NULL,
    version       text NOT NULL,
    backend       text NOT NULL,
    memory_mb     integer NOT NULL,
    labels        text[] NOT NULL DEFAULT '{}',
    queues        text[] NOT NULL,
    kinds         text[] NOT NULL,
    slots         integer NOT NULL CHECK (slots > 0),
    slots_in_use  integer NOT NULL DEFAULT 0,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    stopped_at    timestamptz
);

CREATE TABLE jobs (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                text NOT NULL,
    queue               text NOT NULL DEFAULT 'default',
    state               text NOT NULL
                        CHECK (state IN ('waiting', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
    priority            smallint NOT NULL DEFAULT 0,   -- higher runs first
    spec                jsonb NOT NULL,
    requirements        jsonb NOT NULL DEFAULT '{}',
    req_backend         text,
    req_memory_mb       integer NOT NULL DEFAULT 0,
    req_labels          text[] NOT NULL DEFAULT '{}',
    attempt             integer NOT NULL DEFAULT 0,
    uncharged_attempts  integer NOT NULL DEFAULT 0,
    max_attempts        integer NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    run_after           timestamptz NOT NULL DEFAULT now(),
    pending_deps        integer NOT NULL DEFAULT 0 CHECK (pending_deps >= 0),
    worker_id           text,
    lease_expires_at    timestamptz,
    cancel_requested    boolean NOT NULL DEFAULT false,
    idempotency_key     text UNIQUE,
    experiment          text,
    tags                text[] NOT NULL DEFAULT '{}',
    progress            real,
    progress_message    text,
    result              jsonb,
    error               text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,                  -- start of the latest attempt
    finished_at         timestamptz,
    CONSTRAINT running_has_lease CHECK ((state = 'running') = (lease_expires_at IS NOT NULL)),
    CONSTRAINT waiting_has_deps CHECK (state <> 'waiting' OR pending_deps > 0)
);

-- Claiming reads only queued rows in priority order; a partial index keeps it small however many
-- finished rows pile up.
CREATE INDEX jobs_claim_idx ON jobs (priority DESC, id) WHERE state = 'queued';
-- Re-taking expired leases looks only at running rows.
CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE state = 'running';
-- Retention prunes the oldest finished jobs first.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('succeeded', 'failed', 'cancelled');
CREATE INDEX jobs_experiment_idx ON jobs (experiment, id) WHERE experiment IS NOT NULL;
CREATE INDEX jobs_worker_idx ON jobs (worker_id) WHERE state = 'running';

CREATE TABLE job_dependencies (
    job_id      bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    depends_on  bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (job_id, depends_on),
    CHECK (job_id <> depends_on)
);
-- Finishing a job looks up who waits on it.
CREATE INDEX job_dependencies_depends_on_idx ON job_dependencies (depends_on);

CREATE TABLE job_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt     integer NOT NULL,
    from_state  text,                                  -- null when the job was created
    to_state    text NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    worker_id   text,
    reason      text
);
CREATE INDEX job_events_job_idx ON job_events (job_id, id);

CREATE TABLE job_logs (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id    bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt   integer NOT NULL,
    at        timestamptz NOT NULL,
    level     text NOT NULL,
    message   text NOT NULL
);
CREATE INDEX job_logs_job_idx ON job_logs (job_id, id);

-- Append-only: a series is (job, key) ordered by step; attempts keep their own points.
CREATE TABLE job_metrics (
    job_id    bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt   integer NOT NULL,
    key       text NOT NULL,
    step      bigint NOT NULL,
    value     double precision NOT NULL,
    at        timestamptz NOT NULL
);
CREATE INDEX job_metrics_series_idx ON job_metrics (job_id, key, step);

-- Wakes idle workers serving these queues. The payload is the queue name only, never the row:
-- NOTIFY payloads are limited and workers re-read what they need when they claim.
CREATE FUNCTION sky_notify_queues(queues text[]) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    q text;
    n integer := 0;
BEGIN
    FOR q IN SELECT DISTINCT unnest(queues) LOOP
        PERFORM pg_notify('sky_jobs', q);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
