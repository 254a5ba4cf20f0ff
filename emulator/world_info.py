"""What a world holds, counted: the answer of ``GET /_emulator/info`` and ``aws.info()``.

Counts are read from the service objects already built; a partition or service nobody used has
none, so asking never builds one (the answer for a fresh world is all zeros, at no cost).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

__all__ = ["describe", "clock_state"]


def clock_state(clock: Any) -> dict[str, Any]:
    """The clock as JSON: epoch seconds, ISO 8601 text (of the same reading), and whether it is
    virtual."""
    now = clock.now()
    return {
        "now": now,
        "time": _dt.datetime.fromtimestamp(now, _dt.timezone.utc).isoformat(),
        "virtual": bool(clock.virtual),
        "autoAdvance": bool(getattr(clock, "auto_advance", False)),
    }


def _partition_counts(svc_by_name: dict[str, Any]) -> dict[str, Any]:
    counts: dict[str, Any] = {"tables": 0, "stateMachines": 0, "executions": 0, "executionsByStatus": {}}
    ddb = svc_by_name.get("dynamodb")
    if ddb is not None:
        counts["tables"] = len(ddb.catalog.tables)
    sfn = svc_by_name.get("stepfunctions")
    if sfn is not None:
        with sfn.lock:
            executions = list(sfn.executions.values())
            counts["stateMachines"] = len(sfn.state_machines)
        counts["executions"] = len(executions)
        counts["executionsByStatus"] = dict(sorted(Counter(ex.status for ex in executions).items()))
    return counts


def describe(world: Any, services: Iterable[str]) -> dict[str, Any]:
    """Version, services, clock, regions and per-partition counts of tables and executions."""
    from . import __version__

    partitions: dict[Any, dict[str, Any]] = {world.default_partition: {}}
    for svc in world.services():
        partitions.setdefault(svc.partition, {})[svc.name] = svc
    rows = [
        {"accountId": p.account_id, "region": p.region, **_partition_counts(svcs)}
        for p, svcs in sorted(partitions.items(), key=lambda kv: (kv[0].account_id, kv[0].region))
    ]
    store = world._shared.get("s3.objects")
    return {
        "version": __version__,
        "services": list(services),
        "accountId": world.account_id,
        "region": world.region,
        "regions": sorted({row["region"] for row in rows}),
        "clock": clock_state(world.clock),
        "tables": sum(row["tables"] for row in rows),
        "stateMachines": sum(row["stateMachines"] for row in rows),
        "executions": sum(row["executions"] for row in rows),
        "buckets": len(store.buckets) if store is not None else 0,
        "partitions": rows,
    }
