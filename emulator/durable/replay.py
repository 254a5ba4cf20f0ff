"""Replaying the log of a ``data_dir`` world onto its restored checkpoint.

Each entry is applied at the clock reading it was first applied at: a virtual clock jumps there
(running the timers due on the way, as the original run did), a system clock is pinned there for
the entry (so creation dates and execution start dates are the logged ones) and follows real time
again after the replay; timers that fell due meanwhile then run at once, in due order.

A replayed request that fails now (it succeeded when logged: the order of work that the log does
not pin, such as a timer on the system clock, differed) is counted, not fatal.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any

from ..errors import AWSError

if TYPE_CHECKING:
    from ..world import Emulator

__all__ = ["replay"]


def replay(world: Emulator, entries: list[tuple[int, Any]]) -> int:
    """Apply logged entries in order; the number that failed on replay."""
    clock = world.clock
    failed = 0
    try:
        for _seq, (blob, at) in entries:
            _move_to(clock, at)
            if blob is None:  # a clock move made from outside the services
                continue
            _kind, name, account, region, op_name, request = pickle.loads(blob)
            try:
                world.service(name, account, region).apply(op_name, request)
            except AWSError:
                failed += 1
    finally:
        if not clock.virtual:
            clock.unpin()  # type: ignore[attr-defined]
    return failed


def _move_to(clock: Any, at: float) -> None:
    if not clock.virtual:
        clock.pin(at)
    elif at > clock.now():
        clock.jump_to(at)
