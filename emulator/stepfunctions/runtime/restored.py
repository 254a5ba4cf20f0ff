"""A world restored from a snapshot: the threads of its running executions are rebuilt where
they waited, each by replaying its tape (``tape.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ...snapshot_pickler import SnapshotError, Suspended
from ..asl.failures import StatesFailure
from .states import run_program
from .tape import Diverged, rebuild

if TYPE_CHECKING:
    from .execution import Execution


def rebuild_running(service: Any) -> None:
    """Rebuild every suspended thread of ``service``'s executions (a world just restored from a
    snapshot); a replay that does not reach the thread's recorded wait raises ``SnapshotError``."""
    seen: set[int] = set()
    walked: set[int] = set()  # group sets already walked: a Map Run's children share their parent's
    for ex in [*service.executions.values(), *service.map_run_children.values()]:
        for owner, thread, factory, program_ex in _threads_of(ex, walked):
            if id(thread) in seen or not isinstance(thread.gen, Suspended):
                continue
            seen.add(id(thread))
            if thread.cancelled or thread.finished:
                thread.gen = None
                continue
            try:
                rebuild(owner, thread, factory, program_ex, started=thread.gen.started)
            except (Diverged, StatesFailure) as exc:
                raise SnapshotError(
                    f"the snapshot's running execution {ex.arn} could not be rebuilt where it waits: {exc}"
                ) from None
            except Exception as exc:  # an emulator bug: still a SnapshotError that names the execution
                raise SnapshotError(
                    f"the snapshot's running execution {ex.arn} could not be rebuilt where it waits "
                    f"({type(exc).__name__}: {exc})"
                ) from exc


def _threads_of(ex: Execution, walked: set[int]) -> Iterator[tuple[Any, Any, Any, Any]]:
    """(driving execution, thread, its generator's factory, the execution its events go to) for
    the main thread of ``ex`` and every child thread of its groups, unless ``walked`` has them
    (a Map Run child is a copy of its parent execution and shares its set of groups: walking
    it again for each of 1,000 children made a restore quadratic)."""
    main = ex.main
    if main is not None:
        yield ex, main, lambda: run_program(ex, main, ex.machine.program, ex.input_value, {}), ex
    if id(ex.groups) in walked:
        return
    walked.add(id(ex.groups))
    for group in list(ex.groups):
        run = group.map_run
        for index, th in list(group.running.items()):
            program_ex = run.by_index.get(index, group.ex) if run is not None else group.ex
            yield group.ex, th, (lambda g=group, i=index, t=th: g.make(i, t)), program_ex
