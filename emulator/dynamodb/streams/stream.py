"""Streams and the hub that owns every stream of one DynamoDB service (reference ST1, ST6, ST10).

A :class:`Stream` is born when a table enables its stream (CreateTable or UpdateTable) and
subscribes to the table's change log as a push listener: every effective change becomes one
record in its single shard, in commit order. Disabling the stream, re-enabling it (which makes a
new stream with a new label and ARN), or deleting the table closes the old stream: it is reported
``DISABLED``, keeps its records and stays listed and readable for 24 hours (ST1, DT1), after which
the hub forgets it.

Design decisions:

* **Zero cost without a stream.** Nothing is subscribed to a table that has no stream, so the
  change log's ``append`` returns at once (``engine/changelog.py``); the PutItem hot path does not
  know streams exist.
* The label is the enable time on the world's clock, ISO-8601 local-ms (ST1). On a virtual clock
  two enables can fall on the same millisecond; the hub then moves the label on by a millisecond,
  so every stream ARN stays unique.
* Sequence numbers come from one counter per hub, so they increase within a shard and never
  repeat across streams; shard ids, eventIDs come from the world's seeded RNG.
* Status changes finish at once (as the emulator's table status does, ``tables.py``): a stream is
  ``ENABLED`` from its first description and ``DISABLED`` right after it is disabled.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...clock import UTC
from ..engine.changelog import ChangeRecord
from ..values import copy_item
from .records import is_noop, make_record
from .shard import RETENTION_SECONDS, Shard

if TYPE_CHECKING:
    from ...world import Emulator


def format_label(epoch: float) -> str:
    """``2015-05-20T20:51:10.252``: the enable time, ISO-8601, milliseconds, no zone (ST1).

    Runtime complexity: O(1)."""
    dt = _dt.datetime.fromtimestamp(epoch, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}"


class Stream:
    """One stream of one table: identity, view type, status and its (single) shard."""

    __slots__ = (
        "arn",
        "label",
        "table_name",
        "view_type",
        "key_schema",
        "created",
        "disabled_at",
        "shard",
        "_hub",
        "_unsubscribe",
    )

    def __init__(
        self,
        hub: StreamHub,
        arn: str,
        label: str,
        table_name: str,
        view_type: str,
        key_schema: list[dict[str, str]],
        created: float,
        shard: Shard,
    ) -> None:
        self.arn = arn
        self.label = label
        self.table_name = table_name
        self.view_type = view_type
        self.key_schema = key_schema
        self.created = created
        self.disabled_at: float | None = None
        self.shard = shard
        self._hub = hub
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def status(self) -> str:
        """ENABLED, or DISABLED once the stream was turned off.

        Runtime complexity: O(1)."""
        return "ENABLED" if self.disabled_at is None else "DISABLED"

    def on_change(self, change: ChangeRecord) -> None:
        """The change-log listener: one record per effective change (ST4).

        Runtime complexity: O(s) for a change of s bytes (no-op check, key copy)."""
        old, new = change.old, change.new
        if is_noop(old, new):
            return
        hub = self._hub
        self.shard.append(
            make_record(
                hub.next_seq(),
                change.time,
                hub.event_id(),
                copy_item(change.key),
                old,
                new,
                self.view_type,
                change.principal,
            )
        )

    def attach(self, change_log: Any) -> None:
        """Start following ``change_log`` (a push listener).

        Runtime complexity: O(1)."""
        self._unsubscribe = change_log.subscribe(self.on_change)

    def disable(self, now: float) -> None:
        """Stop recording, close the shard; readable for 24 h more.

        Runtime complexity: O(L) for L listeners of the change log."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.disabled_at is None:
            self.disabled_at = now
            self.shard.close()

    def expired(self, now: float) -> bool:
        """Whether the stream was disabled more than 24 hours before ``now`` (no longer listed).

        Runtime complexity: O(1)."""
        return self.disabled_at is not None and now >= self.disabled_at + RETENTION_SECONDS


class StreamHub:
    """Every stream of one DynamoDB service, by ARN (creation order), and each table's live one."""

    def __init__(self, world: Emulator, rng: random.Random) -> None:
        self.world = world
        self.streams: dict[str, Stream] = {}
        self.live: dict[str, Stream] = {}  # table name → its enabled stream
        self._seq = 0
        self._rng = rng  # the partition's seeded RNG (shard ids, eventIDs)

    # --- numbering ----------------------------------------------------------------------------

    def next_seq(self) -> int:
        """The next sequence number of this service's streams (shared by all of them).

        Runtime complexity: O(1)."""
        self._seq += 1
        return self._seq

    def event_id(self) -> str:
        """A seeded random eventID (32 hex characters).

        Runtime complexity: O(1)."""
        return f"{self._rng.getrandbits(128):032x}"

    def _shard_id(self, now: float) -> str:
        # shardId-00000001414562045508-2bac9cd2 (ST6): creation time in ms, 8 hex characters
        return f"shardId-{int(now * 1000):020d}-{self._rng.getrandbits(32):08x}"

    # --- lifecycle ----------------------------------------------------------------------------

    def enable(
        self,
        table_name: str,
        table_arn: str,
        view_type: str,
        key_schema: list[dict[str, str]],
        change_log: Any,
    ) -> str:
        """Start a new stream for a table; returns its label (the ARN is ``<table ARN>/stream/<label>``).

        Runtime complexity: O(1), plus the disable of a previous live stream."""
        now = self.world.clock.now()
        self.disable(table_name)
        stamp = now
        label = format_label(stamp)
        while f"{table_arn}/stream/{label}" in self.streams:
            stamp += 0.001
            label = format_label(stamp)
        arn = f"{table_arn}/stream/{label}"
        stream = Stream(
            self,
            arn,
            label,
            table_name,
            view_type,
            [dict(k) for k in key_schema],
            now,
            Shard(self._shard_id(now), self.next_seq()),
        )
        stream.attach(change_log)
        self.streams[arn] = stream
        self.live[table_name] = stream
        return label

    def disable(self, table_name: str) -> None:
        """Disable the table's live stream, if any (UpdateTable, DeleteTable).

        Runtime complexity: O(L) for L listeners of the change log."""
        stream = self.live.pop(table_name, None)
        if stream is not None:
            stream.disable(self.world.clock.now())

    # --- lookup ---------------------------------------------------------------------------------

    def _purge(self, now: float) -> None:
        for arn in [a for a, s in self.streams.items() if s.expired(now)]:
            del self.streams[arn]

    def get(self, arn: str) -> Stream | None:
        """The stream with this ARN, unless it was disabled more than 24 h ago.

        Runtime complexity: O(1) plus a shard trim; O(m) for m streams when it expired."""
        now = self.world.clock.now()
        stream = self.streams.get(arn)
        if stream is None or stream.expired(now):
            self._purge(now)
            return None
        stream.shard.trim(now)
        return stream

    def all(self) -> list[Stream]:
        """Every stream still listed, oldest first.

        Runtime complexity: O(m) for m streams."""
        self._purge(self.world.clock.now())
        return list(self.streams.values())
