"""Shared timing and reporting for the benchmark suites.

Machines here are noisy, so every measure is reported as a *ratio* between two things timed in the
same process, interleaved (A, B, A, B, ...) and summarised by the median of several rounds.

A suite module (``benchmarks/suite_<name>.py``) defines ``run(h: Harness) -> None`` and calls
``h.compare(...)`` / ``h.report(...)``; ``benchmarks/run.py`` prints the table and writes
``benchmarks/results/<suite>.json``.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


def time_per_call(fn: Callable[[], Any], *, number: int, rounds: int = 5) -> float:
    """Median over ``rounds`` of the seconds per call of ``fn`` run ``number`` times."""
    samples = []
    for _ in range(rounds):
        gc_was = gc.isenabled()
        gc.disable()
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        t1 = time.perf_counter()
        if gc_was:
            gc.enable()
        samples.append((t1 - t0) / number)
    return statistics.median(samples)


def interleaved(
    a: Callable[[], Any], b: Callable[[], Any], *, number_a: int, number_b: int, rounds: int = 5
) -> tuple[float, float]:
    """Time ``a`` and ``b`` alternately; return (median seconds/call of a, of b)."""
    sa, sb = [], []
    for _ in range(rounds):
        sa.append(time_per_call(a, number=number_a, rounds=1))
        sb.append(time_per_call(b, number=number_b, rounds=1))
    return statistics.median(sa), statistics.median(sb)


@dataclass
class Row:
    measure: str
    ours: float | None = None  # seconds per op (or other unit, see ``unit``)
    peer: float | None = None
    peer_name: str = ""
    ratio: float | None = None  # peer / ours unless stated
    target: str = ""
    met: bool | None = None
    unit: str = "s/op"
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Harness:
    def __init__(self, suite: str, *, quick: bool = False) -> None:
        self.suite = suite
        self.quick = quick
        self.rows: list[Row] = []

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(_format_row(row), flush=True)
        return row

    def compare(
        self,
        measure: str,
        ours: Callable[[], Any],
        peer: Callable[[], Any],
        *,
        peer_name: str,
        number: int,
        peer_number: int | None = None,
        rounds: int = 5,
        min_ratio: float | None = None,
        max_ratio: float | None = None,
        target: str = "",
        note: str = "",
    ) -> Row:
        """Time ours vs peer interleaved; ratio = peer time / our time (higher is better for us).

        ``min_ratio``: target "at least N× faster"; ``max_ratio``: target "at most N× the peer's
        cost" (then ratio is reported as ours/peer).
        """
        t_ours, t_peer = interleaved(
            ours, peer, number_a=number, number_b=peer_number or number, rounds=rounds
        )
        if max_ratio is not None:
            ratio = t_ours / t_peer
            met = ratio <= max_ratio
        else:
            ratio = t_peer / t_ours
            met = None if min_ratio is None else ratio >= min_ratio
        return self.add(Row(measure, t_ours, t_peer, peer_name, ratio, target, met, note=note))

    def report(
        self,
        measure: str,
        value: float,
        *,
        unit: str = "s/op",
        target: str = "",
        met: bool | None = None,
        note: str = "",
        **extra: Any,
    ) -> Row:
        return self.add(Row(measure, value, None, "", None, target, met, unit=unit, note=note, extra=extra))

    def write(self) -> str:
        out_dir = os.path.join(os.path.dirname(__file__), "results")
        os.makedirs(out_dir, exist_ok=True)
        path = os.path.join(out_dir, f"{self.suite}.json")
        with open(path, "w") as f:
            json.dump({"suite": self.suite, "rows": [asdict(r) for r in self.rows]}, f, indent=1)
        return path

    def table(self) -> str:
        lines = ["| measure | ours | peer | ratio | target | met |", "|---|---|---|---|---|---|"]
        for r in self.rows:
            lines.append(
                "| {} | {} | {} | {} | {} | {} |".format(
                    r.measure,
                    _fmt(r.ours, r.unit),
                    _fmt(r.peer, r.unit) + (f" ({r.peer_name})" if r.peer_name else ""),
                    f"{r.ratio:.2f}×" if r.ratio is not None else "",
                    r.target,
                    {True: "yes", False: "NO", None: ""}[r.met],
                )
            )
        return "\n".join(lines)


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return ""
    if unit == "s/op":
        if v < 1e-3:
            return f"{v * 1e6:.1f} µs"
        if v < 1:
            return f"{v * 1e3:.2f} ms"
        return f"{v:.2f} s"
    return f"{v:g} {unit}"


def _format_row(r: Row) -> str:
    ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "-"
    return f"  {r.measure:<60} ours={_fmt(r.ours, r.unit):<12} peer={_fmt(r.peer, r.unit):<12} ratio={ratio:<9} {r.target}"
