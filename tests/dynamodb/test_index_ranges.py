"""Index Query walks its range like a table Query (indexes.py on engine/sortedpairs.py): every
sort-key condition, both directions, resumed page by page, agrees with a sort of the matches."""

from __future__ import annotations

import pytest

import emulator

CONDITIONS = [
    ("", {}),
    (" AND r = :a", {":a": {"N": "3"}}),
    (" AND r < :a", {":a": {"N": "3"}}),
    (" AND r <= :a", {":a": {"N": "3"}}),
    (" AND r > :a", {":a": {"N": "3"}}),
    (" AND r >= :a", {":a": {"N": "3"}}),
    (" AND r BETWEEN :a AND :b", {":a": {"N": "2"}, ":b": {"N": "4"}}),
]


@pytest.fixture(scope="module")
def ddb():
    aws = emulator.Emulator(seed=3)
    client = aws.dynamodb
    client.create_table(
        TableName="tbl",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "r", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_g",
                "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [
                    {"AttributeName": "g", "KeyType": "HASH"},
                    {"AttributeName": "r", "KeyType": "RANGE"},
                ],
            }
        ],
    )
    for i in range(24):  # several items share each index sort key (ordered by table key after it)
        client.put_item(
            TableName="tbl", Item={"pk": {"S": f"k{i:02d}"}, "g": {"S": "x"}, "r": {"N": str(i % 6)}}
        )
    return client


@pytest.mark.parametrize("forward", [True, False])
@pytest.mark.parametrize("condition,values", CONDITIONS)
def test_index_query_pages_agree_with_a_sort(ddb, condition: str, values: dict, forward: bool) -> None:
    request = {
        "TableName": "tbl",
        "IndexName": "by_g",
        "KeyConditionExpression": "g = :g" + condition,
        "ExpressionAttributeValues": {":g": {"S": "x"}, **values},
        "ScanIndexForward": forward,
    }
    whole = ddb.query(**request)["Items"]
    expected = sorted(whole, key=lambda it: (int(it["r"]["N"]), it["pk"]["S"]), reverse=not forward)
    assert whole == expected
    paged, start = [], None
    while True:
        page = ddb.query(**request, Limit=5, **({"ExclusiveStartKey": start} if start else {}))
        paged += page["Items"]
        start = page.get("LastEvaluatedKey")
        if start is None:
            break
    assert paged == expected


def test_index_scan_pages_cover_every_item_once(ddb) -> None:
    seen, start = [], None
    while True:
        page = ddb.scan(
            TableName="tbl", IndexName="by_g", Limit=7, **({"ExclusiveStartKey": start} if start else {})
        )
        seen += [it["pk"]["S"] for it in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if start is None:
            break
    assert sorted(seen) == [f"k{i:02d}" for i in range(24)]
