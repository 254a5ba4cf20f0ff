"""``X-Amz-Target`` → (botocore service name, operation name).

All three services speak JSON 1.0 and name the operation in the ``X-Amz-Target`` header as
``<targetPrefix>.<Operation>`` (docs/rules/: dynamodb.md W1, stepfunctions.md §11). The prefixes are
the ``targetPrefix`` of botocore's models; they are spelled out here, rather than read from the
models, so that deciding "is this request ours?" costs a dict lookup and loads no model
(``tests/wire`` checks them against botocore).
"""

from __future__ import annotations

from ..caches import BoundedCache

TARGET_PREFIXES: dict[str, str] = {
    "DynamoDB_20120810": "dynamodb",
    "DynamoDBStreams_20120810": "dynamodbstreams",
    "AWSStepFunctions": "stepfunctions",
}


# Distinct targets remembered: unknown operation names must not grow it forever.
_resolved: BoundedCache[str, tuple[str, str]] = BoundedCache("wire.targets", 4096)
_known = _resolved.entries.get


def resolve_target(target: str | None) -> tuple[str, str] | None:
    """``"DynamoDB_20120810.PutItem"`` → ``("dynamodb", "PutItem")``; ``None`` if not ours."""
    route = _known(target) if target.__class__ is str else None
    if route is not None:
        return route
    if not target:
        return None
    prefix, dot, operation = target.partition(".")
    service = TARGET_PREFIXES.get(prefix)
    if service is None or not dot or not operation:
        return None
    return _resolved.put(target, (service, operation))


def is_ours(target: str | None) -> bool:
    """Whether a request with this target belongs to one of the emulated services."""
    if not target:
        return False
    return target.partition(".")[0] in TARGET_PREFIXES
