"""Tags (TagResource, UntagResource, ListTagsOfResource), DescribeLimits and DescribeEndpoints.

Reference §13.3 (TG1, MS1). A ``ResourceArn`` must be a table ARN of this account and region (see
:func:`_resource` for the answers to other ARNs); tag keys and values use AWS's tag alphabet;
tags apply at once (AWS applies them with eventual consistency; "at once" is one legal outcome).
"""

from __future__ import annotations

from typing import Any

from .. import messages as M
from .. import request_shapes as shapes
from ..errors import AccessDeniedException, ResourceNotFoundException, ValidationException
from ..tables import TableMeta
from . import registry
from .control import check_tag_characters, check_tags

LIMITS = {
    "AccountMaxReadCapacityUnits": 80000,
    "AccountMaxWriteCapacityUnits": 80000,
    "TableMaxReadCapacityUnits": 40000,
    "TableMaxWriteCapacityUnits": 40000,
}


def _check_arn(arn: str) -> None:
    """The ``ResourceArn`` checks that need no table (TG1), before the request's other table-free
    checks and the lookup (issue 11 rule 1): no ``arn:`` prefix; not a table or stream ARN (an
    index ARN, another service's, a malformed one); a stream ARN (not taggable [INF])."""
    if not arn.startswith("arn:"):
        raise ValidationException(M.ARN_PREFIX_REQUIRED)
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[2] != "dynamodb" or not parts[5].startswith("table/") or "/index/" in parts[5]:
        raise ValidationException(M.not_table_or_stream_arn(arn))
    if "/stream/" in parts[5]:
        raise ValidationException(M.invalid_resource_arn(arn))


def _resource(service: Any, arn: str, action: str) -> TableMeta:
    """The table a well-formed ``ResourceArn`` names: another account's table answers
    AccessDenied [INF], a missing table ResourceNotFoundException (TG1)."""
    parts = arn.split(":", 5)
    if parts[4] != service.account_id:
        raise AccessDeniedException(M.tag_access_denied(service.account_id, action, arn))
    meta = service.catalog.by_arn(arn)
    if meta is None:
        raise ResourceNotFoundException(M.arn_not_found(arn))
    return meta


@registry("TagResource", shape=shapes.TAG_RESOURCE)
def tag_resource(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    check_tag_characters(request["Tags"])  # a constraint of the request: before the ARN (Coral)
    _check_arn(request["ResourceArn"])
    if not request["Tags"]:
        raise ValidationException(M.TAGS_EMPTY)
    tags = check_tags(request["Tags"])
    meta = _resource(service, request["ResourceArn"], "TagResource")
    merged = dict(meta.tags)
    merged.update(tags)
    if len(merged) > 50:
        raise ValidationException(M.TAGS_TOO_MANY)
    meta.tags = merged
    return {}


@registry("UntagResource", shape=shapes.UNTAG_RESOURCE)
def untag_resource(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    _check_arn(request["ResourceArn"])
    if not request["TagKeys"]:
        raise ValidationException(M.TAG_KEYS_EMPTY)
    meta = _resource(service, request["ResourceArn"], "UntagResource")
    for key in request["TagKeys"]:
        meta.tags.pop(key, None)
    return {}


@registry("ListTagsOfResource", shape=shapes.LIST_TAGS_OF_RESOURCE)
def list_tags_of_resource(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    _check_arn(request["ResourceArn"])
    meta = _resource(service, request["ResourceArn"], "ListTagsOfResource")
    return {"Tags": [{"Key": k, "Value": v} for k, v in meta.tags.items()]}


@registry("DescribeLimits")
def describe_limits(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return dict(LIMITS)


@registry("DescribeEndpoints")
def describe_endpoints(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return {
        "Endpoints": [{"Address": f"dynamodb.{service.region}.amazonaws.com", "CachePeriodInMinutes": 1440}]
    }
