"""Read replicas: followers that serve eventually consistent reads a bounded time behind the leader.

Model (docs/rules/dynamodb.md §16, EC2): a table has ``n`` follower replicas. Each is a
:class:`~.store.Store` plus a change-log cursor (its applied-sequence watermark). Replicas are lazy
materialisations: nothing happens to them on a write; on an eventually consistent read the
:class:`ReplicaSet` picks one replica with its seeded RNG, draws a target time uniformly from
``[now - lag, now]`` and applies, in commit order, every pending record committed at or before that
time. A replica therefore always shows a *prefix* of history (whole clock instants: all records
with ``time <= target``), never moves backwards (it keeps its position if it is already past the
target), and always includes everything committed more than ``lag`` seconds ago. After
``clock.advance(lag)`` the next read of any replica returns the leader's state.

Writes stay O(log n): the only eager work is :meth:`ReplicaSet.settle`, called by the write funnel,
which applies to every replica the records already older than ``now - lag`` (any read would have
to apply them anyway), so the log never retains more than one lag window of history. (On a
virtual clock that never moves, that window holds every write since the clock last moved: the
replicas are, correctly, still behind all of them.)

Replicas share the item objects with the leader; a replica costs its own dict and sorted indexes.
With ``lag == 0`` no ReplicaSet exists at all and every read goes to the leader.
"""

from __future__ import annotations

import random
from typing import Any

from .changelog import ChangeLog, Cursor
from .store import Store


class Replica:
    """One follower: a Store and the log position it has applied up to."""

    __slots__ = ("index", "store", "cursor", "applied_time")

    def __init__(self, index: int, store: Store, cursor: Cursor) -> None:
        self.index = index
        self.store = store
        self.cursor = cursor
        self.applied_time = float("-inf")

    @property
    def applied_seq(self) -> int:
        """The sequence number of the last change-log record this replica applied.

        Runtime complexity: O(1)."""
        return self.cursor.applied

    def advance_to(self, target_time: float) -> int:
        """Apply pending records committed at or before ``target_time``; return how many.

        Runtime complexity: O(k (log c + log n)) for k records applied."""
        store = self.store
        applied = 0
        cursor = self.cursor
        for record in cursor.pending():
            if record.time > target_time:
                break
            store.apply(record.pk, record.sk, record.new)
            cursor.applied = record.seq
            applied += 1
        if target_time > self.applied_time:
            self.applied_time = target_time
        return applied


class ReplicaSet:
    """The followers of one table and the seeded choice among them."""

    __slots__ = ("replicas", "log", "lag", "rng")

    def __init__(self, leader: Store, log: ChangeLog, count: int, lag: float, rng: random.Random) -> None:
        if count < 1:
            raise ValueError("a replica set needs at least one replica")
        self.log = log
        self.lag = lag
        self.rng = rng
        self.replicas = [Replica(i, leader.copy(), log.cursor(f"replica-{i}")) for i in range(count)]

    def read_view(self, now: float) -> Store:
        """The store an eventually consistent read uses: a random replica, advanced to a random
        point of ``[now - lag, now]`` (monotonic per replica).

        Runtime complexity: O(k (log c + log n)) for k pending records applied; O(1) when none."""
        rng = self.rng
        replica = self.replicas[rng.randrange(len(self.replicas))]
        target = now - self.lag * rng.random()
        if replica.advance_to(target):
            self.log.trim()
        return replica.store

    def settle(self, now: float) -> None:
        """Apply to every replica what is older than ``now - lag`` (invisible to readers; bounds
        the retained log to one lag window).

        Runtime complexity: O(1) when nothing left the lag window, else O(R k (log c + log n))."""
        oldest = self.log.oldest_time()
        if oldest is None or oldest >= now - self.lag:
            return
        horizon = now - self.lag
        for replica in self.replicas:
            replica.advance_to(horizon)
        self.log.trim()

    def catch_up(self) -> None:
        """Apply everything to every replica (tests; dropping lag).

        Runtime complexity: O(R k (log c + log n)) for R replicas and k pending records."""
        for replica in self.replicas:
            replica.advance_to(float("inf"))
        self.log.trim()

    def close(self) -> None:
        """Release every replica's change-log cursor (table deleted or lag turned off).

        Runtime complexity: O(R p) for R replicas and p cursors of the log."""
        for replica in self.replicas:
            replica.cursor.close()
        self.replicas = []

    def _check(self, leader: Store, leader_seq: int) -> None:
        for replica in self.replicas:
            replica.store._check()
            if replica.applied_seq == leader_seq:
                assert _same(replica.store, leader), f"replica {replica.index} caught up but differs"


def _same(a: Store, b: Store) -> bool:
    def content(s: Store) -> dict[tuple[Any, Any], int]:
        return {(pk, sk): id(item) for pk, sk, item in s.iter_all()}

    return content(a) == content(b)
