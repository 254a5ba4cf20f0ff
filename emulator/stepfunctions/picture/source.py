"""What to draw, read through a Step Functions client: an execution ARN (its state machine's
definition, its history and its Distributed Maps' Map Runs), a state machine ARN (its
definition), or a definition itself (ASL JSON text or a dict). Only the public API is used, so the
same code draws from the native client or a boto3 client pointed at ``emulator serve``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..execution_history import history
from . import SUFFIXES, draw

SUFFIX_FORMATS = {"md": "mermaid"}


def render(client: Any, source: str | Mapping[str, Any], format: str = "svg") -> str:  # noqa: A002
    """The picture of ``source`` (see the module docstring) in ``format``: svg, html or mermaid."""
    if isinstance(source, Mapping) or source.lstrip().startswith("{"):
        return draw(source, format=format)
    kind = source.split(":")[5] if source.startswith("arn:") and source.count(":") >= 6 else ""
    if kind == "stateMachine":
        return draw(client.describe_state_machine(stateMachineArn=source)["definition"], format=format)
    if kind in ("execution", "express"):
        definition = client.describe_state_machine_for_execution(executionArn=source)["definition"]
        events = history(client, source)
        runs = {
            e["mapRunStartedEventDetails"]["mapRunArn"]: client.describe_map_run(
                mapRunArn=e["mapRunStartedEventDetails"]["mapRunArn"]
            )
            for e in events
            if e["type"] == "MapRunStarted" and e.get("mapRunStartedEventDetails")
        }
        return draw(definition, events, format=format, map_runs=runs)
    raise ValueError(
        f"cannot draw {source[:80]!r}: give an execution ARN, a state machine ARN or a definition"
    )


def write(client: Any, source: str | Mapping[str, Any], path: str) -> None:
    """Draw ``source`` into ``path``, the format chosen by the file's suffix (``emulator run
    --graph``): .svg, .html/.htm, .mmd/.mermaid, or .md (Mermaid in a fenced block)."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    fmt = SUFFIXES.get(suffix)
    if fmt is None:
        raise ValueError(f"--graph {path}: the suffix says the format: one of {', '.join(sorted(SUFFIXES))}")
    text = render(client, source, format=SUFFIX_FORMATS.get(fmt, fmt))
    if fmt == "md":
        text = "```mermaid\n" + text + "```\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
