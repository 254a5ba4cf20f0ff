"""``emulator run definition.json --input '{...}' --tasks tasks.py``: one execution on the
virtual clock, with the in-process DynamoDB, printing the output and a readable timeline.

The tasks module (a dotted module name or a ``.py`` path) provides the Python callables that stand
in for Lambda functions and other resources, in either (or both) of two ways:

* ``register(aws)`` — called with the :class:`~emulator.Emulator` (so it can create tables and use
  ``@aws.stepfunctions.task(arn)``);
* ``TASKS = {resource_arn: fn}`` — each ``fn(event, context)`` is registered for its ARN.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Mapping
from typing import Any

from .execution_history import history

ROLE = "arn:aws:iam::123456789012:role/emulator-run"

_DETAIL_KEYS = ("name", "error", "cause", "resource", "resourceType", "index", "length")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("definition", help="state machine definition (ASL JSON file)")
    parser.add_argument("--input", default="{}", help="execution input (JSON text); default {}")
    parser.add_argument("--input-file", help="read the execution input from this file")
    parser.add_argument(
        "--tasks",
        action="append",
        default=[],
        help="module or .py file registering task callables (repeatable)",
    )
    parser.add_argument("--type", default="STANDARD", choices=["STANDARD", "EXPRESS"])
    parser.add_argument("--name", default="run", help="execution name")
    parser.add_argument("--no-timeline", action="store_true", help="print only the result")
    parser.add_argument(
        "--graph",
        metavar="FILE",
        help="draw the execution into FILE: .svg, .html (click a state for its input/output), .mmd or .md (Mermaid)",
    )


class TasksLoadError(Exception):
    """A tasks module that cannot be loaded: missing, broken, or registering something wrong.
    Its text names the module; the commands print it and exit with status 2 (no traceback)."""


def load_tasks(spec: str, aws: Any) -> None:
    """Import a tasks module (dotted name or file path) and register what it provides.

    Raises :class:`TasksLoadError` naming ``spec`` for a missing file or module, an error while
    importing it or in its ``register(aws)``, or a ``TASKS`` that is not a mapping."""
    try:
        _load_tasks(spec, aws)
    except TasksLoadError:
        raise
    except (Exception, SystemExit) as exc:  # the user's module failed: say which and why
        raise TasksLoadError(f"cannot load tasks from {spec}: {type(exc).__name__}: {exc}") from exc


def _load_tasks(spec: str, aws: Any) -> None:
    if spec.endswith(".py") or os.sep in spec:
        if not os.path.isfile(spec):
            raise TasksLoadError(f"cannot load tasks from {spec}: no such file")
        name = "emulator_run_tasks_" + os.path.splitext(os.path.basename(spec))[0]
        module_spec = importlib.util.spec_from_file_location(name, spec)
        if module_spec is None or module_spec.loader is None:
            raise TasksLoadError(f"cannot load tasks from {spec}")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(spec)
    register = getattr(module, "register", None)
    tasks = getattr(module, "TASKS", None)
    if not callable(register) and tasks is None:
        raise TasksLoadError(f"cannot load tasks from {spec}: it defines neither register(aws) nor TASKS")
    if tasks is not None and not isinstance(tasks, Mapping):
        raise TasksLoadError(
            f"cannot load tasks from {spec}: TASKS must be a dict of resource ARN to callable"
        )
    if callable(register):
        register(aws)
    for arn, fn in (tasks or {}).items():
        if not callable(fn):
            raise TasksLoadError(f"cannot load tasks from {spec}: TASKS[{arn!r}] is not callable")
        aws.stepfunctions.task(arn)(fn)


def _short(value: Any, limit: int = 100) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def timeline(events: list[dict], *, width: int = 100) -> list[str]:
    """One line per history event: elapsed time, id (previous id), type and the telling details."""
    if not events:
        return []
    t0 = events[0]["timestamp"]
    lines = []
    for e in events:
        elapsed = (e["timestamp"] - t0).total_seconds()
        details: dict = next((v for k, v in e.items() if k.endswith("EventDetails")), {}) or {}
        bits = [f"{k}={_short(details[k], 60)}" for k in _DETAIL_KEYS if k in details]
        for k in ("input", "output"):
            if k in details:
                bits.append(f"{k}={_short(details[k], width - 40)}")
        lines.append(
            f"  {_fmt_elapsed(elapsed):>12}  #{e['id']:<4} (<{e['previousEventId']:<4}) "
            f"{e['type']:<26} {' '.join(bits)}".rstrip()
        )
    return lines


def _fmt_elapsed(seconds: float) -> str:
    if seconds < 60:
        return f"+{seconds:.3f}s"
    if seconds < 3600:
        return f"+{seconds / 60:.1f}min"
    if seconds < 86400 * 2:
        return f"+{seconds / 3600:.2f}h"
    return f"+{seconds / 86400:.2f}d"


def run(args: argparse.Namespace) -> int:
    import emulator

    with open(args.definition, encoding="utf-8") as f:
        definition = f.read()
    input_text = args.input
    if args.input_file:
        with open(args.input_file, encoding="utf-8") as f:
            input_text = f.read()
    aws = emulator.Emulator()
    try:
        for spec in args.tasks:
            load_tasks(spec, aws)
    except TasksLoadError as err:
        print(f"emulator run: {err}", file=sys.stderr)
        return 2
    sfn = aws.stepfunctions
    name = os.path.splitext(os.path.basename(args.definition))[0] or "machine"
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:80]
    try:
        arn = sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE, type=args.type)[
            "stateMachineArn"
        ]
        if args.type == "EXPRESS":
            result = sfn.start_sync_execution(stateMachineArn=arn, name=args.name, input=input_text)
            print(f"status: {result['status']}")
            _print_result(result)
            if args.graph and not _draw(sfn, arn, args.graph):  # no history kept: the machine only
                return 2
            return 0 if result["status"] == "SUCCEEDED" else 1
        ex = sfn.start_execution(stateMachineArn=arn, name=args.name, input=input_text)["executionArn"]
        sfn.run_until_idle()
        desc = sfn.describe_execution(executionArn=ex)
    except emulator.errors.AWSError as err:
        print(f"emulator run: {err.code}: {err.message}", file=sys.stderr)
        return 2
    if args.graph and not _draw(sfn, ex, args.graph):
        return 2
    if not args.no_timeline:
        events = history(sfn, ex)
        print(f"timeline of {ex} ({len(events)} events, virtual clock):")
        for line in timeline(events):
            print(line)
        print()
    print(f"status: {desc['status']}")
    _print_result(desc)
    if desc["status"] == "RUNNING":
        print("(the execution is waiting on something external, e.g. a task token)")
    return 0 if desc["status"] == "SUCCEEDED" else 1


def _draw(sfn: Any, execution_arn: str, path: str) -> bool:
    """``--graph FILE``: the picture of the execution; False (said on stderr) if it cannot be drawn."""
    from .picture import MissingExtra
    from .picture.source import write

    try:
        write(sfn, execution_arn, path)
    except (ValueError, MissingExtra, OSError) as err:
        print(f"emulator run: {err}", file=sys.stderr)
        return False
    print(f"picture: {path}")
    return True


def _print_result(desc: Mapping[str, Any]) -> None:
    if desc.get("output") is not None:
        try:
            print("output: " + json.dumps(json.loads(desc["output"]), indent=2))
        except ValueError:
            print("output: " + desc["output"])
    if desc.get("error") is not None:
        print(f"error: {desc['error']}")
    if desc.get("cause") is not None:
        print(f"cause: {desc['cause']}")
