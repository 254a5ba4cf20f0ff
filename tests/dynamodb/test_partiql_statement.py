"""PartiQL ExecuteStatement (AWS "PartiQL for DynamoDB"; docs/dynamodb-conformance.md "PartiQL"),
through every door: SELECT, INSERT, UPDATE, DELETE, parameters, paging, capacity and the errors."""

from __future__ import annotations

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import create_ranged_table, err

T = "pqt"


@pytest.fixture
def table(ddb):
    create_ranged_table(ddb, T)  # p (S) hash, s (N) range
    for s in range(1, 6):
        ddb.put_item(
            TableName=T,
            Item={
                "p": {"S": "a"},
                "s": {"N": str(s)},
                "tag": {"S": f"t{s}"},
                "doc": {"M": {"n": {"N": str(s * 10)}, "l": {"L": [{"S": "x"}, {"S": f"y{s}"}]}}},
                "tags": {"SS": ["red", "blue"] if s % 2 else ["green"]},
            },
        )
    ddb.put_item(TableName=T, Item={"p": {"S": "b"}, "s": {"N": "1"}, "tag": {"S": "other"}})
    return T


def run(ddb, statement, *params, **kw):
    if params:
        kw["Parameters"] = list(params)
    return ddb.execute_statement(Statement=statement, **kw)


def keys(items):
    return [(i["p"]["S"], int(i["s"]["N"])) for i in items]


def test_select_by_full_key_returns_the_one_item(ddb, table):
    out = run(ddb, f'SELECT * FROM "{T}" WHERE p = ? AND s = ?', {"S": "a"}, {"N": "3"})
    assert keys(out["Items"]) == [("a", 3)]
    assert out["Items"][0]["tag"] == {"S": "t3"}
    assert "NextToken" not in out


def test_select_absent_key_returns_no_items(ddb, table):
    assert run(ddb, f"SELECT * FROM {T} WHERE p = 'zz' AND s = 1")["Items"] == []


def test_select_partition_reads_the_collection_in_sort_order(ddb, table):
    assert keys(run(ddb, f"SELECT * FROM {T} WHERE p = 'a'")["Items"]) == [("a", s) for s in range(1, 6)]


def test_select_order_by_sort_key_desc(ddb, table):
    out = run(ddb, f"SELECT * FROM {T} WHERE p = 'a' ORDER BY s DESC")
    assert keys(out["Items"]) == [("a", s) for s in range(5, 0, -1)]


@pytest.mark.parametrize(
    "where, expected",
    [
        ("s > 3", [4, 5]),
        ("s BETWEEN 2 AND 3", [2, 3]),
        ("s IN [1, 5]", [1, 5]),
        ("tag = 't2' OR tag = 't4'", [2, 4]),
        ("begins_with(tag, 't1')", [1]),
        ("contains(tags, 'green')", [2, 4]),
        ("doc.n >= 40", [4, 5]),
        ("doc.l[1] = 'y3'", [3]),
        ("size(tags) = 2", [1, 3, 5]),
        ("NOT (s < 5)", [5]),
        ("missing_attr IS MISSING AND s = 1", [1]),
        ("tag IS NOT MISSING AND s <> 1 AND s <> 2", [3, 4, 5]),
    ],
)
def test_select_where_conditions(ddb, table, where, expected):
    out = run(ddb, f"SELECT * FROM {T} WHERE p = 'a' AND {where}")
    assert [s for _p, s in keys(out["Items"])] == expected


def test_select_without_partition_key_scans_every_partition(ddb, table):
    out = run(ddb, f"SELECT * FROM {T} WHERE s = 1")
    assert sorted(keys(out["Items"])) == [("a", 1), ("b", 1)]


def test_select_projection_of_nested_paths(ddb, table):
    out = run(ddb, f"SELECT tag, doc.l[1] FROM {T} WHERE p = 'a' AND s = 2")
    assert out["Items"] == [{"tag": {"S": "t2"}, "doc": {"M": {"l": {"L": [{"S": "y2"}]}}}}]


def test_limit_and_next_token_page_through_a_partition(ddb, table):
    seen, token = [], None
    statement = f"SELECT * FROM {T} WHERE p = 'a'"
    for _ in range(10):
        kw = {"Limit": 2}
        if token:
            kw["NextToken"] = token
        out = run(ddb, statement, **kw)
        seen += keys(out["Items"])
        token = out.get("NextToken")
        if token is None:
            break
    assert seen == [("a", s) for s in range(1, 6)]


def test_next_token_of_another_statement_is_refused(ddb, table):
    token = run(ddb, f"SELECT * FROM {T} WHERE p = 'a'", Limit=1)["NextToken"]
    assert err(ddb.execute_statement, Statement=f"SELECT * FROM {T}", NextToken=token) == (
        "ValidationException",
        M.PQL_NEXT_TOKEN_MISMATCH,
    )


def test_return_consumed_capacity_of_a_key_read(ddb, table):
    out = run(
        ddb, f"SELECT * FROM {T} WHERE p = 'a' AND s = 1", ReturnConsumedCapacity="TOTAL", ConsistentRead=True
    )
    assert out["ConsumedCapacity"] == {"TableName": T, "CapacityUnits": 1.0}


def test_insert_with_parameters_then_read_back(ddb, table):
    out = run(
        ddb,
        f"INSERT INTO {T} VALUE {{'p': ?, 's': ?, 'l': [1, 'two'], 'm': {{'k': true}}, 'ss': <<'x', 'y'>>}}",
        {"S": "n"},
        {"N": "7"},
    )
    assert out["Items"] == []
    item = ddb.get_item(TableName=T, Key={"p": {"S": "n"}, "s": {"N": "7"}})["Item"]
    assert item["l"] == {"L": [{"N": "1"}, {"S": "two"}]}
    assert item["m"] == {"M": {"k": {"BOOL": True}}}
    assert sorted(item["ss"]["SS"]) == ["x", "y"]


def test_insert_of_an_existing_key_is_duplicate_item(ddb, table):
    assert err(ddb.execute_statement, Statement=f"INSERT INTO {T} VALUE {{'p': 'a', 's': 1}}") == (
        "DuplicateItemException",
        "Duplicate primary key exists in table",
    )


def test_update_set_remove_and_returning(ddb, table):
    out = run(
        ddb,
        f"UPDATE {T} SET doc.n = doc.n + 5 SET extra = ? REMOVE tags WHERE p = 'a' AND s = 1 RETURNING ALL NEW *",
        {"S": "e"},
    )
    (item,) = out["Items"]
    assert item["doc"]["M"]["n"] == {"N": "15"} and item["extra"] == {"S": "e"} and "tags" not in item


def test_update_of_a_missing_item_fails_its_condition(ddb, table):
    assert err(ddb.execute_statement, Statement=f"UPDATE {T} SET x = 1 WHERE p = 'zz' AND s = 1") == (
        "ConditionalCheckFailedException",
        M.CONDITIONAL_CHECK_FAILED,
    )
    assert "Item" not in ddb.get_item(TableName=T, Key={"p": {"S": "zz"}, "s": {"N": "1"}})


def test_update_with_a_failing_condition_returns_the_old_item_on_request(ddb, table):
    with pytest.raises(Exception) as e:
        ddb.execute_statement(
            Statement=f"UPDATE {T} SET x = 1 WHERE p = 'a' AND s = 1 AND tag = 'nope'",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert e.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert e.value.response["Item"]["tag"] == {"S": "t1"}


def test_update_needs_equality_on_every_key_attribute(ddb, table):
    assert err(ddb.execute_statement, Statement=f"UPDATE {T} SET x = 1 WHERE p = 'a'") == (
        "ValidationException",
        M.PQL_INCOMPLETE_KEY,
    )


def test_delete_by_key_and_condition(ddb, table):
    assert err(ddb.execute_statement, Statement=f"DELETE FROM {T} WHERE p = 'a' AND s = 2 AND tag = 'no'")[
        0
    ] == ("ConditionalCheckFailedException")
    out = run(ddb, f"DELETE FROM {T} WHERE p = 'a' AND s = 2 AND tag = 't2' RETURNING ALL OLD *")
    assert out["Items"][0]["tag"] == {"S": "t2"}
    assert "Item" not in ddb.get_item(TableName=T, Key={"p": {"S": "a"}, "s": {"N": "2"}})


def test_delete_of_a_missing_item_is_a_no_op(ddb, table):
    assert run(ddb, f"DELETE FROM {T} WHERE p = 'zz' AND s = 9")["Items"] == []
    assert run(ddb, f"DELETE FROM {T} WHERE p = 'zz' AND s = 9 AND tag = 'x'")["Items"] == []


def test_syntax_errors_say_what_and_where(ddb, table):
    assert err(ddb.execute_statement, Statement="SELEC * FROM x") == (
        "ValidationException",
        "Statement wasn't well formed, can't be processed: Expected data manipulation",
    )
    assert err(ddb.execute_statement, Statement=f"SELECT * FROM {T} WHERE p = 'a' junk") == (
        "ValidationException",
        "Statement wasn't well formed, can't be processed: Unexpected token after expression",
    )
    code, message = err(ddb.execute_statement, Statement=f"SELECT * FROM {T} WHERE p = ")
    assert code == "ValidationException"
    assert message.startswith(M.PQL_NOT_WELL_FORMED) and "line 1, column" in message


def test_parameter_count_must_match(ddb, table):
    assert err(ddb.execute_statement, Statement=f"SELECT * FROM {T} WHERE p = ?") == (
        "ValidationException",
        M.PQL_PARAMETER_COUNT,
    )


def test_unknown_table_is_resource_not_found(ddb, table):
    assert err(ddb.execute_statement, Statement="SELECT * FROM nosuchtable")[0] == "ResourceNotFoundException"


def test_writes_reach_the_stream_and_indexes_like_native_writes(ddb):
    ddb.create_table(
        TableName="pqi",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byg",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    run(ddb, "INSERT INTO pqi VALUE {'id': '1', 'g': 'x'}")
    run(ddb, "INSERT INTO pqi VALUE {'id': '2', 'g': 'x'}")
    out = run(ddb, 'SELECT * FROM "pqi"."byg" WHERE g = \'x\'')
    assert sorted(i["id"]["S"] for i in out["Items"]) == ["1", "2"]
    assert err(
        ddb.execute_statement, Statement='SELECT * FROM "pqi"."byg" WHERE g = \'x\'', ConsistentRead=True
    ) == (
        "ValidationException",
        M.PQL_GSI_CONSISTENT_READ,
    )
    assert err(ddb.execute_statement, Statement='DELETE FROM "pqi"."byg" WHERE id = \'1\'') == (
        "ValidationException",
        M.PQL_INDEX_WRITE,
    )


def test_order_by_rules(ddb, table):
    assert err(ddb.execute_statement, Statement=f"SELECT * FROM {T} ORDER BY s")[1] == M.PQL_ORDER_BY_NO_WHERE
    assert err(ddb.execute_statement, Statement=f"SELECT * FROM {T} WHERE s = 1 ORDER BY s")[1] == (
        M.PQL_ORDER_BY_NO_HASH
    )
    assert err(ddb.execute_statement, Statement=f"SELECT * FROM {T} WHERE p = 'a' ORDER BY tag")[1] == (
        M.pql_order_by_not_key("tag")
    )


def test_partition_key_in_reads_each_collection_and_pages_across_them(ddb, table):
    statement = f"SELECT * FROM {T} WHERE p IN ['b', 'a', 'zz'] AND s <= 2"
    assert keys(run(ddb, statement)["Items"]) == [("b", 1), ("a", 1), ("a", 2)]
    seen, token = [], None
    for _ in range(10):
        kw = {"Limit": 1}
        if token:
            kw["NextToken"] = token
        out = run(ddb, statement, **kw)
        seen += keys(out["Items"])
        token = out.get("NextToken")
        if token is None:
            break
    assert seen == [("b", 1), ("a", 1), ("a", 2)]


def test_writes_report_consumed_capacity_like_their_native_operations(ddb, table):
    out = run(ddb, f"INSERT INTO {T} VALUE {{'p': 'c', 's': 1}}", ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": T, "CapacityUnits": 1.0}
    out = run(ddb, f"UPDATE {T} SET x = 1 WHERE p = 'c' AND s = 1", ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": T, "CapacityUnits": 1.0}
    out = run(ddb, f"DELETE FROM {T} WHERE p = 'c' AND s = 1", ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"] == {"TableName": T, "CapacityUnits": 1.0}


def test_eventually_consistent_and_consistent_reads_see_the_write(ddb, table):
    run(ddb, f"INSERT INTO {T} VALUE {{'p': 'c', 's': 1}}")
    for consistent in (False, True):
        assert keys(run(ddb, f"SELECT * FROM {T} WHERE p = 'c'", ConsistentRead=consistent)["Items"]) == [
            ("c", 1)
        ]


@pytest.mark.parametrize(
    "where, expected",
    [
        ("tag IS STRING", [1, 2, 3, 4, 5]),
        ("doc IS STRUCT AND doc.l IS LIST AND doc.n IS NUMERIC", [1, 2, 3, 4, 5]),
        ("tag IS NOT STRING", []),
        ("tag IS BOOLEAN", []),
    ],
)
def test_is_type_tests_the_attribute_type(ddb, table, where, expected):
    out = run(ddb, f"SELECT * FROM {T} WHERE p = 'a' AND {where}")
    assert [s for _p, s in keys(out["Items"])] == expected


@pytest.mark.parametrize(
    "statement, message",
    [
        (f"SELECT *, tag FROM {T}", M.PQL_STAR_AND_OTHERS),
        (f"SELECT * FROM {T} WHERE attribute_exists(tag)", M.pql_unrecognized_function("attribute_exists")),
        ('SELECT * FROM "a!"', M.PQL_INVALID_TABLE_NAME),
        ("SELECT * FROM ab", M.PQL_INVALID_TABLE_NAME),
        (f"SELECT * FROM {T} WHERE tag IS DATE", M.pql_unsupported_is("DATE")),
    ],
)
def test_statement_validation_texts(ddb, table, statement, message):
    assert err(ddb.execute_statement, Statement=statement) == ("ValidationException", message)
