"""``aws.dynamodb.usage()``: per table and GSI, what was consumed, what is stored, what it costs.

Counts (consumed RCU/WCU, requests, throttles, the hottest partitions and partition keys) come
from the capacity model and exist only while it is on (``capacity="enforce"`` or ``"track"``);
without it a row holds the items, sizes and the storage part of the cost. Item counts and sizes
are read from the tables when the report is made.

Monthly cost estimates extrapolate what the model saw over its window on the world's clock (from
its first charge of the resource to now, at least one second) to a 730-hour month:

* on-demand: consumed read and write request units at the per-million prices;
* provisioned: the table's provisioned RCU/WCU, or, for an on-demand table, the busiest second
  seen (what provisioning would have had to cover), at the per-hour prices;
* both: storage (items + 100 bytes each, S4) at the per-GB-month price.

Prices are ``emulator/pricing.py``'s (us-east-1, with their source and date).
"""

from __future__ import annotations

from typing import Any

from ... import pricing
from ...usage import UsageReport
from ..tables import ITEM_OVERHEAD_BYTES

COLUMNS = [
    ("name", "table/index"),
    ("billing_mode", "mode"),
    ("items", "items"),
    ("size_bytes", "bytes"),
    ("consumed_rcu", "RCU"),
    ("consumed_wcu", "WCU"),
    ("throttled_requests", "throttled"),
    ("partitions", "partitions"),
    ("hot_keys", "hottest keys"),
    ("monthly_on_demand_usd", "$/month on-demand"),
    ("monthly_provisioned_usd", "$/month provisioned"),
]

GB = 1024**3


def _storage_cost(items: int, size: int) -> float:
    return (size + ITEM_OVERHEAD_BYTES * items) / GB * pricing.DYNAMODB["storage_gb_month"]


def _counts(res: Any, now: float) -> dict[str, Any]:
    """The capacity model's numbers for one resource."""

    def top(units: dict[str, float], n: int) -> list[Any]:
        ranked = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        return [{"key": k, "units": round(v, 2)} for k, v in ranked]

    parts: dict[int, list[float]] = {}
    for direction in (0, 1):
        for part, units in res.partition_units[direction].items():
            parts.setdefault(part, [0.0, 0.0])[direction] += units
    hottest = sorted(parts.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:3]
    return {
        "consumed_rcu": round(res.consumed[0], 2),
        "consumed_wcu": round(res.consumed[1], 2),
        "read_requests": res.requests[0],
        "write_requests": res.requests[1],
        "throttled_reads": res.throttled[0],
        "throttled_writes": res.throttled[1],
        "throttled_requests": res.throttled[0] + res.throttled[1],
        "partitions": res.partitions,
        "hot_partitions": [
            {"partition": p, "rcu": round(u[0], 2), "wcu": round(u[1], 2)} for p, u in hottest
        ],
        "hot_keys": [f"{h['key']} ({h['units']:g})" for h in top(res.key_units, 3)],
        "hot_key_units": top(res.key_units, 5),
        "peak_rcu_per_second": round(res.peak[0], 2),
        "peak_wcu_per_second": round(res.peak[1], 2),
        "window_seconds": max(now - res.started, 1.0),
    }


def _costs(row: dict[str, Any], res: Any, storage: float) -> None:
    """The two monthly estimates of a row (see the module docstring)."""
    p = pricing.DYNAMODB
    hours = pricing.HOURS_PER_MONTH
    if res is None:
        row["monthly_on_demand_usd"] = round(storage, 4)
        row["monthly_provisioned_usd"] = round(
            storage + (row["rcu"] * p["rcu_hour"] + row["wcu"] * p["wcu_hour"]) * hours, 4
        )
        return
    scale = pricing.SECONDS_PER_MONTH / row["window_seconds"]
    on_demand = (res.consumed[0] * p["read_request_unit"] + res.consumed[1] * p["write_request_unit"]) * scale
    rcu, wcu = (row["rcu"], row["wcu"]) if res.provisioned else (res.peak[0], res.peak[1])
    row["monthly_on_demand_usd"] = round(on_demand + storage, 4)
    row["monthly_provisioned_usd"] = round((rcu * p["rcu_hour"] + wcu * p["wcu_hour"]) * hours + storage, 4)


def _row(model: Any, meta: Any, index: Any, now: float) -> dict[str, Any]:
    holder = meta if index is None else index
    items = holder.store.item_count if index is None else holder.item_count
    size = holder.store.size_bytes if index is None else holder.size_bytes
    row: dict[str, Any] = {
        "name": meta.name if index is None else f"{meta.name}/{index.name}",
        "table": meta.name,
        "index": None if index is None else index.name,
        "billing_mode": meta.billing_mode,
        "rcu": holder.read_capacity,
        "wcu": holder.write_capacity,
        "items": items,
        "size_bytes": size,
    }
    res = None
    if model is not None:
        res = model.resources.get((meta.table_id, None if index is None else index.name))
        if res is not None:
            row.update(_counts(res, now))
    _costs(row, res, _storage_cost(items, size))
    return row


def dynamodb_usage(service: Any) -> UsageReport:
    """The report of one DynamoDB service (one account and region)."""
    model = service.capacity
    now = service.world.clock.now()
    rows = []
    with service.lock:
        for meta in list(service.catalog.tables.values()):
            rows.append(_row(model, meta, None, now))
            for index in meta.indexes.values():
                if index.is_global:
                    rows.append(_row(model, meta, index, now))
    mode = "off" if model is None else ("enforce" if model.enforce else "track")
    meta_info = {
        "region": service.region,
        "account": service.account_id,
        "capacity": mode,
        "prices": {"region": pricing.REGION, "date": pricing.PRICES_DATE, "source": pricing.DYNAMODB_SOURCE},
    }
    return UsageReport("dynamodb", rows, COLUMNS, meta_info)
