"""What each node says and which marks it carries: shared by every renderer, so the Mermaid text,
the SVG and the HTML page agree. Durations are the execution's clock (a Wait of one day says
``1 d``, however fast the virtual clock ran it)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Node
from .overlay import Overlay

# Marks in the order a node's CSS classes list them (a caught-and-retried task carries both).
MARKS = ("path", "running", "failed", "caught", "retried", "notrun")


@dataclass(frozen=True)
class Label:
    """A node's lines of text (name first) and its marks (classes)."""

    lines: tuple[str, ...]
    marks: tuple[str, ...]


def duration(seconds: float) -> str:
    """A duration the way a person reads it: ``250 ms``, ``6 s``, ``2 min 5 s``, ``1 d``."""
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        return f"{seconds:.3g} s" if seconds < 10 else f"{round(seconds)} s"
    units = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))
    whole = round(seconds)
    parts = []
    for unit, size in units:
        if whole >= size:
            parts.append(f"{whole // size} {unit}")
            whole %= size
        if len(parts) == 2:
            break
    return " ".join(parts)


def label(node: Node, overlay: Overlay | None) -> Label:
    """The text and marks of ``node``; without an overlay, only its name and type."""
    kind = f"{node.type} (distributed)" if node.distributed else node.type
    if node.type == "Parallel":
        kind += f" · {len(node.branches)} branches"
    if overlay is None:
        return Label((node.name, kind), ())
    run = overlay.states.get(node.name)
    if run is None or run.entries == 0:
        return Label((node.name, kind), ("notrun",))
    took = "" if run.running else f" · {duration(run.seconds)}"  # no end yet: the history has no "now"
    lines = [node.name, f"{kind}{took}" + (f" · ×{run.entries}" if run.entries > 1 else "")]
    marks = ["path"]
    if node.type == "Map" and run.iterations:
        lines.append(_iterations(run.iterations))
    if run.retries:
        lines.append(f"↻ retried ×{run.retries}")
        marks.append("retried")
    if run.caught:
        lines.append("⤷ caught" + (f": {run.error}" if run.error else ""))
        marks.append("caught")
    if run.running:
        lines.append("… in progress")
        marks.append("running")
    if run.failed:
        lines.append("✗ failed" + (f": {run.error}" if run.error else ""))
        marks.append("failed")
    return Label(tuple(lines), tuple(m for m in MARKS if m in marks))


def _iterations(counts: dict[str, int]) -> str:
    total = counts.get("started", 0)
    text = f"{total} iteration" + ("" if total == 1 else "s")
    done = [f"{counts[k]} {k}" for k in ("succeeded", "failed", "aborted", "timedout") if counts.get(k)]
    return text + (f" ({', '.join(done)})" if done else "")


def ended_at(node: Node, overlay: Overlay | None) -> bool:
    """Whether the execution went from ``node`` (a top-level state) to its end."""
    if overlay is None or overlay.last != node.name or not node.end:
        return False
    return overlay.status == "SUCCEEDED" or (overlay.status == "FAILED" and node.type == "Fail")
