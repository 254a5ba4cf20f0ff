"""PartiQL planning (AWS "PartiQL select statements": a WHERE that fixes the partition key reads
one item collection, like Query; anything else scans) and the parser's trees and errors."""

from __future__ import annotations

import pytest

import emulator
from emulator.dynamodb import messages as M
from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.partiql import ast as A
from emulator.dynamodb.partiql.parser import parse
from emulator.dynamodb.partiql.planner import plan_select
from tests.dynamodb.door_helpers import create_ranged_table


@pytest.fixture
def world():
    aws = emulator.Emulator()
    create_ranged_table(aws.dynamodb, "plan")
    for s in range(20):
        aws.dynamodb.put_item(TableName="plan", Item={"p": {"S": f"k{s % 4}"}, "s": {"N": str(s)}})
    yield aws
    aws.close()


def meta_of(aws):
    return aws.service("dynamodb").catalog.get("plan")


@pytest.mark.parametrize(
    "where, kind",
    [
        ("p = 'k1' AND s = 5", "get"),
        ("s = 5 AND p = 'k1'", "get"),
        ("p = 'k1'", "query"),
        ("p = 'k1' AND s > 3", "query"),
        ("p = 'k1' AND begins_with(x, 'a')", "query"),
        ("s = 5", "scan"),
        ("p = 'k1' OR p = 'k2'", "scan"),
        ("p = 1", "scan"),  # a value of another type than the key: a filter that matches nothing
    ],
)
def test_plan_kind(world, where, kind):
    tree, _count = parse(f"SELECT * FROM plan WHERE {where}")
    assert plan_select(tree, meta_of(world), None, []).kind == kind


def test_partition_key_select_reads_one_collection_never_the_table(world, monkeypatch):
    store = meta_of(world).store

    def no_scan(*_a, **_k):
        raise AssertionError("a partition-key SELECT must not scan")

    monkeypatch.setattr(store, "scan", no_scan)
    out = world.dynamodb.execute_statement(Statement="SELECT * FROM plan WHERE p = 'k1' AND s >= 9")
    assert [i["s"]["N"] for i in out["Items"]] == ["9", "13", "17"]


def test_parse_builds_the_documented_shapes():
    tree, count = parse('UPDATE "T" SET a.b[2] = ? REMOVE c WHERE k = ? RETURNING MODIFIED OLD *')
    assert count == 2
    assert isinstance(tree, A.Update)
    assert tree.sets == ((A.Path(("a", "b", 2)), A.Param(0)),)
    assert tree.removes == (A.Path(("c",)),) and tree.returning == "UPDATED_OLD"
    tree, _ = parse('SELECT * FROM "T"."I" WHERE x IN [1, 2] AND y BETWEEN 1 AND 3')
    assert tree.source == A.Source("T", "I")


@pytest.mark.parametrize(
    "statement, message",
    [
        ("INSERT INTO T VALUES ('a')", M.PQL_INSERT_MULTIPLE),
        ("INSERT INTO T VALUE 'a'", M.PQL_INSERT_NOT_STRUCT),
        ("DELETE FROM T WHERE k = 1 RETURNING ALL NEW *", M.pql_delete_returning("ALL_NEW")),
        ("SELECT * FROM T WHERE a = MISSING", M.PQL_MISSING_LITERAL),
        ("SELECT * FROM T AS t", M.PQL_ALIAS_UNSUPPORTED),
        ("DELETE FROM T", M.PQL_INCOMPLETE_KEY),
    ],
)
def test_parse_errors(statement, message):
    with pytest.raises(ValidationException) as e:
        parse(statement)
    assert e.value.message == message


def test_syntax_error_position_counts_lines_and_columns():
    with pytest.raises(ValidationException) as e:
        parse("SELECT *\nFROM T\nWHERE a = ")
    assert e.value.message == M.partiql_syntax(M.PQL_UNEXPECTED_END, 3, 11)


def test_partition_key_in_is_a_query_of_each_value(world, monkeypatch):
    tree, _count = parse("SELECT * FROM plan WHERE p IN ['k1', ?, 'k1'] AND s > 3")
    plan = plan_select(tree, meta_of(world), None, [{"S": "k2"}])
    assert plan.kind == "query" and plan.hashes == [{"S": "k1"}, {"S": "k2"}]
    monkeypatch.setattr(meta_of(world).store, "scan", None)  # never called
    out = world.dynamodb.execute_statement(Statement="SELECT * FROM plan WHERE p IN ['k1', 'k2'] AND s > 12")
    assert [i["s"]["N"] for i in out["Items"]] == ["13", "17", "14", "18"]
