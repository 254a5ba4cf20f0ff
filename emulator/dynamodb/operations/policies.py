"""Resource-based policies: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy, and
CreateTable's ``ResourcePolicy`` (rules RP1-RP5 in docs/dynamodb-conformance.md).

A policy attaches to a table or to one of its streams (an index ARN is refused: an index is
governed by its table's policy). Policies are stored and returned, never enforced: every caller
may do everything, as everywhere in the emulator.

Design decisions:

* A policy lives on its :class:`~emulator.dynamodb.tables.TableMeta` (``policies``, keyed by the
  table's or the stream's ARN), so a deleted and re-created table starts without one, as on AWS.
* Revision ids are epoch milliseconds on the world's clock, as AWS's are, kept strictly increasing
  per resource (two changes within one millisecond still differ). Putting the document the
  resource already has is a no-op that answers the current revision.
* The document is checked (size in bytes, whitespace included; JSON; a non-empty ``Statement``;
  each statement names a ``Resource``) and stored compacted: AWS reads a policy back without the
  whitespace it was sent with.
* AWS applies policies eventually; here they apply at once (one legal outcome).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .. import messages as M
from .. import request_shapes as shapes
from ..errors import (
    PolicyNotFoundException,
    ResourceInUseException,
    ResourceNotFoundException,
    ValidationException,
)
from ..tables import TableMeta
from . import registry

MAX_POLICY_BYTES = 20480  # RP2: "The maximum size supported for a resource-based policy document is 20 KB"
NO_POLICY = "NO_POLICY"  # RP3: ExpectedRevisionId meaning "only if the resource has no policy"


@dataclass(frozen=True, slots=True)
class Policy:
    document: str  # compacted JSON
    revision: str


def check_policy_document(text: str) -> str:
    """RP2: the document, compacted, or AWS's ValidationException for it."""
    if len(text.encode("utf-8")) > MAX_POLICY_BYTES:
        raise ValidationException(M.POLICY_TOO_LARGE)
    try:
        document = json.loads(text)
    except ValueError:
        raise ValidationException(M.POLICY_INVALID_JSON) from None
    if not isinstance(document, dict):
        raise ValidationException(M.POLICY_INVALID_JSON)
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not statements or not isinstance(statements, list):
        raise ValidationException(M.POLICY_EMPTY_STATEMENT)
    for statement in statements:
        if not isinstance(statement, dict) or (
            "Resource" not in statement and "NotResource" not in statement
        ):
            raise ValidationException(M.POLICY_MISSING_RESOURCE)
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def _next_revision(service: Any, current: Policy | None) -> str:
    now_ms = int(service.world.clock.now() * 1000)
    if current is not None:
        now_ms = max(now_ms, int(current.revision) + 1)
    return str(now_ms)


def attach_policy(service: Any, meta: TableMeta, arn: str, text: str) -> Policy:
    """Store a (checked) document on ``arn``; the same document keeps its revision."""
    document = check_policy_document(text)
    current = meta.policies.get(arn)
    if current is not None and current.document == document:
        return current
    policy = Policy(document, _next_revision(service, current))
    meta.policies[arn] = policy
    return policy


def _target(service: Any, arn: str) -> tuple[TableMeta, str]:
    """RP1: the table a ``ResourceArn`` names (the table's or a stream's ARN), or AWS's error."""
    if not arn.startswith("arn:"):
        raise ValidationException(M.policy_arn_prefix_required(arn))
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[2] != "dynamodb":
        raise ValidationException(M.policy_not_a_resource(arn))
    home = service.catalog.arn_for("").split(":")
    if parts[4] != home[4]:
        raise ValidationException(M.POLICY_OTHER_ACCOUNT)
    if parts[1] != home[1] or parts[3] != home[3]:
        raise ValidationException(M.policy_invalid_arn(arn))
    if not parts[5].startswith("table/"):
        raise ValidationException(M.policy_not_a_resource(arn))
    name, _, sub = parts[5][len("table/") :].partition("/")
    kind, _, label = sub.partition("/")
    if kind == "index":
        raise ValidationException(M.not_table_or_stream_arn(arn))
    if sub and (kind != "stream" or not label or "/" in label):
        raise ValidationException(M.policy_not_a_resource(arn))
    meta = service.catalog.tables.get(name)
    if meta is None or meta.status == "CREATING":  # LC1: not there until it is ACTIVE
        raise ResourceNotFoundException(M.table_not_found(name))
    if label and label != meta.stream_label:
        raise ResourceNotFoundException(M.policy_stream_not_found(label, name))
    return meta, arn


def _check_expected(meta: TableMeta, arn: str, current: Policy | None, expected: str | None) -> None:
    """RP3: ExpectedRevisionId against the current policy."""
    if expected is None:
        return
    if expected == NO_POLICY:
        if current is not None:
            raise PolicyNotFoundException(M.policy_expected_none(meta.name, current.revision))
        return
    if current is None:
        raise PolicyNotFoundException(M.policy_not_found(arn))
    if current.revision != expected:
        raise PolicyNotFoundException(M.policy_revision_mismatch(expected, meta.name, current.revision))


def _refuse_if_deleting(meta: TableMeta) -> None:
    """LC4: a DELETING table's policy can no longer change."""
    if meta.status == "DELETING":
        raise ResourceInUseException(M.table_in_use("DELETING", meta.name))


@registry("PutResourcePolicy", shape=shapes.PUT_RESOURCE_POLICY)
def put_resource_policy(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    document = check_policy_document(request["Policy"])
    meta, arn = _target(service, request["ResourceArn"])
    current = meta.policies.get(arn)
    _check_expected(meta, arn, current, request.get("ExpectedRevisionId"))
    if current is None or current.document != document:
        _refuse_if_deleting(meta)
    return {"RevisionId": attach_policy(service, meta, arn, request["Policy"]).revision}


@registry("GetResourcePolicy", shape=shapes.GET_RESOURCE_POLICY)
def get_resource_policy(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta, arn = _target(service, request["ResourceArn"])
    policy = meta.policies.get(arn)
    if policy is None:
        raise PolicyNotFoundException(M.policy_not_found(arn))
    return {"Policy": policy.document, "RevisionId": policy.revision}


@registry("DeleteResourcePolicy", shape=shapes.DELETE_RESOURCE_POLICY)
def delete_resource_policy(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta, arn = _target(service, request["ResourceArn"])
    _refuse_if_deleting(meta)
    current = meta.policies.get(arn)
    if current is None:
        raise PolicyNotFoundException(M.policy_not_found(arn))
    _check_expected(meta, arn, current, request.get("ExpectedRevisionId"))
    del meta.policies[arn]
    return {"RevisionId": current.revision}
