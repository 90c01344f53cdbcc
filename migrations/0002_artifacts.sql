-- Artifacts: datasets, adapters, models, checkpoints and eval results, stored in PostgreSQL itself so a
-- fleet of workers on other hosts needs nothing but the database.
--
-- Why chunks: a bytea column is limited to 1 GB and a single huge value must be held whole in memory by
-- client and server. Chunks of about 1 MiB stream in and out with bounded memory.
-- Why a state: chunks are committed as they arrive (an upload can take minutes and must not hold a
-- transaction open); readers only ever see 'ready' artifacts, whose size and sha256 are final.

CREATE TABLE artifacts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('dataset', 'benchmark', 'model', 'adapter', 'checkpoint', 'eval_results', 'other')),
    name         text NOT NULL,
    media_type   text NOT NULL DEFAULT 'application/octet-stream',
    state        text NOT NULL DEFAULT 'uploading' CHECK (state IN ('uploading', 'ready')),
    size_bytes   bigint NOT NULL DEFAULT 0,
    sha256       text,
    metadata     jsonb NOT NULL DEFAULT '{}',
    -- The job (and attempt) that produced it; kept when old jobs are pruned.
    job_id       bigint REFERENCES jobs (id) ON DELETE SET NULL,
    job_attempt  integer,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    CHECK ((state = 'ready') = (sha256 IS NOT NULL))
);
CREATE INDEX artifacts_kind_idx ON artifacts (kind, id) WHERE state = 'ready';
CREATE INDEX artifacts_job_idx ON artifacts (job_id) WHERE job_id IS NOT NULL;
CREATE INDEX artifacts_stale_upload_idx ON artifacts (created_at) WHERE state = 'uploading';

CREATE TABLE artifact_chunks (
    artifact_id  bigint NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    seq          integer NOT NULL CHECK (seq >= 0),
    data         bytea NOT NULL,
    PRIMARY KEY (artifact_id, seq)
);
-- Chunks are already compressed or incompressible often enough that TOAST compression costs more than it saves.
ALTER TABLE artifact_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
