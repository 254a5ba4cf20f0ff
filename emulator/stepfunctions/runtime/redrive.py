"""Redrive (reference API-15): restart a closed, unsuccessful Standard execution from the state
that failed, keeping the work that succeeded.

Design decisions:

* **Where a thread stands.** The runner notes on each thread the state it is in —
  ``thread.resume = (name, input, scope)``, one tuple per state entry — and the driver notes the
  Map/Parallel group that state forked (``thread.forked``, ``group.owner``). A group keeps the
  children that failed or were aborted (``group.unsuccessful``). Nothing else is recorded while an
  execution runs; the plan is built from these only when a redrive asks for it.
* **A plan is a tree.** :func:`plan_of` turns a thread into a :class:`Resume`: the state to
  re-enter with its original input and variables, and, if that state is a Map or Parallel whose
  group was in flight, the results of the children that succeeded plus the children to run again
  (each with its own plan; never-started iterations start afresh). AWS: "For workflows that
  include an Inline Map or Parallel state, RedriveExecution reschedules and redrives only the
  iterations and branches that failed or aborted."
* **Appended history.** The redrive appends ``ExecutionRedriven {redriveCount}`` and the redriven
  states' events to the same history; the execution keeps its ARN, start date and input.
"""

from __future__ import annotations

from typing import Any

from .execution import RUNNING, STANDARD_MAX_SECONDS, SUCCEEDED, Execution
from .history import MAX_EVENTS
from .states import run_program
from .threads import Group, Thread

REDRIVABLE_SECONDS = 14 * 86400.0  # "the redrivable period of 14 days" after the execution closed
MAX_REDRIVES = 1000  # issue 13 / AWS quotas: an execution is redriven at most 1,000 times [INF text]
HISTORY_ROOM = MAX_EVENTS - 1  # "less than 24,999 events": room for ExecutionRedriven and one more
TOKEN_SECONDS = 15 * 60.0  # clientToken: idempotent "for up to 15 minutes after first used"
TOKENS_KEPT = 10  # "the last 10 client tokens used to successfully redrive the execution"

# redriveStatusReason texts (botocore's DescribeExecution documentation lists them verbatim).
DELETING = "State machine is in DELETING status"
HISTORY_LIMIT = "Execution history event limit exceeded"
MAX_TIME = "Execution has exceeded the max execution time"
PERIOD = "Execution redrivable period exceeded"
TOO_MANY = f"Execution has been redriven the maximum number of times ({MAX_REDRIVES})"  # [INF]
EXPRESS = "Execution of an EXPRESS state machine cannot be redriven"  # [INF]


class Resume:
    """Where a redriven thread starts: the state ``name`` entered with ``value`` and ``scope``;
    ``group`` is ``(results, redo)`` for a Map/Parallel state whose children run again, and
    ``map_run`` the Map Run of a Distributed Map's group (redriven, not started anew: MAP-17)."""

    __slots__ = ("name", "value", "scope", "group", "map_run")

    def __init__(
        self, name: str, value: Any, scope: dict, group: tuple[list, dict] | None, map_run: Any = None
    ) -> None:
        self.name = name
        self.value = value
        self.scope = scope
        self.group = group
        self.map_run = map_run


def plan_of(thread: Thread | None) -> Resume | None:
    """The plan of ``thread``: None when it never entered a state (it starts afresh)."""
    if thread is None or thread.resume is None:
        return None
    name, value, scope = thread.resume
    group = thread.forked
    inner = _group_plan(group) if group is not None and group.owner is thread.resume else None
    map_run = group.map_run if inner is not None and group is not None else None
    return Resume(name, value, scope, inner, map_run)


def _group_plan(group: Group) -> tuple[list, dict[int, Resume | None]]:
    """Results to keep and children to run again: the failed and aborted ones (from where each
    stood) and the ones never started (from the beginning)."""
    redo: dict[int, Resume | None] = {i: plan_of(th) for i, th in group.unsuccessful.items()}
    for i in range(group.next_index, group.count):
        redo.setdefault(i, None)
    if group.redo is not None:  # redriven before: what it skipped again succeeded earlier
        for i, old in group.redo.items():
            if i >= group.next_index:
                redo[i] = old
    return list(group.results), redo


def not_redrivable(ex: Execution) -> str | None:
    """Why ``ex`` cannot be redriven now (the ``redriveStatusReason``), or None."""
    if ex.express:
        return EXPRESS
    record = ex.service.state_machines.get(ex.state_machine_arn)
    if record is None or record.status == "DELETING":
        return DELETING
    if ex.status in (RUNNING, SUCCEEDED):
        return f"Execution is {ex.status} and cannot be redriven"
    now = ex.clock.now()
    if len(ex.history.events) >= HISTORY_ROOM:
        return HISTORY_LIMIT
    if now - ex.start_date >= STANDARD_MAX_SECONDS:
        return MAX_TIME
    if ex.stop_date is not None and now - ex.stop_date > REDRIVABLE_SECONDS:
        return PERIOD
    if ex.redrive_count >= MAX_REDRIVES:
        return TOO_MANY
    return None


def remembered(ex: Execution, token: str | None) -> float | None:
    """The redrive date answered to ``token`` if it redrove ``ex`` within the last 15 minutes."""
    if token is None:
        return None
    seen = ex.redrive_tokens.get(token)
    if seen is None or ex.clock.now() - seen[0] > TOKEN_SECONDS:
        return None
    return seen[1]


def redrive(ex: Execution, token: str | None = None) -> float:
    """Reopen ``ex`` and run it on from where it failed; returns the redrive date."""
    now = ex.clock.now()
    plan = plan_of(ex.main)
    if token is not None:
        ex.redrive_tokens[token] = (now, now)
        while len(ex.redrive_tokens) > TOKENS_KEPT:
            del ex.redrive_tokens[next(iter(ex.redrive_tokens))]
    ex.reopen(now)
    ex.service.retention.reopened(ex)
    # [INF] TimeoutSeconds counts from the redrive; the one-year limit from the first start.
    due = min(now + ex._duration_limit(), ex.start_date + STANDARD_MAX_SECONDS)
    ex.timeout_timer = ex.scheduler.at(due, ex._timed_out, passive=True)
    main = ex.main = Thread(len(ex.history.events))
    main.redrive = plan
    main.gen = run_program(ex, main, ex.machine.program, ex.input_value, {})
    if ex.clock.virtual:
        ex.step(main)
    else:
        main.timer = ex.scheduler.at(now, lambda: ex.step(main))
    return now
