"""Tags (TagResource, UntagResource, ListTagsOfResource), DescribeLimits and DescribeEndpoints.

Reference §13.3 (TG1, MS1). A ``ResourceArn`` must be a table ARN of this account and region;
tags apply at once (AWS applies them with eventual consistency; "at once" is one legal outcome).
"""

from __future__ import annotations

from typing import Any

from .. import messages as M
from .. import request_shapes as shapes
from ..errors import ResourceNotFoundException, ValidationException
from ..tables import TableMeta
from . import registry
from .control import check_tags

LIMITS = {
    "AccountMaxReadCapacityUnits": 80000,
    "AccountMaxWriteCapacityUnits": 80000,
    "TableMaxReadCapacityUnits": 40000,
    "TableMaxWriteCapacityUnits": 40000,
}


def _resource(service: Any, arn: str) -> TableMeta:
    if not arn.startswith("arn:"):
        raise ValidationException(M.INVALID_ARN)
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[2] != "dynamodb" or not parts[5].startswith("table/"):
        raise ValidationException(M.invalid_resource_arn(arn))
    if "/index/" in parts[5] or "/stream/" in parts[5]:
        raise ValidationException(M.invalid_resource_arn(arn))
    meta = service.catalog.by_arn(arn)
    if meta is None:
        raise ResourceNotFoundException(M.arn_not_found(arn))
    return meta


@registry("TagResource", shape=shapes.TAG_RESOURCE)
def tag_resource(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = _resource(service, request["ResourceArn"])
    if not request["Tags"]:
        raise ValidationException(M.TAGS_EMPTY)
    merged = dict(meta.tags)
    merged.update(check_tags(request["Tags"]))
    if len(merged) > 50:
        raise ValidationException(M.TAGS_TOO_MANY)
    meta.tags = merged
    return {}


@registry("UntagResource", shape=shapes.UNTAG_RESOURCE)
def untag_resource(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = _resource(service, request["ResourceArn"])
    if not request["TagKeys"]:
        raise ValidationException(M.TAG_KEYS_EMPTY)
    for key in request["TagKeys"]:
        meta.tags.pop(key, None)
    return {}


@registry("ListTagsOfResource", shape=shapes.LIST_TAGS_OF_RESOURCE)
def list_tags_of_resource(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = _resource(service, request["ResourceArn"])
    return {"Tags": [{"Key": k, "Value": v} for k, v in meta.tags.items()]}


@registry("DescribeLimits")
def describe_limits(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return dict(LIMITS)


@registry("DescribeEndpoints")
def describe_endpoints(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return {
        "Endpoints": [{"Address": f"dynamodb.{service.region}.amazonaws.com", "CachePeriodInMinutes": 1440}]
    }
