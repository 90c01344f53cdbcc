-- Eval results and the leaderboards.
--
-- An eval job writes one eval_runs row per benchmark it runs and one eval_samples row per generated sample.
-- Every write names the job's attempt (its fencing token) and applies only while that attempt holds the job,
-- like logs and metrics, so a worker that lost its lease cannot add to the next attempt's results. Samples are
-- written a whole problem (all n samples) at a time; a retried job skips the problems already stored instead
-- of generating them again.
--
-- The views at the end are a public interface: dashboards and psql users query them, so columns are only ever
-- added, never renamed or dropped. Accuracies are fractions in [0, 1].

CREATE TABLE eval_runs (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id              bigint REFERENCES jobs (id) ON DELETE SET NULL,   -- results outlive pruned jobs
    benchmark           text NOT NULL,
    benchmark_sha256    text NOT NULL,
    experiment          text,
    variant             text NOT NULL,
    model               text NOT NULL,         -- how the job named it: a path, artifact:N or job:N
    model_sha256        text NOT NULL,
    adapter             text,
    adapter_sha256      text,
    config              jsonb NOT NULL,        -- everything that can change a score (SkyEval's EvalConfiguration)
    config_hash         text NOT NULL,
    problems            integer NOT NULL CHECK (problems >= 0),
    samples_per_problem integer NOT NULL CHECK (samples_per_problem >= 1),
    accuracy            double precision,
    standard_error      double precision,
    summary             jsonb,                 -- pass@k, tokens, reflection keywords, per-level breakdown
    state               text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'complete')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    finished_at         timestamptz,
    UNIQUE (job_id, benchmark),
    CONSTRAINT complete_has_score CHECK (state <> 'complete' OR (accuracy IS NOT NULL AND finished_at IS NOT NULL))
);

CREATE INDEX eval_runs_benchmark_idx ON eval_runs (benchmark, finished_at) WHERE state = 'complete';
CREATE INDEX eval_runs_experiment_idx ON eval_runs (experiment, variant) WHERE state = 'complete';

CREATE TABLE eval_samples (
    run_id              bigint NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
    problem_id          text NOT NULL,
    sample_index        integer NOT NULL CHECK (sample_index >= 0),
    attempt             integer NOT NULL,      -- the job attempt that generated it
    level               text,
    prompt_tokens       integer NOT NULL,
    output              text NOT NULL,
    extracted           text,
    correct             boolean NOT NULL,
    reason              text NOT NULL,
    output_tokens       integer NOT NULL,
    finish_reason       text NOT NULL,
    reflection_keywords integer NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, problem_id, sample_index)
);

-- Every complete run: the raw material of the other views.
CREATE VIEW leaderboard_runs AS
SELECT r.id AS run_id, r.job_id, r.benchmark, r.benchmark_sha256, r.experiment, r.variant,
       r.model, r.model_sha256, r.adapter, r.adapter_sha256,
       r.accuracy, r.standard_error, r.problems, r.samples_per_problem AS n,
       r.summary -> 'pass_at_k' AS pass_at_k, r.config_hash, r.config, r.finished_at
FROM eval_runs r
WHERE r.state = 'complete';

COMMENT ON VIEW leaderboard_runs IS
    'Every complete eval run (one eval job on one benchmark). accuracy is the mean over n samples of every problem; '
    'standard_error its standard error over problems; config_hash identifies everything that can change the score.';

-- Per benchmark, one row per model + adapter (by content hash): the best and the latest score.
CREATE VIEW leaderboard AS
WITH ranked AS (
    SELECT lr.*,
           row_number() OVER (PARTITION BY lr.benchmark, lr.model_sha256, coalesce(lr.adapter_sha256, '')
                              ORDER BY lr.accuracy DESC, lr.finished_at DESC, lr.run_id DESC) AS best_rank,
           row_number() OVER (PARTITION BY lr.benchmark, lr.model_sha256, coalesce(lr.adapter_sha256, '')
                              ORDER BY lr.finished_at DESC, lr.run_id DESC) AS latest_rank,
           count(*) OVER (PARTITION BY lr.benchmark, lr.model_sha256, coalesce(lr.adapter_sha256, '')) AS runs
    FROM leaderboard_runs lr
)
SELECT b.benchmark, l.model, b.model_sha256, l.adapter, b.adapter_sha256, l.experiment, l.variant,
       b.accuracy AS best_accuracy, b.standard_error AS best_standard_error, b.n AS best_n,
       b.config_hash AS best_config_hash, b.job_id AS best_job_id,
       l.accuracy AS latest_accuracy, l.standard_error AS latest_standard_error, l.n AS latest_n,
       l.config_hash AS latest_config_hash, l.job_id AS latest_job_id, l.finished_at AS latest_finished_at,
       b.runs
FROM ranked b
JOIN ranked l ON l.benchmark = b.benchmark AND l.model_sha256 = b.model_sha256
             AND l.adapter_sha256 IS NOT DISTINCT FROM b.adapter_sha256 AND l.latest_rank = 1
WHERE b.best_rank = 1;

COMMENT ON VIEW leaderboard IS
    'Per benchmark, each model + adapter (identified by sha256): its best and its latest complete run, with n, '
    'standard error and config hash of each, and how many runs there were. Names (model, adapter, variant) are the latest run''s.';

-- Per experiment, variant and benchmark: the latest complete run (a re-run replaces an earlier one).
CREATE VIEW experiment_scores AS
SELECT DISTINCT ON (lr.experiment, lr.variant, lr.benchmark)
       lr.experiment, lr.variant, lr.benchmark, lr.accuracy, lr.standard_error, lr.n, lr.problems,
       lr.config_hash, lr.job_id, lr.finished_at
FROM leaderboard_runs lr
WHERE lr.experiment IS NOT NULL
ORDER BY lr.experiment, lr.variant, lr.benchmark, lr.finished_at DESC, lr.run_id DESC;

COMMENT ON VIEW experiment_scores IS
    'The paper''s Table 2 in long form: per experiment, variant (training-data lineage such as "shuffle 67%") and '
    'benchmark, the latest complete eval run.';

-- The paper's Table 2: one row per variant, the benchmarks as a JSON object, and the average.
CREATE VIEW experiment_table AS
SELECT es.experiment, es.variant,
       jsonb_object_agg(es.benchmark, jsonb_build_object(
           'accuracy', es.accuracy, 'standardError', es.standard_error, 'n', es.n,
           'problems', es.problems, 'jobId', es.job_id)) AS scores,
       avg(es.accuracy) AS average,
       sqrt(sum(coalesce(es.standard_error, 0) ^ 2)) / count(*) AS average_standard_error,
       count(*)::integer AS benchmarks,
       min(es.job_id) AS first_job_id
FROM experiment_scores es
GROUP BY es.experiment, es.variant;

COMMENT ON VIEW experiment_table IS
    'One row per experiment variant: scores maps each benchmark to {accuracy, standardError, n, problems, jobId}; '
    'average is the unweighted mean over the benchmarks present (benchmarks counts them), average_standard_error '
    'assumes independent benchmarks. Order rows by first_job_id for submission order.';
