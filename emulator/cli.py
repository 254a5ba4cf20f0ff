"""The ``emulator`` command line.

Commands are a registry: name → (module, help). Each command module defines
``add_arguments(parser)`` and ``run(args) -> int``, and is imported only when its command runs, so
``emulator --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "serve": (
        "emulator.wire.serve_command",
        "serve DynamoDB, DynamoDB Streams and Step Functions over HTTP on one port",
    ),
    "run": (
        "emulator.stepfunctions.run_command",
        "run one Step Functions execution on the virtual clock and print its timeline",
    ),
    "validate": (
        "emulator.stepfunctions.validate_command",
        "validate a state machine definition and print AWS's diagnostics",
    ),
    "demo": ("emulator.demo", "a short walk-through of DynamoDB and Step Functions in-process"),
    "report": (
        "emulator.report_command",
        "print a running server's usage reports: capacity, throttles, hot keys, estimated cost",
    ),
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Build the parser; only the chosen command's module (or all, for --help) is imported."""
    argv = sys.argv[1:] if argv is None else argv
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="emulator",
        description="In-process emulator of Amazon DynamoDB (with Streams) and AWS Step Functions.",
    )
    parser.add_argument("--version", action="version", version=f"emulator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        if name in argv[:1]:
            try:
                importlib.import_module(module).add_arguments(p)
            except ImportError:
                pass
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        module = importlib.import_module(args._module)
    except ImportError as exc:
        print(f"emulator {args.command}: not available ({exc})", file=sys.stderr)
        return 2
    return int(module.run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
