"""The table lifecycle you can observe: CREATING, UPDATING and DELETING on the world's clock.

``Emulator(table_transition_seconds=T)`` (default 0). With T = 0 every table is ACTIVE at once and
DeleteTable removes it at once: nothing here runs, and the hot path pays one status comparison.
With T > 0 (rules LC1-LC4 in docs/dynamodb-conformance.md):

* CreateTable answers ``CREATING``; the table (and its GSIs, IndexStatus ``CREATING``) becomes
  ACTIVE T seconds later on the clock. Data-plane calls meanwhile get ResourceNotFoundException
  ``Requested resource not found``, as AWS (and dynalite) answer for a table that is not ready.
* An accepted UpdateTable makes the table ``UPDATING`` for T seconds; a GSI it creates is
  ``CREATING`` with ``Backfilling: true`` as long. Data-plane calls keep working (AWS: UT1).
* DeleteTable answers ``DELETING``; the table stays listed and described as DELETING for T seconds,
  refuses data-plane calls (ResourceNotFoundException), then is gone.
* While CREATING, UPDATING or DELETING, UpdateTable, DeleteTable and Put/DeleteResourcePolicy are
  ResourceInUseException ``Attempt to change a resource which is still in use: Table is being
  <created|updated|deleted>: <name>``.

Why timers rather than comparing times on every read: the end of a transition is one event on the
clock's scheduler (passive, so it never drives a workflow's auto-advance by itself); it fires when
the clock passes it — a test's ``advance``, a native waiter's delay, the server's real time — and
the data plane keeps its single ``status`` comparison.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from . import messages as M
from .errors import ResourceInUseException

OPTION = "table_transition_seconds"
TRANSITIONAL = frozenset({"CREATING", "UPDATING", "DELETING"})


def check_option(value: Any) -> None:
    """``Emulator(table_transition_seconds=...)``: a finite number of seconds, at least 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{OPTION} must be a number of seconds, not {type(value).__name__}")
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"{OPTION} must be >= 0 and finite")


def seconds(service: Any) -> float:
    """The world's transition time (0: the instant lifecycle)."""
    return float(service.world.options.get(OPTION, 0.0))


def check_changeable(meta: Any) -> None:
    """ResourceInUseException for a change to a table that is not ACTIVE (LC2)."""
    if meta.status in TRANSITIONAL:
        raise ResourceInUseException(M.table_in_use(meta.status, meta.name))


def begin(service: Any, meta: Any, status: str, finish: Callable[[], None] | None = None) -> bool:
    """Put ``meta`` in ``status`` for the world's transition time, then make it ACTIVE (and run
    ``finish``). Returns False, changing nothing, when the transition time is 0."""
    delay = seconds(service)
    if delay <= 0:
        return False
    meta.status = status
    timers = getattr(service, "_lifecycle_timers", None)
    if timers is None:
        timers = service.world.clock.scheduler.bound(service.lock)
        service._lifecycle_timers = timers

    def end() -> None:
        if meta.status == status:
            meta.status = "ACTIVE"
            meta.index_status.clear()
        if finish is not None:
            finish()

    timers.after(delay, end, passive=True)
    return True


def refuse_existing(existing: Any) -> None:
    """CreateTable of a name in use: CT1's ``Table already exists``, or (LC2) while the table is
    CREATING, that it is being created."""
    if existing is not None:
        if existing.status == "CREATING":
            check_changeable(existing)
        raise ResourceInUseException(M.table_exists(existing.name))


def begin_updating(service: Any, meta: Any, gsi_plan: Any) -> None:
    """LC3: after an accepted UpdateTable the table is UPDATING for the transition time, and a GSI
    it created is CREATING and backfilling meanwhile (``gsi_plan``: UpdateTable's GSI actions)."""
    if gsi_plan is not None and seconds(service) > 0:
        meta.index_status.update(
            {s["IndexName"]: ("CREATING", True) for a, s in gsi_plan[0] if a == "Create"}
        )
    begin(service, meta, "UPDATING")
