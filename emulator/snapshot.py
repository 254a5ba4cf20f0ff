"""Snapshots of a whole world: ``aws.snapshot()`` and ``Emulator.restore(snapshot)``.

A snapshot is the state of every service in every (account, region) partition, the clock (its
reading, its pending timers, ``auto_advance``), the seed and every seeded RNG's position: a world
restored from it answers every request as the original would have at that moment, and is
independent of it (writing to one never shows in the other). It is the cheap way to build a
seeded world once and hand each test its own copy.

Two forms:

* ``aws.snapshot()`` → :class:`Snapshot`, in-process. Task callables that pickle cannot name (a
  function defined inside a test) are carried *by reference*: the restored world calls the same
  function object (code is not data; a callable that closes over the original world's client
  keeps talking to that world, so write task callables against their ``event``, or register them
  again). ``bytes(snapshot)`` is refused when it carries such references.
* ``aws.snapshot(portable=True)`` → ``bytes``, for a file or the durable store (``data_dir``):
  such callables become stand-ins that fail until registered again. The bytes start with a
  header naming the format and the emulator version; :func:`restore` refuses bytes of another
  format or version with a clear message rather than misreading them (pickled internals change
  between versions).

Not data, hence not in a snapshot: locks, background threads (restarted on restore), native
client objects (rebuilt on first use), idempotency books kept outside the world. A *running*
Step Functions execution is data except its threads' generators, which a restored world
rebuilds by replaying each thread's tape (:mod:`emulator.stepfunctions.runtime.tape`): it waits
where it waited and goes on as the original would.

How it is done (pickle with a table of reductions) is in :mod:`emulator.snapshot_pickler`.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .snapshot_pickler import SnapshotError, WorldPickler, WorldUnpickler, _ignore

if TYPE_CHECKING:
    from .world import Emulator

__all__ = ["Snapshot", "SnapshotError", "take", "restore", "FORMAT"]

FORMAT = 2  # 2: running executions carry their threads' tapes (stepfunctions/runtime/tape.py)
MAGIC = b"emulator-snapshot\n"
_NOT_STATE = ("_clients", "_default_clients", "journal")


def _version() -> str:
    from . import __version__

    return __version__


class Snapshot:
    """An in-process snapshot: pickled state plus the objects it carries by reference."""

    __slots__ = ("data", "refs")

    def __init__(self, data: bytes, refs: list[Any]) -> None:
        self.data = data
        self.refs = refs

    def __bytes__(self) -> bytes:
        if self.refs:
            raise SnapshotError(
                "this snapshot carries task callables by reference; take aws.snapshot(portable=True) for bytes"
            )
        return _header() + self.data

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return f"<Snapshot {len(self.data)} bytes, {len(self.refs)} references>"


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic collector off while (un)pickling: building ~10^5 objects would otherwise trigger
    it over and over, for nothing (they are all reachable)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _header() -> bytes:
    return MAGIC + json.dumps({"format": FORMAT, "version": _version()}).encode() + b"\n"


def _state(world: Emulator) -> dict[str, Any]:
    return {k: v for k, v in world.__dict__.items() if k not in _NOT_STATE}


def take(world: Emulator, *, portable: bool = False, lock_timeout: float | None = None) -> Snapshot | bytes:
    """Snapshot ``world`` (every partition's services, clock, seeds), holding each built service's
    lock so that no operation is half-done in it. ``lock_timeout``: give up (``SnapshotError``)
    rather than wait longer for a lock (a background caller must not deadlock with a timer that
    holds one service's lock and wants another's)."""
    buf = io.BytesIO()
    pickler = WorldPickler(buf, world, portable=portable)
    locks: list[Any] = []
    for svc in world.services():
        if not svc.lock.acquire(timeout=-1 if lock_timeout is None else lock_timeout):
            for lock in reversed(locks):
                lock.release()
            raise SnapshotError("the world is busy: a service lock was not free")
        locks.append(svc.lock)
    try:
        with _gc_paused():
            pickler.dump(_state(world))
    finally:
        for lock in reversed(locks):
            lock.release()
    if portable:
        return _header() + buf.getvalue()
    return Snapshot(buf.getvalue(), pickler.refs)


def _payload(snapshot: Snapshot | bytes, where: str) -> tuple[bytes, list[Any]]:
    if isinstance(snapshot, Snapshot):
        return snapshot.data, snapshot.refs
    data = bytes(snapshot)
    if not data.startswith(MAGIC):
        raise SnapshotError(f"{where} is not an emulator snapshot")
    end = data.index(b"\n", len(MAGIC))
    header = json.loads(data[len(MAGIC) : end])
    if header.get("format") != FORMAT or header.get("version") != _version():
        raise SnapshotError(
            f"{where} was written by emulator {header.get('version')} (snapshot format "
            f"{header.get('format')}); this is emulator {_version()} (format {FORMAT}), which "
            "does not read another version's snapshots: open it with that version"
        )
    return data[end + 1 :], []


def restore(snapshot: Snapshot | bytes, into: Emulator, *, where: str = "the snapshot") -> Emulator:
    """Fill ``into`` (a blank ``Emulator``) with a world equal to the snapshotted one and
    independent of it."""
    data, refs = _payload(snapshot, where)
    world = into
    with _gc_paused():
        state = WorldUnpickler(io.BytesIO(data), world, refs).load()
        world.__dict__.update(state)
        world._clients, world._default_clients, world.journal = {}, {}, None
        listeners = getattr(world.clock, "_listeners", None)
        if listeners:  # a durable journal's listener, left out of the snapshot as a no-op
            listeners[:] = [fn for fn in listeners if fn is not _ignore]
        for svc in world.services():  # what a snapshot holds as a recipe (running workflows' threads)
            rebuild = getattr(svc, "after_restore", None)
            if rebuild is not None:
                rebuild()
    restart_background_work(world)
    return world


def restart_background_work(world: Emulator) -> None:
    """On a clock that follows real time, start again the threads a snapshot does not carry:
    the scheduler's (if timers are pending) and the TTL sweepers'."""
    if world.clock.virtual:
        return
    scheduler = world.clock.scheduler
    with scheduler._mutex:
        if scheduler._heap:
            scheduler._ensure_thread()
    for svc in world.services():
        sweeper = getattr(getattr(svc, "catalog", None), "ttl_sweeper", None)
        if sweeper is not None:
            for meta in list(sweeper.tables.values()):
                sweeper.track(meta)
