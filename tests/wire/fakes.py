"""A tiny fake DynamoDB service, so the wire's rules are tested independently of the real one.

Its operations echo or raise exactly what a test needs (blobs, timestamps, error extras, bugs).
``install(world)`` puts it in place of the world's DynamoDB service and returns the call log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from emulator.dynamodb.errors import ERRORS
from emulator.service import OperationRegistry, Service

UTC = dt.timezone.utc


class FakeDynamoDB(Service):
    name = "dynamodb"
    registry = OperationRegistry()
    errors = ERRORS
    unknown_operation = ERRORS["UnknownOperationException"]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures_left = 0

    def call(self, op_name: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
        self.calls.append((op_name, request or {}))
        return super().call(op_name, request)


op = FakeDynamoDB.registry


@op("GetItem")
def _echo(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    """Echo the key back as the item: whatever the wire decoded comes back encoded."""
    return {"Item": request.get("Key", {})}


@op("DescribeTable")
def _describe(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    created = dt.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)
    return {
        "Table": {
            "TableName": request["TableName"],
            "CreationDateTime": created,
            "ItemCount": 0,
            "TableStatus": "ACTIVE",
        }
    }


@op("PutItem")
def _conditional_failure(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    raise ERRORS["ConditionalCheckFailedException"](
        "The conditional request failed", Item={"id": {"S": "a"}, "b": {"B": b"\x00\xff"}}
    )


@op("TransactWriteItems")
def _cancelled(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    raise ERRORS["TransactionCanceledException"](
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[ConditionalCheckFailed, None]",
        CancellationReasons=[
            {
                "Code": "ConditionalCheckFailed",
                "Message": "The conditional request failed",
                "Item": {"id": {"S": "a"}},
            },
            {"Code": "None"},
        ],
    )


@op("TagResource")
def _tag(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    return {}


@op("Scan")
def _bug(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    raise ValueError("a bug")


@op("Query")
def _unencodable(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    return {"Items": [object()]}


@op("UpdateItem")
def _throttled(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    """Throttles ``failures_left`` times, then succeeds (for botocore's retry handling)."""
    if service.failures_left > 0:
        service.failures_left -= 1
        raise ERRORS["ProvisionedThroughputExceededException"](
            "The level of configured provisioned throughput for the table was exceeded. "
            "Consider increasing your provisioning level with the UpdateTable API."
        )
    return {"Attributes": {"n": {"N": "1"}}}


@op("ListTables")
def _list(service: FakeDynamoDB, request: dict[str, Any]) -> dict[str, Any]:
    return {"TableNames": ["fake"]}


def install(world: Any) -> FakeDynamoDB:
    """Replace ``world``'s DynamoDB with a fresh fake; returns it (``.calls`` logs requests)."""
    fake = FakeDynamoDB(world)
    world._services["dynamodb"] = fake
    return fake
