#!/usr/bin/env python3
"""Sky's math grader on the equivalence cases other graders publish in their own test suites.

Reads the test files of Math-Verify (huggingface/Math-Verify, tests/*.py) and, with --skythought, SkyThought's
math_equal tests (NovaSky-AI/SkyThought, tests/evals/util/test_math_parsing.py) at run time, pulls out every
parametrized (gold, prediction, expected) case with Python's ast module, grades them all in one
`skyctl grade --jsonl` call, and prints the pass counts and each failure with Sky's reason. Nothing of those
repositories is copied here or committed: point the script at a checkout or at a bare git directory (such as a
mirror), and it reads the files from HEAD.

  python3 scripts/bench/grader-published-cases.py MATH_VERIFY_REPO [--skythought SKYTHOUGHT_REPO]
      [--skyctl PATH] [--json OUT] [--quiet]

How a case reaches Sky:
  gold        as the test gives it (Sky reads its last \\boxed{} or the whole text).
  prediction  "bare": true when it is a bare answer: one math span and nothing else ("$x=1$"), or no math
              delimiter, no \\boxed and no run of two prose words ("1 000", "\\frac{10}{9}", "28 percent");
              otherwise it is a whole model output and Sky extracts its answer.
  expected    1/0 or True/False, as the test asserts.

Cases whose verdict a per-case option decides, which Sky has no switch for, are set aside and counted
(see SET_ASIDE below); they still appear in --json with their Sky verdict.
"""
import argparse
import ast
import importlib.util
import json
import math
import os
import re
import subprocess

# Math-Verify test functions that grade through its compare_strings(gold, pred, ...) helper or verify(parse(...)).
# Other test functions (string extraction, configs, timeouts, raise_on_error) have no gold/prediction pair.
SKYTHOUGHT_FILE = "tests/evals/util/test_math_parsing.py"


class Repo:
    """A checkout or a bare git directory, read at HEAD."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.bare = not os.path.isdir(os.path.join(self.path, "tests")) and os.path.exists(os.path.join(self.path, "HEAD"))

    def files(self, prefix):
        if self.bare:
            out = subprocess.run(["git", "--git-dir", self.path, "ls-tree", "-r", "--name-only", "HEAD", prefix],
                                 capture_output=True, text=True, check=True).stdout
            return [line for line in out.splitlines() if line]
        found = []
        for folder, _, names in os.walk(os.path.join(self.path, prefix)):
            found += [os.path.relpath(os.path.join(folder, n), self.path) for n in names]
        return sorted(found)

    def read(self, name):
        if self.bare:
            return subprocess.run(["git", "--git-dir", self.path, "show", f"HEAD:{name}"], capture_output=True,
                                  text=True, check=True).stdout
        with open(os.path.join(self.path, name), encoding="utf-8") as f:
            return f.read()

    def commit(self):
        args = ["git", "--git-dir", self.path] if self.bare else ["git", "-C", self.path]
        run = subprocess.run(args + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        return run.stdout.strip() or "unknown"


def value(node):
    """A case element's value: a literal, or an f-string over `math` (Math-Verify's float-precision case)."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        if not isinstance(node, ast.JoinedStr):
            return None  # a config object or call: not part of a (gold, prediction, expected) case
        code = compile(ast.Expression(node), "<case>", "eval")
        return eval(code, {"__builtins__": {}, "math": math})


def keyword_options(function):
    """The keyword arguments of the grading call in a test body: constants, or the name of a parameter."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("compare_strings", "verify", "math_equal"):
            options = {}
            for keyword in node.keywords:
                if isinstance(keyword.value, ast.Name):
                    options[keyword.arg] = ("param", keyword.value.id)
                else:
                    try:
                        options[keyword.arg] = ("const", ast.literal_eval(keyword.value))
                    except ValueError:
                        pass
            return getattr(node.func, "id"), options
    return None, {}


def parametrized_cases(source, filename):
    """Every (test, row) of every @pytest.mark.parametrize list in `source`."""
    tree = ast.parse(source, filename)
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        for decorator in function.decorator_list:
            if not (isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "parametrize"):
                continue
            names = [n.strip() for n in ast.literal_eval(decorator.args[0]).split(",")]
            caller, options = keyword_options(function)
            for index, row in enumerate(decorator.args[1].elts):
                values = dict(zip(names, [value(e) for e in row.elts]))
                resolved = {k: (values[v] if kind == "param" else v) for k, (kind, v) in options.items()}
                yield function.name, index, caller, values, resolved


def math_verify_cases(repo):
    cases = []
    for name in repo.files("tests"):
        if not name.endswith(".py"):
            continue
        for test, index, caller, values, options in parametrized_cases(repo.read(name), name):
            if "gold" not in values or "pred" not in values:
                continue
            expected = values.get("expected", values.get("result"))
            cases.append({"source": "math-verify", "id": f"{os.path.basename(name)}::{test}[{index}]", "test": test,
                          "gold": values["gold"], "pred": values["pred"], "expected": bool(expected),
                          "options": {k: v for k, v in options.items() if k != "match_types"},
                          "match_types": options.get("match_types", ["latex", "expr"])})
    return cases


def skythought_cases(repo):
    cases = []
    for test, index, caller, values, options in parametrized_cases(repo.read(SKYTHOUGHT_FILE), SKYTHOUGHT_FILE):
        if caller != "math_equal":
            continue
        cases.append({"source": "skythought", "id": f"test_math_parsing.py::{test}[{index}]", "test": test,
                      "gold": values["reference"], "pred": values["prediction"], "expected": bool(values["expected"]),
                      "options": {}, "match_types": []})
    return cases


# Per-case options Sky has no equivalent for. A case is set aside only where the option, not the mathematics,
# decides the expected verdict.
def set_aside(case):
    options = case["options"]
    if options.get("strict") is False:
        return "strict=False: variables renamed freely (f(x) = f(y)); Sky compares variables by name"
    if options.get("allow_set_relation_comp") is False and not case["expected"]:
        return "allow_set_relation_comp=False: the same pair is equal with the option on; Sky has one answer"
    if options.get("precision", 6) < 4:
        return f"precision={options['precision']}: equal only when rounded to {options['precision']} digits; " \
               "Sky's tolerance is relative 1e-4"
    return None


PROSE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}[ ,.:;]+[A-Za-z]{2,}")


def is_bare(pred):
    """A bare answer: one whole math span, or no delimiters, no \\boxed and no two prose words in a row."""
    text = pred.strip()
    for open_, close in (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$")):
        if text.startswith(open_) and text.endswith(close) and len(text) > len(open_) + len(close):
            inner = text[len(open_):-len(close)]
            if "$" not in inner.replace("\\$", "") and "\\(" not in inner and "\\[" not in inner:
                return True
            break
    if re.search(r"\\boxed|\\fbox|(?<!\\)\$|\\\(|\\\[", text):
        return False
    return not PROSE.search(re.sub(r"\\[A-Za-z]+", " ", text))


def peers_harness():
    """grader-vs-peers.py, loaded as a module: its skyctl lookup and its one-call `skyctl grade --jsonl` are reused."""
    spec = importlib.util.spec_from_file_location("grader_vs_peers", os.path.join(os.path.dirname(__file__), "grader-vs-peers.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sky_grade(skyctl, cases):
    """Every case in one `skyctl grade --jsonl` call, each with its "bare" flag; one verdict back per case, in order."""
    pairs = [{"gold": case["gold"], "output": case["pred"], "bare": case["bare"]} for case in cases]
    return peers_harness().sky_grade(skyctl, pairs)


def short(text, width=110):
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width // 2 - 2] + " … " + text[-(width // 2 - 2):]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("math_verify", help="a Math-Verify checkout or bare git directory")
    parser.add_argument("--skythought", help="a SkyThought checkout or bare git directory")
    parser.add_argument("--skyctl", help="the skyctl binary (default $SKYCTL, .build/release/skyctl, .build/debug/skyctl)")
    parser.add_argument("--json", help="write every case with Sky's verdict and reason here")
    parser.add_argument("--quiet", action="store_true", help="counts only, no failure list")
    args = parser.parse_args()

    sources = [("Math-Verify", Repo(args.math_verify), math_verify_cases)]
    if args.skythought:
        sources.append(("SkyThought", Repo(args.skythought), skythought_cases))
    cases = []
    for label, repo, extract in sources:
        found = extract(repo)
        print(f"{label} at {repo.commit()}: {len(found)} cases")
        cases += found
    for case in cases:
        case["bare"] = is_bare(case["pred"])
        case["set_aside"] = set_aside(case) if case["source"] == "math-verify" else None
    for case, line in zip(cases, sky_grade(peers_harness().find_skyctl(args.skyctl), cases)):
        case["sky"] = line["verdict"] == "correct"
        case["sky_gold"], case["sky_pred"], case["reason"] = line["gold"], line["pred"], line["reason"]
        case["pass"] = case["sky"] == case["expected"]

    print()
    print("| source | cases | set aside | graded | Sky passes | share | missed equivalences | false positives |")
    print("|---|---|---|---|---|---|---|---|")
    for label, source in (("Math-Verify", "math-verify"), ("SkyThought", "skythought")):
        mine = [c for c in cases if c["source"] == source]
        if not mine:
            continue
        graded = [c for c in mine if not c["set_aside"]]
        passed = sum(c["pass"] for c in graded)
        missed = sum(not c["pass"] and c["expected"] for c in graded)
        false_positive = sum(not c["pass"] and not c["expected"] for c in graded)
        share = f"{100 * passed / len(graded):.1f}%" if graded else "–"
        print(f"| {label} | {len(mine)} | {len(mine) - len(graded)} | {len(graded)} | {passed} | {share} | "
              f"{missed} | {false_positive} |")
        all_passed = sum(c["pass"] for c in mine)
        print(f"|   (all {len(mine)}, none set aside) | | | | {all_passed} | {100 * all_passed / len(mine):.1f}% | | |")

    aside = [c for c in cases if c["set_aside"]]
    if aside:
        print("\nSet aside (an option, not the mathematics, decides the verdict):")
        for case in aside:
            print(f"  {case['id']}: {case['set_aside']}; Sky {'passes' if case['pass'] else 'fails'}")
    if not args.quiet:
        failures = [c for c in cases if not c["pass"] and not c["set_aside"]]
        print(f"\nFailures ({len(failures)}):")
        for case in failures:
            print(f"- {case['id']} expected {int(case['expected'])}, Sky {int(case['sky'])}"
                  f" ({'bare' if case['bare'] else 'output'})")
            print(f"    gold: {short(case['gold'])}")
            print(f"    pred: {short(case['pred'])}")
            print(f"    Sky:  {short(case['sky_gold'], 50)}  vs  {short(case['sky_pred'], 50)}  — {case['reason']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(cases, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
