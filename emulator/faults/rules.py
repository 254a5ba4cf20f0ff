"""One injected fault: what it matches, when it fires, and the handle a test holds.

A :class:`Fault` is both the rule and its handle: ``fault.remove()`` takes it out, ``with fault:``
removes it on leaving, ``fault.fired`` counts the errors it caused. It matches a call by service,
operation and table (an API fault) or a Task state by state name, resource or Lambda function
(a task fault, ``task=``). Whether a matching call fails is decided in a fixed order so that a
run reproduces: ``until`` (a time on the world's clock) ends the fault; the first ``after``
matching calls pass; then, below ``probability`` 1, one draw from the world's seeded
``rng("faults")``; ``times`` caps how often it fires, after which it leaves the world by itself.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .injector import Faults

_IDS = itertools.count(1)


def until_seconds(until: Any) -> float | None:
    """``until=`` as epoch seconds: a number, an aware datetime, or an ISO 8601 text."""
    if until is None:
        return None
    if isinstance(until, str):
        until = _dt.datetime.fromisoformat(until.replace("Z", "+00:00"))
    if isinstance(until, _dt.datetime):
        if until.tzinfo is None:
            raise ValueError("until= needs an aware datetime (a clock time, e.g. in UTC)")
        return until.timestamp()
    if isinstance(until, bool) or not isinstance(until, (int, float)):
        raise ValueError(f"until= is a clock time (epoch seconds, datetime or ISO text), not {until!r}")
    return float(until)


def table_name(name: Any) -> str | None:
    """A table's name from a TableName or table ARN (``arn:...:table/Orders[/stream/...]``)."""
    if not isinstance(name, str):
        return None
    if name.startswith("arn:") and ":table/" in name:
        return name.split(":table/", 1)[1].split("/", 1)[0]
    return name


def tables_of(request: dict[str, Any]) -> set[str]:
    """Every table a request names: TableName/TableArn/ResourceArn, the keys of a batch's
    RequestItems, and each action's TableName in TransactItems."""
    names = {table_name(request.get(k)) for k in ("TableName", "TableArn", "ResourceArn", "StreamArn")}
    items = request.get("RequestItems")
    if isinstance(items, dict):
        names.update(table_name(k) for k in items)
    for action in request.get("TransactItems") or ():
        if isinstance(action, dict):
            for body in action.values():
                if isinstance(body, dict):
                    names.add(table_name(body.get("TableName")))
    names.discard(None)
    return names  # type: ignore[return-value]


@dataclass(eq=False)
class Fault:
    """An injected fault and its handle (see the module docstring)."""

    service: str
    error: str
    operation: str | None = None
    table: str | None = None
    task: str | None = None
    probability: float = 1.0
    times: int | None = None
    after: int = 0
    until: float | None = None
    message: str | None = None
    cause: str | None = None
    id: str = field(default_factory=lambda: f"fault-{next(_IDS)}")
    seen: int = 0  # matching calls so far
    fired: int = 0  # errors caused so far
    owner: Faults | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= float(self.probability) <= 1.0:
            raise ValueError(f"probability must be between 0 and 1, not {self.probability!r}")
        self.probability = float(self.probability)
        for name in ("times", "after"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{name}= must be a whole number >= 0, not {value!r}")
        self.until = until_seconds(self.until)

    # -- matching ----------------------------------------------------------------------------
    def matches_call(self, service: str, operation: str, request: dict[str, Any]) -> bool:
        if self.task is not None or service != self.service:
            return False
        if self.operation is not None and operation != self.operation:
            return False
        return self.table is None or self.table in tables_of(request)

    def matches_task(self, names: tuple[str, ...]) -> bool:
        return self.task is not None and (self.task == "*" or self.task in names)

    def expired(self, now: float) -> bool:
        """Whether the fault is over: its ``until`` has come, or it fired ``times`` times."""
        if self.until is not None and now >= self.until:
            return True
        return self.times is not None and self.fired >= self.times

    def fires(self, rng: Any) -> bool:
        """Count one matching call and decide whether it fails (the owner holds its lock)."""
        self.seen += 1
        if self.seen <= self.after:
            return False
        if self.probability < 1.0 and rng.random() >= self.probability:
            return False
        self.fired += 1
        return True

    # -- the handle --------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.owner is not None and self in self.owner.rules

    def remove(self) -> None:
        """Take the fault out of its world (no error if it is gone already)."""
        if self.owner is not None:
            self.owner.remove(self)

    def __enter__(self) -> Fault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def describe(self) -> dict[str, Any]:
        """The fault as JSON (the control path lists these)."""
        out: dict[str, Any] = {"id": self.id, "service": self.service, "error": self.error}
        for name in ("operation", "table", "task", "times", "until", "message", "cause"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out.update(probability=self.probability, after=self.after, seen=self.seen, fired=self.fired)
        return out
