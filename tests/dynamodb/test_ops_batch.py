"""BatchGetItem / BatchWriteItem rules (reference §7 B1-B7)."""

from __future__ import annotations

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import create_hash_table, err


@pytest.fixture
def tables(ddb):
    for name in ("ta1", "ta2"):
        create_hash_table(ddb, name, "N")
    return ("ta1", "ta2")


def put(i, **extra):
    return {"PutRequest": {"Item": {"id": {"N": str(i)}, **extra}}}


def test_batch_write_then_get(ddb, tables):
    r = ddb.batch_write_item(RequestItems={"ta1": [put(1), put(2)], "ta2": [put(1, x={"S": "y"})]})
    assert r["UnprocessedItems"] == {}
    r = ddb.batch_get_item(RequestItems={"ta1": {"Keys": [{"id": {"N": "1"}}, {"id": {"N": "3"}}]},
                                         "ta2": {"Keys": [{"id": {"N": "1"}}], "ProjectionExpression": "x"}})
    assert r["Responses"] == {"ta1": [{"id": {"N": "1"}}], "ta2": [{"x": {"S": "y"}}]}
    assert r["UnprocessedKeys"] == {}


def test_batch_get_missing_items_table_still_listed(ddb, tables):
    r = ddb.batch_get_item(RequestItems={"ta1": {"Keys": [{"id": {"N": "9"}}]}})
    assert r["Responses"] == {"ta1": []}


def test_batch_write_delete(ddb, tables):
    ddb.batch_write_item(RequestItems={"ta1": [put(1), put(2)]})
    ddb.batch_write_item(RequestItems={"ta1": [{"DeleteRequest": {"Key": {"id": {"N": "1"}}}}]})
    assert ddb.scan(TableName="ta1")["Count"] == 1


def test_batch_write_duplicates_write_nothing(ddb, tables):
    assert err(ddb.batch_write_item, RequestItems={"ta1": [put(5), put(0), {"DeleteRequest": {"Key": {
        "id": {"N": "5.0"}}}}]}) == ("ValidationException", M.BATCH_DUPLICATES)
    assert ddb.scan(TableName="ta1")["Count"] == 0
    ddb.batch_write_item(RequestItems={"ta1": [put(1)], "ta2": [put(1)]})  # same key, different tables: fine


def test_batch_write_missing_table_writes_nothing(ddb, tables):
    assert err(ddb.batch_write_item, RequestItems={"ta1": [put(1)], "nope": [put(1)]}) == (
        "ResourceNotFoundException", "Requested resource not found")
    assert ddb.scan(TableName="ta1")["Count"] == 0


def test_batch_write_limits(ddb, tables):
    assert err(ddb.batch_write_item, RequestItems={"ta1": [put(i) for i in range(20)],
                                                   "ta2": [put(i) for i in range(6)]}) == (
        "ValidationException", "Too many items requested for the BatchWriteItem call")
    code, message = err(ddb.batch_write_item, RequestItems={"ta1": [put(i) for i in range(26)]})
    assert code == "ValidationException" and message.startswith("1 validation error detected: Value '{")
    assert message.endswith("at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                            "[Member must have length less than or equal to 25, Member must have length greater "
                            "than or equal to 1]")


def test_batch_write_empty_entry(ddb, tables):
    assert err(ddb.batch_write_item, RequestItems={"ta1": [{}]}) == ("ValidationException", M.AV_MULTIPLE)


def test_batch_write_key_errors(ddb, tables):
    assert err(ddb.batch_write_item, RequestItems={"ta1": [{"PutRequest": {"Item": {"id": {"S": "1"}}}}]}) == (
        "ValidationException", "One or more parameter values were invalid: Type mismatch for key id expected: N actual: S")


def test_batch_get_limits_and_duplicates(ddb, tables):
    keys = [{"id": {"N": str(i)}} for i in range(101)]
    assert err(ddb.batch_get_item, RequestItems={"ta1": {"Keys": keys[:60]}, "ta2": {"Keys": keys[60:]}}) == (
        "ValidationException", "Too many items requested for the BatchGetItem call")
    assert err(ddb.batch_get_item, RequestItems={"ta1": {"Keys": [{"id": {"N": "1"}}, {"id": {"N": "1"}}]}}) == (
        "ValidationException", "Provided list of item keys contains duplicates")
    assert err(ddb.batch_get_item, RequestItems={"nope": {"Keys": [{"id": {"N": "1"}}]}}) == (
        "ResourceNotFoundException", "Requested resource not found")


def test_batch_consumed_capacity_is_a_list(ddb, tables):
    r = ddb.batch_write_item(RequestItems={"ta1": [put(1), put(2, b={"S": "x" * 2000})]},
                             ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == [{"TableName": "ta1", "CapacityUnits": 3.0}]
    r = ddb.batch_get_item(RequestItems={"ta1": {"Keys": [{"id": {"N": "1"}}, {"id": {"N": "2"}}]}},
                           ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == [{"TableName": "ta1", "CapacityUnits": 1.0}]


@pytest.mark.native_only  # botocore would refuse these shapes client-side
def test_batch_wrong_shapes_are_serialization_errors(ddb, tables):
    assert err(ddb.batch_get_item, RequestItems={"ta1": ["x"]})[0] == "SerializationException"
    assert err(ddb.batch_write_item, RequestItems={"ta1": ["x"]})[0] == "SerializationException"
    assert err(ddb.batch_write_item, RequestItems={"ta1": "x"})[0] == "SerializationException"
