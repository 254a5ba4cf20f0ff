"""Global tables, version 2019.11.21: replica groups across the regions of one Emulator, and the
replication of every write between them.

A *group* is one table name of one account present in several regions (created by UpdateTable's
``ReplicaUpdates``: ``operations/replicas.py``). Each member table is an ordinary table of its
region's DynamoDB service; a :class:`Replica` links it to the group. The groups live in the world
(``world.shared``), since they span partitions.

Design decisions:

* **Replication is fed by the change log.** Each member subscribes a listener to its table's
  change log, so every write path (items, batches, transactions, TTL deletes, restores) reaches the
  other regions, and every replicated write is applied in the target region *through its write
  funnel* (``Table.write``), so its indexes, stream and TTL index follow. A write applied by
  replication is not sent on again: each region sends only its own writes, to every other member.
* **Lag on the world's clock.** A write committed at ``t`` in one region becomes visible in the
  others at ``t + global_table_lag`` (``Emulator(global_table_lag=...)``, seconds, default 0). Each
  member has an inbox ordered by (due time, commit order); one passive timer per member, under the
  target service's lock, delivers what is due when the clock reaches it (``clock.advance`` on the
  virtual clock, the scheduler's thread on the system clock). Passive, so a workflow run to idle
  does not jump time just to replicate.
* **Lag 0 is immediate, without deadlock.** The writer holds its own service's lock. Delivery
  needs the target's lock; taking it blocking could deadlock two threads writing in two regions,
  so a due write is applied at once only if the target's lock is free (``acquire(False)``). If it
  is not, the delivery waits for its timer, and the target's catalog is told to deliver it before
  its next table lookup (``Catalog.deliver_deferred``).
* **Last writer wins, as AWS does.** Every member remembers the version of the last write it
  applied per key, deletes included: ``(commit time, world-wide commit order)``. An incoming write
  older than the member's version is dropped (that member's newer write is on its way to the other
  regions, where it wins). Two writes in the same clock instant are ordered by commit order, so the
  later call wins everywhere.
* **Streams.** The target's stream records a replicated write as any write (INSERT, MODIFY or
  REMOVE against the target's own old image). Version 2019.11.21 adds no ``aws:rep:*`` attributes
  to items or records (only the legacy 2017.11.29 version did).

Costs: a table in no group pays nothing. A member pays one listener call per write, O(log q) per
target for its inbox (q pending deliveries), and keeps one version entry per key ever written.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..scheduler import Timer

if TYPE_CHECKING:
    from .engine.changelog import ChangeRecord
    from .tables import TableMeta

Item = dict[str, Any]
Version = tuple[float, int]

GLOBAL_TABLE_VERSION = "2019.11.21"


@dataclass(frozen=True, slots=True)
class Replication:
    """One write on its way to one member: due time, its version, and the key and new item."""

    due: float
    version: Version
    token: tuple[Any, Any]  # the encoded key (identical in every member: same key schema)
    key: Item
    new: Item | None


class Registry:
    """The world's global tables: ``(account, table name)`` → :class:`GlobalTable`."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str], GlobalTable] = {}
        self.order = itertools.count(1)  # world-wide commit order: the LWW tie-break
        self.mutex = threading.Lock()

    def next_order(self) -> int:
        with self.mutex:
            return next(self.order)


def registry_of(world: Any) -> Registry:
    """The world's registry, created on first use."""
    registry: Registry = world.shared("dynamodb.global-tables", Registry)
    return registry


class GlobalTable:
    """One replication group: region → :class:`Replica`, in the order the members joined."""

    def __init__(self, registry: Registry, account_id: str, name: str) -> None:
        self.registry = registry
        self.account_id = account_id
        self.name = name
        self.members: dict[str, Replica] = {}

    def describe_for(self, region: str) -> dict[str, Any]:
        """DescribeTable's ``GlobalTableVersion`` and ``Replicas`` as seen from ``region``: the
        other members, in the order they joined (the local region is not listed)."""
        others = [r for r in self.members if r != region]
        if not others:  # the last member of a dissolved group: a regional table again
            return {}
        return {
            "GlobalTableVersion": GLOBAL_TABLE_VERSION,
            "Replicas": [{"RegionName": r, "ReplicaStatus": "ACTIVE"} for r in others],
        }

    # Membership changes replace the dict (copy on write): writers of other regions iterate it
    # under their own lock, not the lock of the service changing it.
    def add(self, region: str, member: Replica) -> None:
        self.members = {**self.members, region: member}

    def remove(self, region: str) -> None:
        self.members = {r: m for r, m in self.members.items() if r != region}

    def others(self, region: str) -> list[Replica]:
        return [m for r, m in self.members.items() if r != region]

    def _check(self) -> None:
        """Invariants: every member is linked to its table and region, its inbox is a heap; once
        nothing is on its way, every member holds the same items (the replicas converged)."""
        for region, member in self.members.items():
            assert member.group is self and member.region == region, "member misfiled"
            assert member.meta.replica is member, "table not linked to its member"
            inbox = member.inbox
            assert all(inbox[(i - 1) // 2] <= inbox[i] for i in range(1, len(inbox))), "inbox not a heap"
        if not any(m.inbox for m in self.members.values()):
            contents = [
                sorted(repr(sorted(item.items())) for item in m.meta.store.items())
                for m in self.members.values()
            ]
            assert all(c == contents[0] for c in contents), "replicas did not converge"


class Replica:
    """One member of a group: its table, inbox, per-key versions and change-log listener."""

    def __init__(self, group: GlobalTable, service: Any, meta: TableMeta) -> None:
        self.group = group
        self.service = service
        self.region: str = service.region
        self.meta = meta
        self.clock = service.world.clock
        self.lag = float(service.world.global_table_lag)
        self.versions: dict[tuple[Any, Any], Version] = {}
        self.inbox: list[tuple[float, Version, Replication]] = []
        self.mutex = threading.Lock()  # guards inbox and timer (writers of other regions push)
        self.timer: Timer | None = None
        self.applying: Version | None = None  # set while a replicated write is applied here
        self.detach = meta.store.change_log.subscribe(self.on_change)

    # --- outgoing -----------------------------------------------------------------------------
    def on_change(self, record: ChangeRecord) -> None:
        """Change-log listener: remember the version of this change; send a local one on."""
        token = (record.pk, record.sk)
        if self.applying is not None:
            self.versions[token] = self.applying
            return
        version = (record.time, self.group.registry.next_order())
        self.versions[token] = version
        due = record.time + self.lag
        for target in self.group.others(self.region):
            target.receive(Replication(due, version, token, record.key, record.new))

    # --- incoming -----------------------------------------------------------------------------
    def receive(self, event: Replication) -> None:
        """Queue ``event``; deliver it now if it is due and this member's service is free, else
        when its timer fires (or at the next table lookup here, for a due one)."""
        with self.mutex:
            heapq.heappush(self.inbox, (event.due, event.version, event))
        if event.due <= self.clock.now():
            lock = self.service.lock
            if lock.acquire(False):
                try:
                    self.deliver()
                finally:
                    lock.release()
                return
            self.service.catalog.defer(self)
        self.schedule()

    def schedule(self) -> None:
        """Make sure a timer fires at the inbox head's due time (one timer per member)."""
        with self.mutex:
            if not self.inbox:
                return
            due = self.inbox[0][0]
            if self.timer is not None and not self.timer.cancelled and self.timer.due <= due:
                return
            if self.timer is not None:
                self.timer.cancel()
            self.timer = Timer(due, self.on_timer, self.service.lock, True)
        self.clock.scheduler.add(self.timer)

    def on_timer(self) -> None:
        """The timer's callback (under this member's service lock)."""
        with self.mutex:
            self.timer = None
        self.deliver()
        self.schedule()
        if len(self.group.members) <= 1:
            self.dissolve_when_idle()

    def deliver(self) -> int:
        """Apply every inbox entry due by now, oldest first, last writer wins. The caller holds
        this member's service lock. Returns how many writes changed the table.

        Runtime complexity: O(k (log q + write)) for k due entries."""
        now = self.clock.now()
        applied = 0
        while True:
            with self.mutex:
                if not self.inbox or self.inbox[0][0] > now:
                    return applied
                event = heapq.heappop(self.inbox)[2]
            applied += self.apply(event)

    def apply(self, event: Replication) -> int:
        """One replicated write through this member's write funnel, unless a newer write of the
        same key was made here (LWW). Returns 1 when the table changed."""
        current = self.versions.get(event.token)
        if current is not None and current > event.version:
            return 0
        new = event.new
        self.applying = event.version
        try:
            old, stored = self.meta.store.write(event.key, lambda _old: new)
        finally:
            self.applying = None
        self.versions[event.token] = event.version
        return int(stored is not old)

    def dissolve_when_idle(self) -> None:
        """The last member of a dissolved group: leave it once the writes still on their way here
        (sent before the other members left) have arrived."""
        with self.mutex:
            idle = not self.inbox
        if idle:
            _dissolve(self)

    def close(self) -> None:
        """Leave: stop listening and drop what was on its way here."""
        self.detach()
        with self.mutex:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = None
            self.inbox.clear()


def group_of(meta: TableMeta) -> GlobalTable | None:
    replica: Replica | None = meta.replica
    return replica.group if replica is not None else None


def join(source_service: Any, source: TableMeta, target_service: Any, target: TableMeta) -> None:
    """Make ``target`` (just created and filled from ``source``) a member of ``source``'s group,
    creating the group if ``source`` is in none. ``target`` inherits ``source``'s per-key versions
    and pending deliveries, so it converges to what ``source`` converges to."""
    registry = registry_of(source_service.world)
    group = group_of(source)
    if group is None:
        group = GlobalTable(registry, source_service.account_id, source.name)
        registry.groups[(group.account_id, group.name)] = group
        source.replica = Replica(group, source_service, source)
        group.add(source_service.region, source.replica)
    member = Replica(group, target_service, target)
    origin: Replica = source.replica
    member.versions = dict(origin.versions)
    with origin.mutex:
        member.inbox = list(origin.inbox)
    target.replica = member
    group.add(target_service.region, member)
    member.schedule()


def leave(meta: TableMeta) -> None:
    """Take ``meta`` out of its group (its table is deleted, or its replica removed). A group left
    with one member dissolves: that table is a regional table again and pays nothing."""
    replica: Replica | None = meta.replica
    if replica is None:
        return
    group = replica.group
    replica.close()
    meta.replica = None
    group.remove(replica.region)
    if len(group.members) <= 1:
        group.registry.groups.pop((group.account_id, group.name), None)
        for last in list(group.members.values()):
            last.dissolve_when_idle()


def _dissolve(replica: Replica) -> None:
    replica.close()
    replica.meta.replica = None
    replica.group.remove(replica.region)
