-- Verdicts under more than one grader, re-scoring, and runs imported from other harnesses.
--
-- eval_samples.correct stays the verdict every view reads: the one of the grader named in eval_runs.grader. A
-- rescore first copies each sample's verdict into eval_verdicts under the grader that gave it, then writes the new
-- grader's verdicts there too and into eval_samples, so an earlier verdict is never lost. An imported run keeps the
-- other harness's own verdicts in eval_verdicts under "harness:<format>" beside Sky's, so eval_verdict_changes shows
-- where Sky and that harness disagree exactly as it shows where two of Sky's grader versions do.

-- The grader whose verdicts eval_samples holds: GraderVersion.current when the run was graded ("1.2.0+3f9c2a1b7e04").
ALTER TABLE eval_runs ADD COLUMN grader text;
UPDATE eval_runs SET grader = coalesce(config ->> 'grader', 'unrecorded');
ALTER TABLE eval_runs ALTER COLUMN grader SET NOT NULL;

-- Where the outputs came from when Sky did not generate them (null for Sky's own runs): the importing format, the
-- source file's name and SHA-256, the model label, and the harness's own accuracy.
ALTER TABLE eval_runs ADD COLUMN source jsonb;

-- The gold answer each sample was graded against, so a rescore needs no benchmark file (null before migration 9,
-- and for code problems, whose tests stay in the benchmark).
ALTER TABLE eval_samples ADD COLUMN gold text;

CREATE TABLE eval_verdicts (
    run_id          bigint NOT NULL,
    problem_id      text NOT NULL,
    sample_index    integer NOT NULL,
    grader          text NOT NULL,          -- a Sky grader version, or "harness:<format>" for an import's own verdict
    correct         boolean NOT NULL,
    extracted       text,
    reason          text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, problem_id, sample_index, grader),
    FOREIGN KEY (run_id, problem_id, sample_index) REFERENCES eval_samples (run_id, problem_id, sample_index) ON DELETE CASCADE
);

-- Per run and grader: how many samples that grader judged and its accuracy. The current grader's row comes from
-- eval_samples, so a run never rescored still has one.
CREATE VIEW eval_run_graders AS
SELECT r.id AS run_id, r.benchmark, r.experiment, r.variant, r.grader, true AS current,
       count(s.*) AS samples, avg(s.correct::int)::float8 AS accuracy
FROM eval_runs r JOIN eval_samples s ON s.run_id = r.id
GROUP BY r.id
UNION ALL
SELECT r.id, r.benchmark, r.experiment, r.variant, v.grader, false, count(*), avg(v.correct::int)::float8
FROM eval_runs r JOIN eval_verdicts v ON v.run_id = r.id
WHERE v.grader <> r.grader
GROUP BY r.id, v.grader;

COMMENT ON VIEW eval_run_graders IS
    'Each run''s accuracy under every grader that judged it: the current one (current = true, from eval_samples) and '
    'every earlier Sky grader version or imported harness verdict kept in eval_verdicts.';

-- Every sample two graders judged differently. Filter on run_id, grader_a and grader_b; the current grader's verdicts
-- are in eval_verdicts only once a run has been rescored or imported, so compare against it through eval_samples
-- (skyctl eval diff-graders does both).
CREATE VIEW eval_verdict_changes AS
SELECT a.run_id, a.problem_id, a.sample_index, s.gold,
       a.grader AS grader_a, b.grader AS grader_b, a.correct AS correct_a, b.correct AS correct_b,
       a.extracted AS extracted_a, b.extracted AS extracted_b, a.reason AS reason_a, b.reason AS reason_b
FROM eval_verdicts a
JOIN eval_verdicts b ON b.run_id = a.run_id AND b.problem_id = a.problem_id AND b.sample_index = a.sample_index
                    AND b.grader <> a.grader
JOIN eval_samples s ON s.run_id = a.run_id AND s.problem_id = a.problem_id AND s.sample_index = a.sample_index
WHERE a.correct <> b.correct;

COMMENT ON VIEW eval_verdict_changes IS
    'Samples whose verdict differs between two graders of the same run (two Sky grader versions, or Sky and an '
    'imported harness): both verdicts, extractions and reasons, and the gold. Filter on run_id, grader_a, grader_b.';

-- The public views gain columns at their end only (see 0006): which grader scored each run, and whether it was imported.
CREATE OR REPLACE VIEW leaderboard_runs AS
SELECT r.id AS run_id, r.job_id, r.benchmark, r.benchmark_sha256, r.experiment, r.variant,
       r.model, r.model_sha256, r.adapter, r.adapter_sha256,
       r.accuracy, r.standard_error, r.problems, r.samples_per_problem AS n,
       r.summary -> 'pass_at_k' AS pass_at_k, r.config_hash, r.config, r.finished_at,
       r.grader, r.source ->> 'format' AS imported_from
FROM eval_runs r
WHERE r.state = 'complete';

CREATE OR REPLACE VIEW experiment_scores AS
SELECT DISTINCT ON (lr.experiment, lr.variant, lr.benchmark)
       lr.experiment, lr.variant, lr.benchmark, lr.accuracy, lr.standard_error, lr.n, lr.problems,
       lr.config_hash, lr.job_id, lr.finished_at, lr.run_id, lr.grader, lr.imported_from
FROM leaderboard_runs lr
WHERE lr.experiment IS NOT NULL
ORDER BY lr.experiment, lr.variant, lr.benchmark, lr.finished_at DESC, lr.run_id DESC;

CREATE OR REPLACE VIEW experiment_table AS
SELECT es.experiment, es.variant,
       jsonb_object_agg(es.benchmark, jsonb_build_object(
           'accuracy', es.accuracy, 'standardError', es.standard_error, 'n', es.n,
           'problems', es.problems, 'jobId', es.job_id, 'runId', es.run_id, 'grader', es.grader,
           'importedFrom', es.imported_from)) AS scores,
       avg(es.accuracy) AS average,
       sqrt(sum(coalesce(es.standard_error, 0) ^ 2)) / count(*) AS average_standard_error,
       count(*)::integer AS benchmarks,
       min(es.job_id) AS first_job_id
FROM experiment_scores es
GROUP BY es.experiment, es.variant;

COMMENT ON VIEW experiment_table IS
    'One row per experiment variant: scores maps each benchmark to {accuracy, standardError, n, problems, jobId, runId, '
    'grader, importedFrom}; average is the unweighted mean over the benchmarks present (benchmarks counts them), '
    'average_standard_error assumes independent benchmarks. Order rows by first_job_id for submission order.';
