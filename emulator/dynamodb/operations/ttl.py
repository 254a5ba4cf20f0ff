"""UpdateTimeToLive and DescribeTimeToLive (reference §13.3 TTL1; the sweep itself is ``ttl.py``).

Check order: the request shape (``request_shapes.UPDATE_TIME_TO_LIVE``), the table (control-plane
ResourceNotFoundException text), then the state rules — already enabled, already disabled, another
attribute name on disable — and last the one-change-per-hour rule (a repeated, refused request
says what is wrong with it rather than that it came too soon [INF]).
"""

from __future__ import annotations

from typing import Any

from .. import messages as M
from .. import request_shapes as shapes
from ..errors import ValidationException
from ..ttl import MODIFY_INTERVAL, TimeToLive, sweeper_of
from . import registry


@registry("UpdateTimeToLive", shape=shapes.UPDATE_TIME_TO_LIVE)
def update_time_to_live(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = service.catalog.get_for_control(request["TableName"])
    spec = request["TimeToLiveSpecification"]
    enabled, attribute = bool(spec["Enabled"]), spec["AttributeName"]
    ttl: TimeToLive = meta.ttl if meta.ttl is not None else TimeToLive()
    if enabled and ttl.enabled:
        raise ValidationException(M.TTL_ALREADY_ENABLED)
    if not enabled and not ttl.enabled:
        raise ValidationException(M.TTL_ALREADY_DISABLED)
    if not enabled and attribute != ttl.attribute:
        raise ValidationException(M.ttl_different_attribute(str(ttl.attribute)))
    now = service.world.clock.now()
    if ttl.last_change is not None and now - ttl.last_change < MODIFY_INTERVAL:
        raise ValidationException(M.TTL_MODIFIED_TOO_OFTEN)
    sweeper = sweeper_of(service)
    if enabled:
        ttl.enable(attribute, meta.store, now)
        meta.ttl = ttl
        sweeper.track(meta)
    else:
        ttl.disable(now)
        sweeper.untrack(meta)
    return {"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}


@registry("DescribeTimeToLive", shape=shapes.DESCRIBE_TIME_TO_LIVE)
def describe_time_to_live(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = service.catalog.get_for_control(request["TableName"])
    ttl = meta.ttl if meta.ttl is not None else TimeToLive()
    return {"TimeToLiveDescription": ttl.describe()}
