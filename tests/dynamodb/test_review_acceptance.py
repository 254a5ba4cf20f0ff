"""Rules found wrong or untested by the acceptance review of the DynamoDB core (issue 2).

Each test names the reference row it states (docs/rules/dynamodb.md) and the evidence for the rule
when the reference leaves a detail open. Tests taking ``ddb`` run through all three doors.
"""

from __future__ import annotations

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import create_hash_table, err


@pytest.fixture
def tbl(ddb):
    return create_hash_table(ddb, "tbl")


def wraps(n: int) -> dict:
    """A leaf wrapped in ``n`` single-key maps: the leaf sits at level n + 1 (the attribute is 1)."""
    av: dict = {"S": "leaf"}
    for _ in range(n):
        av = {"M": {"n": av}}
    return av


# --- V14: 32 levels count the attribute itself -----------------------------------------------------

def test_v14_an_attribute_nested_31_wraps_is_stored_32_wraps_are_rejected(ddb, tbl):
    """DynamoDB caps nesting at 32 levels counting the attribute as level 1: 31 wraps (leaf at level
    32) are accepted, 32 wraps are rejected — on PutItem and in ExpressionAttributeValues alike
    (Alternator test_almost_exceed_nested_level: "30 added levels + top level + the item itself
    == 32 total"; public conformance suites captured against AWS agree)."""
    ddb.put_item(TableName=tbl, Item={"id": {"S": "a"}, "d": wraps(31)})
    assert ddb.get_item(TableName=tbl, Key={"id": {"S": "a"}})["Item"]["d"] == wraps(31)
    assert err(ddb.put_item, TableName=tbl, Item={"id": {"S": "b"}, "d": wraps(32)}) == (
        "ValidationException", M.NESTING_TOO_DEEP)
    assert err(ddb.update_item, TableName=tbl, Key={"id": {"S": "a"}}, UpdateExpression="SET t = :t",
               ConditionExpression="d = :deep",
               ExpressionAttributeValues={":t": {"S": "y"}, ":deep": wraps(32)})[0] == "ValidationException"
    # 31 wraps in a condition value are fine: the condition is evaluated (and holds)
    ddb.update_item(TableName=tbl, Key={"id": {"S": "a"}}, UpdateExpression="SET t = :t",
                    ConditionExpression="d = :deep",
                    ExpressionAttributeValues={":t": {"S": "y"}, ":deep": wraps(31)})


def test_v14_a_nested_set_may_not_push_a_value_past_32_levels(ddb, tbl):
    ddb.put_item(TableName=tbl, Item={"id": {"S": "a"}, "m": {"M": {}}})
    ddb.update_item(TableName=tbl, Key={"id": {"S": "a"}}, UpdateExpression="SET m.x = :v",
                    ExpressionAttributeValues={":v": wraps(30)})
    assert err(ddb.update_item, TableName=tbl, Key={"id": {"S": "a"}}, UpdateExpression="SET m.y = :v",
               ExpressionAttributeValues={":v": wraps(31)}) == ("ValidationException", M.NESTING_TOO_DEEP)


# --- K10: an index key SET to the wrong type, known at parse time or only at run time -------------

@pytest.fixture
def gsi_tbl(ddb):
    ddb.create_table(TableName="gsi_tbl", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "N"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by_g",
                                              "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="gsi_tbl", Item={"id": {"S": "a"}, "s": {"S": "text"}, "l": {"L": []}})
    return "gsi_tbl"


def test_k10_index_key_set_from_a_constant_of_the_wrong_type_is_a_type_mismatch(ddb, gsi_tbl):
    assert err(ddb.update_item, TableName=gsi_tbl, Key={"id": {"S": "a"}}, UpdateExpression="SET g = :v",
               ExpressionAttributeValues={":v": {"S": "x"}}) == (
        "ValidationException", M.index_key_type_mismatch("g", "N", "S", "by_g"))


@pytest.mark.parametrize("expr", ["SET g = s", "SET g = if_not_exists(g, s)",
                                  "SET g = list_append(l, l)"])
def test_k10_index_key_set_from_a_run_time_value_of_the_wrong_type(ddb, gsi_tbl, expr):
    """K10 (dynalite updateItem): a SET whose value is only known at run time gives "The update
    expression attempted to update the secondary index key to unsupported type"."""
    assert err(ddb.update_item, TableName=gsi_tbl, Key={"id": {"S": "a"}}, UpdateExpression=expr) == (
        "ValidationException", M.INDEX_KEY_UNSUPPORTED_TYPE)
    assert "g" not in ddb.get_item(TableName=gsi_tbl, Key={"id": {"S": "a"}}, ConsistentRead=True)["Item"]


def test_k10_index_key_set_from_a_run_time_value_of_the_right_type_is_indexed(ddb, gsi_tbl):
    ddb.update_item(TableName=gsi_tbl, Key={"id": {"S": "a"}}, UpdateExpression="SET g = if_not_exists(g, :z) + :o",
                    ExpressionAttributeValues={":z": {"N": "0"}, ":o": {"N": "1"}})
    out = ddb.query(TableName=gsi_tbl, IndexName="by_g", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"N": "1"}})
    assert [i["id"] for i in out["Items"]] == [{"S": "a"}]


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
    spec = {"Keys": keys, "ProjectionExpression": "#i", "ExpressionAttributeNames": {"#i": "id"},
            "ConsistentRead": True}
    first = ddb.batch_get_item(RequestItems={tbl: spec})
    got = first["Responses"][tbl]
    rest = first["UnprocessedKeys"][tbl]
    item_bytes = 2 + 3 + 1 + 200_000  # "id" + "000", "p" + the blob (S1)
    assert len(got) == (16 * 1024 * 1024) // item_bytes == 83  # the sizes of the items read, not the projection
    assert {k: v for k, v in rest.items() if k != "Keys"} == {
        "ProjectionExpression": "#i", "ExpressionAttributeNames": {"#i": "id"}, "ConsistentRead": True}
    assert sorted(i["id"]["S"] for i in got) + sorted(k["id"]["S"] for k in rest["Keys"]) == [
        f"{i:03d}" for i in range(100)]
    second = ddb.batch_get_item(RequestItems={tbl: rest})
    assert len(second["Responses"][tbl]) == 17 and second["UnprocessedKeys"] == {}


def test_b5_a_complete_batch_get_has_empty_unprocessed_keys(ddb, tbl):
    ddb.put_item(TableName=tbl, Item={"id": {"S": "a"}})
    out = ddb.batch_get_item(RequestItems={tbl: {"Keys": [{"id": {"S": "a"}}, {"id": {"S": "b"}}]}})
    assert out["Responses"] == {tbl: [{"id": {"S": "a"}}]} and out["UnprocessedKeys"] == {}


# --- V15 / E1: an ExpressionAttributeNames entry may not stand for the empty name ------------------

@pytest.mark.parametrize("call", ["get", "update", "query"])
def test_v15_expression_attribute_name_for_the_empty_name_is_rejected(ddb, tbl, call):
    """AWS answers "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"
    (quoted by applications handling it, and by DynamoDB Local) instead of using attribute ''."""
    names = {"#a": ""}
    key = {"id": {"S": "a"}}
    if call == "get":
        e = err(ddb.get_item, TableName=tbl, Key=key, ProjectionExpression="#a", ExpressionAttributeNames=names)
    elif call == "update":
        e = err(ddb.update_item, TableName=tbl, Key=key, UpdateExpression="SET #a = :v",
                ExpressionAttributeNames=names, ExpressionAttributeValues={":v": {"S": "x"}})
    else:
        e = err(ddb.query, TableName=tbl, KeyConditionExpression="id = :v", FilterExpression="#a = :v",
                ExpressionAttributeNames=names, ExpressionAttributeValues={":v": {"S": "x"}})
    assert e == ("ValidationException",
                 "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a")
    assert "Item" not in ddb.get_item(TableName=tbl, Key=key)


@pytest.mark.parametrize("request_", [
    {"UpdateExpression": "SET g = :v", "ConditionExpression": "attribute_not_exists(id)",
     "ExpressionAttributeValues": {":v": {"S": "x"}}},
    {"AttributeUpdates": {"g": {"Value": {"S": "x"}}}, "Expected": {"id": {"Exists": False}}},
], ids=["expression", "legacy"])
def test_k7_a_constant_of_the_wrong_index_key_type_fails_before_the_condition(ddb, gsi_tbl, request_):
    """U17 (dynalite ``validateUpdates`` runs before ``checkConditional``): the index-key type of a
    constant written to a top-level attribute is a request error, whatever the condition says."""
    assert err(ddb.update_item, TableName=gsi_tbl, Key={"id": {"S": "a"}}, **request_) == (
        "ValidationException", M.index_key_type_mismatch("g", "N", "S", "by_g"))
