"""``aws.faults``: the world's injected faults, and the two checks the services run.

``Service.call`` (every door's funnel, before any fast pre-hook) asks :meth:`Faults.on_call`, and a
Step Functions Task asks :meth:`Faults.on_task` before it runs its resource — but only while the
world has a fault: the world's ``_active_faults`` is this object then and ``None`` otherwise, so a
world without faults pays one attribute read per call. The faults are checked in the order they
were injected; the first that fires answers. Every probability draw comes from the world's seeded
``rng("faults")``, so the same seed and the same calls give the same failures.
"""

from __future__ import annotations

import difflib
import threading
from typing import TYPE_CHECKING, Any

from . import catalog
from .rules import Fault

if TYPE_CHECKING:
    from ..world import Emulator

SERVICES = ("dynamodb", "dynamodbstreams", "stepfunctions")


class Faults:
    """The faults of one world (``aws.faults``)."""

    def __init__(self, world: Emulator) -> None:
        self.world = world
        self.rules: list[Fault] = []
        self.lock = threading.RLock()
        self._rng: Any = None

    @property
    def rng(self) -> Any:
        if self._rng is None:
            self._rng = self.world.rng("faults")
        return self._rng

    # -- the test's side ---------------------------------------------------------------------
    def inject(
        self,
        service: str | None = None,
        operation: str | None = None,
        error: str | None = None,
        *,
        table: str | None = None,
        task: str | None = None,
        probability: float = 1.0,
        times: int | None = None,
        after: int = 0,
        until: Any = None,
        message: str | None = None,
        cause: str | None = None,
    ) -> Fault:
        """Make matching calls fail with ``error``; returns the fault (a handle: ``remove()``,
        or ``with aws.faults.inject(...):``). See the README, "Testing failure"."""
        if not error or not isinstance(error, str):
            raise ValueError("inject() needs error=, the error code (or task failure name) to answer with")
        if service is None:  # a task fault is Step Functions'; anything else DynamoDB's by default
            service = "stepfunctions" if task is not None else "dynamodb"
        svc = self._service(service)
        if task is not None:
            if service != "stepfunctions" or operation is not None or table is not None:
                raise ValueError(
                    "task= faults are Step Functions Task failures: no operation=, table= or other service"
                )
        else:
            if operation is not None:
                operation = self._operation(svc, operation)
            if "." in error:
                raise ValueError(
                    f"{error!r} is a task failure: name the Task with task= (a state, resource or function)"
                )
            catalog.check_api_error(svc, error, operation)
        fields: dict[str, Any] = {
            "service": service,
            "error": error,
            "operation": operation,
            "table": table,
            "task": task,
            "probability": probability,
            "times": times,
            "after": after,
            "until": until,
            "message": message,
            "cause": cause,
        }
        fault = Fault(**fields, owner=self)
        return self._logged("inject", (fields, fault.id), lambda: self._add(fault))

    def _add(self, fault: Fault) -> Fault:
        with self.lock:
            self.rules.append(fault)
            self.world._active_faults = self
        return fault

    def _logged(self, action: str, payload: Any, apply: Any) -> Any:
        """``apply()``; in a durable world, logged so that a restart makes the change again
        (faults are world state, but not operations the journal sees)."""
        journal = self.world.journal
        if journal is None:
            return apply()
        return journal.change("faults", action, payload, apply)

    def replay(self, action: str, payload: Any) -> None:
        """Make a logged change again (a durable world's restart, emulator/durable/replay.py)."""
        if action == "inject":
            fields, fault_id = payload
            self._add(Fault(**fields, id=fault_id, owner=self))
        elif action == "remove":
            self._remove(payload)
        else:
            self._clear()

    def remove(self, fault: Fault | str) -> bool:
        """Remove a fault (or its id); whether it was there."""
        fault_id = fault if isinstance(fault, str) else fault.id
        removed: bool = self._logged("remove", fault_id, lambda: self._remove(fault))
        return removed

    def _remove(self, fault: Fault | str) -> bool:
        with self.lock:
            found = next((f for f in self.rules if f is fault or f.id == fault), None)
            if found is not None:
                self.rules.remove(found)
                if not self.rules:
                    self.world._active_faults = None
            return found is not None

    def clear(self) -> None:
        """Remove every fault."""
        self._logged("clear", None, self._clear)

    def _clear(self) -> None:
        with self.lock:
            self.rules.clear()
            self.world._active_faults = None

    def get(self, fault_id: str) -> Fault | None:
        return next((f for f in self.rules if f.id == fault_id), None)

    def __iter__(self) -> Any:
        return iter(list(self.rules))

    def __len__(self) -> int:
        return len(self.rules)

    def _service(self, name: str) -> Any:
        if name not in SERVICES:
            raise ValueError(f"faults are injected into {', '.join(SERVICES)}, not {name!r}")
        return self.world.service(name)

    @staticmethod
    def _operation(service: Any, name: str) -> str:
        """The API name of an operation given as ``PutItem`` or ``put_item``."""
        from ..service import snake_case

        names = service.api_operation_names()
        by_snake = {snake_case(n): n for n in names}
        if name in names or name in by_snake:
            return by_snake.get(name, name)
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"{service.name} has no operation {name!r}.{hint}")

    # -- the services' side ------------------------------------------------------------------
    def _first_firing(self, matches: Any) -> Fault | None:
        """The first live fault that ``matches`` and fires now; drops faults that are over."""
        with self.lock:
            now = self.world.clock.now()
            for fault in list(self.rules):
                if fault.expired(now):
                    self.remove(fault)
                elif matches(fault) and fault.fires(self.rng):
                    if fault.expired(now):
                        self.remove(fault)
                    return fault
        return None

    def on_call(self, service: Any, operation: str, request: dict[str, Any]) -> None:
        """Raise the error of the first fault that fires for this call, if any."""
        name = service.name
        fault = self._first_firing(lambda f: f.matches_call(name, operation, request))
        if fault is not None:
            raise catalog.api_error(service, fault, operation, request)

    def on_task(self, names: tuple[str, ...]) -> Fault | None:
        """The task fault that fires for a Task known by ``names`` (state, resource, function)."""
        return self._first_firing(lambda f: f.matches_task(names))
