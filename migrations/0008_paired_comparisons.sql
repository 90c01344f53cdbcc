-- Paired comparisons of eval runs: whether a difference between two runs over the same benchmark is more than noise.
--
-- Samples are paired by (problem_id, sample_index), so the comparison counts only what both runs answered. The
-- functions are immutable and plain SQL or PL/pgSQL, so dashboards can call them on their own counts too. SkyEval's
-- PairedComparison computes the same counts, p-value and Wilson bounds, plus a paired-bootstrap interval for the
-- difference (resampling needs the samples, which a view cannot seed reproducibly).

-- Two-sided exact McNemar p-value for b and c discordant pairs: 2·P(X ≤ min(b, c)), X ~ Binomial(b + c, ½), at most
-- 1; 1 when there are none. Summed in logs, so thousands of pairs do not underflow.
CREATE FUNCTION sky_mcnemar_exact(b bigint, c bigint) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    n bigint := b + c;
    log_term double precision := -(b + c) * ln(2.0);
    total double precision := 0;
BEGIN
    IF n = 0 THEN
        RETURN 1;
    END IF;
    FOR i IN 0..least(b, c) LOOP
        IF i > 0 THEN
            log_term := log_term + ln((n - i + 1)::double precision) - ln(i::double precision);
        END IF;
        total := total + exp(log_term);
    END LOOP;
    RETURN least(1.0, 2 * total);
END
$$;

-- The Wilson score interval's bounds for successes of trials at 95% (z = 1.959964); null for no trials.
CREATE FUNCTION sky_wilson_lower(successes bigint, trials bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN trials = 0 THEN NULL ELSE greatest(0.0,
        (successes::float8 / trials + 3.841458820694124 / (2 * trials)
         - 1.959963984540054 * sqrt((successes::float8 / trials) * (1 - successes::float8 / trials) / trials
                                    + 3.841458820694124 / (4.0 * trials * trials)))
        / (1 + 3.841458820694124 / trials)) END
$$;

CREATE FUNCTION sky_wilson_upper(successes bigint, trials bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN trials = 0 THEN NULL ELSE least(1.0,
        (successes::float8 / trials + 3.841458820694124 / (2 * trials)
         + 1.959963984540054 * sqrt((successes::float8 / trials) * (1 - successes::float8 / trials) / trials
                                    + 3.841458820694124 / (4.0 * trials * trials)))
        / (1 + 3.841458820694124 / trials)) END
$$;

-- Every ordered pair of complete runs over the same benchmark (by content hash) that share samples. Filter on run_a
-- and run_b: the planner then reads only those two runs' samples. difference = accuracy_b − accuracy_a over the
-- paired samples; right_to_wrong counts samples run A got right and run B wrong.
CREATE VIEW eval_run_comparisons AS
SELECT a.id AS run_a, b.id AS run_b, a.benchmark,
       a.experiment AS experiment_a, a.variant AS variant_a, b.experiment AS experiment_b, b.variant AS variant_b,
       count(*) AS paired_samples, count(DISTINCT sa.problem_id) AS paired_problems,
       count(*) FILTER (WHERE sa.correct AND sb.correct) AS both_right,
       count(*) FILTER (WHERE sa.correct AND NOT sb.correct) AS right_to_wrong,
       count(*) FILTER (WHERE NOT sa.correct AND sb.correct) AS wrong_to_right,
       count(*) FILTER (WHERE NOT sa.correct AND NOT sb.correct) AS both_wrong,
       avg(sa.correct::int) AS accuracy_a, avg(sb.correct::int) AS accuracy_b,
       avg(sb.correct::int) - avg(sa.correct::int) AS difference,
       sky_mcnemar_exact(count(*) FILTER (WHERE sa.correct AND NOT sb.correct),
                         count(*) FILTER (WHERE NOT sa.correct AND sb.correct)) AS mcnemar_p,
       sky_wilson_lower(count(*) FILTER (WHERE sa.correct), count(*)) AS accuracy_a_lower,
       sky_wilson_upper(count(*) FILTER (WHERE sa.correct), count(*)) AS accuracy_a_upper,
       sky_wilson_lower(count(*) FILTER (WHERE sb.correct), count(*)) AS accuracy_b_lower,
       sky_wilson_upper(count(*) FILTER (WHERE sb.correct), count(*)) AS accuracy_b_upper
FROM eval_runs a
JOIN eval_runs b ON b.benchmark_sha256 = a.benchmark_sha256 AND b.id <> a.id
JOIN eval_samples sa ON sa.run_id = a.id
JOIN eval_samples sb ON sb.run_id = b.id AND sb.problem_id = sa.problem_id AND sb.sample_index = sa.sample_index
WHERE a.state = 'complete' AND b.state = 'complete'
GROUP BY a.id, b.id;

COMMENT ON VIEW eval_run_comparisons IS
    'Two complete runs over the same benchmark, sample by sample: flips, accuracies with 95% Wilson bounds, '
    'the difference (b − a) and the exact McNemar p-value. Filter on run_a and run_b.';
