"""A table's restorable past: what point-in-time recovery keeps while it is on.

A :class:`History` listens to the table's change log (``changelog.py``) and keeps, from the moment
it starts, every change record plus **snapshots** of the leader store: one when it starts, then
another each time the records since the last one outnumber ``max(SNAPSHOT_MIN, 2 n)`` for a table
of n items. :meth:`items_before` answers "which items did the table hold just before time t" from the
newest snapshot before t plus the records after it up to t, so a restore never replays the whole
history from the start: O(n + k) for k ≤ max(SNAPSHOT_MIN, 2 n) replayed records.

Cost (``table.py`` stays untouched): nothing while no History exists (the change log then only
counts); while one exists, each write builds its change record and appends it to a list, and
snapshots amortise to O(1) per write (an O(n) structural copy, sharing the immutable items, every
≥ 2 n writes). :meth:`trim` drops what lies before the recovery window (keeping the newest snapshot
at or before its start as the base).

Time: records carry the clock time of their commit (never decreasing, ``ChangeLog.append``); the
state "before t" includes every change committed before t (a restore to the second S asks for the
state before S + 1: the table as it stood at the end of that second).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Any

from .changelog import ChangeRecord
from .store import Store

Item = dict[str, Any]

#: Fewest records between two snapshots (small tables would otherwise snapshot on every write).
SNAPSHOT_MIN = 1024


def snapshot(table: Any) -> Store:
    """A structural copy of ``table``'s leader store, sharing its immutable items (an on-demand
    backup's items, ``backups.py``).

    Runtime complexity: O(n)."""
    store: Store = table._leader.copy()
    return store


class _Snapshot:
    """The leader's items right after the record ``seq`` (committed at ``time``); ``pos`` is the
    index in :attr:`History._records` of the first record after it."""

    __slots__ = ("seq", "time", "store", "pos")

    def __init__(self, seq: int, time: float, store: Store, pos: int) -> None:
        self.seq = seq
        self.time = time
        self.store = store
        self.pos = pos


class History:
    """Snapshots + change records of one engine table since :meth:`__init__` (PITR on).

    Runtime complexity: per write O(1) amortised; :meth:`items_before` O(n + k); :meth:`trim` O(s)
    for s snapshots, plus amortised O(1) per record dropped."""

    __slots__ = ("_table", "_records", "_snapshots", "_times", "_unsubscribe", "_next_snapshot")

    def __init__(self, table: Any) -> None:
        self._table = table
        log = table.change_log
        self._records: list[ChangeRecord] = []
        first = _Snapshot(log.seq, table.clock.now(), table._leader.copy(), 0)
        self._snapshots = [first]
        self._times = [first.time]
        self._next_snapshot = max(SNAPSHOT_MIN, 2 * table.item_count)
        self._unsubscribe: Callable[[], None] | None = log.subscribe(self._on_change)

    def _on_change(self, record: ChangeRecord) -> None:
        records = self._records
        records.append(record)
        if len(records) >= self._next_snapshot:
            self._take_snapshot(record)

    def _take_snapshot(self, record: ChangeRecord) -> None:
        table = self._table
        pos = len(self._records)
        self._snapshots.append(_Snapshot(record.seq, record.time, table._leader.copy(), pos))
        self._times.append(record.time)
        self._next_snapshot = pos + max(SNAPSHOT_MIN, 2 * table.item_count)

    def close(self) -> None:
        """Stop recording (PITR turned off, or the table deleted) and drop everything kept.

        Runtime complexity: O(L) for L change-log listeners."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._records = []
        self._snapshots = []
        self._times = []

    @property
    def start(self) -> float:
        """The time of the oldest state this history can give (its base snapshot).

        Runtime complexity: O(1)."""
        return self._times[0]

    def items_before(self, end: float) -> Iterator[Item]:
        """The items the table held once every change committed before ``end`` (and none at or
        after it) was applied; ``end`` > :attr:`start`. In no particular order.

        Runtime complexity: O(log s) to find the snapshot, O(k) to overlay the k records after
        it, then O(n) for the walk."""
        i = bisect.bisect_left(self._times, end) - 1
        if i < 0:
            raise ValueError("time before the start of the history")
        snapshot = self._snapshots[i]
        overlay: dict[tuple[Any, Any], Item | None] = {}
        records = self._records
        for j in range(snapshot.pos, len(records)):
            record = records[j]
            if record.time >= end:
                break
            overlay[(record.pk, record.sk)] = record.new
        for pk, sk, item in snapshot.store.iter_all():
            if (pk, sk) not in overlay:
                yield item
        for value in overlay.values():
            if value is not None:
                yield value

    def records_between(self, start: float, end: float) -> list[ChangeRecord]:
        """The change records committed at or after ``start`` and before ``end``, oldest first
        (an incremental export's changes).

        Runtime complexity: O(log r + k) for the k records returned (records are in time order)."""
        records = self._records
        lo = bisect.bisect_left(records, start, key=lambda r: r.time)
        hi = bisect.bisect_left(records, end, lo=lo, key=lambda r: r.time)
        return records[lo:hi]

    def trim(self, floor: float) -> None:
        """Forget what lies before ``floor`` (the start of the recovery window): the newest
        snapshot at or before it becomes the base; older snapshots and records go.

        Runtime complexity: O(log s + s) plus amortised O(1) per record dropped."""
        i = bisect.bisect_right(self._times, floor) - 1
        if i <= 0:
            return
        drop = self._snapshots[i].pos
        del self._snapshots[:i]
        del self._times[:i]
        del self._records[:drop]
        for snapshot in self._snapshots:
            snapshot.pos -= drop
        self._next_snapshot -= drop

    def __len__(self) -> int:
        """Records kept.

        Runtime complexity: O(1)."""
        return len(self._records)

    def _check(self) -> None:
        assert self._times == [s.time for s in self._snapshots], "snapshot times out of step"
        assert all(a <= b for a, b in zip(self._times, self._times[1:])), "snapshot times decrease"
        for s in self._snapshots:
            assert 0 <= s.pos <= len(self._records), "snapshot position outside the records"
            if s.pos < len(self._records):
                assert self._records[s.pos].seq == s.seq + 1, "snapshot not aligned with its records"
