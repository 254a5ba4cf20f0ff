"""ReturnConsumedCapacity (reference §12.1, RC1-RC5): capacity units computed from item sizes.

No throttling happens here; the numbers are what AWS would have charged:

* reads: ``ceil(size / 4 KB)``, halved when eventually consistent; a missing item costs a full
  unit (strong) or a half (eventual). Query/Scan charge the *sum* of the items read (before the
  filter), rounded up once; BatchGetItem rounds each item separately.
* writes: ``ceil(size / 1 KB)`` (at least 1) of the larger of the old and the new item; a delete
  charges the deleted item; BatchWriteItem rounds each item separately.

With ``INDEXES`` the entry also holds ``Table: {CapacityUnits}`` (tables without indexes: the same
value; an index read: 0.0, or the LSI's table fetches, next to the index's own entry). Values are
floats, as on the wire (RC5).
"""

from __future__ import annotations

from typing import Any

from ..values import item_size

READ_UNIT = 4096
WRITE_UNIT = 1024


def read_units(size: int, consistent: bool) -> float:
    units = float(max(1, -(-size // READ_UNIT)))
    return units if consistent else units / 2


def write_units(size: int) -> float:
    return float(max(1, -(-size // WRITE_UNIT)))


def read_units_of(item: dict[str, Any] | None, consistent: bool) -> float:
    """RC1: what reading ``item`` costs (an absent item counts as 0 bytes: still one unit)."""
    return read_units(item_size(item) if item is not None else 0, consistent)


def fetch_units(items: list[dict[str, Any]], consistent: bool) -> float:
    """RC2: what an LSI read's fetches of table items cost: each item rounded up separately."""
    return sum(read_units(item_size(item), consistent) for item in items) if items else 0.0


def write_units_of(old: dict[str, Any] | None, new: dict[str, Any] | None) -> float:
    """RC1: what a write costs: the larger of the item before and after it (absent: 0 bytes)."""
    return write_units(
        max(item_size(old) if old is not None else 0, item_size(new) if new is not None else 0)
    )


def entry(mode: str | None, table: str, units: float) -> dict[str, Any] | None:
    """The ``ConsumedCapacity`` entry for one table, or None when not asked for."""
    if mode is None or mode == "NONE":
        return None
    out: dict[str, Any] = {"TableName": table, "CapacityUnits": units}
    if mode == "INDEXES":
        out["Table"] = {"CapacityUnits": units}
    return out


def index_write_units(index: Any, old: dict[str, Any] | None, new: dict[str, Any] | None) -> float:
    """RC3: what a table write costs one index: a new entry 1, a key change 2 (delete + put), a
    removal 1, an update in place 1, no entry before or after 0; each per KB of the index entry."""
    old_key = index.entry_key(old) if old is not None else None
    new_key = index.entry_key(new) if new is not None else None
    if old_key is None and new_key is None:
        return 0.0
    if old_key is not None and new_key is not None:
        units = write_units(item_size(index.project(new)))
        return 2 * units if old_key != new_key else units
    present = new if new_key is not None else old
    return write_units(item_size(index.project(present)))  # type: ignore[arg-type]


def write_entry(
    mode: str, meta: Any, table_units: float, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> dict[str, Any] | None:
    """ConsumedCapacity of a single-item write, with the indexes it touched (RC1, RC3)."""
    if not meta.indexes:
        return entry(mode, meta.name, table_units)
    per_index = {name: index_write_units(index, old, new) for name, index in meta.indexes.items()}
    total = table_units + sum(per_index.values())
    out = entry(mode, meta.name, total)
    if out is not None and mode == "INDEXES":
        out["Table"] = {"CapacityUnits": table_units}
        for name, units in per_index.items():
            if units:
                member = "GlobalSecondaryIndexes" if meta.indexes[name].is_global else "LocalSecondaryIndexes"
                out.setdefault(member, {})[name] = {"CapacityUnits": units}
    return out
