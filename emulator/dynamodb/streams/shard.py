"""One stream shard: its records in sequence order, 24-hour retention, open or closed (ST5-ST9).

The emulator keeps a single long-lived shard per stream (ST6 allows it): every record of the
stream lands in it, so records of one item always come in modification order (ST5). Disabling
the stream (or deleting its table) closes the shard: it gets an ``EndingSequenceNumber`` and
GetRecords stops handing out ``NextShardIterator`` once it is read to the end (ST8).

Positions are integers: "after n" means "the records whose sequence number is greater than n".
``trimmed_through`` is the greatest sequence number retention has removed (initially just below
the shard's starting number, so that AT_SEQUENCE_NUMBER at the advertised
``StartingSequenceNumber`` is a readable position): a position before it points at trimmed data
(ST7, ST9).

Storage: two parallel lists (records and their sequence numbers) plus a head index, so appending
is O(1), finding a position is O(log n) (bisect) and trimming a prefix is amortised O(1) per
record (the lists are compacted only when the dead prefix is at least half of them).

Memory. AWS keeps a stream's records for 24 hours whatever their number, and so does the
emulator: records go only when the clock passes their 24 hours. On a virtual clock that a test
never moves, a long benchmark on a stream table therefore keeps every record (about 800 bytes
each: a million put/delete cycles took 1.6 GB). Rather than drop records AWS would still serve,
a shard warns once (:class:`StreamRetentionWarning`) when it holds :data:`WARN_RECORDS` records
within retention, naming the ways out: advance the clock past 24 hours, or disable the stream.
"""

from __future__ import annotations

import bisect
import warnings
from collections.abc import Iterator

from .records import StreamRecord

RETENTION_SECONDS = 24 * 60 * 60  # ST9
WARN_RECORDS = 500_000  # records within retention in one shard before StreamRetentionWarning


class StreamRetentionWarning(UserWarning):
    """A stream holds many records within its 24-hour retention (memory grows with them)."""


class Shard:
    """One shard. ``start_seq``/``end_seq`` are the SequenceNumberRange (``end_seq`` None = open)."""

    __slots__ = (
        "shard_id",
        "start_seq",
        "end_seq",
        "last_seq",
        "trimmed_through",
        "_records",
        "_seqs",
        "_head",
        "_warned",
    )

    def __init__(self, shard_id: str, start_seq: int) -> None:
        self.shard_id = shard_id
        self.start_seq = start_seq
        self.end_seq: int | None = None
        self.last_seq = start_seq  # greatest sequence number in the shard (start_seq when empty)
        self.trimmed_through = start_seq - 1  # nothing trimmed: StartingSequenceNumber is readable
        self._records: list[StreamRecord] = []
        self._seqs: list[int] = []
        self._head = 0
        self._warned = False

    @property
    def is_open(self) -> bool:
        """Whether the shard still takes records (no EndingSequenceNumber).

        Runtime complexity: O(1)."""
        return self.end_seq is None

    def append(self, record: StreamRecord) -> None:
        """Add the newest record (its seq is greater than every other).

        Runtime complexity: O(1) amortised, plus a trim when the oldest record passed retention."""
        self._records.append(record)
        self._seqs.append(record.seq)
        self.last_seq = record.seq
        first = self._records[self._head]
        if first.time < record.time - RETENTION_SECONDS:
            self.trim(record.time)
        if len(self._records) - self._head >= WARN_RECORDS and not self._warned:
            self._warned = True
            warnings.warn(
                f"DynamoDB Streams shard {self.shard_id} holds {WARN_RECORDS:,} records within its "
                "24-hour retention; they are kept, as on AWS, until the clock passes their 24 hours. "
                "On a virtual clock, advance it (aws.clock.advance(hours=24)) or disable the stream "
                "if nothing reads it, or memory keeps growing.",
                StreamRetentionWarning,
                stacklevel=2,
            )

    def close(self) -> None:
        """No more records: the range ends at the last one (or the start, when empty).

        Runtime complexity: O(1)."""
        if self.end_seq is None:
            self.end_seq = self.last_seq

    def trim(self, now: float) -> None:
        """Drop records older than the retention period at clock time ``now``.

        Runtime complexity: amortised O(1) per record dropped."""
        records, horizon, head = self._records, now - RETENTION_SECONDS, self._head
        while head < len(records) and records[head].time < horizon:
            self.trimmed_through = records[head].seq
            head += 1
        if head >= 64 and 2 * head >= len(records):
            del records[:head]
            del self._seqs[:head]
            head = 0
        elif head == len(records):
            records.clear()
            self._seqs.clear()
            head = 0
        self._head = head

    def after(self, position: int) -> Iterator[StreamRecord]:
        """Retained records with sequence number greater than ``position``, oldest first.

        Runtime complexity: O(log r) to start for r retained records, then O(1) per record."""
        records = self._records
        i = max(self._head, bisect.bisect_right(self._seqs, position))
        while i < len(records):
            yield records[i]
            i += 1

    def read_to_end(self, position: int) -> bool:
        """Whether nothing follows ``position`` in this shard (for a closed shard: fully read).

        Runtime complexity: O(1)."""
        return position >= self.last_seq

    def __len__(self) -> int:
        """Number of retained records.

        Runtime complexity: O(1)."""
        return len(self._records) - self._head

    def _check(self) -> None:
        seqs = self._seqs
        assert len(seqs) == len(self._records)
        assert all(r.seq == s for r, s in zip(self._records, seqs)), "seq index disagrees"
        assert all(a < b for a, b in zip(seqs, seqs[1:])), "sequence numbers not increasing"
        assert all(a.time <= b.time for a, b in zip(self._records, self._records[1:])), "times decrease"
        assert not seqs or seqs[0] > self.start_seq
        assert self.end_seq is None or self.end_seq == self.last_seq
        live = seqs[self._head :]
        assert not live or live[0] > self.trimmed_through
