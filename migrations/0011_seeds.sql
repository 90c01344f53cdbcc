-- Seeds as an experiment axis: an experiment file's `seeds: [0, 1, 2]` trains (and evaluates) every variant once per
-- seed, and the table reports each cell as the mean over seeds with their standard deviation next to the pooled
-- standard error. A cell with one seed reads exactly as before.

-- The training seed of the model (or adapter) an eval run evaluated, read from the train job that made it; null for an
-- untuned model, an import, or a model that no train job of Sky made.
ALTER TABLE eval_runs ADD COLUMN train_seed bigint;

-- Runs stored before this migration learn their seed from the same lineage the eval executor reads (the train job
-- behind the adapter, else behind the model), so a later run of the same variant does not count as a second seed.
UPDATE eval_runs r SET train_seed = coalesce((t.spec ->> 'seed')::bigint, 0)
FROM jobs e, jobs t
WHERE e.id = r.job_id AND e.kind = 'eval' AND t.kind = 'train'
  AND t.id = coalesce((e.spec -> 'adapter' ->> 'fromJob')::bigint, (e.spec -> 'model' ->> 'fromJob')::bigint);

CREATE OR REPLACE VIEW leaderboard_runs AS
SELECT r.id AS run_id, r.job_id, r.benchmark, r.benchmark_sha256, r.experiment, r.variant,
       r.model, r.model_sha256, r.adapter, r.adapter_sha256,
       r.accuracy, r.standard_error, r.problems, r.samples_per_problem AS n,
       r.summary -> 'pass_at_k' AS pass_at_k, r.config_hash, r.config, r.finished_at,
       r.grader, r.source ->> 'format' AS imported_from, r.environment, r.train_seed
FROM eval_runs r
WHERE r.state = 'complete';

-- Per experiment, variant, benchmark and training seed: the latest complete run (a re-run replaces an earlier one).
CREATE VIEW experiment_seed_scores AS
SELECT DISTINCT ON (lr.experiment, lr.variant, lr.benchmark, lr.train_seed)
       lr.experiment, lr.variant, lr.benchmark, lr.train_seed, lr.accuracy, lr.standard_error, lr.n, lr.problems,
       lr.config_hash, lr.job_id, lr.finished_at, lr.run_id, lr.grader, lr.imported_from
FROM leaderboard_runs lr
WHERE lr.experiment IS NOT NULL
ORDER BY lr.experiment, lr.variant, lr.benchmark, lr.train_seed, lr.finished_at DESC, lr.run_id DESC;

COMMENT ON VIEW experiment_seed_scores IS
    'Per experiment, variant, benchmark and training seed (null for untuned models and imports): the latest complete run.';

-- experiment_scores keeps its columns and its one row per experiment × variant × benchmark, now over the seeds: the mean
-- accuracy, the pooled standard error of that mean (√Σse²/k), and at the end how many seeds and their standard
-- deviation (null for one seed). config_hash, job_id and run_id are the latest seed's; grader names every grader
-- when the seeds were graded differently.
CREATE OR REPLACE VIEW experiment_scores AS
SELECT ss.experiment, ss.variant, ss.benchmark,
       avg(ss.accuracy) AS accuracy,
       sqrt(sum(coalesce(ss.standard_error, 0) ^ 2)) / count(*) AS standard_error,
       min(ss.n) AS n, min(ss.problems) AS problems,
       (array_agg(ss.config_hash ORDER BY ss.finished_at DESC, ss.run_id DESC))[1] AS config_hash,
       (array_agg(ss.job_id ORDER BY ss.finished_at DESC, ss.run_id DESC))[1] AS job_id,
       max(ss.finished_at) AS finished_at,
       (array_agg(ss.run_id ORDER BY ss.finished_at DESC, ss.run_id DESC))[1] AS run_id,
       CASE WHEN count(DISTINCT ss.grader) = 1 THEN min(ss.grader)
            ELSE string_agg(DISTINCT ss.grader, ' + ') END AS grader,
       min(ss.imported_from) AS imported_from,
       count(*)::integer AS seeds,
       stddev_samp(ss.accuracy) AS seed_standard_deviation
FROM experiment_seed_scores ss
GROUP BY ss.experiment, ss.variant, ss.benchmark;

CREATE OR REPLACE VIEW experiment_table AS
SELECT es.experiment, es.variant,
       jsonb_object_agg(es.benchmark, jsonb_build_object(
           'accuracy', es.accuracy, 'standardError', es.standard_error, 'n', es.n,
           'problems', es.problems, 'jobId', es.job_id, 'runId', es.run_id, 'grader', es.grader,
           'importedFrom', es.imported_from, 'seeds', es.seeds, 'seedStandardDeviation', es.seed_standard_deviation)) AS scores,
       avg(es.accuracy) AS average,
       sqrt(sum(coalesce(es.standard_error, 0) ^ 2)) / count(*) AS average_standard_error,
       count(*)::integer AS benchmarks,
       min(es.job_id) AS first_job_id
FROM experiment_scores es
GROUP BY es.experiment, es.variant;
