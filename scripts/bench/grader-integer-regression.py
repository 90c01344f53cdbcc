#!/usr/bin/env python3
"""Checks that a grader change leaves every verdict on integer answers as it was.

Makes Sky's synthetic long-CoT data (`skyctl data synth`, the task the quick experiment trains and evaluates on),
turns each assistant output into pairs graded against every digit 0–9 as the gold, whole and cut short at a few
seeded points (a tiny model's output often stops mid-way, so the fallbacks after \\boxed{} get exercised too), and
grades the same pairs with two skyctl binaries. Prints how many pairs there were and every pair whose verdict
differs; the exit status is 1 when any does.

  python3 scripts/bench/grader-integer-regression.py BEFORE_SKYCTL AFTER_SKYCTL [--train 2000] [--seed 1]
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile


def outputs(skyctl, folder, train, seed):
    subprocess.run([skyctl, "data", "synth", "-o", folder, "--train", str(train), "--seed", str(seed)], check=True,
                   capture_output=True)
    found = []
    for name in ("train_long.jsonl", "train_short.jsonl"):
        with open(os.path.join(folder, name)) as f:
            for line in f:
                for turn in json.loads(line)["conversations"]:
                    if turn["from"] == "assistant":
                        found.append(turn["value"])
    return found


def pairs(texts, seed):
    generator = random.Random(seed)
    made = []
    for text in texts:
        variants = [text] + [text[: generator.randrange(1, len(text))] for _ in range(2)]
        for variant in variants:
            for digit in range(10):
                made.append({"gold": str(digit), "pred": variant})
    return made


def grade(skyctl, rows):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
        path = f.name
    try:
        run = subprocess.run([skyctl, "grade", "--jsonl", path], capture_output=True, text=True, check=True)
    finally:
        os.unlink(path)
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--train", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = pairs(outputs(args.before, folder, args.train, args.seed), args.seed)
    before, after = grade(args.before, rows), grade(args.after, rows)
    changed = [(row, a, b) for row, a, b in zip(rows, before, after) if a["correct"] != b["correct"]]
    correct = sum(line["correct"] for line in after)
    print(f"{len(rows)} integer-gold pairs ({correct} graded correct); verdicts changed: {len(changed)}")
    for row, a, b in changed[:20]:
        print(f"- gold {row['gold']}: {a['correct']} -> {b['correct']} ({a['reason']} / {b['reason']}); "
              f"pred …{row['pred'][-120:]!r}")
    sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
