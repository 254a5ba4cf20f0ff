"""TagResource, UntagResource, ListTagsForResource (API-21)."""

from __future__ import annotations

from typing import Any

from ..errors import ERRORS
from ..service import operation
from .requests import parse_arn, required

ResourceNotFound = ERRORS["ResourceNotFound"]
TooManyTags = ERRORS["TooManyTags"]
MAX_TAGS = 50


def _check_resource(service: Any, arn: Any) -> str:
    parse_arn(arn, "stateMachine", "activity")
    if arn not in service.state_machines and arn not in service.activities:
        raise ResourceNotFound(f"Resource not found: '{arn}'", resourceName=arn)
    return arn


def apply_tags(service: Any, arn: str, tags: list) -> None:
    current = dict(service.tags.get(arn, {}))
    for t in tags:
        current[t["key"]] = t.get("value", "")
    if len(current) > MAX_TAGS:
        raise TooManyTags(f"Too many tags on resource '{arn}'", resourceName=arn)
    service.tags[arn] = current


@operation("TagResource")
def tag_resource(service: Any, request: dict) -> dict:
    arn = _check_resource(service, required(request, "resourceArn"))
    apply_tags(service, arn, required(request, "tags"))
    return {}


@operation("UntagResource")
def untag_resource(service: Any, request: dict) -> dict:
    arn = _check_resource(service, required(request, "resourceArn"))
    current = service.tags.get(arn, {})
    for k in required(request, "tagKeys"):
        current.pop(k, None)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(service: Any, request: dict) -> dict:
    arn = _check_resource(service, required(request, "resourceArn"))
    return {"tags": [{"key": k, "value": v} for k, v in service.tags.get(arn, {}).items()]}
