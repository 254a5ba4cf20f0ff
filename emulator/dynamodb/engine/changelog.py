"""The table's change log: the ordered record of every committed write.

Every write goes through ``Table.write`` (the one funnel), which appends exactly one
:class:`ChangeRecord` per effective change. Two kinds of consumers:

* **listeners** (push): called synchronously, in commit order, right after the leader changed —
  for consumers that must stay in lock-step with the table (LSIs, stream shards, TTL bookkeeping).
* **cursors** (pull): each remembers the last sequence number it applied and reads the records
  after it when it chooses — for consumers that lag on purpose (read replicas, GSIs with their
  own lag).

Records are retained only while some cursor still needs them: :meth:`ChangeLog.trim` drops
everything every cursor has applied. With no listeners and no cursors (the default: replica lag 0,
nothing subscribed) :meth:`append` only counts, so the log costs nothing.

Storage: a Python list plus the sequence number of its first element; a record is found by
``seq - base`` in O(1) and trimming deletes a prefix (amortised O(1) per record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

Item = dict[str, Any]


@dataclass(slots=True)
class ChangeRecord:
    """One committed change. ``old``/``new`` are the stored items (None = absent); do not mutate.

    Not a frozen dataclass: a frozen one's ``__init__`` sets each field through
    ``object.__setattr__`` and costs about five times a plain one, paid on every write while anybody
    listens (streams, PITR's history: issue 12 measures put_item with PITR at most 1.3x without).

    ``pk``/``sk`` are the encoded key (engine-internal, for fast replay); ``key`` the key dict.
    ``principal``: who made the change when it was not a user request: None here (a class
    attribute, so ordinary writes build the record they always built); a
    :class:`ServiceChangeRecord` carries ``"dynamodb.amazonaws.com"`` for a TTL delete (TL3).
    """

    seq: int
    time: float
    key: Item
    old: Item | None
    new: Item | None
    pk: Any = None
    sk: Any = None
    principal: ClassVar[str | None] = None


@dataclass(slots=True)
class ServiceChangeRecord(ChangeRecord):
    """A change the service made itself (a TTL delete), with the principal that made it."""

    principal: str | None = None  # type: ignore[misc]  # the instance field shadows the ClassVar


Listener = Callable[[ChangeRecord], None]


class Cursor:
    """A pull consumer's position in the log: ``applied`` = last sequence number it has consumed."""

    __slots__ = ("log", "applied", "name")

    def __init__(self, log: ChangeLog, applied: int, name: str) -> None:
        self.log = log
        self.applied = applied
        self.name = name

    def pending(self) -> Iterator[ChangeRecord]:
        """Records after ``applied``, oldest first (does not move the cursor).

        Runtime complexity: O(1) to start, then O(1) per record."""
        return self.log.records_after(self.applied)

    def close(self) -> None:
        """Stop consuming: remove this cursor from its log (and trim what it held back).

        Runtime complexity: O(p + r) for p cursors (a trim follows)."""
        self.log.remove_cursor(self)


class ChangeLog:
    """Ordered change records with push listeners and pull cursors."""

    __slots__ = ("seq", "last_time", "principal", "_records", "_base", "_head", "_listeners", "_cursors")

    def __init__(self) -> None:
        self.seq = 0  # sequence number of the last committed change
        self.last_time = float("-inf")
        #: Stamped on the records appended while it is set: a service-side writer (the TTL sweep,
        #: ``dynamodb/ttl.py``) sets it around its ``Table.write`` calls. Read only when a record is
        #: built, so ordinary writes (and tables nobody listens to) pay nothing for it.
        self.principal: str | None = None
        self._records: list[ChangeRecord] = []
        self._base = 1  # seq of _records[0]
        self._head = 0  # index of the first live record (those before it are trimmed)
        self._listeners: list[Listener] = []
        self._cursors: list[Cursor] = []

    @property
    def active(self) -> bool:
        """Whether anybody consumes records (else appends only count).

        Runtime complexity: O(1)."""
        return bool(self._listeners or self._cursors)

    def append(
        self, now: float, key: Item, old: Item | None, new: Item | None, pk: Any = None, sk: Any = None
    ) -> ChangeRecord | None:
        """Commit one change at clock time ``now`` (clamped so record times never decrease).

        Runtime complexity: O(1) amortised, plus the listeners' own cost."""
        self.seq += 1
        if now < self.last_time:
            now = self.last_time
        self.last_time = now
        if not (self._listeners or self._cursors):
            return None
        principal = self.principal
        if principal is None:
            record = ChangeRecord(self.seq, now, key, old, new, pk, sk)
        else:
            record = ServiceChangeRecord(self.seq, now, key, old, new, pk, sk, principal)
        if self._cursors:
            if not self._records:
                self._base = record.seq
                self._head = 0
            self._records.append(record)
        for listener in self._listeners:
            listener(record)
        return record

    # --- consumers --------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(record)`` after every future change; returns an unsubscribe function.

        Runtime complexity: O(1); the returned unsubscribe is O(L) for L listeners."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def cursor(self, name: str = "") -> Cursor:
        """A new pull cursor positioned at the current end of the log.

        Runtime complexity: O(1)."""
        c = Cursor(self, self.seq, name)
        self._cursors.append(c)
        return c

    def remove_cursor(self, cursor: Cursor) -> None:
        """Forget ``cursor`` and drop the records only it still needed.

        Runtime complexity: O(p) for p cursors, plus a trim (amortised O(1) per record dropped)."""
        if cursor in self._cursors:
            self._cursors.remove(cursor)
        self.trim()

    def records_after(self, seq: int) -> Iterator[ChangeRecord]:
        """Retained records with sequence number > ``seq``, oldest first.

        Runtime complexity: O(1) to start, then O(1) per record."""
        records = self._records
        i = max(self._head, seq + 1 - self._base)
        while i < len(records):
            yield records[i]
            i += 1

    def oldest_time(self) -> float | None:
        """Commit time of the oldest retained record, None when nothing is retained.

        Runtime complexity: O(1)."""
        records = self._records
        return records[self._head].time if self._head < len(records) else None

    def trim(self) -> None:
        """Drop the records every cursor has applied (amortised: the list is compacted only when
        the dead prefix is at least half of it).

        Runtime complexity: O(p) for p cursors, plus amortised O(1) per record dropped."""
        records = self._records
        if not records:
            return
        floor = min((c.applied for c in self._cursors), default=self.seq)
        head = min(len(records), max(0, floor + 1 - self._base))
        if head >= len(records):
            records.clear()
            self._base = self.seq + 1
            self._head = 0
            return
        self._head = head
        if head >= 64 and 2 * head >= len(records):
            del records[:head]
            self._base += head
            self._head = 0

    def __len__(self) -> int:
        """Number of retained records.

        Runtime complexity: O(1)."""
        return len(self._records) - self._head

    def _check(self) -> None:
        records = self._records
        for i, r in enumerate(records):
            assert r.seq == self._base + i, "record sequence numbers not contiguous"
        assert all(a.time <= b.time for a, b in zip(records, records[1:])), "record times decrease"
        if records:
            assert records[-1].seq == self.seq, "log end disagrees with seq"
        for c in self._cursors:
            assert c.applied <= self.seq, "cursor ahead of the log"
            assert c.applied + 1 >= self._base + self._head or not records, "cursor needs trimmed records"
