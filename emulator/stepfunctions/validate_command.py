"""``emulator validate definition.json``: print AWS's diagnostics for a definition (the same as
ValidateStateMachineDefinition). Exit status 0 when the result is OK, 1 when FAIL."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("definition", help="state machine definition (ASL JSON file, or - for stdin)")
    parser.add_argument("--type", default="STANDARD", choices=["STANDARD", "EXPRESS"])
    parser.add_argument(
        "--severity",
        default="WARNING",
        choices=["ERROR", "WARNING"],
        help="WARNING (default) also lists warnings",
    )


def run(args: argparse.Namespace) -> int:
    # lazy for import-time cost only (no cycle): the CLI imports every command's module
    from .asl import validate

    if args.definition == "-":
        text = sys.stdin.read()
    else:
        with open(args.definition, encoding="utf-8") as f:
            text = f.read()
    diagnostics = validate.validate(text, type=args.type)
    result = validate.validate_api_result(diagnostics, severity=args.severity, max_results=100)
    for d in result["diagnostics"]:
        where = f" at {d['location']}" if d.get("location") is not None else ""
        print(f"{d['severity']} {d['code']}: {d['message']}{where}")
    print(f"result: {result['result']}" + (" (truncated)" if result["truncated"] else ""))
    return 0 if result["result"] == "OK" else 1
