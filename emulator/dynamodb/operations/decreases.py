"""UpdateTable's daily budget of provisioned-throughput decreases (docs/rules/dynamodb.md TH2).

AWS (Developer Guide, "Service, account, and table quotas"; ack-api-quirks DDB-TABLE-184, verified
against AWS 2026-10-09): a table's throughput may be decreased four times at any time of a UTC
day; after that, once per hour (3,600 seconds after the last decrease), until the day ends and the
count starts again. A call that lowers read and write capacity together is one decrease. The
fifth decrease within the hour answers ``LimitExceededException`` naming the count, the last
decrease and when the next one can be made (the sooner of an hour after the last and the next
midnight UTC).

The count DescribeTable shows (``NumberOfDecreasesToday``) is the table's; it starts again when the
first decrease of a new day is made. Global secondary indexes' own budgets are not modelled.
"""

from __future__ import annotations

from typing import Any

from .. import messages as M
from ..errors import LimitExceededException

FREE_DECREASES = 4
DECREASE_INTERVAL = 3600.0
DAY = 86400.0


def _count_today(meta: Any, now: float) -> int:
    last = meta.last_decrease
    if last is None or last // DAY != now // DAY:
        return 0
    return int(meta.decreases_today)


def checked(meta: Any, new_rcu: int, new_wcu: int, billing_mode: str) -> tuple[int, int]:
    """``(new_rcu, new_wcu)`` when the table may take them; LimitExceededException for a decrease
    past the day's budget."""
    if billing_mode == "PROVISIONED" and (new_rcu < meta.read_capacity or new_wcu < meta.write_capacity):
        now = meta.store.clock.now()
        count = _count_today(meta, now)
        if count >= FREE_DECREASES and now < meta.last_decrease + DECREASE_INTERVAL:
            next_allowed = min(meta.last_decrease + DECREASE_INTERVAL, (meta.last_decrease // DAY + 1) * DAY)
            raise LimitExceededException(M.decreases_limited(count, meta.last_decrease, next_allowed))
    return new_rcu, new_wcu


def record(meta: Any, now: float) -> None:
    """An accepted decrease: the day's count (started again on a new UTC day) and its time."""
    meta.decreases_today = _count_today(meta, now) + 1
    meta.last_decrease = now
