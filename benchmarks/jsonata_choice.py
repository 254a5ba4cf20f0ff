"""How the JSONata engine behind Step Functions' JSONata mode was chosen (a standalone script).

Usage::

    python benchmarks/jsonata_choice.py [--suite JSONATA_TEST_SUITE] [--libs jsonata-python,jlens]
                                        [--case-timeout 20] [--json out.json] [--no-speed]

It does two things for each candidate library:

1. **Conformance**: runs every ``groups/<group>/case*.json`` of the reference JSONata test suite
   (a checkout of https://github.com/jsonata-js/jsonata ``test/test-suite``, given by ``--suite`` or
   ``$JSONATA_SUITE``; format described in the suite's NOTICE) and prints pass counts
   overall and by group. A case passes when the library gives the expected ``result`` (deep
   equality; ``unordered`` cases compare as multisets), an undefined result where
   ``undefinedResult`` is set, or an error with the expected ``code`` (``code`` or ``error.code``).
   The stack-overflow code differs between engines: jsonata-js says ``U1001``, the Java port (and
   so jsonata-python) ``D1011``; both are accepted for ``U1001`` and counted separately.
   ``timelimit`` (ms) and ``depth`` are passed to the library's own limits; cases without them get
   a default 5 s library time limit. Each library runs in a worker subprocess and every case has a
   hard wall-clock timeout (``--case-timeout``): a case that hangs is killed, counted as a failure
   (``timeout``) and the worker is restarted, so no runaway case can hang the script.
2. **Speed**: times a set of Step-Functions-like expressions (compiled once, evaluated many times
   against a ``$states`` binding, the way the emulator uses them) and prints microseconds per
   evaluation, plus the compile time and the import time of each library.

Libraries are imported only inside the worker/timing functions, so the script runs (and reports
"not installed") whatever is present.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SUITE = HERE.parent.parent / "shared" / "conformance" / "jsonata"
LIBS = ("jsonata-python", "jlens")
DEFAULT_LIMIT_MS = 5000
STACK_CODES = {"U1001", "D1011"}


# --------------------------------------------------------------------------------------------------
# One library behind a common "run one case" function (used in the worker subprocess)
# --------------------------------------------------------------------------------------------------

_NO_INPUT = object()


def _outcome_jsonata_python(
    expr: str, data: Any, bindings: dict, timelimit: int | None, depth: int | None
) -> dict:
    import jsonata
    from jsonata.utils import Utils

    def to_json(v: Any) -> Any:
        if v is Utils.NULL_VALUE:
            return None
        if isinstance(v, dict):
            return {k: to_json(x) for k, x in v.items()}
        if isinstance(v, list):
            return [to_json(x) for x in v]
        if isinstance(v, (str, int, float, bool)) or v is None:
            return v
        return {"__function__": True}

    try:
        compiled = jsonata.Jsonata(expr, timeout=timelimit or DEFAULT_LIMIT_MS, stack=depth)
        compiled.set_output_convert_nulls(False)
        inp = None if data is _NO_INPUT else (Utils.NULL_VALUE if data is None else data)
        binds = {k: (Utils.NULL_VALUE if v is None else v) for k, v in bindings.items()}
        result = compiled.evaluate(inp, binds)
    except Exception as exc:  # noqa: BLE001 - any library failure is an outcome
        return {"error": getattr(exc, "error", None) or type(exc).__name__, "message": str(exc)[:200]}
    if result is None:
        return {"undefined": True}
    return {"result": to_json(result)}


def _outcome_jlens(expr: str, data: Any, bindings: dict, timelimit: int | None, depth: int | None) -> dict:
    import jlens

    try:
        compiled = jlens.Expression(expr)
        text = None if data is _NO_INPUT else json.dumps(data)
        out = compiled.evaluate_json(
            text, bindings, timeout=(timelimit or DEFAULT_LIMIT_MS) / 1000.0, max_depth=depth
        )
    except Exception as exc:  # noqa: BLE001 - any library failure is an outcome
        return {"error": getattr(exc, "code", None) or type(exc).__name__, "message": str(exc)[:200]}
    if out is None:
        return {"undefined": True}
    return {"result": json.loads(out)}


RUNNERS = {"jsonata-python": _outcome_jsonata_python, "jlens": _outcome_jlens}


def load_cases(suite: Path) -> list[tuple[str, dict]]:
    """Every case of groups/*/case*.json (a file may hold a list of cases) as (id, case)."""
    cases = []
    for path in sorted(suite.glob("groups/*/case*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        items = body if isinstance(body, list) else [body]
        for i, case in enumerate(items):
            case_id = f"{path.parent.name}/{path.stem}" + (f"[{i}]" if isinstance(body, list) else "")
            if "expr-file" in case:
                case = dict(case, expr=(path.parent / case["expr-file"]).read_text(encoding="utf-8"))
            cases.append((case_id, case))
    return cases


def case_input(suite: Path, case: dict, cache: dict) -> Any:
    if "data" in case:
        return case["data"]
    name = case.get("dataset")
    if name is None:
        return _NO_INPUT
    if name not in cache:
        cache[name] = json.loads((suite / "datasets" / f"{name}.json").read_text(encoding="utf-8"))
    return cache[name]


def judge(case: dict, outcome: dict) -> str:
    """'pass', 'pass-alias' (stack code alias) or 'fail'."""
    expected_code = case.get("code") or (case.get("error") or {}).get("code")
    if expected_code:
        got = outcome.get("error")
        if got == expected_code:
            return "pass"
        if expected_code in STACK_CODES and got in STACK_CODES:
            return "pass-alias"
        return "fail"
    if case.get("undefinedResult"):
        return "pass" if outcome.get("undefined") else "fail"
    if "result" not in outcome:
        return "fail"
    want, got = case.get("result"), outcome["result"]
    if case.get("unordered") and isinstance(want, list) and isinstance(got, list):
        return "pass" if _multiset(want) == _multiset(got) else "fail"
    return "pass" if _same(want, got) else "fail"


def _multiset(values: list) -> list:
    return sorted(json.dumps(v, sort_keys=True) for v in values)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or math.isclose(a, b, rel_tol=1e-15, abs_tol=0.0)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def worker(lib: str, suite: Path) -> None:
    """Read case indexes on stdin, answer one JSON line per case on stdout."""
    cases = load_cases(suite)
    run = RUNNERS[lib]
    cache: dict = {}
    # Answers go to a private copy of stdout; anything a library prints goes to stderr instead.
    answers = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        index = int(line)
        _, case = cases[index]
        sys.setrecursionlimit(10000)
        outcome = run(
            case["expr"],
            case_input(suite, case, cache),
            case.get("bindings") or {},
            case.get("timelimit"),
            case.get("depth"),
        )
        outcome["verdict"] = judge(case, outcome)
        answers.write(json.dumps(outcome, default=str) + "\n")


class WorkerProcess:
    """A worker subprocess for one library, restarted after a case that hangs or crashes it."""

    def __init__(self, lib: str, suite: Path) -> None:
        self.lib, self.suite = lib, suite
        self.proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, __file__, "--worker", self.lib, "--suite", str(self.suite)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )

    def run(self, index: int, timeout: float) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{index}\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.close()
            return {"error": "timeout" if not ready else "crash", "verdict": "fail"}
        return json.loads(line)

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def conformance(lib: str, suite: Path, case_timeout: float) -> dict:
    cases = load_cases(suite)
    by_group: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    failures: list[tuple[str, dict]] = []
    w = WorkerProcess(lib, suite)
    t0 = time.perf_counter()
    try:
        for index, (case_id, case) in enumerate(cases):
            timelimit = (case.get("timelimit") or 0) / 1000.0
            outcome = w.run(index, max(case_timeout, 3 * timelimit))
            group = case_id.split("/")[0]
            by_group[group]["total"] += 1
            by_group[group][outcome["verdict"]] += 1
            if outcome["verdict"] == "fail":
                failures.append((case_id, outcome))
    finally:
        w.close()
    total = sum(c["total"] for c in by_group.values())
    passed = sum(c["pass"] + c["pass-alias"] for c in by_group.values())
    return {
        "lib": lib,
        "total": total,
        "passed": passed,
        "alias": sum(c["pass-alias"] for c in by_group.values()),
        "timeouts": sum(1 for _, o in failures if o.get("error") == "timeout"),
        "seconds": round(time.perf_counter() - t0, 1),
        "by_group": {g: dict(c) for g, c in sorted(by_group.items())},
        "failures": [(cid, {k: v for k, v in o.items() if k != "verdict"}) for cid, o in failures],
    }


# --------------------------------------------------------------------------------------------------
# Speed on Step-Functions-like expressions
# --------------------------------------------------------------------------------------------------

SFN_INPUT = {
    "orderId": "o-123",
    "customer": {"name": "Ada", "tier": "gold", "email": "ada@example.com"},
    "items": [{"name": f"item{i}", "price": 3 * i + 0.5, "qty": i % 4 + 1} for i in range(20)],
    "values": list(range(50)),
    "type": "Private",
    "value": 22,
}
SFN_EXPRESSIONS = {
    "field": "$states.input.orderId",
    "filter+map": "$states.input.items[price > 10].name",
    "sum": "$sum($states.input.values)",
    "concat": "'Order ' & $states.input.orderId & ' for ' & $states.input.customer.name",
    "object": "{'id': $states.input.orderId, 'total': $sum($states.input.items.(price * qty)), "
    "'count': $count($states.input.items)}",
    "condition": "$states.input.value >= 20 and $states.input.value < 30 and $states.input.type = 'Private'",
    "variable": "$total + 1",
}


def _evaluators(lib: str):
    if lib == "jsonata-python":
        import jsonata

        def compile_(text: str):
            compiled = jsonata.Jsonata(text)
            return lambda b: compiled.evaluate(None, b)

        return compile_
    import jlens

    def compile_jl(text: str):
        compiled = jlens.Expression(text)
        return lambda b: compiled.evaluate(None, b)

    return compile_jl


def _per_call(fn, number: int, rounds: int = 5) -> float:
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t0) / number)
    return statistics.median(samples)


def speed(lib: str) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", f"import {'jsonata' if lib == 'jsonata-python' else 'jlens'}"],
        capture_output=True,
    )
    import_ms = (time.perf_counter() - t0) * 1000 if out.returncode == 0 else None
    compile_ = _evaluators(lib)
    bindings = {"states": {"input": SFN_INPUT, "context": {"Execution": {"Id": "x"}}}, "total": 41}
    rows = {}
    for name, text in SFN_EXPRESSIONS.items():
        fn = compile_(text)
        fn(bindings)
        rows[name] = round(_per_call(lambda fn=fn: fn(bindings), number=200) * 1e6, 1)
    compile_us = round(
        _per_call(lambda: [compile_(t) for t in SFN_EXPRESSIONS.values()], number=20)
        / len(SFN_EXPRESSIONS)
        * 1e6,
        1,
    )
    return {
        "lib": lib,
        "eval_us": rows,
        "compile_us": compile_us,
        "python_startup_plus_import_ms": None if import_ms is None else round(import_ms, 1),
    }


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


def _installed(lib: str) -> bool:
    try:
        __import__("jsonata" if lib == "jsonata-python" else "jlens")
        return True
    except ImportError:
        return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=Path(os.environ.get("JSONATA_SUITE", DEFAULT_SUITE)))
    ap.add_argument("--libs", default=",".join(LIBS))
    ap.add_argument("--case-timeout", type=float, default=20.0)
    ap.add_argument("--json", type=Path, help="write the machine-readable results here")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--show-failures", type=int, default=15, help="failures to list per library")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, args.suite)
        return 0

    libs = [lib for lib in args.libs.split(",") if lib]
    results: dict[str, Any] = {"conformance": {}, "speed": {}}
    for lib in libs:
        if not _installed(lib):
            print(f"{lib}: not installed")
            continue
        r = conformance(lib, args.suite, args.case_timeout)
        results["conformance"][lib] = r
        print(
            f"\n== {lib}: {r['passed']}/{r['total']} cases pass "
            f"({100 * r['passed'] / r['total']:.1f}%; {r['alias']} via the U1001/D1011 alias; "
            f"{r['timeouts']} hard timeouts; {r['seconds']} s)"
        )
        for cid, o in r["failures"][: args.show_failures]:
            print(f"   FAIL {cid}: {json.dumps(o, default=str)[:160]}")
    present = [lib for lib in libs if lib in results["conformance"]]
    if present:
        groups = sorted({g for lib in present for g in results["conformance"][lib]["by_group"]})
        print("\n" + "group".ljust(34) + "".join(lib.rjust(18) for lib in present))
        for g in groups:
            cells = []
            for lib in present:
                c = results["conformance"][lib]["by_group"].get(g, {})
                cells.append(f"{c.get('pass', 0) + c.get('pass-alias', 0)}/{c.get('total', 0)}".rjust(18))
            print(g.ljust(34) + "".join(cells))
    if not args.no_speed and present:
        for lib in present:
            results["speed"][lib] = speed(lib)
        print("\nmicroseconds per evaluation (compiled once, $states bindings)")
        print("expression".ljust(14) + "".join(lib.rjust(18) for lib in present))
        for name in SFN_EXPRESSIONS:
            print(
                name.ljust(14)
                + "".join(str(results["speed"][lib]["eval_us"][name]).rjust(18) for lib in present)
            )
        print(
            "compile (avg)".ljust(14)
            + "".join(str(results["speed"][lib]["compile_us"]).rjust(18) for lib in present)
        )
        print(
            "startup+import ms".ljust(14)
            + "".join(
                str(results["speed"][lib]["python_startup_plus_import_ms"]).rjust(18) for lib in present
            )
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
