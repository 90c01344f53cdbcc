-- The leaderboard says which grader scored its best and its latest run, as the experiment table does per cell
-- (migration 9), so two models graded by different grader versions are never compared unawares.
CREATE OR REPLACE VIEW leaderboard AS
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
       b.runs, b.grader AS best_grader, l.grader AS latest_grader
FROM ranked b
JOIN ranked l ON l.benchmark = b.benchmark AND l.model_sha256 = b.model_sha256
             AND l.adapter_sha256 IS NOT DISTINCT FROM b.adapter_sha256 AND l.latest_rank = 1
WHERE b.best_rank = 1;
