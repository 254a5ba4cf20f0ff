"""Time to Live: each table's TTL setting, its expiry index, and the sweep that deletes expired items.

Reference §13.3 TTL1 (the two operations) and §15 TL1-TL4 (the expiry rules).

* **Eligibility (TL1).** An item can expire when the configured attribute is a top-level ``N``
  holding epoch seconds (fractions and exponent forms are fine); missing, ``S``, set-typed or nested
  values are ignored. It is deleted once the clock passes ``expiry + delay`` (below), unless the
  expiry lies more than :data:`MAX_PAST_SECONDS` (5 years, [INF] 5 x 365 days) before the sweep.
* **Sweep delay (TL2, TL4).** AWS deletes "typically within 48 h", about 10 minutes for small
  tables. The emulator deletes an item at the first sweep at or after ``expiry + delay``, with
  ``delay`` = :data:`DEFAULT_SWEEP_DELAY` (600 s) unless the Emulator was built with
  ``ttl_sweep_delay=<seconds>`` (0 = the next clock move; negative counts as 0). Not instant by default, so an expired item stays
  visible (and updatable) until swept, as on AWS; ``aws.clock.advance(hours=49)`` always sweeps.
* **When the sweep runs.** On a virtual clock: after every clock move (a clock listener, added when
  the first table enables TTL) — the test's ``advance`` and equally the scheduler's jumps for a
  Step Functions Wait, retry interval or timeout, which move the clock to each timer's due time
  before the timer runs, so a state after a two-hour Wait sees the items that expired during it
  gone — and on demand through ``aws.dynamodb.expire_ttl_now()`` (a
  native-only extra, which ignores the delay: everything already expired goes). On the system
  clock (``emulator serve``): a daemon thread sweeps every :data:`SYSTEM_SWEEP_INTERVAL` seconds
  while any table has TTL enabled.
* **O(expired) per sweep.** Each TTL-enabled table keeps a sorted index of expiry times, fed by the
  table's change log as a push listener (so every write path, transactions included, keeps it
  current) and built from the existing items when TTL is enabled (TL2: those are processed too).
  A sweep pops index heads while they are due; tables without TTL have no listener and pay nothing.
* **Deletes (TL3).** Through the one write funnel ``Table.write`` (indexes and streams follow), under
  the DynamoDB service lock as operations run, with the change log's ``principal`` set to
  ``dynamodb.amazonaws.com`` so the stream REMOVE record carries ``userIdentity``. No capacity is
  consumed (TL2): the sweep is not a request. The mutate callback re-checks the stored item, so an
  item whose attribute changed (or that is gone) is never deleted or resurrected.
* **Status.** Enabling and disabling finish at once (ENABLED / DISABLED; the ENABLING/DISABLING
  transitions are not shown), as table status does in ``tables.py``. A second change within
  :data:`MODIFY_INTERVAL` seconds (1 h, TTL1) is refused on the clock.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sortedcontainers import SortedList

from ..clock import Clock

if TYPE_CHECKING:
    from .engine.changelog import ChangeRecord
    from .tables import TableMeta

Item = dict[str, Any]

DEFAULT_SWEEP_DELAY = 600.0
MAX_PAST_SECONDS = 5 * 365 * 86400.0
MODIFY_INTERVAL = 3600.0
SYSTEM_SWEEP_INTERVAL = 1.0
TTL_PRINCIPAL = "dynamodb.amazonaws.com"


def expiry_of(item: Item | None, attribute: str) -> float | None:
    """The epoch-seconds expiry an item carries (TL1), or None when it cannot expire. O(1)."""
    if item is None:
        return None
    value = item.get(attribute)
    if value is None:
        return None
    number = value.get("N")
    if number is None:
        return None
    try:
        return float(number)
    except (OverflowError, ValueError):  # pragma: no cover - stored numbers are canonical
        return None


@dataclass(slots=True)
class ExpiryIndex:
    """Expiry time → key of every item of one table that carries a numeric TTL attribute.

    ``order`` is a SortedList of ``(expiry, n)`` (``n`` a unique tie-breaker); ``entries[n]`` the
    item's encoded key and key dict; ``by_key`` the current entry of an encoded key.
    Add/remove O(log n); popping the due heads O(k log n) for k due items.
    """

    attribute: str
    order: SortedList = field(default_factory=SortedList)
    entries: dict[int, tuple[Any, Item]] = field(default_factory=dict)
    by_key: dict[Any, tuple[float, int]] = field(default_factory=dict)
    _ids: Any = field(default_factory=itertools.count)

    def set(self, token: Any, key: Item, item: Item | None) -> None:
        """Record the item now stored under ``token`` (None = deleted). O(log n); O(1) when the
        expiry did not change (an overwrite that keeps it)."""
        expiry = expiry_of(item, self.attribute)
        current = self.by_key.get(token)
        if current is not None:
            if current[0] == expiry:
                return
            del self.by_key[token]
            self.order.remove(current)
            del self.entries[current[1]]
        if expiry is not None:
            entry = (expiry, next(self._ids))
            self.order.add(entry)
            self.entries[entry[1]] = (token, key)
            self.by_key[token] = entry

    def load(self, rows: list[tuple[Any, Item, Item]]) -> None:
        """Bulk-build from ``(token, key, item)`` rows of an empty index: O(n log n), one sort."""
        entries = []
        for token, key, item in rows:
            expiry = expiry_of(item, self.attribute)
            if expiry is not None:
                entry = (expiry, next(self._ids))
                entries.append(entry)
                self.entries[entry[1]] = (token, key)
                self.by_key[token] = entry
        self.order = SortedList(entries)

    def on_change(self, change: ChangeRecord) -> None:
        """Change-log listener: keep the index equal to the stored items."""
        self.set((change.pk, change.sk), change.key, change.new)

    def pop_due(self, until: float) -> list[tuple[float, Item]]:
        """Remove and return ``(expiry, key)`` of every entry with expiry <= ``until``, oldest first."""
        order = self.order
        due: list[tuple[float, Item]] = []
        while order and order[0][0] <= until:
            expiry, n = order.pop(0)
            token, key = self.entries.pop(n)
            del self.by_key[token]
            due.append((expiry, key))
        return due

    def __len__(self) -> int:
        return len(self.order)

    def _check(self, store: Any) -> None:
        """Invariants: order, entries and by_key agree, and every indexed key is stored with
        that expiry (items due but not yet swept stay indexed until the sweep pops them)."""
        assert len(self.order) == len(self.entries) == len(self.by_key), "index parts disagree"
        for expiry, n in self.order:
            token, key = self.entries[n]
            assert self.by_key[token] == (expiry, n), "by_key disagrees with order"
            assert expiry_of(store.get(key), self.attribute) == expiry, "index disagrees with the table"
        stored = sum(1 for item in store.items() if expiry_of(item, self.attribute) is not None)
        assert stored >= len(self.order), "index holds more keys than the table"


@dataclass(slots=True)
class TimeToLive:
    """One table's TTL setting (``TableMeta.ttl``) and, while enabled, its expiry index."""

    enabled: bool = False
    attribute: str | None = None
    last_change: float | None = None
    index: ExpiryIndex | None = None
    detach: Any = None

    def describe(self) -> dict[str, Any]:
        """``TimeToLiveDescription`` (TTL1): no AttributeName while DISABLED."""
        if not self.enabled:
            return {"TimeToLiveStatus": "DISABLED"}
        return {"TimeToLiveStatus": "ENABLED", "AttributeName": self.attribute}

    def enable(self, attribute: str, store: Any, now: float) -> None:
        """Build the index from the stored items (O(n log n)) and follow the change log."""
        index = ExpiryIndex(attribute)
        extract, encode = store.schema.extract_key, store._encode
        index.load([(encode(key), key, item) for item in store.items() for key in (extract(item),)])
        self.index = index
        self.detach = store.change_log.subscribe(index.on_change)
        self.enabled, self.attribute, self.last_change = True, attribute, now

    def disable(self, now: float) -> None:
        if self.detach is not None:
            self.detach()
        self.detach = None
        self.index = None
        self.enabled, self.last_change = False, now


class Sweeper:
    """The sweep of one DynamoDB service: the TTL-enabled tables and when to sweep them."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.catalog = service.catalog
        self.clock: Clock = service.world.clock
        self.delay = max(0.0, float(service.world.options.get("ttl_sweep_delay", DEFAULT_SWEEP_DELAY)))
        self.tables: dict[str, TableMeta] = {}
        self._subscribed = False
        self._thread: threading.Thread | None = None

    def track(self, meta: TableMeta) -> None:
        """Start sweeping a table (its TTL was just enabled)."""
        self.tables[meta.name] = meta
        if self.clock.virtual:
            if not self._subscribed:
                self.clock.subscribe(self.on_clock)
                self._subscribed = True
        elif self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=_system_loop, args=(weakref.ref(self),), name="emulator-ttl-sweep", daemon=True
            )
            self._thread.start()

    def untrack(self, meta: TableMeta) -> None:
        if self.tables.get(meta.name) is meta:
            del self.tables[meta.name]

    def stop(self) -> None:
        """Sweep nothing more (its service was reset): no tables, off the clock; a system-clock
        loop ends at its next turn, finding no tables."""
        self.tables.clear()
        self.clock.unsubscribe(self.on_clock)
        self._subscribed = False

    def on_clock(self, now: float) -> None:
        """Clock listener: sweep what is due (O(tables with TTL) when nothing is)."""
        if self.tables and self.sweep(now - self.delay):
            consumers = self.service.stream_consumers
            if consumers is not None:  # stream consumers see the deletes on this clock move
                consumers.timers.scheduler.run_due()

    def sweep(self, until: float, only: str | None = None) -> int:
        """Delete every eligible item whose expiry is <= ``until`` (of table ``only``, if given);
        returns how many were deleted. O(tables with TTL + k log n) for k due entries."""
        deleted = 0
        with self.service.lock:
            now = self.clock.now()
            for name, meta in list(self.tables.items()):
                if only is not None and name != only:
                    continue
                ttl = meta.ttl
                if self.catalog.tables.get(name) is not meta or ttl is None or ttl.index is None:
                    del self.tables[name]  # table deleted, or TTL disabled
                    continue
                for expiry, key in ttl.index.pop_due(until):
                    if expiry >= now - MAX_PAST_SECONDS:  # TL1: older than 5 years is ignored
                        deleted += _expire(meta.store, key, ttl.index.attribute, expiry)
        return deleted


def _expire(store: Any, key: Item, attribute: str, expiry: float) -> int:
    """Delete one item through the write funnel if it still carries ``expiry`` (TL2, TL3)."""

    def mutate(old: Item | None) -> Item | None:
        if expiry_of(old, attribute) != expiry:
            return old  # updated or removed since it was indexed: no change, nothing logged
        return None

    log = store.change_log
    log.principal = TTL_PRINCIPAL
    try:
        old, new = store.write(key, mutate)
    finally:
        log.principal = None
    return int(old is not None and new is None)


def _system_loop(ref: weakref.ReferenceType[Sweeper]) -> None:
    """System clock: sweep every SYSTEM_SWEEP_INTERVAL seconds while a table has TTL enabled."""
    while True:
        sweeper = ref()
        if sweeper is None or not sweeper.tables:
            return
        sweeper.on_clock(sweeper.clock.now())
        clock = sweeper.clock
        del sweeper
        clock.sleep(SYSTEM_SWEEP_INTERVAL)


def sweeper_of(service: Any) -> Sweeper:
    """The service's sweeper, created on first use (a service without TTL never has one)."""
    catalog = service.catalog
    sweeper = catalog.ttl_sweeper
    if sweeper is None:
        sweeper = catalog.ttl_sweeper = Sweeper(service)
    return sweeper


def expire_now(service: Any, table_name: str | None = None) -> int:
    """Sweep at once, ignoring the delay: every eligible item with expiry <= now goes (TL4).

    ``table_name`` restricts the sweep to one table. Returns the number of items deleted.
    """
    sweeper = service.catalog.ttl_sweeper
    if sweeper is None:
        return 0
    return sweeper.sweep(sweeper.clock.now(), table_name)
