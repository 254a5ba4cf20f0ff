"""BatchGetItem / BatchWriteItem rules (reference §7 B1-B7)."""

from __future__ import annotations

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import create_hash_table, err

V = "ValidationException"


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
    r = ddb.batch_get_item(
        RequestItems={
            "ta1": {"Keys": [{"id": {"N": "1"}}, {"id": {"N": "3"}}]},
            "ta2": {"Keys": [{"id": {"N": "1"}}], "ProjectionExpression": "x"},
        }
    )
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
    assert err(
        ddb.batch_write_item,
        RequestItems={"ta1": [put(5), put(0), {"DeleteRequest": {"Key": {"id": {"N": "5.0"}}}}]},
    ) == ("ValidationException", M.BATCH_DUPLICATES)
    assert ddb.scan(TableName="ta1")["Count"] == 0
    ddb.batch_write_item(RequestItems={"ta1": [put(1)], "ta2": [put(1)]})  # same key, different tables: fine


def test_batch_write_missing_table_writes_nothing(ddb, tables):
    assert err(ddb.batch_write_item, RequestItems={"ta1": [put(1)], "nope": [put(1)]}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )
    assert ddb.scan(TableName="ta1")["Count"] == 0


def test_batch_write_limits(ddb, tables):
    assert err(
        ddb.batch_write_item,
        RequestItems={"ta1": [put(i) for i in range(20)], "ta2": [put(i) for i in range(6)]},
    ) == ("ValidationException", "Too many items requested for the BatchWriteItem call")
    code, message = err(ddb.batch_write_item, RequestItems={"ta1": [put(i) for i in range(26)]})
    assert code == "ValidationException" and message.startswith("1 validation error detected: Value '{")
    assert message.endswith(
        "at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
        "[Member must have length less than or equal to 25, Member must have length greater "
        "than or equal to 1]"
    )


def test_batch_write_empty_entry(ddb, tables):
    assert err(ddb.batch_write_item, RequestItems={"ta1": [{}]}) == ("ValidationException", M.AV_MULTIPLE)


def test_batch_write_key_errors(ddb, tables):
    assert err(
        ddb.batch_write_item, RequestItems={"ta1": [{"PutRequest": {"Item": {"id": {"S": "1"}}}}]}
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Type mismatch for key id expected: N actual: S",
    )


def test_batch_get_limits_and_duplicates(ddb, tables):
    keys = [{"id": {"N": str(i)}} for i in range(101)]
    assert err(ddb.batch_get_item, RequestItems={"ta1": {"Keys": keys[:60]}, "ta2": {"Keys": keys[60:]}}) == (
        "ValidationException",
        "Too many items requested for the BatchGetItem call",
    )
    assert err(
        ddb.batch_get_item, RequestItems={"ta1": {"Keys": [{"id": {"N": "1"}}, {"id": {"N": "1"}}]}}
    ) == ("ValidationException", "Provided list of item keys contains duplicates")
    assert err(ddb.batch_get_item, RequestItems={"nope": {"Keys": [{"id": {"N": "1"}}]}}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


def test_batch_consumed_capacity_is_a_list(ddb, tables):
    r = ddb.batch_write_item(
        RequestItems={"ta1": [put(1), put(2, b={"S": "x" * 2000})]}, ReturnConsumedCapacity="TOTAL"
    )
    assert r["ConsumedCapacity"] == [{"TableName": "ta1", "CapacityUnits": 3.0}]
    r = ddb.batch_get_item(
        RequestItems={"ta1": {"Keys": [{"id": {"N": "1"}}, {"id": {"N": "2"}}]}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert r["ConsumedCapacity"] == [{"TableName": "ta1", "CapacityUnits": 1.0}]


@pytest.mark.native_only  # botocore would refuse these shapes client-side
def test_batch_wrong_shapes_are_serialization_errors(ddb, tables):
    assert err(ddb.batch_get_item, RequestItems={"ta1": ["x"]})[0] == "SerializationException"
    assert err(ddb.batch_write_item, RequestItems={"ta1": ["x"]})[0] == "SerializationException"
    assert err(ddb.batch_write_item, RequestItems={"ta1": "x"})[0] == "SerializationException"


# --- B5: BatchGetItem returns at most 16 MB; the rest comes back in UnprocessedKeys ----------------


@pytest.mark.doors("native", "boto3")
def test_b5_batch_get_item_stops_at_16_mb_and_returns_the_rest_as_unprocessed_keys(ddb, tbl):
    """BatchGetItem API reference: "A single operation can retrieve up to 16 MB of data ...
    BatchGetItem returns a partial result if the response size limit is exceeded ... If a partial
    result is returned, the operation returns a value for UnprocessedKeys. You can use this value to
    retry the operation starting with the next item to get." The page's example (100 items of
    300 KB give 52) does not follow from any exact byte count; the emulator stops before the item
    that would take the S1 sizes of the items read past 16 MiB (54 for that example) [INF]."""
    blob = "x" * 200_000
    for i in range(100):
        ddb.put_item(TableName=tbl, Item={"id": {"S": f"{i:03d}"}, "p": {"S": blob}})
    keys = [{"id": {"S": f"{i:03d}"}} for i in range(100)]
    spec = {
        "Keys": keys,
        "ProjectionExpression": "#i",
        "ExpressionAttributeNames": {"#i": "id"},
        "ConsistentRead": True,
    }
    first = ddb.batch_get_item(RequestItems={tbl: spec})
    got = first["Responses"][tbl]
    rest = first["UnprocessedKeys"][tbl]
    item_bytes = 2 + 3 + 1 + 200_000  # "id" + "000", "p" + the blob (S1)
    assert (
        len(got) == (16 * 1024 * 1024) // item_bytes == 83
    )  # the sizes of the items read, not the projection
    assert {k: v for k, v in rest.items() if k != "Keys"} == {
        "ProjectionExpression": "#i",
        "ExpressionAttributeNames": {"#i": "id"},
        "ConsistentRead": True,
    }
    assert sorted(i["id"]["S"] for i in got) + sorted(k["id"]["S"] for k in rest["Keys"]) == [
        f"{i:03d}" for i in range(100)
    ]
    second = ddb.batch_get_item(RequestItems={tbl: rest})
    assert len(second["Responses"][tbl]) == 17 and second["UnprocessedKeys"] == {}


def test_b5_a_complete_batch_get_has_empty_unprocessed_keys(ddb, tbl):
    ddb.put_item(TableName=tbl, Item={"id": {"S": "a"}})
    out = ddb.batch_get_item(RequestItems={tbl: {"Keys": [{"id": {"S": "a"}}, {"id": {"S": "b"}}]}})
    assert out["Responses"] == {tbl: [{"id": {"S": "a"}}]} and out["UnprocessedKeys"] == {}


# --- I4 / B2 / B4: batch and delete edges -------------------------------------------------------


def test_i4_b2_b4_batch_and_delete_edges(ddb, pair):
    resp = ddb.delete_item(TableName="hh1", Key={"a": {"S": "none"}}, ReturnValues="ALL_OLD")
    assert "Attributes" not in resp  # I4, I6: a missing item deletes fine and has no old image
    # B2: an oversized key anywhere rejects the whole batch; number keys are duplicates by value.
    assert err(
        ddb.batch_write_item,
        RequestItems={
            "hh1": [
                {"PutRequest": {"Item": {"a": {"S": "ok"}}}},
                {"PutRequest": {"Item": {"a": {"S": "x" * 2049}}}},
            ]
        },
    ) == (
        V,
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
    )
    assert "Item" not in ddb.get_item(TableName="hh1", Key={"a": {"S": "ok"}})
    assert err(
        ddb.batch_write_item,
        RequestItems={
            "hr1": [
                {"PutRequest": {"Item": {"a": {"S": "x"}, "b": {"N": "1"}}}},
                {"DeleteRequest": {"Key": {"a": {"S": "x"}, "b": {"N": "1.0"}}}},
            ]
        },
    ) == (V, "Provided list of item keys contains duplicates")
    # B4 quirk: BatchGetItem compares keys by representation, so 1 and 1.0 are not duplicates.
    r = ddb.batch_get_item(
        RequestItems={
            "hr1": {"Keys": [{"a": {"S": "x"}, "b": {"N": "1"}}, {"a": {"S": "x"}, "b": {"N": "1.0"}}]}
        }
    )
    assert (r["Responses"], r["UnprocessedKeys"]) == ({"hr1": []}, {})
