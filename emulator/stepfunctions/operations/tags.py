"""TagResource, UntagResource, ListTagsForResource (API-21).

Tag keys and values are checked before anything is stored (also for the ``tags`` of
CreateStateMachine / CreateActivity): characters outside Unicode letters, digits, whitespace and
``_ . : / = + - @``, or a key starting with the reserved ``aws:`` prefix, are refused with AWS's
generic validator text (``1 validation error detected: … Member must satisfy regular expression
pattern: …``).  # INF: the reference gives the rule (API-21) but not AWS's text; the pattern is the
one AWS's tagging APIs publish for tag keys.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ERRORS
from . import operation
from .requests import parse_arn, required

ResourceNotFound = ERRORS["ResourceNotFound"]
TooManyTags = ERRORS["TooManyTags"]
MAX_TAGS = 50
ValidationException = ERRORS["ValidationException"]
KEY_PATTERN = r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"
VALUE_PATTERN = r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"
_ALLOWED = re.compile(r"[\w\s.:/=+\-@]*")  # \w = Unicode letters, digits and _


def _allowed(text: str) -> bool:
    return _ALLOWED.fullmatch(text) is not None


def check_tags(tags: list, field: str = "tags") -> None:
    """Refuse reserved or malformed tag keys/values (API-21) before anything is stored."""
    for i, t in enumerate(tags, start=1):
        key, value = t.get("key"), t.get("value", "")
        if key is None:  # [INF] the Coral wording for a missing member (Tag.key is required in use)
            raise ValidationException(
                f"1 validation error detected: Value null at '{field}.{i}.member.key' failed to "
                "satisfy constraint: Member must not be null"
            )
        if key.startswith("aws:") or not _allowed(key):
            raise ValidationException(
                f"1 validation error detected: Value '{key}' at '{field}.{i}.member.key' failed to "
                f"satisfy constraint: Member must satisfy regular expression pattern: {KEY_PATTERN}"
            )
        if not _allowed(value):
            raise ValidationException(
                f"1 validation error detected: Value '{value}' at '{field}.{i}.member.value' failed "
                f"to satisfy constraint: Member must satisfy regular expression pattern: {VALUE_PATTERN}"
            )


def _check_resource(service: Any, arn: Any) -> str:
    parse_arn(arn, "stateMachine", "activity")
    if arn not in service.state_machines and arn not in service.activities:
        raise ResourceNotFound(f"Resource not found: '{arn}'", resourceName=arn)
    return arn


def apply_tags(service: Any, arn: str, tags: list) -> None:
    check_tags(tags)
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
