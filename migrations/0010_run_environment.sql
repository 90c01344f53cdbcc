-- What ran each eval, beyond what its configuration pins down: the machine's processor or GPU, the math library
-- and the kernel family it chose, the threads, the worker and its host, Sky's version and the grader. The config
-- (and its hash) already holds the parts that decide the numbers (kernel family, threads, grader); this record makes
-- a difference between two hosts explainable after the fact (`skyctl reproduce`, docs/leaderboards.md).
ALTER TABLE eval_runs ADD COLUMN environment jsonb;

CREATE OR REPLACE VIEW leaderboard_runs AS
SELECT r.id AS run_id, r.job_id, r.benchmark, r.benchmark_sha256, r.experiment, r.variant,
       r.model, r.model_sha256, r.adapter, r.adapter_sha256,
       r.accuracy, r.standard_error, r.problems, r.samples_per_problem AS n,
       r.summary -> 'pass_at_k' AS pass_at_k, r.config_hash, r.config, r.finished_at,
       r.grader, r.source ->> 'format' AS imported_from, r.environment
FROM eval_runs r
WHERE r.state = 'complete';
