"""Multi-attribute keys of global secondary indexes (AWS, November 2025; docs/dynamodb-conformance.md
"Multi-attribute GSI keys"): up to four HASH and four RANGE attributes in a GSI's KeySchema, the
CreateTable/UpdateTable checks, DescribeTable, Query key conditions over them (``=`` on every HASH
attribute; RANGE attributes left to right, equalities on a prefix and one condition on the next
one), sparse entries, and the index order (RANGE attributes left to right, each by its type's
order), read in pages."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import err

V = "ValidationException"


def _ks(hashes, ranges=()):
    return [{"AttributeName": n, "KeyType": "HASH"} for n in hashes] + [
        {"AttributeName": n, "KeyType": "RANGE"} for n in ranges
    ]


def _defs(types):
    return [{"AttributeName": n, "AttributeType": t} for n, t in types.items()]


def _create(ddb, name, gsi_keys, types, **extra):
    return ddb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=_defs({"pk": "S", **types}),
        KeySchema=_ks(["pk"]),
        GlobalSecondaryIndexes=[
            {"IndexName": "gsi", "KeySchema": gsi_keys, "Projection": {"ProjectionType": "ALL"}}
        ],
        **extra,
    )


def _check_index(aws, table, index="gsi"):
    meta = aws.service("dynamodb").catalog.tables[table]
    meta.indexes[index]._check(meta.store.items())


# --- CreateTable, UpdateTable, DescribeTable -----------------------------------------------------


def test_create_table_accepts_four_hash_and_four_range_attributes_and_describe_echoes_them(ddb):
    keys = _ks(["h1", "h2", "h3", "h4"], ["r1", "r2", "r3", "r4"])
    types = {n: "S" for n in ("h1", "h2", "h3", "h4", "r1", "r2", "r3", "r4")}
    desc = _create(ddb, "multi", keys, types)["TableDescription"]
    assert desc["GlobalSecondaryIndexes"][0]["KeySchema"] == keys
    described = ddb.describe_table(TableName="multi")["Table"]
    assert described["GlobalSecondaryIndexes"][0]["KeySchema"] == keys
    assert described["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    assert {d["AttributeName"] for d in described["AttributeDefinitions"]} == {"pk", *types}


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (_ks(["a", "b", "c", "d", "e"]), M.too_many_key_attributes("HASH")),
        (_ks(["a"], ["b", "c", "d", "e", "f"]), M.too_many_key_attributes("RANGE")),
        (_ks(["a"], ["b"]) + _ks(["c"]), M.HASH_AFTER_RANGE),
        (_ks(["a", "b", "a"]), M.KEY_SCHEMA_SAME_NAMES),
        (_ks(["a"], ["b", "a"]), M.KEY_SCHEMA_SAME_NAMES),
        (_ks(["a"], ["a"]), M.KEYS_SAME_NAME),
        (_ks([], ["a", "b"]), M.FIRST_KEY_NOT_HASH),
    ],
)
def test_create_table_rejects_invalid_multi_attribute_gsi_key_schemas(ddb, keys, message):
    names = {k["AttributeName"] for k in keys}
    assert err(_create, ddb=ddb, name="bad", gsi_keys=keys, types={n: "S" for n in names}) == (V, message)


def test_table_and_lsi_key_schemas_stay_limited_to_two_elements(ddb):
    code, message = err(
        ddb.create_table,
        TableName="bad",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=_defs({"pk": "S", "a": "S", "b": "S"}),
        KeySchema=_ks(["pk"], ["a", "b"]),
    )
    assert code == V and "Member must have length less than or equal to 2" in message
    code, message = err(
        ddb.create_table,
        TableName="bad",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=_defs({"pk": "S", "sk": "S", "a": "S", "b": "S"}),
        KeySchema=_ks(["pk"], ["sk"]),
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": _ks(["pk"], ["a", "b"]),
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    assert code == V and "Member must have length less than or equal to 2" in message


def test_update_table_creates_a_multi_attribute_gsi_and_backfills_it(ddb, aws):
    ddb.create_table(
        TableName="upd",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=_defs({"pk": "S"}),
        KeySchema=_ks(["pk"]),
    )
    for i in range(6):
        item = {"pk": {"S": f"p{i}"}, "t": {"S": "T1"}, "r": {"N": str(i % 2)}, "n": {"N": str(10 - i)}}
        if i == 5:
            del item["n"]  # sparse: not in the index
        ddb.put_item(TableName="upd", Item=item)
    keys = _ks(["t", "r"], ["n"])
    bad = [
        {
            "Create": {
                "IndexName": "gsi",
                "KeySchema": _ks(["t", "r", "n", "x", "y"]),
                "Projection": {"ProjectionType": "ALL"},
            }
        }
    ]
    assert err(
        ddb.update_table,
        TableName="upd",
        AttributeDefinitions=_defs({n: "S" for n in ("t", "r", "n", "x", "y")}),
        GlobalSecondaryIndexUpdates=bad,
    ) == (V, M.too_many_key_attributes("HASH"))
    desc = ddb.update_table(
        TableName="upd",
        AttributeDefinitions=_defs({"t": "S", "r": "N", "n": "N"}),
        GlobalSecondaryIndexUpdates=[
            {"Create": {"IndexName": "gsi", "KeySchema": keys, "Projection": {"ProjectionType": "KEYS_ONLY"}}}
        ],
    )["TableDescription"]
    assert desc["GlobalSecondaryIndexes"][0]["KeySchema"] == keys
    got = ddb.query(
        TableName="upd",
        IndexName="gsi",
        KeyConditionExpression="t = :t AND r = :r",
        ExpressionAttributeValues={":t": {"S": "T1"}, ":r": {"N": "0"}},
    )
    assert [i["pk"]["S"] for i in got["Items"]] == ["p4", "p2", "p0"]  # n = 6, 8, 10
    assert set(got["Items"][0]) == {"pk", "t", "r", "n"}  # KEYS_ONLY keeps every key attribute
    assert ddb.describe_table(TableName="upd")["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"] == 5
    _check_index(aws, "upd")


# --- Query over the RANGE attributes (a data set checked against AWS) ----------------------------

ITEMS = [
    {"pk": "p1", "a": "T", "b": "live", "c": "b", "d": "r1"},
    {"pk": "p2", "a": "T", "b": "live", "c": "a", "d": "r2"},
    {"pk": "p3", "a": "T", "b": "live", "c": "a", "d": "r1"},
    {"pk": "p4", "a": "T", "b": "draft", "c": "c", "d": "r1"},
    {"pk": "p5", "a": "F", "b": "live", "c": "a", "d": "r0"},
    {"pk": "p6", "a": "T", "b": "live", "d": "r1"},  # no c: not in the index
]
VALUES = {":h": "o1", ":a": "T", ":b": "live", ":c": "a", ":d": "r", ":x": "r1", ":y": "r1"}


@pytest.fixture
def four_range(ddb):
    _create(ddb, "four", _ks(["h"], ["a", "b", "c", "d"]), {n: "S" for n in "habcd"})
    for item in ITEMS:
        ddb.put_item(TableName="four", Item={"h": {"S": "o1"}, **{k: {"S": v} for k, v in item.items()}})
    return "four"


def _query(ddb, text, **extra):
    values = {k: {"S": v} for k, v in VALUES.items() if k in text}
    got = ddb.query(
        TableName="four",
        IndexName="gsi",
        KeyConditionExpression=text,
        ExpressionAttributeValues=values,
        **extra,
    )
    return [i["pk"]["S"] for i in got["Items"]], got.get("LastEvaluatedKey")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("h = :h", ["p5", "p4", "p3", "p2", "p1"]),
        ("h = :h AND a = :a", ["p4", "p3", "p2", "p1"]),
        ("h = :h AND a = :a AND b = :b", ["p3", "p2", "p1"]),
        ("h = :h AND a = :a AND b = :b AND c = :c", ["p3", "p2"]),
        ("h = :h AND a = :a AND b = :b AND c > :c", ["p1"]),
        ("h = :h AND a = :a AND b = :b AND c = :c AND begins_with(d, :d)", ["p3", "p2"]),
        ("h = :h AND a = :a AND b = :b AND c = :c AND d BETWEEN :x AND :y", ["p3"]),
        ("h = :h AND a = :a AND b < :b", ["p4"]),
        ("h = :h AND a = :a AND b >= :b", ["p3", "p2", "p1"]),
        ("h = :h AND a <= :a", ["p5", "p4", "p3", "p2", "p1"]),
        ("h = :h AND a < :a", ["p5"]),
        ("b = :b AND h = :h AND a = :a", ["p3", "p2", "p1"]),
    ],
)
def test_query_uses_equalities_on_a_prefix_then_one_condition(ddb, four_range, text, expected):
    assert _query(ddb, text)[0] == expected


def test_query_backwards_and_in_pages_carrying_every_key_attribute(ddb, four_range):
    assert _query(ddb, "h = :h AND a = :a", ScanIndexForward=False)[0] == ["p1", "p2", "p3", "p4"]
    first, lek = _query(ddb, "h = :h AND a = :a", Limit=2)
    assert first == ["p4", "p3"]
    assert set(lek) == {"pk", "h", "a", "b", "c", "d"}
    rest, lek = _query(ddb, "h = :h AND a = :a", ExclusiveStartKey=lek)
    assert rest == ["p2", "p1"] and lek is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("h = :h AND a = :a AND c = :c", M.range_equality_required("b", "c")),
        ("h = :h AND a = :a AND b > :b AND c = :c", M.range_equality_required("b", "c")),
        ("h = :h AND b = :b", M.range_equality_required("a", "b")),
        ("a = :a", M.key_condition_missed("h")),
        ("h = :h AND x = :a", M.KEY_CONDITION_NOT_SUPPORTED),
        ("h > :h", M.KEY_CONDITION_NOT_SUPPORTED),
    ],
)
def test_query_key_condition_errors(ddb, four_range, text, message):
    assert err(_query, ddb=ddb, text=text) == (V, message)


def test_query_value_of_the_wrong_type_and_a_start_key_outside_the_condition(ddb, four_range):
    assert err(
        ddb.query,
        TableName="four",
        IndexName="gsi",
        KeyConditionExpression="h = :h AND a = :a",
        ExpressionAttributeValues={":h": {"S": "o1"}, ":a": {"N": "1"}},
    ) == (V, M.KEY_CONDITION_TYPE_MISMATCH)
    _, lek = _query(ddb, "h = :h AND a = :a", Limit=2)
    assert err(_query, ddb=ddb, text="h = :h AND a < :a", ExclusiveStartKey=lek) == (V, M.START_KEY_RANGE)


def test_legacy_key_conditions_follow_the_same_rules(ddb, four_range):
    def eq(v):
        return {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": v}]}

    got = ddb.query(
        TableName="four",
        IndexName="gsi",
        KeyConditions={
            "h": eq("o1"),
            "a": eq("T"),
            "b": {"ComparisonOperator": "GE", "AttributeValueList": [{"S": "live"}]},
        },
    )
    assert [i["pk"]["S"] for i in got["Items"]] == ["p3", "p2", "p1"]
    assert err(
        ddb.query, TableName="four", IndexName="gsi", KeyConditions={"h": eq("o1"), "b": eq("live")}
    ) == (V, M.range_equality_required("a", "b"))


# --- several HASH attributes, sparse entries ----------------------------------------------------


@pytest.fixture
def two_hash(ddb):
    _create(ddb, "twoh", _ks(["t", "r"], ["s"]), {"t": "S", "r": "N", "s": "N"})
    return "twoh"


def test_query_needs_an_equality_on_every_hash_attribute(ddb, two_hash):
    for i in range(8):
        ddb.put_item(
            TableName="twoh",
            Item={"pk": {"S": f"p{i}"}, "t": {"S": "x"}, "r": {"N": str(i % 2)}, "s": {"N": str(-i)}},
        )
    values = {":t": {"S": "x"}, ":r": {"N": "1"}}
    got = ddb.query(
        TableName="twoh",
        IndexName="gsi",
        KeyConditionExpression="r = :r AND t = :t",
        ExpressionAttributeValues=values,
    )
    assert [i["pk"]["S"] for i in got["Items"]] == ["p7", "p5", "p3", "p1"]
    assert err(
        ddb.query,
        TableName="twoh",
        IndexName="gsi",
        KeyConditionExpression="t = :t",
        ExpressionAttributeValues={":t": {"S": "x"}},
    ) == (V, M.key_condition_missed("r"))
    assert ddb.scan(TableName="twoh", IndexName="gsi")["Count"] == 8


def test_scan_of_a_multi_attribute_index_in_pages_and_segments(ddb, aws, two_hash):
    for i in range(40):
        item = {"pk": {"S": f"p{i}"}, "t": {"S": f"t{i % 3}"}, "r": {"N": str(i % 4)}, "s": {"N": str(i)}}
        ddb.put_item(TableName="twoh", Item=item)
    seen = []
    for segment in range(3):
        start = None
        while True:
            extra = {"ExclusiveStartKey": start} if start else {}
            page = ddb.scan(
                TableName="twoh", IndexName="gsi", Segment=segment, TotalSegments=3, Limit=4, **extra
            )
            seen += [i["pk"]["S"] for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if start is None:
                break
    assert sorted(seen) == sorted(f"p{i}" for i in range(40))
    _check_index(aws, "twoh")


def test_an_item_missing_any_key_attribute_is_not_in_the_index(ddb, aws, two_hash):
    def count():
        return ddb.query(
            TableName="twoh",
            IndexName="gsi",
            KeyConditionExpression="t = :t AND r = :r",
            ExpressionAttributeValues={":t": {"S": "x"}, ":r": {"N": "1"}},
        )["Count"]

    ddb.put_item(TableName="twoh", Item={"pk": {"S": "a"}, "t": {"S": "x"}, "r": {"N": "1"}})
    assert count() == 0
    ddb.update_item(
        TableName="twoh",
        Key={"pk": {"S": "a"}},
        UpdateExpression="SET s = :s",
        ExpressionAttributeValues={":s": {"N": "3"}},
    )
    assert count() == 1
    ddb.update_item(TableName="twoh", Key={"pk": {"S": "a"}}, UpdateExpression="REMOVE r")
    assert count() == 0
    _check_index(aws, "twoh")


def test_an_index_key_attribute_of_the_wrong_type_is_rejected(ddb, two_hash):
    assert err(ddb.put_item, TableName="twoh", Item={"pk": {"S": "a"}, "t": {"S": "x"}, "r": {"S": "1"}}) == (
        V,
        M.index_key_type_mismatch("r", "N", "S", "gsi"),
    )


# --- the index order ---------------------------------------------------------------------------


def _typed(av):
    ((tag, value),) = av.items()
    return Decimal(value) if tag == "N" else value


def test_index_order_is_the_range_attributes_left_to_right_each_by_its_type(ddb, aws):
    _create(ddb, "ordr", _ks(["h"], ["n", "s", "b"]), {"h": "S", "n": "N", "s": "S", "b": "B"})
    rng = random.Random(7)
    expected = []
    for i in range(120):
        item = {
            "pk": {"S": f"p{i:03}"},
            "h": {"S": "one"},
            "n": {"N": rng.choice(["-10", "-1.5", "0", "2", "10", "1e2"])},
            "s": {"S": rng.choice(["", "A", "a", "ab", "b", "é"])[:2] or "Z"},
            "b": {"B": bytes([rng.choice([0, 1, 127, 128, 255])])},
        }
        ddb.put_item(TableName="ordr", Item=item)
        expected.append(item)
    expected.sort(key=lambda it: (_typed(it["n"]), it["s"]["S"], it["b"]["B"]))
    want = [(_typed(it["n"]), it["s"]["S"], it["b"]["B"]) for it in expected]
    for forward in (True, False):
        got, start = [], None
        while True:
            extra = {"ExclusiveStartKey": start} if start else {}
            page = ddb.query(
                TableName="ordr",
                IndexName="gsi",
                KeyConditionExpression="h = :h",
                ExpressionAttributeValues={":h": {"S": "one"}},
                ScanIndexForward=forward,
                Limit=7,
                **extra,
            )
            got += [(_typed(it["n"]), it["s"]["S"], it["b"]["B"]) for it in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if start is None:
                break
        assert got == (want if forward else want[::-1])
    got = ddb.query(
        TableName="ordr",
        IndexName="gsi",
        KeyConditionExpression="h = :h AND n = :n AND s BETWEEN :lo AND :hi",
        ExpressionAttributeValues={
            ":h": {"S": "one"},
            ":n": {"N": "2"},
            ":lo": {"S": "A"},
            ":hi": {"S": "a"},
        },
    )["Items"]
    assert [(_typed(i["n"]), i["s"]["S"], i["b"]["B"]) for i in got] == [
        w for w in want if w[0] == 2 and "A" <= w[1] <= "a"
    ]
    _check_index(aws, "ordr")
