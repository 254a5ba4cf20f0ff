"""The capacity model of one DynamoDB service (one account and region): admit or throttle, count.

``Emulator(capacity="enforce")`` gives each DynamoDB service a :class:`CapacityModel` that the
item operations call with what a request consumes, *before* a write is applied (a throttled write
changes nothing) and after a read has sized its items (a read has no effect to undo).
``capacity="track"`` counts the same numbers for ``usage()`` but never throttles. Without the
option the service's ``capacity`` is None and the operations pay one attribute test; the plain
PutItem/GetItem fast paths are not even consulted with the model on (``service.py``), so their
cost is unchanged without it.

The units are the ones ``ReturnConsumedCapacity`` reports, computed by the same functions
(``operations/capacity.py``): a request is charged exactly what its ``ConsumedCapacity`` says.
Global secondary indexes are their own resources (a write that a GSI cannot absorb throttles the
base table's write, as AWS documents); local secondary indexes share the table's capacity.

Everything reads the world's clock, so on the virtual clock a workload is deterministic and a
bucket refills as the test moves time.
"""

from __future__ import annotations

from typing import Any

from ..operations.capacity import index_write_units, write_units
from ..values import item_size
from .resource import READ, WRITE, Resource
from .throttle import KEY_RANGE, TABLE_LIMIT, throttled

MODES = ("enforce", "track")

#: A charge: the resource, its units, the partition (None: the table-level bucket only), the key.
Charge = tuple[Resource, float, "int | None", "str | None"]


def check_mode(mode: Any) -> None:
    """``ValueError`` for a ``capacity=`` value the emulator does not have."""
    if mode is not None and mode not in MODES:
        raise ValueError(f"unknown capacity {mode!r}: use 'enforce', 'track' or None (off)")


def key_text(hash_value: Any) -> str:
    """A partition-key value as the report shows it: ``S:alice``, ``N:42``."""
    for type_, raw in hash_value.items():
        return f"{type_}:{raw}" if isinstance(raw, str) else f"{type_}:{raw!r}"
    return "?"


class CapacityModel:
    """Buckets and counters for every table and GSI of one DynamoDB service."""

    def __init__(self, service: Any, mode: str) -> None:
        check_mode(mode)
        self.service = service
        self.enforce = mode == "enforce"
        self.clock = service.world.clock
        self.resources: dict[tuple[str, str | None], Resource] = {}

    def resource(self, meta: Any, index: Any, now: float) -> Resource:
        """The resource of a table (``index`` None) or of one of its GSIs, made on first use."""
        key = (meta.table_id, None if index is None else index.name)
        res = self.resources.get(key)
        if res is None or res.meta is not meta or (index is not None and res.index is not index):
            res = self.resources[key] = Resource(meta, index, now)
        else:
            res.sync(now)
        return res

    # --- writes ---------------------------------------------------------------------------------

    def charge_write(
        self,
        meta: Any,
        key: dict[str, Any],
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        factor: float = 1.0,
        indexes: bool = True,
    ) -> None:
        """Admit (or throttle) and count one item write; call before the write is applied.
        ``factor``: 2 for a transactional write; ``indexes`` False: a ConditionCheck, which
        touches no index."""
        now = self.clock.now()
        old_size = item_size(old) if old is not None else 0
        new_size = item_size(new) if new is not None else 0
        units = write_units(max(old_size, new_size))
        table = self.resource(meta, None, now)
        hash_value = key[meta.hash_name]
        charges: list[Charge] = []
        for index in meta.indexes.values() if indexes else ():
            index_units = index_write_units(index, old, new)
            if not index_units:
                continue
            if not index.is_global:
                units += index_units  # an LSI's writes are the table's
                continue
            gsi = self.resource(meta, index, now)
            entry = index.entry_key(new) if new is not None else None
            if entry is None and old is not None:
                entry = index.entry_key(old)
            part = gsi.partition_of(entry[0]) if entry is not None else None
            charges.append((gsi, index_units * factor, part, None))
        charges.insert(0, (table, units * factor, table.partition_of(hash_value), key_text(hash_value)))
        self._apply(WRITE, charges, now)
        table.grow(new_size - old_size)

    # --- reads ----------------------------------------------------------------------------------

    def charge_read(self, meta: Any, index: Any, hash_value: Any, units: float) -> None:
        """Admit (or throttle) and count one read of ``units`` from the table, or from ``index``
        when it is a GSI; ``hash_value`` is the partition-key value read (None: a Scan, charged to
        the table-level limit only)."""
        now = self.clock.now()
        gsi = index is not None and index.is_global
        res = self.resource(meta, index if gsi else None, now)
        part = key = None
        if hash_value is not None:
            part = res.partition_of(hash_value)
            key = key_text(hash_value) if not gsi else None
        self._apply(READ, [(res, units, part, key)], now)

    # --- admission ------------------------------------------------------------------------------

    def _apply(self, direction: int, charges: list[Charge], now: float) -> None:
        if self.enforce:
            for res, _units, part, _key in charges:
                cause = None
                if not res.buckets[direction].available(now):
                    cause = TABLE_LIMIT
                elif part is not None and not res.partition_bucket(direction, part, now).available(now):
                    cause = KEY_RANGE
                if cause is not None:
                    res.throttled[direction] += 1
                    if res is not charges[0][0]:  # a GSI throttled the table's write
                        charges[0][0].throttled[direction] += 1
                    raise throttled(res, direction, cause)
            for res, units, part, _key in charges:
                res.buckets[direction].take(units)
                if part is not None:
                    res.partition_bucket(direction, part, now).take(units)
        for res, units, part, key in charges:
            res.record(direction, units, part, key, now)
