"""The journal of a ``data_dir`` world: every mutating request, logged before it is acknowledged.

The in-memory engine stays the serving copy; the journal makes it durable by logging what
changed it: each request that reached a service through a door (the one funnel,
``Service.call``) and succeeded, with the clock reading it ran at (on the system clock, every reading it made: see
:mod:`.tape`), and each move of a virtual
clock made from outside the services. Replaying the log on a restored checkpoint (see
:mod:`emulator.durable.replay`) rebuilds the world: with the seed, the RNG positions and the
clock readings in the log, the replayed requests draw the same ids and timestamps.

A refused request is logged too, marked ``REFUSED``: a refusal may still change the world (the
capacity a failed condition consumed, an injected fault used up), and its replay is refused again.
What is *not* logged, because replay re-creates it: reads (``Get``/``Describe``/``List``/
``Query``/``Scan``...) while no fault is injected (a fault counts the calls it matches, reads
included, so while one is there reads are logged and replayed too), and calls made while the world runs its own work — a
call nested in another (a workflow's DynamoDB task), or one made by a timer firing on the
scheduler (a Wait ending, a TTL sweep). Replaying the outer request (StartExecution) or the clock
move re-runs that work, so running executions resume after a restart.

Group commit: a writer applies its request under its service's lock, appends the entry to a
queue in that order, releases the lock and then waits; one committer thread writes everything
queued in one SQLite transaction (one sync) and wakes every writer of that group. So concurrent
writers share a sync, and a write is acknowledged only once it is on disk.

Checkpoints bound the replay: after ``checkpoint_every`` entries (and on close) the committer
closes the gate that door calls pass, waits for the calls inside to leave, writes a portable
snapshot and drops the log it includes. Running executions are in it (their threads are rebuilt
from their tapes, see :mod:`emulator.stepfunctions.runtime.tape`), so a task that ran before it
is not called again on a restart. A world that cannot be snapshotted at that moment (a workflow
step in progress on the scheduler's thread, a busy lock) is tried again later.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..clock import perf_counter as monotonic
from ..errors import AWSError

if TYPE_CHECKING:
    from ..service import Service
    from ..world import Emulator
    from .store import Store
    from .tape import ClockTape

__all__ = ["Journal", "is_read_only"]

_READ_PREFIXES = ("Get", "Describe", "List", "Head", "Query", "Scan", "BatchGet", "Validate", "Test")
_LOGGED_READS = frozenset({"GetShardIterator", "GetRecords", "GetActivityTask"})  # they change state
CHECKPOINT_EVERY = 50_000
REFUSED = "refused"  # a logged request that was answered with an error (replayed, refused again)
LINGER_SECONDS = 0.0015


def is_read_only(op_name: str) -> bool:
    """Whether an operation only reads (so replay does not need it)."""
    return op_name.startswith(_READ_PREFIXES) and op_name not in _LOGGED_READS


class Journal:
    """The durable log of one world (see the module docstring)."""

    not_state = True  # a snapshot leaves this world's journal out (emulator/snapshot_pickler.py)

    def __init__(
        self,
        world: Emulator,
        store: Store,
        next_seq: int,
        *,
        tape: ClockTape | None = None,
        checkpoint_every: int = CHECKPOINT_EVERY,
    ) -> None:
        self.world = world
        self.tape = tape  # the system clock's tape (None on a virtual clock)
        self.store = store
        self.checkpoint_every = checkpoint_every
        self._local = threading.local()  # .depth: this thread is inside a logged call
        self._cond = threading.Condition()  # guards the queue, the counters and the gate
        self._queue: list[tuple[int, bytes]] = []
        self._seq = next_seq - 1  # the last seq handed out
        self._durable = next_seq - 1  # the last seq on disk
        self._since_checkpoint = 0
        self._inside = 0  # door calls past the gate
        self._writers = 0  # door calls between the gate and their acknowledgement
        self._peak = 0  # the most writers at once since the last commit began
        self._gate_closed = False
        self._checkpointing = threading.Lock()  # one checkpoint at a time (committer, reset, close)
        self._failure: BaseException | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._commit_loop, name="emulator-durable", daemon=True)
        self._driving = world.clock.scheduler._local
        if world.clock.virtual:
            world.clock.subscribe(self._on_clock)

    def start(self) -> None:
        self._thread.start()

    # -- the writers' side -----------------------------------------------------------------------
    def _internal(self) -> bool:
        return getattr(self._local, "depth", 0) > 0 or getattr(self._driving, "driving", False)

    def call(self, service: Service, op_name: str, request: dict[str, Any] | None) -> dict[str, Any]:
        """``service.apply`` with the request logged (if it changes state) before it is answered."""
        if self._internal() or (is_read_only(op_name) and self.world._active_faults is None):
            return service.apply(op_name, request)  # a fault counts the reads it matches: logged then
        call = ("call", service.name, service.account_id, service.region, op_name, request)
        blob = pickle.dumps(call, pickle.HIGHEST_PROTOCOL)  # before the handler may touch it

        def run() -> tuple[int, Any]:
            readings: list[float] = []
            with service.lock:
                at = service.world.clock.now()
                try:
                    outcome: tuple = (self._apply(service, op_name, request, readings), None)
                    entry: tuple = (blob, at, tuple(readings))
                except AWSError as err:
                    # A refused write may still have changed the world (capacity a failed
                    # condition consumed, a throttle's bucket, an injected fault's count):
                    # logged too, marked, so that the replay expects it to be refused again.
                    outcome = (None, err)
                    entry = (blob, at, tuple(readings), REFUSED)
                return self._append(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL)), outcome

        response, failure = self._logged(run)
        if failure is not None:
            raise failure
        return response  # type: ignore[no-any-return]

    def _apply(self, service: Service, op_name: str, request: Any, readings: list[float]) -> dict[str, Any]:
        """``service.apply``; on the system clock the readings it made go into ``readings``
        (``tape``), refused or not."""
        tape = self.tape
        if tape is None:
            return service.apply(op_name, request)
        with tape.recording() as recorded:
            try:
                return service.apply(op_name, request)
            finally:
                readings.extend(recorded)

    def reset(self, empty: Any, service: str | None) -> list[str]:
        """``empty()`` (the world's reset of ``service``, None for all), logged (:meth:`change`)."""
        emptied: list[str] = self.change("reset", service, None, empty)
        return emptied

    def change(self, kind: str, name: Any, payload: Any, apply: Any) -> Any:
        """``apply()``, a change made to the world outside the services' operations (a reset; a
        fault injected or removed), logged like a request (``kind``, ``name``, ``payload``: what
        :mod:`.replay` needs to make it again), so a restart replays it in order even when no
        checkpoint follows it (one may not be possible at that moment: a workflow step in
        progress, a busy lock). A change made while a request or the world's own work runs (a
        fault that removes itself once used up) is not logged: replaying that work makes it."""
        if self._internal():
            return apply()
        blob = pickle.dumps((kind, name, None, None, None, payload), pickle.HIGHEST_PROTOCOL)

        def run() -> tuple[int, Any]:
            at = self.world.clock.now()
            result = apply()
            return self._append(pickle.dumps((blob, at, ()), pickle.HIGHEST_PROTOCOL)), result

        return self._logged(run)

    def _logged(self, run: Callable[[], tuple[int, Any]]) -> Any:
        """``run()`` past the gate, as this thread's logged call: it applies a change and appends
        its entry (returning the entry's seq and its outcome); the outcome once the entry is on
        disk. A run that raised before appending leaves the writers' count as it found it."""
        if self._stopping:
            raise RuntimeError(f"this world's data directory {self.store.directory} is closed")
        self._enter()
        local = self._local
        local.depth = 1
        seq = 0
        try:
            seq, outcome = run()
        finally:
            local.depth = 0
            self._leave(failed=not seq)
        self._wait(seq, writer=True)
        return outcome

    def _on_clock(self, now: float) -> None:
        """A virtual clock moved: log the move if a caller outside the services made it (a
        test's ``advance`` or ``run_until_idle``, each timer's move included: replaying them
        runs the same timers)."""
        if getattr(self._local, "depth", 0) or self._stopping:
            return
        self._wait(self._append(pickle.dumps((None, now, ()), pickle.HIGHEST_PROTOCOL)))

    def _enter(self) -> None:
        with self._cond:
            while self._gate_closed:
                self._cond.wait()
            self._inside += 1
            self._writers += 1
            if self._writers > self._peak:
                self._peak = self._writers

    def _leave(self, failed: bool) -> None:
        with self._cond:
            self._inside -= 1
            if failed:
                self._writers -= 1
            if self._inside == 0 and self._gate_closed:
                self._cond.notify_all()

    def _append(self, blob: bytes) -> int:
        with self._cond:
            self._seq += 1
            self._queue.append((self._seq, blob))
            self._cond.notify_all()
            return self._seq

    def _wait(self, seq: int, writer: bool = False) -> None:
        with self._cond:
            try:
                while self._durable < seq:
                    if self._failure is not None:
                        raise RuntimeError(
                            f"the durable store {self.store.directory} failed"
                        ) from self._failure
                    self._cond.wait()
            finally:
                if writer:
                    self._writers -= 1

    # -- the committer ---------------------------------------------------------------------------
    def _commit_loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                self._linger()
                batch, self._queue = self._queue, []
                if not batch and self._stopping:
                    return
            try:
                self.store.append(batch)
            except BaseException as exc:  # pragma: no cover - a full disk, a removed directory
                with self._cond:
                    self._failure = exc
                    self._cond.notify_all()
                return
            with self._cond:
                self._durable = batch[-1][0]
                self._since_checkpoint += len(batch)
                self._cond.notify_all()
            if self._since_checkpoint >= self.checkpoint_every:
                self._since_checkpoint = 0  # taken or not, the next try is as many entries later
                self.checkpoint()

    def _linger(self) -> None:
        """Before a commit, wait up to ``LINGER_SECONDS`` until as many writers have queued as
        were writing at once since the last commit (PostgreSQL's ``commit_delay``): two clients
        would otherwise settle into taking turns, each write arriving during the other's sync and
        waiting for it and then its own. A lone writer never waits."""
        target, self._peak = self._peak, self._writers
        if len(self._queue) >= target:
            return
        deadline = monotonic() + LINGER_SECONDS
        while len(self._queue) < target and not self._stopping:
            remaining = deadline - monotonic()
            if remaining <= 0:
                return
            self._cond.wait(remaining)

    def checkpoint(self) -> bool:
        """Snapshot the world into the store and drop the log it includes; False if the world
        could not be snapshotted now (a workflow step in progress, or a busy lock). Also the hook for
        a world reset: checkpoint the reset world, and the log before it is gone."""
        with self._checkpointing:  # two at once could write an older snapshot over a newer one
            return self._checkpoint()

    def _checkpoint(self) -> bool:
        from ..snapshot import take
        from ..snapshot_pickler import SnapshotError

        with self._cond:
            self._gate_closed = True
            while self._inside:
                if not self._cond.wait(timeout=5.0):
                    self._open_gate()
                    return False
            seq = self._seq
        try:
            world = take(self.world, portable=True, lock_timeout=1.0)
        except SnapshotError:
            return False
        finally:
            with self._cond:
                self._open_gate()
        self.store.write_checkpoint(seq, world)  # type: ignore[arg-type]
        self._since_checkpoint = 0
        return True

    def _open_gate(self) -> None:
        self._gate_closed = False
        self._cond.notify_all()

    def close(self, *, checkpoint: bool = True) -> None:
        """Write what is queued, checkpoint if the world allows, and close the store (which frees
        the directory). ``checkpoint=False`` leaves the directory as a crash would, with only
        the log after the last checkpoint (tests of the replay use it)."""
        with self._cond:
            if self._stopping:
                return
            self._stopping = True
            self._cond.notify_all()
        self._thread.join()
        if checkpoint and self._failure is None:
            self.checkpoint()
        self.store.close()
