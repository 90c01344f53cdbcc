#!/usr/bin/env python3
"""Sky's math grader against its peers: Math-Verify and OpenAI's PRM800K grader, on a JSONL of {gold, output} pairs.

Each input line is {"benchmark", "class", "gold", "output", "bare"?, "expected"?, "note"?, "id"?}: "output" is a
bare answer or a whole model output. Every pair is graded three times:
  sky   `skyctl grade --jsonl` (one call for the whole file), with its reason;
  mv    Math-Verify 0.9: the gold wrapped in $…$ (its docs: LaTeX must sit in a math environment to be parsed) and
        parsed with parse(), the output parsed with parse() and its default extraction (a bare answer wrapped in
        $…$ like the gold), then verify(gold, answer) with its defaults;
  prm   PRM800K's grade_answer() as packaged by MathRuler, on the output's last \\boxed{} content (the whole output
        when it has no \\boxed, i.e. a bare answer): it has no extractor of its own.
A peer that runs out of time gets the verdict "timeout", which agrees with nothing: Math-Verify's own 5-second
alarms are caught from its log, and every peer call runs in a worker process killed after --timeout seconds.

Prints the agreement by benchmark, by class and overall — pairs, Sky=MV, Sky=PRM, the pairs on which both peers
agree and Sky's agreement with them there, and each grader's accuracy on the pairs with an "expected" verdict —
then every pair where Sky disagrees with a peer, with the three verdicts and Sky's reason. --json OUT writes the
same, machine-readable, with every pair's verdicts.

Run from the repository root (the first run creates .venv-grader from scripts/bench/requirements-grader.txt):
  python3 scripts/bench/grader-vs-peers.py [scripts/bench/grader-corpus.jsonl] [--json OUT] [--skyctl PATH]
skyctl defaults to $SKYCTL, else .build/release/skyctl, else .build/debug/skyctl.
"""
import argparse
import collections
import datetime
import hashlib
import importlib.metadata
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, ".venv-grader")
REQUIREMENTS = os.path.join(ROOT, "scripts", "bench", "requirements-grader.txt")
DEFAULT_CORPUS = os.path.join(ROOT, "scripts", "bench", "grader-corpus.jsonl")


# ---------------------------------------------------------------------------------------------------------------
# The virtual environment: made on first use, remade when the pinned requirements change.

def ensure_venv():
    """Re-executes this script under .venv-grader's python, creating or updating the venv first if needed."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    python = os.path.join(VENV, "bin", "python")
    stamp = os.path.join(VENV, "requirements-grader.sha256")
    wanted = hashlib.sha256(open(REQUIREMENTS, "rb").read()).hexdigest()
    have = open(stamp).read().strip() if os.path.exists(stamp) else None
    if have != wanted:
        print(f"installing {os.path.relpath(REQUIREMENTS, ROOT)} into {os.path.relpath(VENV, ROOT)} ...", file=sys.stderr)
        if not os.path.exists(python):
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS],
                       check=True)
        with open(stamp, "w") as f:
            f.write(wanted + "\n")
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


# ---------------------------------------------------------------------------------------------------------------
# The peers. Both run in forked worker processes (Math-Verify's alarms need a process's main thread, and a call
# that hangs in sympy must be killable without losing the rest of the run).

class TimeoutLog(logging.Handler):
    """Math-Verify swallows its own timeouts (returning no parse or False) and only logs them: count those lines."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        if "timeout" in record.getMessage().lower():
            self.count += 1


def extracted_text(parsed):
    """What Math-Verify extracted, as text: parse() returns [sympy object, matched string] or [string]."""
    if not parsed:
        return None
    # The matched string, never str() of the sympy object: that conversion can itself hang on huge expressions.
    return parsed[-1] if isinstance(parsed[-1], str) else None


def in_math_mode(answer):
    """A bare answer as Math-Verify's docs want LaTeX: inside $…$, unless it already has delimiters or \\boxed."""
    return answer if re.search(r"^\s*(\$|\\\(|\\\[)|\\boxed", answer) else f"${answer}$"


def math_verify_grade(gold, output, bare, log):
    from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify

    log.count = 0
    # One configuration for every pair. Its docs suggest StringExtractionConfig for multiple-choice golds, but that
    # extractor finds no letter in \boxed{(C)} or \textbf{(C)}, where the LaTeX one reads the letter as a
    # symbol on both sides; so the LaTeX one is the fairer choice for boxed outputs.
    gold_parsed = parse(in_math_mode(gold), extraction_config=[LatexExtractionConfig(), ExprExtractionConfig()])
    # A bare answer is LaTeX without its math environment, like the gold: wrapped the same way, or Math-Verify
    # would only see its plain-number parts. A whole output is parsed as it is.
    pred_parsed = parse(in_math_mode(output) if bare else output)
    correct = verify(gold_parsed, pred_parsed)
    result = {"verdict": "correct" if correct else "wrong", "gold": extracted_text(gold_parsed),
              "pred": extracted_text(pred_parsed)}
    if log.count:
        result.update(verdict="timeout", error=f"{log.count} of Math-Verify's own timeouts")
    return result


def prm800k_grade(gold, output):
    from mathruler.grader import extract_boxed_content, grade_answer

    given = extract_boxed_content(output) if "\\boxed" in output else output
    return {"verdict": "correct" if grade_answer(given, gold) else "wrong", "pred": given}


def worker(conn):
    log = TimeoutLog()
    logging.getLogger("math_verify").addHandler(log)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:  # no more work
            return
        peer, gold, output, bare = task
        try:
            result = math_verify_grade(gold, output, bare, log) if peer == "mv" else prm800k_grade(gold, output)
        except Exception as e:  # a peer that crashes on a pair: recorded, not fatal
            result = {"verdict": "error", "error": f"{type(e).__name__}: {e}"[:300]}
        conn.send(result)


class Workers:
    """A few worker processes, each given one task at a time; a task past its deadline kills its worker."""

    def __init__(self, count, deadline):
        self.count, self.deadline = count, deadline
        self.context = multiprocessing.get_context("fork")

    def spawn(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(target=worker, args=(child,), daemon=True)
        process.start()
        child.close()
        return process, parent

    def run(self, tasks):
        """tasks: {key: (peer, gold, output)} → {key: result}."""
        pending = collections.deque(tasks.items())
        idle = [self.spawn() for _ in range(min(self.count, len(tasks)) or 1)]
        busy = {}  # connection → (process, key, started)
        results = {}
        done = reported = 0
        while pending or busy:
            while idle and pending:
                process, conn = idle.pop()
                key, task = pending.popleft()
                conn.send(task)
                busy[conn] = (process, key, time.monotonic())
            now = time.monotonic()
            wait_for = max(0.0, min(started + self.deadline for _, _, started in busy.values()) - now)
            for conn in multiprocessing.connection.wait(list(busy), timeout=wait_for):
                process, key, _ = busy.pop(conn)
                try:
                    results[key] = conn.recv()
                    idle.append((process, conn))
                except EOFError:  # the worker died (a segfault in a C extension, say): replace it
                    results[key] = {"verdict": "error", "error": "worker died"}
                    process.join()
                    idle.append(self.spawn())
                done += 1
            now = time.monotonic()
            for conn, (process, key, started) in list(busy.items()):
                if now - started > self.deadline:
                    process.kill()
                    process.join()
                    busy.pop(conn)
                    results[key] = {"verdict": "timeout", "error": f"killed after {self.deadline:g} s"}
                    idle.append(self.spawn())
                    done += 1
            if done // 100 > reported:
                reported = done // 100
                print(f"  {done}/{len(tasks)} peer verdicts", file=sys.stderr, end="\r")
        for process, conn in idle:
            conn.send(None)
            process.join(timeout=5)
            conn.close()
        print(file=sys.stderr)
        return results


def is_bare(pair):
    """The pair's "bare" field, or for unlabelled pairs: no \\boxed and no math delimiters anywhere."""
    if pair.get("bare") is not None:
        return bool(pair["bare"])
    return not re.search(r"\\boxed|\$|\\\(|\\\[", pair["output"])


# ---------------------------------------------------------------------------------------------------------------
# Sky.

def find_skyctl(given):
    for candidate in [given, os.environ.get("SKYCTL"), os.path.join(ROOT, ".build/release/skyctl"),
                      os.path.join(ROOT, ".build/debug/skyctl")]:
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    sys.exit("no skyctl: build one (swift build -c release) or pass --skyctl PATH")


def sky_grade(skyctl, pairs):
    """One `skyctl grade --jsonl` call for all pairs; it answers one line per non-blank input line, in order."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for pair in pairs:
            # A bare answer is handed over as one, read whole (`skyctl grade --bare`), as the peers read theirs.
            f.write(json.dumps({"gold": pair["gold"], "pred": pair["output"], "bare": is_bare(pair)}, ensure_ascii=False) + "\n")
        path = f.name
    try:
        run = subprocess.run([skyctl, "grade", "--jsonl", path], capture_output=True, text=True, timeout=1800)
    finally:
        os.unlink(path)
    if run.returncode != 0:
        sys.exit(f"skyctl grade failed ({run.returncode}): {run.stderr.strip()}")
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    if len(lines) != len(pairs):
        sys.exit(f"skyctl grade answered {len(lines)} lines for {len(pairs)} pairs")
    return [{"verdict": "correct" if line["correct"] else "wrong", "reason": line["reason"], "gold": line["gold"],
             "pred": line["pred"]} for line in lines]


# ---------------------------------------------------------------------------------------------------------------
# Tables.

def percent(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "–"


def summarize(rows):
    """One table row's numbers for a group of graded pairs."""
    expected = [r for r in rows if r.get("expected") is not None]
    both = [r for r in rows if r["mv"] == r["prm"] and r["mv"] in ("correct", "wrong")]
    right = lambda grader: sum(r[grader] == ("correct" if r["expected"] else "wrong") for r in expected)
    return {
        "pairs": len(rows),
        "sky_eq_mv": sum(r["sky"] == r["mv"] for r in rows),
        "sky_eq_prm": sum(r["sky"] == r["prm"] for r in rows),
        "peers_agree": len(both),
        "sky_eq_peers": sum(r["sky"] == r["mv"] for r in both),
        "with_expected": len(expected),
        "right": {grader: right(grader) for grader in ("sky", "mv", "prm")},
        "mv_timeouts": sum(r["mv"] == "timeout" for r in rows),
        "prm_timeouts": sum(r["prm"] == "timeout" for r in rows),
    }


def table(title, groups):
    header = ("| " + title + " | pairs | Sky=MV | Sky=PRM | MV=PRM pairs | Sky agrees there | right vs expected "
              "(n): Sky | MV | PRM | timeouts MV/PRM |")
    lines = [header, "|" + "---|" * 10]
    for name, s in groups:
        lines.append(
            f"| {name} | {s['pairs']} | {percent(s['sky_eq_mv'], s['pairs'])} | {percent(s['sky_eq_prm'], s['pairs'])} "
            f"| {s['peers_agree']} | {percent(s['sky_eq_peers'], s['peers_agree'])} "
            f"({s['peers_agree'] - s['sky_eq_peers']} off) | ({s['with_expected']}) "
            f"{percent(s['right']['sky'], s['with_expected'])} | {percent(s['right']['mv'], s['with_expected'])} "
            f"| {percent(s['right']['prm'], s['with_expected'])} | {s['mv_timeouts']}/{s['prm_timeouts']} |")
    return "\n".join(lines)


def referee(rows):
    """Per class and overall: the pairs Sky and MV disagree on, and which side the "expected" verdict takes."""
    right = lambda r, grader: r.get("expected") is not None and r[grader] == ("correct" if r["expected"] else "wrong")
    counts = []
    for name in sorted({r["class"] for r in rows}) + [None]:
        group = [r for r in rows if name is None or r["class"] == name]
        off = [r for r in group if r["sky"] != r["mv"]]
        against_both = [r for r in off if r["mv"] == r["prm"]]
        counts.append({
            "class": name or "all", "sky_ne_mv": len(off), "sky_right": sum(right(r, "sky") for r in off),
            "mv_right": sum(right(r, "mv") for r in off), "no_expected": sum(r.get("expected") is None for r in off),
            "sky_ne_both_peers": len(against_both), "sky_right_against_both": sum(right(r, "sky") for r in against_both),
        })
    return counts


def referee_table(counts):
    lines = ["| class | Sky≠MV | Sky right | MV right | no expected verdict | Sky≠(MV=PRM) | Sky right there |",
             "|" + "---|" * 7]
    for c in counts:
        lines.append(f"| {c['class']} | {c['sky_ne_mv']} | {c['sky_right']} | {c['mv_right']} | {c['no_expected']} "
                     f"| {c['sky_ne_both_peers']} | {c['sky_right_against_both']} |")
    return "\n".join(lines)


def last_boxed(text):
    """The last \\boxed{…} content, for showing a long output in one line (display only; no grader uses it)."""
    start = text.rfind("\\boxed{")
    if start < 0:
        return None
    depth, i = 0, start + len("\\boxed")
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1:j]
    return None


def shown(row):
    if is_bare(row):
        return row["output"]
    boxed = last_boxed(row["output"])
    return f"[long CoT, {len(row['output'])} chars] …\\boxed{{{boxed}}}" if boxed is not None else \
        f"[long CoT, {len(row['output'])} chars, no \\boxed]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS, help="JSONL of pairs (default: the committed corpus)")
    parser.add_argument("--json", metavar="OUT", help="also write the tables, disagreements and every verdict here")
    parser.add_argument("--skyctl", help="the skyctl binary (default $SKYCTL, .build/release/skyctl, .build/debug/skyctl)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="peer worker processes")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds one peer call may take before its worker is killed and it counts as a timeout")
    args = parser.parse_args()
    ensure_venv()

    with open(args.corpus) as f:
        pairs = [json.loads(line) for line in f if line.strip()]
    for i, pair in enumerate(pairs):
        pair.setdefault("id", i)
        pair.setdefault("benchmark", "unknown")
        pair.setdefault("class", "unknown")
        if not isinstance(pair.get("gold"), str) or not isinstance(pair.get("output"), str):
            sys.exit(f"line {i + 1}: gold and output must be strings")

    skyctl = find_skyctl(args.skyctl)
    started = time.monotonic()
    sky = sky_grade(skyctl, pairs)
    sky_seconds = time.monotonic() - started

    # Import the peers once here so every forked worker starts with them loaded.
    import math_verify  # noqa: F401
    import mathruler.grader  # noqa: F401

    started = time.monotonic()
    tasks = {(peer, i): (peer, p["gold"], p["output"], is_bare(p)) for i, p in enumerate(pairs) for peer in ("mv", "prm")}
    peers = Workers(args.workers, args.timeout).run(tasks)
    peer_seconds = time.monotonic() - started

    rows = []
    for i, pair in enumerate(pairs):
        mv, prm = peers[("mv", i)], peers[("prm", i)]
        rows.append({
            "id": pair["id"], "benchmark": pair["benchmark"], "class": pair["class"], "bare": pair.get("bare"),
            "gold": pair["gold"], "output": pair["output"], "expected": pair.get("expected"), "note": pair.get("note"),
            "sky": sky[i]["verdict"], "sky_reason": sky[i]["reason"], "sky_gold": sky[i]["gold"], "sky_pred": sky[i]["pred"],
            "mv": mv["verdict"], "mv_gold": mv.get("gold"), "mv_pred": mv.get("pred"), "mv_error": mv.get("error"),
            "prm": prm["verdict"], "prm_pred": prm.get("pred"), "prm_error": prm.get("error"),
        })

    groups = {}
    for field in ("benchmark", "class"):
        grouped = collections.defaultdict(list)
        for r in rows:
            grouped[r[field]].append(r)
        groups[field] = [(name, summarize(grouped[name])) for name in sorted(grouped)]
    forms = collections.defaultdict(list)
    for r in rows:
        forms["bare answer" if r["bare"] else "long CoT" if r["bare"] is False else "unlabelled"].append(r)
    groups["form"] = [(name, summarize(forms[name])) for name in sorted(forms)]
    overall = summarize(rows)

    versions = {package: importlib.metadata.version(package)
                for package in ("math-verify", "latex2sympy2_extended", "sympy", "antlr4-python3-runtime", "mathruler")}
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "corpus": os.path.relpath(os.path.abspath(args.corpus), ROOT), "pairs": len(rows),
        "skyctl": os.path.relpath(skyctl, ROOT),
        "commit": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                 text=True).stdout.strip(),
        "python": platform.python_version(), "versions": versions,
        "seconds": {"sky": round(sky_seconds, 2), "peers": round(peer_seconds, 2)},
    }
    disagreements = [r for r in rows if r["sky"] != r["mv"] or r["sky"] != r["prm"]]

    print(f"# Sky vs Math-Verify (MV) vs PRM800K (PRM) on {meta['corpus']}: {len(rows)} pairs, {meta['date']}")
    print(f"skyctl {meta['skyctl']} at {meta['commit']}; " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"time: sky {meta['seconds']['sky']} s for all pairs, peers {meta['seconds']['peers']} s "
          f"on {args.workers} worker(s)\n")
    print(table("overall", [("all", overall)]) + "\n")
    print(table("benchmark", groups["benchmark"]) + "\n")
    print(table("class", groups["class"]) + "\n")
    print(table("form", groups["form"]) + "\n")
    print("Who is right where Sky and MV disagree (by the corpus's \"expected\" verdicts):\n")
    print(referee_table(referee(rows)) + "\n")
    print(f"## {len(disagreements)} pairs where Sky disagrees with a peer "
          f"({sum(r['sky'] != r['mv'] for r in rows)} with MV, {sum(r['sky'] != r['prm'] for r in rows)} with PRM)\n")
    for r in sorted(disagreements, key=lambda r: (r["class"], r["id"])):
        expected = {True: "equivalent", False: "not equivalent", None: "none (ambiguous or not given)"}[r["expected"]]
        print(f"- #{r['id']} {r['benchmark']}/{r['class']}: gold `{r['gold']}` · output `{shown(r)}`")
        print(f"  sky {r['sky']} ({r['sky_reason']}; `{r['sky_gold']}` vs `{r['sky_pred']}`) · mv {r['mv']}"
              f"{' (' + r['mv_error'] + ')' if r['mv_error'] else ''} (`{r['mv_gold']}` vs `{r['mv_pred']}`) · "
              f"prm {r['prm']}{' (' + r['prm_error'] + ')' if r['prm_error'] else ''} · expected {expected}"
              f"{' — ' + r['note'] if r['note'] else ''}")

    if args.json:
        report = {"meta": meta, "overall": overall, **{f"by_{k}": dict(v) for k, v in groups.items()},
                  "referee_by_class": referee(rows), "disagreements": [r["id"] for r in disagreements], "pairs": rows}
        with open(args.json, "w") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)
        print(f"\nwrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
