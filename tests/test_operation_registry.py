"""The operation registry carries each operation's request shape; ``Service.call`` validates it
before the handler runs, after the operation's fast pre-hook (emulator/service.py)."""

from __future__ import annotations

from typing import Any

import pytest

import emulator
from emulator.dynamodb import request_shapes as shapes
from emulator.dynamodb.service import DynamoDB
from emulator.dynamodb.streams_service import DynamoDBStreams
from emulator.errors import AWSError
from emulator.service import OperationRegistry

# Operations whose request has no member AWS validates (they take any request).
SHAPELESS = {"DescribeLimits", "DescribeEndpoints"}


def test_every_dynamodb_operation_registers_its_request_shape() -> None:
    for name, op in DynamoDB.registry.operations.items():
        assert (op.shape is None) == (name in SHAPELESS), name
    assert DynamoDB.registry.operations["PutItem"].shape is shapes.PUT_ITEM
    assert DynamoDB.registry.operations["Query"].shape is shapes.QUERY


def test_every_streams_operation_registers_its_request_shape() -> None:
    assert all(op.shape is not None for op in DynamoDBStreams.registry.operations.values())


def test_hot_operations_have_fast_pre_hooks() -> None:
    fast = {name for name, op in DynamoDB.registry.operations.items() if op.fast is not None}
    assert fast == {"GetItem", "PutItem", "ExecuteStatement"}  # (the whole-key PartiQL SELECT, issue 12)


def test_shape_is_checked_before_the_handler_runs() -> None:
    aws = emulator.Emulator()
    with pytest.raises(AWSError) as excinfo:
        aws.dynamodb.describe_table(TableName="a;")
    assert excinfo.value.response["Error"]["Message"] == (
        "2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
        "Value 'a;' at 'tableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3"
    )


def test_fast_pre_hook_answers_or_hands_over_to_the_validated_path() -> None:
    calls: list[str] = []
    registry = OperationRegistry(validate=lambda shape, request: calls.append(f"validate {shape}"))

    def fast(service: Any, request: dict[str, Any]) -> dict[str, Any] | None:
        calls.append("fast")
        return {"fast": True} if request.get("plain") else None

    @registry("Op", shape="SHAPE", fast=fast)
    def op(service: Any, request: dict[str, Any]) -> dict[str, Any]:
        calls.append("handler")
        return {}

    class Svc(DynamoDB):
        pass

    Svc.registry = registry
    service = Svc(emulator.Emulator())
    assert service.call("Op", {"plain": True}) == {"fast": True}
    assert calls == ["fast"]
    calls.clear()
    assert service.call("Op", {}) == {}
    assert calls == ["fast", "validate SHAPE", "handler"]


def test_a_shape_needs_a_validate_function() -> None:
    with pytest.raises(ValueError):
        OperationRegistry()("Op", shape=("x",))
