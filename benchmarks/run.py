"""Run benchmark suites side by side with moto and print ratios.

    python benchmarks/run.py dynamodb [--quick]
    python benchmarks/run.py wire
    python benchmarks/run.py stepfunctions
    python benchmarks/run.py all

Each suite lives in ``benchmarks/suite_<name>.py`` and defines ``run(h)``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

SUITES = ["dynamodb", "wire", "stepfunctions"]


def main(argv: list[str] | None = None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    sys.path.insert(0, os.path.dirname(here))
    from harness import Harness

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("suite", choices=SUITES + ["all"])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)
    for name in SUITES if args.suite == "all" else [args.suite]:
        print(f"== {name} ==", flush=True)
        h = Harness(name, quick=args.quick)
        importlib.import_module(f"suite_{name}").run(h)
        print()
        print(h.table())
        print(f"\nresults written to {h.write()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
