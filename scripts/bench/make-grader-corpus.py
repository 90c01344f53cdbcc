#!/usr/bin/env python3
"""Writes scripts/bench/grader-corpus.jsonl: hard {gold, output} pairs for comparing math answer graders.

Every pair is written by this script (no other project's tests or data): for each class of answer on which Sky's
grader was reported to disagree with its peers (issue 17), a handful of gold answers with equivalent and
non-equivalent predictions. Each base case is emitted twice: as a bare answer ("bare": true) and inside a
realistic long chain-of-thought output in Sky-T1's format ("bare": false), where the answer is boxed at the end of
the solution and the thought before it is full of other numbers, so a grader that falls back to "the last number"
or "the last math span" is caught. The "benchmark" field mimics the answer style of the benchmark named: integers
for AIME24, multiple choice and small numbers for AMC23, sets, intervals, expressions and matrices for MATH500,
multi-answer, units and rounded values for OlympiadBench.

"expected" is the mathematically right verdict when it is unambiguous, and null when a reasonable grader could go
either way (a tuple against a list of solutions, "25" against "25%", "1,22" as a decimal comma or a list); "note"
says why. The output is deterministic (fixed seed), so the committed file only changes when the cases do.

Run from the repository root:  python3 scripts/bench/make-grader-corpus.py   (no dependencies)
Then grade it:                  python3 scripts/bench/grader-vs-peers.py scripts/bench/grader-corpus.jsonl
"""
import json
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grader-corpus.jsonl")

T, F, U = True, False, None  # expected verdicts: equivalent, not equivalent, ambiguous


def case(benchmark, gold, pred, expected, note=""):
    return {"benchmark": benchmark, "gold": gold, "pred": pred, "expected": expected, "note": note}


# Each class: a list of base cases. Golds are written the way the named benchmark writes them.
CLASSES = {
    # Easy pairs every grader should get right: the floor against which the hard classes are read.
    "control": [
        case("AIME24", "204", "204", T),
        case("AIME24", "204", "240", F),
        case("AIME24", "25", "025", T, "AIME answers are written with three digits"),
        case("AIME24", "113", "113.0", T),
        case("AMC23", "27", "27", T),
        case("AMC23", "2", "3", F),
        case("MATH500", r"\left( 3, \frac{\pi}{2} \right)", r"(3, \frac{\pi}{2})", T),
        case("MATH500", r"\left( 3, \frac{\pi}{2} \right)", r"(3, \pi)", F),
        case("MATH500", "[-2,7)", "[-2, 7)", T),
        case("MATH500", "[-2,7)", "[-2,7]", F, "closed vs half-open interval"),
        case("MATH500", "x^2+7x+10", "(x+2)(x+5)", T),
        case("MATH500", "x^2+7x+10", "(x+2)(x+6)", F),
        case("MATH500", r"\frac{\sqrt{3}}{2}", r"\frac{1}{2}\sqrt{3}", T),
    ],
    # A list of answers with and without brackets: "find all x" golds are bare lists, predictions often sets.
    "set-brackets": [
        case("MATH500", "1,2,3", "(1,2,3)", U, "a tuple against a list of solutions: bracket convention"),
        case("MATH500", "1,2,3", r"\{1,2,3\}", T, "the set of the listed solutions"),
        case("MATH500", "1,2,3", "3, 1, 2", T, "solutions listed in another order"),
        case("MATH500", "1,2,3", "1,2", F, "a solution missing"),
        case("MATH500", "1,2,3", r"\{1,2,4\}", F),
        case("MATH500", "-2, 2", r"\{-2, 2\}", T),
        case("MATH500", "-2, 2", "2, -2", T),
        case("MATH500", "-2, 2", r"\pm 2", T, "plus-minus names both solutions"),
        case("MATH500", "-2, 2", "2", F, "a solution missing"),
        case("MATH500", "2", r"\pm 2", F, "two answers for one"),
        case("MATH500", "3", r"x = 3 \text{ or } x = -3", F, "an extra solution"),
        case("OlympiadBench", "(6,3),(9,3),(9,5),(54,5)", r"\{(6,3),(9,3),(9,5),(54,5)\}", T),
        case("OlympiadBench", "(6,3),(9,3),(9,5),(54,5)", "(9,3), (6,3), (54,5), (9,5)", T, "pairs in another order"),
        case("OlympiadBench", "(6,3),(9,3),(9,5),(54,5)", "(6,3),(9,3),(9,5)", F, "a pair missing"),
        case("OlympiadBench", "(6,3),(9,3),(9,5),(54,5)", "(3,6),(9,3),(9,5),(54,5)", F, "a pair reversed"),
        case("OlympiadBench", r"\{1, 3\}", "1, 3", T),
        case("OlympiadBench", r"\{1, 3\}", r"x=1 \text{ or } x=3", T),
        case("OlympiadBench", r"\{1, 3\}", r"\{1, 3, 5\}", F),
    ],
    # LaTeX commands glued to their argument, as some gold answers are written ("\cotx" for "\cot x").
    "glued-command": [
        case("MATH500", r"\cotx", r"\cot x", T),
        case("MATH500", r"\cotx", r"\tan x", F),
        case("MATH500", r"\cot x", r"\cotx", T, "the prediction glued instead"),
        case("MATH500", r"\frac12", r"\frac{1}{2}", T),
        case("MATH500", r"\frac12", "0.5", T),
        case("MATH500", r"\frac12", r"\frac{1}{3}", F),
        case("MATH500", r"\frac12", "12", F, "the glued fraction read as digits"),
        case("MATH500", r"\dfrac34", r"\frac{3}{4}", T),
        case("MATH500", r"\sqrt3", r"\sqrt{3}", T),
        case("MATH500", r"\sqrt3", r"\sqrt{2}", F),
        case("MATH500", r"\sqrt3", "3", F, "the glued root dropped"),
        case("MATH500", r"2\sqrt2", r"2\sqrt{2}", T),
        case("MATH500", r"2\sqrt2", r"\sqrt{8}", T),
        case("MATH500", r"\pir^2", r"\pi r^2", T),
        case("MATH500", r"\pir^2", r"2\pi r", F),
        case("MATH500", r"\lnx", r"\ln x", T),
    ],
    # Equation chains whose last side is the answer, and "name = value" predictions.
    "equation-chain": [
        case("AIME24", "20", "a+b+c=11+9+0=20", T),
        case("AIME24", "20", "a+b+c=11+9+1=21", F),
        case("AIME24", "20", "s = 20 + 1 = 21", F, "the gold appears inside the chain, the final value differs"),
        case("AIME24", "12", "x = 12 - 5 = 7", F, "the gold appears inside the chain, the final value differs"),
        case("AIME24", "12", "x = 12", T),
        case("AIME24", "12", "m+n=5+7=12", T),
        case("AIME24", "540", r"N = 2^2\cdot 3^3 \cdot 5 = 540", T),
        case("AIME24", "540", r"N = 2^2 \cdot 3^3 \cdot 5 = 550", F, "the stated final value is wrong"),
        case("MATH500", r"\frac{3}{4}", r"P = \frac{6}{8} = \frac{3}{4}", T),
        case("MATH500", r"\frac{3}{4}", r"P = \frac{3}{8}", F),
        case("MATH500", "9", r"|AB| = \sqrt{81} = 9", T),
        case("MATH500", "y = 2x + 3", "y=2x+3", T),
        case("MATH500", "y = 2x + 3", "2x+3", U, "the right-hand side of the gold's equation"),
        case("MATH500", "y = 2x + 3", "y = 3x + 2", F),
        case("MATH500", "x^2+y^2=25", "x^2 + y^2 - 25 = 0", T),
    ],
    # Approximations: the exact value followed by "\approx", or only an approximation of a rounded gold.
    "approx": [
        case("OlympiadBench", r"\sqrt{2}", r"\sqrt{2} \approx 1.414", T),
        case("OlympiadBench", r"\sqrt{2}", r"2\sqrt{2} \approx 2.83", F),
        case("OlympiadBench", "12.5", r"\approx 12.5", T),
        case("OlympiadBench", "12.5", r"\approx 12.6", F),
        case("OlympiadBench", r"\frac{1}{3}", r"\frac13 \approx 0.333", T),
        case("OlympiadBench", "3.14", r"\pi \approx 3.14", T, "gold rounded to two places"),
        case("OlympiadBench", "4.47", r"2\sqrt{5} \approx 4.47", T, "gold rounded to two places"),
        case("OlympiadBench", "4.47", r"2\sqrt{5}", U, "exact value against a rounded gold"),
        case("OlympiadBench", "1.41", r"\approx 1.42", F),
        case("OlympiadBench", r"\pi", "3.14", F, "a rounded value for an exact gold"),
        case("OlympiadBench", r"\frac{1}{3}", "0.33", F, "a rounded value for an exact gold"),
        case("OlympiadBench", "0.25", r"t \approx 0.25", T),
    ],
    # Relations: ASCII vs LaTeX operators, flipped sides, both sides negated.
    "relations": [
        case("MATH500", r"x \geq 3", "x >= 3", T),
        case("MATH500", r"x \geq 3", "x > 3", F, "strict vs non-strict"),
        case("MATH500", r"x \neq 2", "x != 2", T),
        case("MATH500", r"x \neq 2", "x = 2", F),
        case("MATH500", r"x \le -1", "x <= -1", T),
        case("MATH500", r"x \le -1", r"-x \ge 1", T, "both sides negated, relation reversed"),
        case("MATH500", r"x \le -1", r"-x \le 1", F),
        case("MATH500", "x > 3", "3 < x", T, "sides swapped"),
        case("MATH500", "x > 3", "-x < -3", T, "both sides negated, relation reversed"),
        case("MATH500", "x > 3", "-x > -3", F),
        case("MATH500", r"a \geq b", r"b \leq a", T),
        case("MATH500", "x < 2", r"x \lt 2", T),
        case("MATH500", r"2 \le x \le 5", r"5 \geq x \geq 2", T),
        case("MATH500", r"2 \le x \le 5", "[2,5]", T, "the interval the inequality describes"),
        case("MATH500", r"2 \le x \le 5", r"2 < x \le 5", F),
        case("MATH500", r"x \ge 0", "x ≥ 0", T, "Unicode relation"),
    ],
    # Units and words in \text{}, \textnormal{}, \mbox{}, \mathrm{}.
    "units-text": [
        case("OlympiadBench", "12", r"12\text{ cm}", T),
        case("OlympiadBench", "12", r"12 \mbox{ cm}", T),
        case("OlympiadBench", "12", r"12\textnormal{ cm}", T),
        case("OlympiadBench", "12", r"13\text{ cm}", F),
        case("OlympiadBench", r"12\text{ cm}^2", "12", T),
        case("OlympiadBench", "10", r"10 \mathrm{~m/s}", T),
        case("OlympiadBench", "10", r"10\,\text{m/s}", T),
        case("OlympiadBench", "10", r"12 \mathrm{~m/s}", F),
        case("OlympiadBench", "3", r"3 \text{ hours}", T),
        case("OlympiadBench", "3", r"t = 3\text{ hours}", T),
        case("AMC23", r"5\text{ dollars}", r"\$5", T),
        case("AMC23", r"5\text{ dollars}", r"\$5.50", F),
        case("MATH500", r"45^\circ", "45", T),
        case("MATH500", r"45^\circ", r"45\text{ degrees}", T),
        case("MATH500", r"45^\circ", r"\frac{\pi}{4}", U, "radians for a gold in degrees"),
        case("MATH500", r"\text{Monday}", r"\text{Monday}", T),
        case("MATH500", r"\text{Monday}", "Monday", T),
        case("MATH500", r"\text{Monday}", r"\text{Tuesday}", F),
        case("MATH500", r"\text{even}", r"\textnormal{even}", T),
        case("MATH500", r"\text{even}", r"\mbox{odd}", F),
    ],
    # Percentages written with \%, "percent", "pct", or as a fraction.
    "percent": [
        case("OlympiadBench", r"25\%", r"25\%", T),
        case("OlympiadBench", r"25\%", "25 percent", T),
        case("OlympiadBench", r"25\%", r"25\text{ percent}", T),
        case("OlympiadBench", r"25\%", "25 pct", T),
        case("OlympiadBench", r"25\%", r"\text{25 percent}", T),
        case("OlympiadBench", r"25\%", "25", U, "the number without the percent sign"),
        case("OlympiadBench", r"25\%", "0.25", U, "the fraction the percentage stands for"),
        case("OlympiadBench", r"25\%", r"26\%", F),
        case("OlympiadBench", r"25\%", "26 percent", F),
        case("OlympiadBench", r"25\%", r"0.25\%", F, "the percent sign kept on the fraction"),
        case("OlympiadBench", "0.25", "25", F, "no percent sign anywhere licenses the factor 100"),
        case("OlympiadBench", "25", r"25\%", T, "the unit (%) is given with the problem"),
        case("MATH500", r"12.5\%", r"12.5 \%", T),
        case("MATH500", r"12.5\%", r"\frac{25}{2}\%", T),
    ],
    # Matrices and vectors in pmatrix, bmatrix and \left[\begin{array}…\end{array}\right].
    "matrix": [
        case("MATH500", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", T,
             "identical answers"),
        case("MATH500", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
             r"\left[\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}\right]", T),
        case("MATH500", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", r"\begin{bmatrix}1&2\\3&4\end{bmatrix}", T),
        case("MATH500", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", r"\begin{pmatrix} 1 & 3 \\ 2 & 4 \end{pmatrix}", F,
             "the transpose"),
        case("MATH500", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", r"\begin{pmatrix} 1 & 2 \\ 3 & 5 \end{pmatrix}", F),
        case("MATH500", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", r"\begin{pmatrix} 1 & 2 & 3 & 4 \end{pmatrix}", F,
             "same entries, another shape"),
        case("MATH500", r"\left[\begin{array}{c} 1 \\ -2 \end{array}\right]", r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}", T),
        case("MATH500", r"\left[\begin{array}{c} 1 \\ -2 \end{array}\right]", r"\begin{pmatrix} -2 \\ 1 \end{pmatrix}", F),
        case("MATH500", r"\begin{pmatrix} \frac{1}{2} & 0 \\ 0 & 2 \end{pmatrix}",
             r"\begin{pmatrix} 0.5 & 0 \\ 0 & 2 \end{pmatrix}", T),
        case("MATH500", r"\begin{pmatrix} \frac{1}{2} & 0 \\ 0 & 2 \end{pmatrix}",
             r"\begin{pmatrix} \frac12 & 0 \\ 0 & 2 \end{pmatrix}", T),
        case("MATH500", r"\begin{pmatrix} 3 \\ 1 \end{pmatrix}", "(3, 1)", U, "a column vector written as a tuple"),
    ],
    # Plain-text fractions against \frac, and unreduced fractions.
    "plain-fraction": [
        case("MATH500", r"\frac{10}{9}", "10/9", T),
        case("MATH500", r"\frac{10}{9}", "9/10", F),
        case("MATH500", r"\frac{10}{9}", "20/18", T, "not reduced"),
        case("MATH500", "10/9", r"\frac{10}{9}", T),
        case("MATH500", "10/9", r"\dfrac{10}{9}", T),
        case("MATH500", "1/2", r"\frac{1}{2}", T),
        case("MATH500", r"\frac{1}{2}", r"\frac{2}{4}", T, "not reduced"),
        case("MATH500", r"-\frac{3}{4}", "-3/4", T),
        case("MATH500", r"-\frac{3}{4}", "3/4", F),
        case("MATH500", r"\frac{\sqrt{3}}{3}", r"\sqrt{3}/3", T),
        case("MATH500", r"\frac{\sqrt{3}}{3}", r"1/\sqrt{3}", T),
        case("MATH500", r"\frac{\sqrt{3}}{3}", r"\sqrt{3}/2", F),
        case("AMC23", r"\frac{5}{12}", "5/12", T),
        case("AMC23", r"\frac{5}{12}", "12/5", F),
    ],
    # Decimal commas and thousands separators (comma, thin space, plain space).
    "number-separators": [
        case("OlympiadBench", "1000", r"1\,000", T),
        case("OlympiadBench", "1000", "1{,}000", T),
        case("OlympiadBench", "1000", "1,000", T),
        case("OlympiadBench", "1000", "1 000", T),
        case("OlympiadBench", "1000", r"1\,001", F),
        case("OlympiadBench", "1.22", "1{,}22", T, "decimal comma in braces"),
        case("OlympiadBench", "1.22", "1,22", U, "a decimal comma or a list of two numbers"),
        case("OlympiadBench", "1.22", "1.23", F),
        case("OlympiadBench", "122", "1{,}22", F, "a decimal comma, not a thousands separator"),
        case("OlympiadBench", "15", "1,5", F, "not a valid thousands grouping"),
        case("OlympiadBench", "10000", r"10\,000", T),
        case("OlympiadBench", "1234567", r"1\,234\,567", T),
        case("OlympiadBench", "3.5", "3{,}5", T, "decimal comma in braces"),
        case("OlympiadBench", "3.5", "3{,}6", F),
        case("AIME24", "2016", "2,016", T),
        case("AIME24", "0.5", ".5", T),
    ],
    # Bare LaTeX answers that are not a plain number (a grader reading "the last number" gets these wrong).
    "latex-answer": [
        case("MATH500", r"\frac{\pi}{2}", r"\frac{\pi}{2}", T),
        case("MATH500", r"\frac{\pi}{2}", r"\pi/2", T),
        case("MATH500", r"\frac{\pi}{2}", r"\frac{\pi}{3}", F),
        case("MATH500", r"2\pi", r"2 \pi", T),
        case("MATH500", r"2\pi", r"\pi", F),
        case("MATH500", r"2\pi", "2", F, "the constant dropped"),
        case("MATH500", r"\sqrt{5}-1", r"-1+\sqrt{5}", T),
        case("MATH500", r"\sqrt{5}-1", r"\sqrt{5}+1", F),
        case("MATH500", "3^{10}", "59049", T),
        case("MATH500", r"\binom{10}{3}", "120", T),
        case("MATH500", "e^{2}", "e^2", T),
        case("MATH500", r"(-\infty, 0) \cup (1, \infty)", r"(-\infty,0)\cup(1,\infty)", T),
        case("MATH500", r"(-\infty, 0) \cup (1, \infty)", r"(-\infty, 0] \cup (1, \infty)", F),
    ],
    # Multiple-choice letters, as AMC answers are often graded.
    "multiple-choice": [
        case("AMC23", "C", "C", T),
        case("AMC23", "C", "(C)", T),
        case("AMC23", "C", r"\text{(C)}", T),
        case("AMC23", "C", r"\textbf{(C)}", T),
        case("AMC23", "C", "D", F),
        case("AMC23", "C", r"\textbf{(D) }12", F),
        case("AMC23", r"\textbf{(B)}", "B", T),
        case("AMC23", "B", r"\textbf{(B) } 27", T),
    ],
}

# Sentences for the thought, with numbers that are not the answer: a grader that ignores \boxed and takes the last
# number or math span of the output gets these instead.
OPENINGS = [
    "Okay, so I need to solve this problem. Let me read it again carefully and write down what is given.",
    "Alright, let's tackle this step by step. First I want to understand what the question is really asking.",
    "Hmm, let me think about how to approach this. There are a few quantities involved, so I'll name them first.",
]
STEPS = [
    "Setting up the equation gives $3k + {a} = {b}$, so $k = {c}$ in the first case.",
    "If I count the cases separately, there are ${a}$ of the first kind and ${b}$ of the second, {c} in all.",
    "Substituting $n = {a}$ into the expression gives ${b}$, and with $n = {c}$ it gives something larger.",
]
DOUBTS = [
    "Wait, that doesn't look right. Let me double-check the arithmetic: ${a} \\cdot {b} = {c}$. Yes, that holds.",
    "Hold on, maybe I made a mistake with the sign. Let me redo it with $x = -{a}$... no, the earlier value {b} stands.",
    "Let me verify with a small case, say ${a}$ elements: I get {b}, which matches the pattern. Good, so {c} is fine.",
]
CLOSERS = [
    "So the answer should be ${answer}$.",
    "Therefore, I'm fairly confident the answer is ${answer}$.",
    "Putting it all together, I get ${answer}$.",
]
FINALS = [
    "The final answer is $\\boxed{{{answer}}}$.",
    "Thus, the answer is\n\n\\[\n\\boxed{{{answer}}}\n\\]",
    "**Final Answer**\n\n\\[\n\\boxed{{{answer}}}\n\\]",
    "Hence the required value is \\(\\boxed{{{answer}}}\\).",
]


def long_cot(answer, rng):
    """A Sky-T1-style output: a long thought with other numbers, then a short solution ending in \\boxed{answer}."""
    numbers = lambda: {"a": rng.randint(2, 97), "b": rng.randint(100, 999), "c": rng.randint(2, 97)}
    thought = [rng.choice(OPENINGS)]
    for _ in range(rng.randint(2, 4)):
        thought.append(rng.choice(STEPS).format(**numbers()))
        thought.append(rng.choice(DOUBTS).format(**numbers()))
    thought.append(rng.choice(CLOSERS).format(answer=answer))
    solution = [
        "To solve the problem, we set up the relations above and simplify.",
        rng.choice(STEPS).format(**numbers()),
        rng.choice(FINALS).format(answer=answer),
    ]
    return ("<|begin_of_thought|>\n\n" + "\n\n".join(thought) + "\n\n<|end_of_thought|>\n\n"
            "<|begin_of_solution|>\n\n" + "\n\n".join(solution) + "\n\n<|end_of_solution|>")


def main():
    rng = random.Random(17)
    rows = []
    for name, cases in CLASSES.items():
        for c in cases:
            base = {"benchmark": c["benchmark"], "class": name, "gold": c["gold"], "expected": c["expected"]}
            if c["note"]:
                base["note"] = c["note"]
            rows.append({**base, "output": c["pred"], "bare": True})
            rows.append({**base, "output": long_cot(c["pred"], rng), "bare": False})
    with open(OUT, "w") as f:
        for i, row in enumerate(rows):
            f.write(json.dumps({"id": i, **row}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} pairs ({len(rows) // 2} cases in {len(CLASSES)} classes) to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
