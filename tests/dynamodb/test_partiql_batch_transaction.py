"""PartiQL BatchExecuteStatement and ExecuteTransaction (AWS "Running batch operations with
PartiQL", "Performing transactions with PartiQL"), through every door."""

from __future__ import annotations

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import create_hash_table, err

T = "pqb"


@pytest.fixture
def table(ddb):
    create_hash_table(ddb, T)
    for i in range(3):
        ddb.put_item(TableName=T, Item={"id": {"S": str(i)}, "n": {"N": str(i)}})
    return T


def stmt(text, *params, **kw):
    entry = {"Statement": text, **kw}
    if params:
        entry["Parameters"] = list(params)
    return entry


def test_batch_reads_answer_each_item_in_order(ddb, table):
    out = ddb.batch_execute_statement(
        Statements=[
            stmt(f"SELECT * FROM {T} WHERE id = ?", {"S": "1"}),
            stmt(f"SELECT * FROM {T} WHERE id = 'absent'"),
            stmt(f"SELECT n FROM {T} WHERE id = '2'"),
        ]
    )["Responses"]
    assert out[0] == {"TableName": T, "Item": {"id": {"S": "1"}, "n": {"N": "1"}}}
    assert out[1] == {"TableName": T}
    assert out[2] == {"TableName": T, "Item": {"n": {"N": "2"}}}


def test_batch_writes_fail_one_by_one(ddb, table):
    out = ddb.batch_execute_statement(
        Statements=[
            stmt(f"INSERT INTO {T} VALUE {{'id': '9'}}"),
            stmt(f"INSERT INTO {T} VALUE {{'id': '1'}}"),
            stmt(
                f"UPDATE {T} SET n = 5 WHERE id = '0' AND n = 100",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            ),
            stmt(f"DELETE FROM {T} WHERE id = '2'"),
            stmt("SELEC nonsense"),
        ]
    )["Responses"]
    assert out[0] == {"TableName": T}
    assert out[1]["Error"] == {"Code": "DuplicateItem", "Message": M.PQL_DUPLICATE_ITEM}
    assert out[2]["Error"]["Code"] == "ConditionalCheckFailed"
    assert out[2]["Error"]["Item"] == {"id": {"S": "0"}, "n": {"N": "0"}}
    assert out[3] == {"TableName": T}
    assert out[4]["Error"]["Code"] == "ValidationError"
    assert "Item" in ddb.get_item(TableName=T, Key={"id": {"S": "9"}})
    assert "Item" not in ddb.get_item(TableName=T, Key={"id": {"S": "2"}})


def test_batch_of_reads_and_writes_is_refused(ddb, table):
    assert err(
        ddb.batch_execute_statement,
        Statements=[stmt(f"SELECT * FROM {T} WHERE id = '1'"), stmt(f"DELETE FROM {T} WHERE id = '1'")],
    ) == ("ValidationException", M.PQL_BATCH_MIXED)


def test_batch_capacity_is_summed_per_table(ddb, table):
    out = ddb.batch_execute_statement(
        Statements=[stmt(f"SELECT * FROM {T} WHERE id = '1'"), stmt(f"SELECT * FROM {T} WHERE id = '2'")],
        ReturnConsumedCapacity="TOTAL",
    )
    assert out["ConsumedCapacity"] == [{"TableName": T, "CapacityUnits": 1.0}]


def test_transaction_writes_all_or_nothing(ddb, table):
    ddb.execute_transaction(
        TransactStatements=[
            stmt(f"INSERT INTO {T} VALUE {{'id': 'x'}}"),
            stmt(f"UPDATE {T} SET n = n + 1 WHERE id = '0'"),
            stmt(f"DELETE FROM {T} WHERE id = '1'"),
        ]
    )
    assert ddb.get_item(TableName=T, Key={"id": {"S": "0"}})["Item"]["n"] == {"N": "1"}
    assert "Item" not in ddb.get_item(TableName=T, Key={"id": {"S": "1"}})
    with pytest.raises(Exception) as e:
        ddb.execute_transaction(
            TransactStatements=[
                stmt(f"INSERT INTO {T} VALUE {{'id': 'y'}}"),
                stmt(f"INSERT INTO {T} VALUE {{'id': 'x'}}"),
                stmt(f"UPDATE {T} SET n = 7 WHERE id = '2' AND n = 99"),
            ]
        )
    response = e.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert response["Error"]["Message"] == M.transaction_cancelled(
        ["None", "DuplicateItem", "ConditionalCheckFailed"]
    )
    assert [r["Code"] for r in response["CancellationReasons"]] == [
        "None",
        "DuplicateItem",
        "ConditionalCheckFailed",
    ]
    assert "Item" not in ddb.get_item(TableName=T, Key={"id": {"S": "y"}})


def test_transaction_exists_is_a_condition_check(ddb, table):
    with pytest.raises(Exception) as e:
        ddb.execute_transaction(
            TransactStatements=[
                stmt(f"EXISTS(SELECT * FROM {T} WHERE id = '0' AND n = 42)"),
                stmt(f"INSERT INTO {T} VALUE {{'id': 'z'}}"),
            ]
        )
    assert [r["Code"] for r in e.value.response["CancellationReasons"]] == ["ConditionalCheckFailed", "None"]
    ddb.execute_transaction(
        TransactStatements=[
            stmt(f"EXISTS(SELECT * FROM {T} WHERE id = '0' AND n = 0)"),
            stmt(f"INSERT INTO {T} VALUE {{'id': 'z'}}"),
        ]
    )
    assert "Item" in ddb.get_item(TableName=T, Key={"id": {"S": "z"}})


def test_transaction_reads(ddb, table):
    out = ddb.execute_transaction(
        TransactStatements=[
            stmt(f"SELECT * FROM {T} WHERE id = '1'"),
            stmt(f"SELECT n FROM {T} WHERE id = 'no'"),
        ]
    )
    assert out["Responses"] == [{"Item": {"id": {"S": "1"}, "n": {"N": "1"}}}, {}]
    assert err(ddb.execute_transaction, TransactStatements=[stmt(f"SELECT * FROM {T} WHERE n = 1")]) == (
        "ValidationException",
        M.PQL_TX_READ_KEYS,
    )
    assert err(
        ddb.execute_transaction,
        TransactStatements=[
            stmt(f"SELECT * FROM {T} WHERE id = '1'"),
            stmt(f"DELETE FROM {T} WHERE id = '1'"),
        ],
    ) == ("ValidationException", M.PQL_TX_MIXED)


def test_exists_outside_a_transaction_is_refused(ddb, table):
    assert err(ddb.execute_statement, Statement=f"EXISTS(SELECT * FROM {T} WHERE id = '0' AND n = 0)") == (
        "ValidationException",
        M.PQL_EXISTS_OUTSIDE_TX,
    )
