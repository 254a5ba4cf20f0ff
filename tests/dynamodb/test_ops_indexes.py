"""Secondary index basics (reference §9 X1-X5, Q3, Q7-Q9, K7, C16, RC1, §13.4, CT3, CT4, TH1)."""

from __future__ import annotations

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import err

V = "ValidationException"

KS = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]
AD = [
    {"AttributeName": "p", "AttributeType": "S"},
    {"AttributeName": "s", "AttributeType": "N"},
    {"AttributeName": "g", "AttributeType": "S"},
    {"AttributeName": "l", "AttributeType": "N"},
]
GSI = {
    "IndexName": "by_g",
    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "KEYS_ONLY"},
}
GSI_ALL = {
    "IndexName": "by_g_all",
    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
    "Projection": {"ProjectionType": "ALL"},
}
LSI = {
    "IndexName": "by_l",
    "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
}


@pytest.fixture
def table(ddb):
    ddb.create_table(
        TableName="idx",
        KeySchema=KS,
        AttributeDefinitions=AD,
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[GSI, GSI_ALL],
        LocalSecondaryIndexes=[LSI],
    )
    return "idx"


def put(ddb, p, s, **attrs):
    item = {"p": {"S": p}, "s": {"N": str(s)}}
    for k, v in attrs.items():
        item[k] = {"N": str(v)} if isinstance(v, int) else {"S": v}
    ddb.put_item(TableName="idx", Item=item)


def gq(ddb, g, **kw):
    return ddb.query(
        TableName="idx",
        IndexName=kw.pop("index", "by_g_all"),
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": g}},
        **kw,
    )


def test_describe_indexes(ddb, table):
    desc = ddb.describe_table(TableName="idx")["Table"]
    gsis = {g["IndexName"]: g for g in desc["GlobalSecondaryIndexes"]}
    assert gsis["by_g"]["IndexStatus"] == "ACTIVE"
    assert gsis["by_g"]["IndexArn"] == desc["TableArn"] + "/index/by_g"
    assert gsis["by_g"]["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert gsis["by_g"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    (lsi,) = desc["LocalSecondaryIndexes"]
    assert lsi["IndexName"] == "by_l" and "IndexStatus" not in lsi
    assert lsi["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}
    put(ddb, "a", 1, g="G")
    desc = ddb.describe_table(TableName="idx")["Table"]
    assert {g["IndexName"]: g["ItemCount"] for g in desc["GlobalSecondaryIndexes"]} == {
        "by_g": 1,
        "by_g_all": 1,
    }
    assert desc["LocalSecondaryIndexes"][0]["ItemCount"] == 0  # sparse: no "l" attribute
    assert "GlobalSecondaryIndexes" not in ddb.delete_table(TableName="idx")["TableDescription"]


def test_gsi_follows_writes_and_is_sparse(ddb, table):
    put(ddb, "a", 1, g="G", x="1")
    put(ddb, "a", 2, g="G")
    put(ddb, "b", 1, g="H")
    put(ddb, "c", 1)  # no g: not indexed
    assert [(i["p"]["S"], i["s"]["N"]) for i in gq(ddb, "G")["Items"]] == [("a", "1"), ("a", "2")]
    ddb.update_item(
        TableName="idx",
        Key={"p": {"S": "a"}, "s": {"N": "1"}},
        UpdateExpression="SET g = :h",
        ExpressionAttributeValues={":h": {"S": "H"}},
    )
    assert [(i["p"]["S"], i["s"]["N"]) for i in gq(ddb, "H")["Items"]] == [("a", "1"), ("b", "1")]
    ddb.delete_item(TableName="idx", Key={"p": {"S": "b"}, "s": {"N": "1"}})
    ddb.update_item(TableName="idx", Key={"p": {"S": "a"}, "s": {"N": "2"}}, UpdateExpression="REMOVE g")
    assert [(i["p"]["S"], i["s"]["N"]) for i in gq(ddb, "H")["Items"]] == [("a", "1")]
    assert gq(ddb, "G")["Count"] == 0


def test_keys_only_projection_and_select(ddb, table):
    put(ddb, "a", 1, g="G", x="1")
    r = gq(ddb, "G", index="by_g")
    assert r["Items"] == [{"p": {"S": "a"}, "s": {"N": "1"}, "g": {"S": "G"}}]
    assert err(gq, ddb=ddb, g="G", index="by_g", Select="ALL_ATTRIBUTES") == (
        "ValidationException",
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global "
        "secondary index by_g because its projection type is not ALL",
    )
    assert gq(ddb, "G", index="by_g_all", Select="ALL_ATTRIBUTES")["Items"][0]["x"] == {"S": "1"}


def test_lsi_query_include_and_all_attributes(ddb, table):
    put(ddb, "a", 1, l=5, x="xx", y="yy")
    put(ddb, "a", 2, l=3, y="zz")
    r = ddb.query(
        TableName="idx",
        IndexName="by_l",
        KeyConditionExpression="p = :p AND l > :z",
        ExpressionAttributeValues={":p": {"S": "a"}, ":z": {"N": "0"}},
    )
    assert [i["l"]["N"] for i in r["Items"]] == ["3", "5"]
    assert r["Items"][1] == {"p": {"S": "a"}, "s": {"N": "1"}, "l": {"N": "5"}, "x": {"S": "xx"}}
    r = ddb.query(
        TableName="idx",
        IndexName="by_l",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        Select="ALL_ATTRIBUTES",
        ConsistentRead=True,
    )
    assert r["Items"][0]["y"] == {"S": "zz"}


def test_gsi_consistent_read_rejected(ddb, table):
    assert err(gq, ddb=ddb, g="G", ConsistentRead=True) == (
        "ValidationException",
        "Consistent reads are not supported on global secondary indexes",
    )


def test_missing_index(ddb, table):
    assert err(gq, ddb=ddb, g="G", index="nope") == (
        "ValidationException",
        "The table does not have the specified index: nope",
    )


def test_filter_on_index_key_rejected(ddb, table):
    assert err(
        ddb.query,
        TableName="idx",
        IndexName="by_g",
        KeyConditionExpression="g = :g",
        FilterExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "G"}},
    ) == (
        "ValidationException",
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: g",
    )


def test_gsi_pagination_with_duplicate_index_keys(ddb, table):
    for i in range(7):
        put(ddb, f"p{i}", i % 2, g="same")
    seen, start, pages = [], None, 0
    while True:
        kw = {"Limit": 3, "index": "by_g"}
        if start:
            kw["ExclusiveStartKey"] = start
        r = gq(ddb, "same", **kw)
        pages += 1
        if "LastEvaluatedKey" in r:
            assert set(r["LastEvaluatedKey"]) == {"g", "p", "s"}
        seen += [i["p"]["S"] for i in r["Items"]]
        start = r.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(seen) == [f"p{i}" for i in range(7)] and pages == 3
    assert err(
        gq, ddb=ddb, g="same", index="by_g", ExclusiveStartKey={"p": {"S": "p1"}, "s": {"N": "1"}}
    ) == ("ValidationException", "The provided starting key is invalid")


def test_index_scan(ddb, table):
    for i in range(5):
        put(ddb, f"p{i}", i, g=f"g{i % 2}")
    put(ddb, "none", 9)
    r = ddb.scan(TableName="idx", IndexName="by_g")
    assert r["Count"] == 5 and all(set(i) == {"p", "s", "g"} for i in r["Items"])
    seen, start = [], None
    while True:
        kw = {"TableName": "idx", "IndexName": "by_g_all", "Limit": 2}
        if start:
            kw["ExclusiveStartKey"] = start
        r = ddb.scan(**kw)
        seen += [i["p"]["S"] for i in r["Items"]]
        start = r.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(seen) == [f"p{i}" for i in range(5)]
    parts = [ddb.scan(TableName="idx", IndexName="by_g", Segment=s, TotalSegments=2)["Count"] for s in (0, 1)]
    assert sum(parts) == 5


def test_index_key_type_mismatch(ddb, table):
    assert err(ddb.put_item, TableName="idx", Item={"p": {"S": "a"}, "s": {"N": "1"}, "g": {"N": "1"}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: by_g",
    )
    assert (
        err(
            ddb.update_item,
            TableName="idx",
            Key={"p": {"S": "a"}, "s": {"N": "1"}},
            UpdateExpression="SET g = :n",
            ExpressionAttributeValues={":n": {"N": "1"}},
        )[0]
        == "ValidationException"
    )
    assert "Item" not in ddb.get_item(TableName="idx", Key={"p": {"S": "a"}, "s": {"N": "1"}})


def test_index_read_capacity_reports_the_index_and_a_zero_table_entry(ddb, table):
    """RC1: a Query or Scan of an index under INDEXES reports the index's units and
    ``Table: {CapacityUnits: 0.0}`` (AWS output quoted in AWS's DynamoDB-ElastiCache sample)."""
    put(ddb, "a", 1, g="G", l=1)
    expected = {
        "TableName": "idx",
        "CapacityUnits": 0.5,
        "Table": {"CapacityUnits": 0.0},
        "GlobalSecondaryIndexes": {"by_g_all": {"CapacityUnits": 0.5}},
    }
    assert gq(ddb, "G", ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"] == expected
    scanned = ddb.scan(TableName="idx", IndexName="by_g_all", ReturnConsumedCapacity="INDEXES")
    assert scanned["ConsumedCapacity"] == expected
    local = ddb.query(
        TableName="idx",
        IndexName="by_l",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        ReturnConsumedCapacity="INDEXES",
    )
    assert local["ConsumedCapacity"] == {
        "TableName": "idx",
        "CapacityUnits": 0.5,
        "Table": {"CapacityUnits": 0.0},
        "LocalSecondaryIndexes": {"by_l": {"CapacityUnits": 0.5}},
    }


def test_lsi_read_of_all_attributes_charges_the_table_fetches(ddb, table):
    """RC2: an LSI read that fetches non-projected attributes from the table costs the index
    entries (summed, rounded once) plus each fetched table item rounded up to 4 KB separately."""
    for s in (1, 2):
        put(ddb, "a", s, l=s, y="y" * 5000)  # each table item is just over 4 KB: 2 units strong
    q = dict(
        TableName="idx",
        IndexName="by_l",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        ConsistentRead=True,
    )
    r = ddb.query(**q, Select="ALL_ATTRIBUTES", ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {
        "TableName": "idx",
        "CapacityUnits": 5.0,
        "Table": {"CapacityUnits": 4.0},
        "LocalSecondaryIndexes": {"by_l": {"CapacityUnits": 1.0}},
    }
    assert ddb.query(**q, Select="ALL_ATTRIBUTES", ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"] == {
        "TableName": "idx",
        "CapacityUnits": 5.0,
    }
    projected = ddb.query(**q, ReturnConsumedCapacity="TOTAL")  # no fetch: the index entries only
    assert projected["ConsumedCapacity"] == {"TableName": "idx", "CapacityUnits": 1.0}


def test_index_invariants_after_writes(ddb, aws, table):
    for i in range(30):
        put(ddb, f"p{i % 4}", i % 5, g=f"g{i % 3}", l=i % 7)
        if i % 4 == 0:
            ddb.delete_item(TableName="idx", Key={"p": {"S": f"p{i % 4}"}, "s": {"N": str(i % 5)}})
    meta = aws.service("dynamodb").catalog.tables["idx"]
    for index in meta.indexes.values():
        index._check(meta.store.items())


# --- CreateTable validation --------------------------------------------------------------------


def create(ddb, **kw):
    args = {
        "TableName": "bad",
        "KeySchema": KS,
        "AttributeDefinitions": AD[:3],
        "BillingMode": "PAY_PER_REQUEST",
    }
    args.update(kw)
    return ddb.create_table(**args)


def test_lsi_needs_table_range_key(ddb):
    assert err(
        create, ddb=ddb, KeySchema=KS[:1], AttributeDefinitions=[AD[0], AD[3]], LocalSecondaryIndexes=[LSI]
    ) == ("ValidationException", M.LSI_NEEDS_TABLE_RANGE)


def test_lsi_hash_must_match(ddb):
    lsi = {
        **LSI,
        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
    }
    assert err(create, ddb=ddb, AttributeDefinitions=AD, LocalSecondaryIndexes=[lsi]) == (
        "ValidationException",
        "One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table "
        "KeySchema for index: by_l. index hash key: g, table hash key: p",
    )


def test_duplicate_index_names(ddb):
    assert err(create, ddb=ddb, GlobalSecondaryIndexes=[GSI, GSI]) == (
        "ValidationException",
        "One or more parameter values were invalid: Duplicate index name: by_g",
    )


def test_projection_rules(ddb):
    bad = {**GSI, "Projection": {"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["x"]}}
    assert err(create, ddb=ddb, GlobalSecondaryIndexes=[bad]) == (
        "ValidationException",
        "One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified",
    )
    bad = {**GSI, "Projection": {"ProjectionType": "INCLUDE"}}
    assert err(create, ddb=ddb, GlobalSecondaryIndexes=[bad]) == (
        "ValidationException",
        "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
    )
    bad = {**GSI, "Projection": {}}
    assert err(create, ddb=ddb, GlobalSecondaryIndexes=[bad]) == (
        "ValidationException",
        "One or more parameter values were invalid: Unknown ProjectionType: null",
    )


def test_index_throughput_rules(ddb):
    with_pt = {**GSI, "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}
    assert err(create, ddb=ddb, GlobalSecondaryIndexes=[with_pt]) == (
        "ValidationException",
        "One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: by_g "
        "when BillingMode is PAY_PER_REQUEST",
    )
    assert err(
        create,
        ddb=ddb,
        BillingMode="PROVISIONED",
        GlobalSecondaryIndexes=[GSI],
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: ProvisionedThroughput is not specified for index: by_g",
    )


def test_index_keys_must_be_defined(ddb):
    assert err(create, ddb=ddb, AttributeDefinitions=AD[:2], GlobalSecondaryIndexes=[GSI]) == (
        "ValidationException",
        "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. "
        "Keys: [p, s, g], AttributeDefinitions: [p, s]",
    )
    assert err(create, ddb=ddb, AttributeDefinitions=AD, GlobalSecondaryIndexes=[GSI]) == (
        "ValidationException",
        "One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: "
        "[p, s, g, l], keys used: [p, s, g]",
    )


def test_empty_index_list(ddb):
    assert err(create, ddb=ddb, LocalSecondaryIndexes=[]) == (
        "ValidationException",
        "One or more parameter values were invalid: List of LocalSecondaryIndexes is empty",
    )


# --- UpdateTable GlobalSecondaryIndexUpdates -----------------------------------------------------


@pytest.fixture
def plain(ddb):
    ddb.create_table(
        TableName="plain", KeySchema=KS, AttributeDefinitions=AD[:2], BillingMode="PAY_PER_REQUEST"
    )
    for i in range(6):
        item = {"p": {"S": f"p{i}"}, "s": {"N": "1"}}
        if i < 4:
            item["g"] = {"S": f"g{i % 2}"}
        if i == 4:
            item["g"] = {"N": "4"}  # wrong type for the new index: skipped by the backfill (X7)
        ddb.put_item(TableName="plain", Item=item)
    return "plain"


def test_create_gsi_backfills_and_delete_removes(ddb, aws, plain):
    desc = ddb.update_table(
        TableName="plain", AttributeDefinitions=[AD[2]], GlobalSecondaryIndexUpdates=[{"Create": GSI}]
    )["TableDescription"]
    (gsi,) = desc["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "by_g" and gsi["IndexStatus"] == "ACTIVE" and gsi["ItemCount"] == 4
    assert {d["AttributeName"] for d in desc["AttributeDefinitions"]} == {"p", "s", "g"}
    r = ddb.query(
        TableName="plain",
        IndexName="by_g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "g0"}},
    )
    assert sorted(i["p"]["S"] for i in r["Items"]) == ["p0", "p2"]
    ddb.put_item(TableName="plain", Item={"p": {"S": "new"}, "s": {"N": "1"}, "g": {"S": "g0"}})
    assert (
        ddb.query(
            TableName="plain",
            IndexName="by_g",
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": {"S": "g0"}},
        )["Count"]
        == 3
    )
    meta = aws.service("dynamodb").catalog.tables["plain"]
    meta.indexes["by_g"]._check(meta.store.items())
    desc = ddb.update_table(
        TableName="plain", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_g"}}]
    )["TableDescription"]
    assert "GlobalSecondaryIndexes" not in desc
    assert {d["AttributeName"] for d in desc["AttributeDefinitions"]} == {"p", "s"}
    assert err(
        ddb.query,
        TableName="plain",
        IndexName="by_g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "g0"}},
    ) == ("ValidationException", "The table does not have the specified index: by_g")
    ddb.put_item(TableName="plain", Item={"p": {"S": "after"}, "s": {"N": "1"}, "g": {"S": "g0"}})


def test_gsi_update_errors(ddb, plain):
    ddb.update_table(
        TableName="plain", AttributeDefinitions=[AD[2]], GlobalSecondaryIndexUpdates=[{"Create": GSI}]
    )
    assert err(
        ddb.update_table,
        TableName="plain",
        AttributeDefinitions=[AD[2]],
        GlobalSecondaryIndexUpdates=[{"Create": GSI}],
    ) == ("ValidationException", "Attempting to create an index which already exists")
    other = {**GSI, "IndexName": "other"}
    assert err(
        ddb.update_table,
        TableName="plain",
        AttributeDefinitions=[AD[2]],
        GlobalSecondaryIndexUpdates=[{"Create": other}, {"Delete": {"IndexName": "by_g"}}],
    ) == (
        "LimitExceededException",
        "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
    )
    assert (
        err(
            ddb.update_table,
            TableName="plain",
            GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}],
        )[0]
        == "ResourceNotFoundException"
    )
    assert err(
        ddb.update_table,
        TableName="plain",
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    **GSI,
                    "IndexName": "by_l2",
                    "KeySchema": [{"AttributeName": "l", "KeyType": "HASH"}],
                }
            }
        ],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Some index key attributes are not defined in "
        "AttributeDefinitions. Keys: [l], AttributeDefinitions: [p, s, g]",
    )


def test_item_collection_metrics_for_lsi_tables(ddb, table):
    item = {"p": {"S": "a"}, "s": {"N": "1"}, "l": {"N": "2"}}
    metrics = {"ItemCollectionKey": {"p": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    r = ddb.put_item(TableName="idx", Item=item, ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == metrics
    r = ddb.update_item(
        TableName="idx", Key={"p": {"S": "a"}, "s": {"N": "1"}}, ReturnItemCollectionMetrics="SIZE"
    )
    assert r["ItemCollectionMetrics"] == metrics
    r = ddb.delete_item(
        TableName="idx", Key={"p": {"S": "a"}, "s": {"N": "1"}}, ReturnItemCollectionMetrics="SIZE"
    )
    assert r["ItemCollectionMetrics"] == metrics
    r = ddb.batch_write_item(
        RequestItems={"idx": [{"PutRequest": {"Item": item}}]}, ReturnItemCollectionMetrics="SIZE"
    )
    assert r["ItemCollectionMetrics"] == {"idx": [metrics]}
    assert "ItemCollectionMetrics" not in ddb.put_item(TableName="idx", Item=item)


def test_write_capacity_counts_touched_indexes(ddb, table):
    item = {"p": {"S": "a"}, "s": {"N": "1"}, "g": {"S": "G"}}
    r = ddb.put_item(TableName="idx", Item=item, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {
        "TableName": "idx",
        "CapacityUnits": 3.0,
        "Table": {"CapacityUnits": 1.0},
        "GlobalSecondaryIndexes": {"by_g": {"CapacityUnits": 1.0}, "by_g_all": {"CapacityUnits": 1.0}},
    }
    r = ddb.update_item(
        TableName="idx",
        Key={"p": {"S": "a"}, "s": {"N": "1"}},
        UpdateExpression="SET g = :h",
        ExpressionAttributeValues={":h": {"S": "H"}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert r["ConsumedCapacity"] == {"TableName": "idx", "CapacityUnits": 5.0}  # 1 + key change 2 × 2 indexes
    r = ddb.delete_item(
        TableName="idx", Key={"p": {"S": "a"}, "s": {"N": "1"}}, ReturnConsumedCapacity="TOTAL"
    )
    assert r["ConsumedCapacity"]["CapacityUnits"] == 3.0
    r = ddb.put_item(
        TableName="idx", Item={"p": {"S": "b"}, "s": {"N": "1"}}, ReturnConsumedCapacity="INDEXES"
    )
    assert r["ConsumedCapacity"] == {
        "TableName": "idx",
        "CapacityUnits": 1.0,
        "Table": {"CapacityUnits": 1.0},
    }


def test_switch_to_on_demand_zeroes_index_throughput(ddb):
    pt = {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}
    ddb.create_table(
        TableName="prov",
        KeySchema=KS,
        AttributeDefinitions=AD[:3],
        ProvisionedThroughput=pt,
        GlobalSecondaryIndexes=[{**GSI, "ProvisionedThroughput": pt}],
    )
    desc = ddb.describe_table(TableName="prov")["Table"]
    assert desc["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"] == 3
    desc = ddb.update_table(TableName="prov", BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert desc["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": 0,
        "WriteCapacityUnits": 0,
    }


def test_gsi_update_shapes_are_validated(ddb, plain):
    assert err(
        ddb.update_table,
        TableName="plain",
        GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "gsi", "KeySchema": [], "Projection": {}}}],
    ) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'globalSecondaryIndexUpdates.1.member.create.keySchema' failed "
        "to satisfy constraint: Member must have length greater than or equal to 1",
    )


# --- K10 / K7: an index key SET to the wrong type, known at parse time or only at run time ---------


@pytest.fixture
def gsi_tbl(ddb):
    ddb.create_table(
        TableName="gsi_tbl",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.put_item(TableName="gsi_tbl", Item={"id": {"S": "a"}, "s": {"S": "text"}, "l": {"L": []}})
    return "gsi_tbl"


def test_k10_index_key_set_from_a_constant_of_the_wrong_type_is_a_type_mismatch(ddb, gsi_tbl):
    assert err(
        ddb.update_item,
        TableName=gsi_tbl,
        Key={"id": {"S": "a"}},
        UpdateExpression="SET g = :v",
        ExpressionAttributeValues={":v": {"S": "x"}},
    ) == ("ValidationException", M.index_key_type_mismatch("g", "N", "S", "by_g"))


@pytest.mark.parametrize("expr", ["SET g = s", "SET g = if_not_exists(g, s)", "SET g = list_append(l, l)"])
def test_k10_index_key_set_from_a_run_time_value_of_the_wrong_type(ddb, gsi_tbl, expr):
    """K10 (dynalite updateItem): a SET whose value is only known at run time gives "The update
    expression attempted to update the secondary index key to unsupported type"."""
    assert err(ddb.update_item, TableName=gsi_tbl, Key={"id": {"S": "a"}}, UpdateExpression=expr) == (
        "ValidationException",
        M.INDEX_KEY_UNSUPPORTED_TYPE,
    )
    assert "g" not in ddb.get_item(TableName=gsi_tbl, Key={"id": {"S": "a"}}, ConsistentRead=True)["Item"]


def test_k10_index_key_set_from_a_run_time_value_of_the_right_type_is_indexed(ddb, gsi_tbl):
    ddb.update_item(
        TableName=gsi_tbl,
        Key={"id": {"S": "a"}},
        UpdateExpression="SET g = if_not_exists(g, :z) + :o",
        ExpressionAttributeValues={":z": {"N": "0"}, ":o": {"N": "1"}},
    )
    out = ddb.query(
        TableName=gsi_tbl,
        IndexName="by_g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"N": "1"}},
    )
    assert [i["id"] for i in out["Items"]] == [{"S": "a"}]


@pytest.mark.parametrize(
    "request_",
    [
        {
            "UpdateExpression": "SET g = :v",
            "ConditionExpression": "attribute_not_exists(id)",
            "ExpressionAttributeValues": {":v": {"S": "x"}},
        },
        {"AttributeUpdates": {"g": {"Value": {"S": "x"}}}, "Expected": {"id": {"Exists": False}}},
    ],
    ids=["expression", "legacy"],
)
def test_k7_a_constant_of_the_wrong_index_key_type_fails_before_the_condition(ddb, gsi_tbl, request_):
    """U17 (dynalite ``validateUpdates`` runs before ``checkConditional``): the index-key type of a
    constant written to a top-level attribute is a request error, whatever the condition says."""
    assert err(ddb.update_item, TableName=gsi_tbl, Key={"id": {"S": "a"}}, **request_) == (
        "ValidationException",
        M.index_key_type_mismatch("g", "N", "S", "by_g"),
    )


# --- X5 / K2 / K3: index key length limits ------------------------------------------------------

HASH_TOO_LARGE = (
    "ValidationException",
    "One or more parameter values were invalid: "
    "Size of hashkey has exceeded the maximum size limit of2048 bytes",
)
RANGE_TOO_LARGE = (
    "ValidationException",
    "One or more parameter values were invalid: "
    "Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
)


@pytest.fixture
def indexed(ddb):
    S = "S"
    ddb.create_table(
        TableName="indexed",
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": S} for n in ("p", "s", "g", "r", "l")],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [
                    {"AttributeName": "g", "KeyType": "HASH"},
                    {"AttributeName": "r", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": [
                    {"AttributeName": "p", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return "indexed"


def test_x5_index_keys_obey_the_key_length_limits_on_every_write(ddb, indexed):
    base = {"p": {"S": "p"}, "s": {"S": "x" * 1024}}
    # At the limits: a 2048-byte GSI hash key, 1024-byte GSI and LSI range keys (each its own limit).
    ok = {**base, "g": {"S": "é" * 1024}, "r": {"S": "y" * 1024}, "l": {"S": "z" * 1024}}
    ddb.put_item(TableName=indexed, Item=ok)
    assert (
        ddb.query(
            TableName=indexed,
            IndexName="gsi",
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": {"S": "é" * 1024}},
        )["Count"]
        == 1
    )
    for extra, expected in (
        ({"g": {"S": "é" * 1024 + "a"}}, HASH_TOO_LARGE),
        ({"r": {"S": "y" * 1025}}, RANGE_TOO_LARGE),
        ({"l": {"S": "z" * 1025}}, RANGE_TOO_LARGE),
    ):
        assert err(ddb.put_item, TableName=indexed, Item={**ok, **extra}) == expected
        assert (
            err(ddb.batch_write_item, RequestItems={indexed: [{"PutRequest": {"Item": {**ok, **extra}}}]})
            == expected
        )
        ((name, value),) = extra.items()
        assert (
            err(
                ddb.update_item,
                TableName=indexed,
                Key=base,
                UpdateExpression="SET #n = :v",
                ExpressionAttributeNames={"#n": name},
                ExpressionAttributeValues={":v": value},
            )
            == expected
        )
    assert ddb.get_item(TableName=indexed, Key=base)["Item"] == ok


def test_x5_backfill_skips_items_with_oversized_or_empty_index_keys(ddb):
    ddb.create_table(
        TableName="plain",
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for p, x in (("a", "a" * 2048), ("b", "b" * 2049), ("c", ""), ("d", "d")):
        ddb.put_item(TableName="plain", Item={"p": {"S": p}, "x": {"S": x}})
    ddb.update_table(
        TableName="plain",
        AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "byx",
                    "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            }
        ],
    )
    got = sorted(i["p"]["S"] for i in ddb.scan(TableName="plain", IndexName="byx")["Items"])
    assert got == ["a", "d"]


# --- Q7: projections on partially projected indexes ---------------------------------------------


@pytest.fixture
def projected(ddb):
    ddb.create_table(
        TableName="proj",
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("p", "s", "g", "l")],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": [
                    {"AttributeName": "p", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    item = {n: {"S": n.upper()} for n in ("p", "s", "g", "l", "x", "y", "z")}
    item["m"] = {"M": {"k": {"S": "v"}}}
    ddb.put_item(TableName="proj", Item=item)
    return "proj"


def test_q7_gsi_rejects_a_projection_of_attributes_it_does_not_project(ddb, projected):
    q = {
        "TableName": projected,
        "IndexName": "gsi",
        "KeyConditionExpression": "g = :g",
        "ExpressionAttributeValues": {":g": {"S": "G"}},
    }
    # Projected attributes (index key, table key, NonKeyAttributes) are fine.
    assert ddb.query(**q, ProjectionExpression="x, p, g")["Items"] == [
        {"x": {"S": "X"}, "p": {"S": "P"}, "g": {"S": "G"}}
    ]
    msg = "One or more parameter values were invalid: Global secondary index gsi does not project [y]"
    assert err(ddb.query, **q, ProjectionExpression="x, y") == ("ValidationException", msg)
    assert err(ddb.scan, TableName=projected, IndexName="gsi", ProjectionExpression="y") == (
        "ValidationException",
        msg,
    )
    assert err(ddb.scan, TableName=projected, IndexName="gsi", AttributesToGet=["y", "x"]) == (
        "ValidationException",
        msg,
    )
    assert err(ddb.query, **q, ProjectionExpression="m.k") == (
        "ValidationException",
        "One or more parameter values were invalid: Global secondary index gsi does not project [m]",
    )


def test_q7_lsi_fetches_attributes_it_does_not_project_from_the_table(ddb, projected):
    r = ddb.query(
        TableName=projected,
        IndexName="lsi",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "P"}},
        ProjectionExpression="l, y, m.k",
    )
    assert r["Items"] == [{"l": {"S": "L"}, "y": {"S": "Y"}, "m": {"M": {"k": {"S": "v"}}}}]
    r = ddb.scan(TableName=projected, IndexName="lsi", AttributesToGet=["z"])
    assert r["Items"] == [{"z": {"S": "Z"}}]


# --- K8: key and index-key attributes cannot be addressed as nested paths ------------------------


def scalar_only(kind, name):
    return (
        V,
        f"Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
        f"{kind}: {name}",
    )


def test_k8_key_attributes_cannot_be_nested_paths(ddb, indexed):
    key = {"p": {"S": "p"}, "s": {"S": "s"}}
    ddb.put_item(
        TableName=indexed, Item={**key, "g": {"S": "g"}, "r": {"S": "r"}, "m": {"M": {"a": {"S": "x"}}}}
    )
    assert err(ddb.get_item, TableName=indexed, Key=key, ProjectionExpression="p.x") == scalar_only(
        "Key", "p"
    )
    assert err(
        ddb.get_item,
        TableName=indexed,
        Key=key,
        ProjectionExpression="m.a, #g[0]",
        ExpressionAttributeNames={"#g": "g"},
    ) == scalar_only("IndexKey", "g")
    assert err(
        ddb.batch_get_item, RequestItems={indexed: {"Keys": [key], "ProjectionExpression": "s[1]"}}
    ) == (scalar_only("Key", "s"))
    assert err(ddb.scan, TableName=indexed, ProjectionExpression="l.x") == scalar_only("IndexKey", "l")
    assert err(ddb.scan, TableName=indexed, FilterExpression="attribute_exists(p.x)") == scalar_only(
        "Key", "p"
    )
    q = {"TableName": indexed, "KeyConditionExpression": "p = :p"}
    assert err(ddb.query, **q, ProjectionExpression="r.x", ExpressionAttributeValues={":p": {"S": "p"}}) == (
        scalar_only("IndexKey", "r")
    )
    assert err(
        ddb.query, **q, FilterExpression="g[1] = :p", ExpressionAttributeValues={":p": {"S": "p"}}
    ) == (scalar_only("IndexKey", "g"))
    assert err(
        ddb.update_item,
        TableName=indexed,
        Key=key,
        UpdateExpression="SET g.y = :v",
        ExpressionAttributeValues={":v": {"S": "v"}},
    ) == scalar_only("IndexKey", "g")
    assert err(ddb.update_item, TableName=indexed, Key=key, UpdateExpression="REMOVE r[0]") == (
        scalar_only("IndexKey", "r")
    )
    # A top-level path naming a key is not this error; nested non-key paths are fine.
    assert ddb.get_item(TableName=indexed, Key=key, ProjectionExpression="p, m.a")["Item"] == {
        "p": {"S": "p"},
        "m": {"M": {"a": {"S": "x"}}},
    }


def test_gsi_update_refusals_of_issue_11(ddb, plain):
    """Issue 11 rule 10: a GSI Create without AttributeDefinitions, duplicate NonKeyAttributes and
    an empty GlobalSecondaryIndexUpdates are refused."""
    create = {**GSI, "IndexName": "by_g2"}
    assert err(ddb.update_table, TableName="plain", GlobalSecondaryIndexUpdates=[{"Create": create}]) == (
        "ValidationException",
        "AttributeDefinitions is not specified for index: by_g2",
    )
    include = {**create, "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b", "a"]}}
    assert err(
        ddb.update_table,
        TableName="plain",
        AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": include}],
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Duplicate projected attribute: a",
    )
    assert err(
        ddb.create_table,
        TableName="dup",
        KeySchema=KS,
        AttributeDefinitions=AD,
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[include],
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Duplicate projected attribute: a",
    )
    assert err(ddb.update_table, TableName="plain", GlobalSecondaryIndexUpdates=[]) == (
        "ValidationException",
        M.UPDATE_TABLE_NOTHING,
    )
