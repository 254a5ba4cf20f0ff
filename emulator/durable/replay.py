"""Replaying the log of a ``data_dir`` world onto its restored checkpoint.

Each entry is applied at the clock reading it was first applied at: a virtual clock jumps there
(running the timers due on the way, as the original run did); on the system clock the entry's
handler reads the readings it read the first time (:mod:`.tape`), so names and dates derived
from the time come out the same, while timers run in real time: those that fell due meanwhile
run at once, in due order.

A request that was refused when logged (``REFUSED``: a refused write may still have changed the
world, by the capacity it consumed or an injected fault it used up) is replayed and refused
again. A replayed request that goes the other way now (the order of work that the log does not
pin, such as a timer on the system clock, differed) is counted, not fatal.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any

from ..errors import AWSError

if TYPE_CHECKING:
    from ..world import Emulator
    from .tape import ClockTape

__all__ = ["replay", "CHANGES"]


def _reset(world: Emulator, service: str | None, payload: Any) -> None:
    world.reset(service)


def _faults(world: Emulator, action: str, payload: Any) -> None:
    world.faults.replay(action, payload)


#: What a logged change made outside the services' operations does again (``Journal.change``).
CHANGES = {"reset": _reset, "faults": _faults}


def replay(world: Emulator, entries: list[tuple[int, Any]], tape: ClockTape | None) -> int:
    """Apply logged entries in order; the number that failed on replay."""
    clock = world.clock
    failed = 0
    for _seq, (blob, at, readings, *refused) in entries:
        if clock.virtual and at > clock.now():
            clock.jump_to(at)
        if blob is None:  # a clock move made from outside the services
            continue
        kind, name, account, region, op_name, request = pickle.loads(blob)
        change = CHANGES.get(kind)
        if change is not None:  # made outside the operations; replayed before the journal is attached
            change(world, name, request)
            continue
        service = world.service(name, account, region)
        try:
            if tape is None:
                service.apply(op_name, request)
            else:
                with tape.playing(readings, at):
                    service.apply(op_name, request)
        except AWSError:
            failed += not refused
        else:
            failed += bool(refused)  # refused when logged, accepted now: the replay went its own way
    return failed
