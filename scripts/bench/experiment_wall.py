"""Per-stage wall time of experiment runs, from `skyctl status --json` dumps; prints each run and the medians.

usage: experiment_wall.py DIR EXPERIMENT   (reads DIR/jobs-quick-*.json and DIR/jobs-full-*.json)
A stage's time is the sum of its jobs' run times (claim to finish). "queue" is the time in which no job ran at all,
between the first job's submission and the last one's end: claiming, dependency release and worker start-up.
"""
import glob
import json
import statistics
import sys
from datetime import datetime


def seconds(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def stage(job):
    return next((tag[6:] for tag in job.get("tags", []) if tag.startswith("stage:")), job["kind"])


def measure(path, experiment):
    jobs = [j for j in json.load(open(path)) if j.get("experiment") == experiment]
    start = min(seconds(j["createdAt"]) for j in jobs)
    end = max(seconds(j["finishedAt"]) for j in jobs)
    intervals = sorted((seconds(j["startedAt"]), seconds(j["finishedAt"])) for j in jobs)
    busy, (low, high) = 0.0, intervals[0]
    for s, e in intervals[1:]:
        if s > high:
            busy, low, high = busy + high - low, s, e
        else:
            high = max(high, e)
    busy += high - low
    row = {"wall": end - start, "queue": end - start - busy, "jobs": len(jobs),
           "failed": sum(j["state"] != "succeeded" for j in jobs)}
    for j in jobs:
        row[stage(j)] = row.get(stage(j), 0.0) + seconds(j["finishedAt"]) - seconds(j["startedAt"])
    return row


def main():
    directory, experiment = sys.argv[1], sys.argv[2]
    columns = ["wall", "pretrain", "perturb", "train", "eval", "queue"]
    for mode in ("quick", "full"):
        runs = [measure(p, experiment) for p in sorted(glob.glob(f"{directory}/jobs-{mode}-*.json"))]
        if not runs:
            continue
        print(f"{mode}: {len(runs)} runs, {runs[0]['jobs']} jobs each (seconds)")
        print("  " + "".join(f"{c:>10}" for c in columns))
        for r in runs:
            note = f"  ({r['failed']} not succeeded)" if r["failed"] else ""
            print("  " + "".join(f"{r.get(c, 0.0):10.1f}" for c in columns) + note)
        print("  " + "".join(f"{statistics.median(r.get(c, 0.0) for r in runs):10.1f}" for c in columns) + "  median")


if __name__ == "__main__":
    main()
