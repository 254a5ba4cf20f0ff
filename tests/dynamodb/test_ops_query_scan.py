"""Query and Scan rules (reference §8 Q1-Q11, KC1, KC12, C16, C17, Q7, RC2)."""

from __future__ import annotations

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import create_ranged_table, err

V = "ValidationException"


@pytest.fixture
def table(ddb):
    create_ranged_table(ddb, "qst")
    for p in ("a", "b"):
        for s in range(10):
            ddb.put_item(
                TableName="qst",
                Item={"p": {"S": p}, "s": {"N": str(s)}, "odd": {"BOOL": s % 2 == 1}, "v": {"S": f"{p}{s}"}},
            )
    return "qst"


def q(ddb, **kw):
    args = {
        "TableName": "qst",
        "KeyConditionExpression": "p = :p",
        "ExpressionAttributeValues": {":p": {"S": "a"}},
    }
    args.update(kw)
    return ddb.query(**args)


def svals(resp):
    return [int(i["s"]["N"]) for i in resp["Items"]]


def test_query_in_sort_order(ddb, table):
    r = q(ddb)
    assert svals(r) == list(range(10)) and r["Count"] == 10 and r["ScannedCount"] == 10
    assert "LastEvaluatedKey" not in r
    assert svals(q(ddb, ScanIndexForward=False)) == list(range(9, -1, -1))


def test_query_sort_conditions(ddb, table):
    vals = {":p": {"S": "a"}, ":lo": {"N": "3"}, ":hi": {"N": "5"}}
    assert svals(
        q(ddb, KeyConditionExpression="p = :p AND s BETWEEN :lo AND :hi", ExpressionAttributeValues=vals)
    ) == [3, 4, 5]
    assert svals(
        q(
            ddb,
            KeyConditionExpression="p = :p AND s > :lo",
            ExpressionAttributeValues={":p": {"S": "a"}, ":lo": {"N": "7"}},
        )
    ) == [8, 9]


def test_limit_counts_items_read_before_filter(ddb, table):
    r = q(
        ddb,
        Limit=4,
        FilterExpression="odd = :t",
        ExpressionAttributeValues={":p": {"S": "a"}, ":t": {"BOOL": True}},
    )
    assert svals(r) == [1, 3] and r["Count"] == 2 and r["ScannedCount"] == 4
    assert r["LastEvaluatedKey"] == {"p": {"S": "a"}, "s": {"N": "3"}}


def test_pagination_resumes_and_last_page_has_key_when_full(ddb, table):
    seen, start = [], None
    pages = 0
    while True:
        kw = {"Limit": 5}
        if start:
            kw["ExclusiveStartKey"] = start
        r = q(ddb, **kw)
        pages += 1
        seen += svals(r)
        start = r.get("LastEvaluatedKey")
        if not start:
            break
    assert seen == list(range(10))
    assert pages == 3  # the second page is full, so it carries a LastEvaluatedKey (Q3); the third is empty


def test_select_count(ddb, table):
    r = q(ddb, Select="COUNT")
    assert "Items" not in r and r["Count"] == 10


def test_projection_on_query(ddb, table):
    r = q(ddb, ProjectionExpression="v", Limit=1)
    assert r["Items"] == [{"v": {"S": "a0"}}]


def test_projection_with_wrong_select(ddb, table):
    assert err(
        ddb.query,
        TableName="qst",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        ProjectionExpression="v",
        Select="ALL_ATTRIBUTES",
    ) == (
        "ValidationException",
        "1 validation error detected: Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES",
    )
    assert err(
        ddb.query,
        TableName="qst",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        Select="ALL_PROJECTED_ATTRIBUTES",
    ) == ("ValidationException", "1 validation error detected: " + M.ALL_PROJECTED_ON_TABLE)


def test_query_requires_key_condition(ddb, table):
    assert err(ddb.query, TableName="qst") == (
        "ValidationException",
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
    )


def test_query_filter_on_key_rejected(ddb, table):
    assert err(
        ddb.query,
        TableName="qst",
        KeyConditionExpression="p = :p",
        FilterExpression="s > :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
    ) == (
        "ValidationException",
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: s",
    )


def test_query_key_type_mismatch(ddb, table):
    assert err(
        ddb.query,
        TableName="qst",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"N": "1"}},
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Condition parameter type does not match schema type",
    )


def test_query_limit_must_be_positive(ddb, table):
    assert err(
        ddb.query,
        TableName="qst",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        Limit=0,
    ) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value "
        "greater than or equal to 1",
    )


def test_query_index_missing(ddb, table):
    assert err(
        ddb.query,
        TableName="qst",
        IndexName="gsi",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
    ) == ("ValidationException", "The table does not have the specified index: gsi")


def test_query_start_key_errors(ddb, table):
    base = {
        "TableName": "qst",
        "KeyConditionExpression": "p = :p",
        "ExpressionAttributeValues": {":p": {"S": "a"}},
    }
    assert err(ddb.query, **base, ExclusiveStartKey={"p": {"S": "a"}}) == (
        "ValidationException",
        "The provided starting key is invalid",
    )
    assert err(ddb.query, **base, ExclusiveStartKey={"p": {"S": "b"}, "s": {"N": "1"}}) == (
        "ValidationException",
        "The provided starting key is outside query boundaries based on provided conditions",
    )
    assert err(
        ddb.query,
        TableName="qst",
        KeyConditionExpression="p = :p AND s > :n",
        ExpressionAttributeValues={":p": {"S": "a"}, ":n": {"N": "5"}},
        ExclusiveStartKey={"p": {"S": "a"}, "s": {"N": "1"}},
    ) == ("ValidationException", "The provided starting key does not match the range key predicate")


def test_legacy_key_conditions_and_query_filter(ddb, table):
    r = ddb.query(
        TableName="qst",
        KeyConditions={
            "p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "b"}]},
            "s": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "6"}]},
        },
        QueryFilter={"odd": {"ComparisonOperator": "EQ", "AttributeValueList": [{"BOOL": False}]}},
    )
    assert svals(r) == [6, 8] and r["ScannedCount"] == 4


def test_query_consumed_capacity_rounds_once(ddb, table):
    r = q(ddb, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == {"TableName": "qst", "CapacityUnits": 0.5}
    r = q(ddb, ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    assert r["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_one_megabyte_page(ddb):
    create_ranged_table(ddb, "big")
    blob = "x" * 100_000
    for i in range(15):
        ddb.put_item(TableName="big", Item={"p": {"S": "k"}, "s": {"N": str(i)}, "b": {"S": blob}})
    r = ddb.query(
        TableName="big",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "k"}},
        Select="COUNT",
    )
    assert r["ScannedCount"] == 11  # 11 items of ~100 KB reach 1 MB
    assert r["LastEvaluatedKey"] == {"p": {"S": "k"}, "s": {"N": "10"}}
    r2 = ddb.scan(TableName="big", Select="COUNT", ExclusiveStartKey=r["LastEvaluatedKey"])
    assert r2["Count"] == 4 and "LastEvaluatedKey" not in r2


def _sized_items(sizes: list[int]) -> list[dict]:
    """Items of ``p = "k"``, ``s = i`` whose S1 sizes are exactly ``sizes`` (padding in ``b``)."""
    from emulator.dynamodb.values import item_size

    items = []
    for i, size in enumerate(sizes):
        item = {"p": {"S": "k"}, "s": {"N": str(i)}, "b": {"S": ""}}
        item["b"]["S"] = "x" * (size - item_size(item))
        assert item_size(item) == size
        items.append(item)
    return items


def _first_page(ddb, read: str) -> dict:
    if read == "query":
        return ddb.query(
            TableName="big",
            KeyConditionExpression="p = :p",
            ExpressionAttributeValues={":p": {"S": "k"}},
            Select="COUNT",
        )
    return ddb.scan(TableName="big", Select="COUNT")


MIB = 1024 * 1024


@pytest.mark.parametrize("read", ["query", "scan"])
@pytest.mark.parametrize("more", [False, True], ids=["nothing_follows", "more_follows"])
def test_page_ending_exactly_at_one_megabyte_has_last_evaluated_key(ddb, read, more):
    """Q3/Q4: items read that sum to exactly 1 MB end the page, and LastEvaluatedKey names the
    last of them even when nothing follows (DG Query.Pagination: a LastEvaluatedKey "does not
    necessarily mean that there is more data")."""
    create_ranged_table(ddb, "big")
    sizes = [100_000] * 10
    sizes[-1] = MIB - 900_000
    if more:
        sizes.append(1_000)
    for item in _sized_items(sizes):
        ddb.put_item(TableName="big", Item=item)
    page = _first_page(ddb, read)
    assert page["ScannedCount"] == 10
    assert page["LastEvaluatedKey"] == {"p": {"S": "k"}, "s": {"N": "9"}}


@pytest.mark.parametrize("read", ["query", "scan"])
def test_page_includes_the_item_that_carries_it_past_one_megabyte(ddb, read):
    """Q4: the page stops once the items read *exceed* 1 MB, so the item that crosses the limit is
    in it (API Reference, Query/Scan Limit: "if the processed dataset size exceeds 1 MB ... it
    stops"; dynalite's live-tested queryTable checks the size before taking the next item). The
    issue's "stops before the item" has no AWS source; checked 2026-12."""
    create_ranged_table(ddb, "big")
    for item in _sized_items([400_000, 400_000, MIB - 800_001, 300_000, 300_000]):  # 3 items: 1 MB - 1
        ddb.put_item(TableName="big", Item=item)
    page = _first_page(ddb, read)
    assert page["ScannedCount"] == 4
    assert page["LastEvaluatedKey"] == {"p": {"S": "k"}, "s": {"N": "3"}}


# --- Scan -------------------------------------------------------------------------------------------


def test_scan_everything_with_filter(ddb, table):
    r = ddb.scan(
        TableName="qst", FilterExpression="odd = :t", ExpressionAttributeValues={":t": {"BOOL": True}}
    )
    assert r["Count"] == 10 and r["ScannedCount"] == 20


def test_scan_pagination_covers_all_once(ddb, table):
    seen, start = [], None
    while True:
        kw = {"Limit": 3}
        if start:
            kw["ExclusiveStartKey"] = start
        r = ddb.scan(TableName="qst", **kw)
        seen += [(i["p"]["S"], i["s"]["N"]) for i in r["Items"]]
        start = r.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(seen) == sorted((p, str(s)) for p in "ab" for s in range(10))
    assert len(seen) == 20


def test_parallel_scan_segments_partition_the_table(ddb, table):
    total = []
    for seg in range(3):
        r = ddb.scan(TableName="qst", Segment=seg, TotalSegments=3)
        total += [(i["p"]["S"], i["s"]["N"]) for i in r["Items"]]
    assert len(total) == 20 and len(set(total)) == 20


def test_segment_errors(ddb, table):
    assert err(ddb.scan, TableName="qst", Segment=0) == ("ValidationException", M.SEGMENT_WITHOUT_TOTAL)
    assert err(ddb.scan, TableName="qst", TotalSegments=2) == ("ValidationException", M.TOTAL_WITHOUT_SEGMENT)
    assert err(ddb.scan, TableName="qst", Segment=1, TotalSegments=1) == (
        "ValidationException",
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 1 is not less "
        "than TotalSegments: 1",
    )


def test_scan_start_key_schema(ddb, table):
    assert err(ddb.scan, TableName="qst", ExclusiveStartKey={"p": {"S": "a"}}) == (
        "ValidationException",
        "The provided starting key is invalid: The provided key element does not match the schema",
    )


def test_scan_filter_may_use_keys(ddb, table):
    r = ddb.scan(TableName="qst", FilterExpression="s = :s", ExpressionAttributeValues={":s": {"N": "3"}})
    assert r["Count"] == 2


def test_filter_errors_raised_without_results(ddb, table):
    assert err(ddb.scan, TableName="qst", FilterExpression="nope(a)")[0] == "ValidationException"


@pytest.mark.parametrize("read", ["query", "scan"])
def test_filter_ordering_against_a_constant_that_has_no_order_is_a_validation_error(ddb, table, read):
    """C18: as in a ConditionExpression, a list (map, set, BOOL, NULL) constant under ``<`` or
    BETWEEN is refused, not a filter that matches nothing."""
    kw = {"FilterExpression": "v < :l", "ExpressionAttributeValues": {":l": {"L": []}}}
    if read == "query":
        kw["KeyConditionExpression"] = "p = :p"
        kw["ExpressionAttributeValues"][":p"] = {"S": "a"}
    assert err(getattr(ddb, read), TableName="qst", **kw) == (
        V,
        "Invalid FilterExpression: Incorrect operand type for operator or function; "
        "operator or function: <, operand type: L",
    )


# --- Q5 / Q7: restart and Select messages --------------------------------------------------------


def test_q5_hash_only_query_cannot_restart(ddb, pair):
    assert err(
        ddb.query,
        TableName="hh1",
        KeyConditionExpression="a = :a",
        ExpressionAttributeValues={":a": {"S": "x"}},
        ExclusiveStartKey={"a": {"S": "x"}},
    ) == (V, "The provided exclusive start key is invalid: ExclusiveStartKey: {a=AttributeValue: {S:x}}")


def test_q7_select_messages(ddb, pair):
    assert err(ddb.scan, TableName="hr1", Select="ALL_PROJECTED_ATTRIBUTES") == (
        V,
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
    )
    assert err(ddb.scan, TableName="hr1", Select="SPECIFIC_ATTRIBUTES") == (
        V,
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
    )
    assert err(ddb.scan, TableName="hr1", Select="COUNT", ProjectionExpression="a") == (
        V,
        "Cannot specify the ProjectionExpression when choosing to get only the Count",
    )
    assert err(ddb.scan, TableName="hr1", Select="ALL_ATTRIBUTES", AttributesToGet=["a"]) == (
        V,
        "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES",
    )


def test_key_conditions_mix_with_filter_and_projection_expressions(ddb, table):
    """Issue 11 rule 5: KeyConditions is exempt from the expression/legacy mixing rule when no
    KeyConditionExpression is given; the other mixes stay refused."""
    kc = {"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}}
    r = ddb.query(
        TableName="qst",
        KeyConditions=kc,
        FilterExpression="odd = :t",
        ProjectionExpression="#v",
        ExpressionAttributeNames={"#v": "v"},
        ExpressionAttributeValues={":t": {"BOOL": True}},
    )
    assert (r["Count"], r["ScannedCount"], r["Items"][0]) == (5, 10, {"v": {"S": "a1"}})
    mixed = "Can not use both expression and non-expression parameters in the same request: "
    assert err(
        ddb.query,
        TableName="qst",
        KeyConditions=kc,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
    ) == (
        "ValidationException",
        mixed + "Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}",
    )
    assert err(
        ddb.query,
        TableName="qst",
        KeyConditions=kc,
        QueryFilter={"odd": {"ComparisonOperator": "NOT_NULL"}},
        FilterExpression="odd = :t",
        ExpressionAttributeValues={":t": {"BOOL": True}},
    ) == (
        "ValidationException",
        mixed + "Non-expression parameters: {QueryFilter} Expression parameters: {FilterExpression}",
    )
