/// The Python the sandbox runs besides the program: a launcher that applies limits and drops privileges before
/// `exec`ing the interpreter, and a harness that calls a named function for functional tests.
enum SandboxScripts {
    /// Run as `python3 -I -c launcher CONFIG_JSON`. Limits are set before `exec`, so they bind the program and
    /// everything it forks; privileges are dropped (as root) before RLIMIT_NPROC, which root ignores, is set.
    static let launcher = """
    import json, os, resource, sys
    c = json.loads(sys.argv[1])
    def cap(r, soft, hard=None):
        resource.setrlimit(r, (soft, soft if hard is None else hard))
    try:
        os.closerange(3, 4096)
        os.chdir(c["dir"])
        cap(resource.RLIMIT_CORE, 0)
        cap(resource.RLIMIT_CPU, c["cpu"], c["cpu"] + 1)
        cap(resource.RLIMIT_FSIZE, c["fsize"])
        cap(resource.RLIMIT_NOFILE, 256)
        if c["uid"] is not None:
            os.setgroups([])
            os.setgid(c["gid"])
            os.setuid(c["uid"])
        cap(resource.RLIMIT_NPROC, c["nproc"])
        os.umask(0o077)
        cap(resource.RLIMIT_AS, c["memory"])
        os.execve(c["python"], [c["python"], "-I"] + c["args"], c["env"])
    except BaseException as e:
        sys.stderr.write("sky-sandbox: could not start the program: %r\\n" % (e,))
        sys.stderr.flush()
        os._exit(126)
    """

    /// Printed before the function's JSON result, so the program's own prints cannot be mistaken for it.
    static let resultMarker = "<<sky-result-7f3a>>"

    /// Run as `python3 -I sky_harness.py FUNCTION` with `{"args": [...], "expected": value}` on stdin; prints the
    /// marker and `{"passed", "got"}`. The imports are the ones LiveCodeBench puts before solutions, so `List[int]` in
    /// a starter signature resolves. Comparison: bools by identity, ints exactly, floats within 1e-6 + 1e-6·|expected|,
    /// tuples as lists.
    static let harness = """
    import json, sys
    PRELUDE = "from typing import *\\nimport collections, heapq, itertools, functools, math, bisect, string, re, random\\n" \\
        "from collections import *\\nfrom functools import *\\nfrom itertools import *\\nfrom heapq import *\\n" \\
        "from bisect import *\\nfrom math import *\\n"
    ns = {"__name__": "sky_solution"}
    with open("solution.py") as f:
        source = f.read()
    exec(compile(PRELUDE + source, "solution.py", "exec"), ns)
    name = sys.argv[1]
    test = json.loads(sys.stdin.read())
    def same(e, g):
        if isinstance(e, bool) or isinstance(g, bool):
            return type(e) is type(g) and e == g
        if isinstance(e, (int, float)) and isinstance(g, (int, float)):
            if isinstance(e, int) and isinstance(g, int):
                return e == g
            return abs(e - g) <= 1e-6 + 1e-6 * abs(e)
        if isinstance(g, tuple):
            g = list(g)
        if isinstance(e, list) and isinstance(g, list):
            return len(e) == len(g) and all(same(a, b) for a, b in zip(e, g))
        if isinstance(e, dict) and isinstance(g, dict):
            return e.keys() == g.keys() and all(same(e[k], g[k]) for k in e)
        return e == g
    target = None
    cls = ns.get("Solution")
    if isinstance(cls, type) and hasattr(cls, name):
        target = getattr(cls(), name)
    elif callable(ns.get(name)):
        target = ns[name]
    if target is None:
        sys.stderr.write("NameError: no function %s at top level or in class Solution\\n" % name)
        sys.exit(1)
    result = target(*test["args"])
    try:
        got = json.dumps(result)
        passed = same(test["expected"], json.loads(got))
    except (TypeError, ValueError) as e:
        got, passed = "not JSON-encodable: %r" % (e,), False
    sys.stdout.write("\\n\(resultMarker)" + json.dumps({"passed": passed, "got": got[:200]}) + "\\n")
    """
}
