"""``aws.stepfunctions.usage()``: per state machine, executions, state transitions and their cost.

Counted when the report is made, from the executions the service still holds, plus a
:class:`Ledger` of those retention forgot (an Express execution is forgotten as soon as it closes;
``retention.py`` folds each in as it goes), so running workflows pay nothing for it:

* **state transitions** (what Standard workflows are billed by): one per state entered, plus one
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

import math
from typing import Any

from .. import pricing
from ..usage import UsageReport

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


def transitions_of(events: list[tuple[str, int, float, Any]]) -> int:
    """State transitions of one execution's history events (see the module docstring)."""
    entered = scheduled = task_entered = 0
    for event in events:
        etype = event[0]
        if etype.endswith("StateEntered"):
            entered += 1
            if etype == "TaskStateEntered":
                task_entered += 1
        elif etype in _SCHEDULED:
            scheduled += 1
    return entered + max(0, scheduled - task_entered)


def express_gb_seconds(start: float, stop: float) -> float:
    """One Express execution's billed duration in GB-seconds (100 ms steps, one 64 MB chunk)."""
    p = pricing.STEPFUNCTIONS
    step = p["express_duration_step_ms"] / 1000.0
    seconds = max(1, math.ceil(round((stop - start) / step, 9))) * step
    return seconds * p["express_memory_step_mb"] / 1024.0


class Ledger:
    """What executions the service no longer holds (retention forgot them: an Express execution at
    once) counted for the report: state machine name → [executions, transitions, GB-seconds].
    ``retention.py`` folds each execution in as it forgets it, so the cost is paid once per
    execution, when it leaves, and never while a workflow runs."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = {}

    def fold(self, execution: Any) -> None:
        totals = self.totals.setdefault(_machine_name(execution), [0, 0, 0.0])
        totals[0] += 1
        totals[1] += transitions_of(execution.history.events)
        if execution.express:
            totals[2] += express_gb_seconds(execution.start_date, execution.stop_date)


def _machine_name(execution: Any) -> str:
    # arn:aws:states:<region>:<account>:stateMachine:<name>[:<version or alias>]
    return str(execution.state_machine_arn.split(":")[6])


def _row(record: Any, executions: list[Any], folded: list[float], now: float) -> dict[str, Any]:
    p = pricing.STEPFUNCTIONS
    express = record.type == "EXPRESS"
    count = len(executions) + int(folded[0])
    transitions = sum(transitions_of(ex.history.events) for ex in executions) + int(folded[1])
    row: dict[str, Any] = {
        "name": record.name,
        "arn": record.arn,
        "type": record.type,
        "executions": count,
        "state_transitions": transitions,
        "express_requests": count if express else 0,
        "express_gb_seconds": 0.0,
    }
    if express:
        gbs = sum(express_gb_seconds(ex.start_date, ex.stop_date or now) for ex in executions) + folded[2]
        row["express_gb_seconds"] = round(gbs, 6)
        row["cost_usd"] = count * p["express_request"] + gbs * p["express_gb_second"]
    else:
        row["cost_usd"] = transitions * p["state_transition"]
    return row


def stepfunctions_usage(service: Any) -> UsageReport:
    """The report of one Step Functions service (one account and region)."""
    now = service.world.clock.now()
    with service.lock:
        by_machine: dict[str, list[Any]] = {}
        for ex in list(service.executions.values()):
            by_machine.setdefault(_machine_name(ex), []).append(ex)
        folded = service.usage_ledger.totals
        rows = [
            _row(rec, by_machine.get(rec.name, []), folded.get(rec.name, [0, 0, 0.0]), now)
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
