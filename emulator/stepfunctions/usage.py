"""``aws.stepfunctions.usage()``: per state machine, executions, state transitions and their cost.

Counted when the report is made, from the executions the service still holds, plus a
:class:`Ledger` of those retention forgot (an Express execution is forgotten as soon as it closes;
``retention.py`` folds each in as it goes), so running workflows pay nothing for it:

* **state transitions** (what Standard workflows are billed by; not reported for Express
  workflows, which are not billed by them): one per state entered, plus one
  per retry of a task (AWS: "each retry will be charged as an additional state transition"): the
  ``*StateEntered`` events of the history, plus the task scheduling events beyond one per task
  state entered.
* **Express request-duration units**: one request per execution, and its duration on the clock
  from start to stop (or to now while running), rounded up to 100 ms, times the minimum 64 MB
  memory chunk, in GB-seconds.

Prices are ``emulator/pricing.py``'s (us-east-1, with their source and date); free tiers are not
subtracted.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from typing import Any

from .. import pricing
from ..usage import UsageReport
from .runtime.history import STATE_TYPES

COLUMNS = [
    ("name", "state machine"),
    ("type", "type"),
    ("executions", "executions"),
    ("state_transitions", "transitions"),
    ("express_requests", "express requests"),
    ("express_gb_seconds", "express GB-s"),
    ("cost_usd", "$ estimated"),
]

_SCHEDULED = ("TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled")
_ENTERED = tuple(f"{t}StateEntered" for t in STATE_TYPES)


def transitions_in(counts: Counter[str]) -> int:
    """State transitions of history events counted by type (see the module docstring)."""
    scheduled = sum(counts[t] for t in _SCHEDULED)
    return sum(counts[t] for t in _ENTERED) + max(0, scheduled - counts["TaskStateEntered"])


def transitions_of(events: list[tuple[str, int, float, Any]]) -> int:
    """State transitions of one execution's history events."""
    return transitions_in(Counter(map(itemgetter(0), events)))


def express_steps(start: float, stop: float) -> int:
    """One Express execution's billed duration in 100 ms steps, rounded up (at least one; a
    microsecond of float noise does not add a step)."""
    return int((stop - start) * 10.0 - 1e-6) + 1


def express_gb_seconds(steps: int) -> float:
    """GB-seconds of ``steps`` billed 100 ms steps at the minimum 64 MB memory chunk."""
    p = pricing.STEPFUNCTIONS
    return steps * p["express_duration_step_ms"] / 1000.0 * p["express_memory_step_mb"] / 1024.0


class Ledger:
    """What executions the service no longer holds (retention forgot them: an Express execution at
    once) counted for the report: state machine ARN → [executions, event counts, 100 ms steps].
    ``retention.py`` folds each execution in as it forgets it, so the cost is paid once per
    execution, when it leaves, and never while a workflow runs."""

    def __init__(self) -> None:
        self.totals: dict[str, list[Any]] = {}

    def fold(self, execution: Any) -> None:
        """One forgotten execution. An Express one (forgotten as soon as it closes, so this runs
        for every Express execution) adds its billed 100 ms steps: a few float operations. A
        Standard one (kept 90 days first) adds its events counted by type, for its transitions."""
        arn = execution.state_machine_arn  # (a version's or alias's: summed by name in folded)
        totals = self.totals.get(arn)
        if totals is None:
            totals = self.totals[arn] = [0, Counter(), 0]
        totals[0] += 1
        if execution.express:
            totals[2] += express_steps(execution.start_date, execution.stop_date)
        else:
            totals[1].update(map(itemgetter(0), execution.history.events))

    def folded(self, name: str) -> tuple[int, int, int]:
        """(executions, state transitions, billed 100 ms steps) of one state machine's forgotten
        executions (transitions: of the Standard ones; Express workflows are not billed by them)."""
        count = steps = 0
        events: Counter[str] = Counter()
        for arn, totals in self.totals.items():
            if _name_of(arn) == name:
                count += totals[0]
                events.update(totals[1])
                steps += totals[2]
        return count, transitions_in(events), steps


def _name_of(state_machine_arn: str) -> str:
    # arn:aws:states:<region>:<account>:stateMachine:<name>[:<version or alias>]
    return state_machine_arn.split(":")[6]


def _row(record: Any, executions: list[Any], folded: tuple[int, int, int], now: float) -> dict[str, Any]:
    p = pricing.STEPFUNCTIONS
    express = record.type == "EXPRESS"
    count = len(executions) + folded[0]
    row: dict[str, Any] = {"name": record.name, "arn": record.arn, "type": record.type, "executions": count}
    if express:  # billed by requests and duration, not by transitions
        steps = sum(express_steps(ex.start_date, ex.stop_date or now) for ex in executions) + folded[2]
        gbs = express_gb_seconds(steps)
        row.update(state_transitions=None, express_requests=count, express_gb_seconds=round(gbs, 6))
        row["cost_usd"] = count * p["express_request"] + gbs * p["express_gb_second"]
    else:
        transitions = sum(transitions_of(ex.history.events) for ex in executions) + folded[1]
        row.update(state_transitions=transitions, express_requests=0, express_gb_seconds=0.0)
        row["cost_usd"] = transitions * p["state_transition"]
    return row


def stepfunctions_usage(service: Any) -> UsageReport:
    """The report of one Step Functions service (one account and region)."""
    now = service.world.clock.now()
    with service.lock:
        by_machine: dict[str, list[Any]] = {}
        for ex in list(service.executions.values()):
            by_machine.setdefault(_name_of(ex.state_machine_arn), []).append(ex)
        ledger = service.usage_ledger
        rows = [
            _row(rec, by_machine.get(rec.name, []), ledger.folded(rec.name), now)
            for rec in list(service.state_machines.values())
        ]
    meta_info = {
        "region": service.region,
        "account": service.account_id,
        "prices": {
            "region": pricing.REGION,
            "date": pricing.PRICES_DATE,
            "source": pricing.STEPFUNCTIONS_SOURCE,
        },
    }
    return UsageReport("stepfunctions", rows, COLUMNS, meta_info)
