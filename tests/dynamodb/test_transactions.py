"""TransactGetItems / TransactWriteItems rules (reference §10 T1-T14, RC1/T12, I8), through every door."""

from __future__ import annotations

import json
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emulator
from emulator.dynamodb import messages as M
from tests.conftest import error_of

T = "txa"
T2 = "txb"


def _create(ddb, name, *, key_type="S", **extra):
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": key_type}] + extra.pop("defs", []),
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


@pytest.fixture
def tables(ddb):
    _create(ddb, T)
    _create(ddb, T2, key_type="N")
    return ddb


def k(v):
    return {"id": {"S": v}}


def get(ddb, v, table=T):
    return ddb.get_item(
        TableName=table, Key=k(v) if table == T else {"id": {"N": v}}, ConsistentRead=True
    ).get("Item")


def fail(fn, **kw):
    with pytest.raises(Exception) as e:
        fn(**kw)
    return e


def put(v, **extra):
    return {"Put": {"TableName": T, "Item": {**k(v), **extra}}}


def bare(response):
    """A response without the native door's ResponseMetadata (door clients drop it already)."""
    return {key: v for key, v in response.items() if key != "ResponseMetadata"}


def cancelled(codes):
    return ("TransactionCanceledException", M.transaction_cancelled(codes))


# --- T1: the four actions, counts, one member per action -----------------------------------------


def test_t1_put_update_delete_conditioncheck(tables):
    ddb = tables
    ddb.put_item(TableName=T, Item={**k("u"), "n": {"N": "41"}})
    ddb.put_item(TableName=T, Item={**k("d"), "x": {"S": "gone"}})
    r = ddb.transact_write_items(
        TransactItems=[
            put("p", x={"S": "new"}),
            {
                "Update": {
                    "TableName": T,
                    "Key": k("u"),
                    "UpdateExpression": "SET n = n + :one",
                    "ConditionExpression": "n = :v",
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":v": {"N": "41"}},
                }
            },
            {"Delete": {"TableName": T, "Key": k("d"), "ConditionExpression": "attribute_exists(id)"}},
            {
                "ConditionCheck": {
                    "TableName": T,
                    "Key": k("c"),
                    "ConditionExpression": "attribute_not_exists(id)",
                }
            },
            {"Put": {"TableName": T2, "Item": {"id": {"N": "7"}}}},
        ]
    )
    assert bare(r) == {}
    assert get(ddb, "p") == {**k("p"), "x": {"S": "new"}}
    assert get(ddb, "u") == {**k("u"), "n": {"N": "42"}}
    assert get(ddb, "d") is None
    assert get(ddb, "c") is None  # a ConditionCheck writes nothing
    assert get(ddb, "7", T2) == {"id": {"N": "7"}}


def test_t1_put_replaces_whole_item(tables):
    tables.put_item(TableName=T, Item={**k("a"), "x": {"S": "1"}})
    tables.transact_write_items(TransactItems=[put("a", y={"S": "2"})])
    assert get(tables, "a") == {**k("a"), "y": {"S": "2"}}


def test_t1_zero_actions(tables):
    e = fail(tables.transact_write_items, TransactItems=[])
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'transactItems' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1",
    )


def test_t1_100_allowed_101_rejected(tables):
    tables.transact_write_items(TransactItems=[put(f"i{i}") for i in range(100)])
    assert tables.scan(TableName=T, Select="COUNT")["Count"] == 100
    code, message = error_of(
        fail(tables.transact_write_items, TransactItems=[put(f"j{i}") for i in range(101)])
    )
    assert code == "ValidationException"
    assert message.startswith("1 validation error detected: Value '[")
    assert message.endswith(
        "at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100"
    )
    assert tables.scan(TableName=T, Select="COUNT")["Count"] == 100


@pytest.mark.parametrize(
    "entry", [{}, {"Put": {"TableName": T, "Item": k("a")}, "Delete": {"TableName": T, "Key": k("b")}}]
)
def test_t1_exactly_one_action_per_entry(tables, entry):
    assert error_of(fail(tables.transact_write_items, TransactItems=[entry])) == (
        "ValidationException",
        M.TRANSACT_ONE_ACTION,
    )


def test_t1_missing_table(tables):
    assert error_of(
        fail(
            tables.transact_write_items,
            TransactItems=[put("a"), {"Put": {"TableName": "nosuch", "Item": k("a")}}],
        )
    ) == ("ResourceNotFoundException", M.RESOURCE_NOT_FOUND)
    assert get(tables, "a") is None


# --- T2: one operation per item -----------------------------------------------------------------


@pytest.mark.parametrize(
    "second",
    [
        put("a"),
        {
            "ConditionCheck": {
                "TableName": T,
                "Key": k("a"),
                "ConditionExpression": "attribute_not_exists(id)",
            }
        },
        {"Delete": {"TableName": T, "Key": k("a")}},
    ],
)
def test_t2_multiple_operations_on_one_item(tables, second):
    assert error_of(fail(tables.transact_write_items, TransactItems=[put("a"), second])) == (
        "ValidationException",
        M.TRANSACT_ONE_ITEM,
    )
    assert get(tables, "a") is None


def test_t2_numbers_compared_by_value_and_tables_distinguished(tables):
    assert error_of(
        fail(
            tables.transact_write_items,
            TransactItems=[
                {"Put": {"TableName": T2, "Item": {"id": {"N": "1"}}}},
                {"Delete": {"TableName": T2, "Key": {"id": {"N": "1.0"}}}},
            ],
        )
    ) == ("ValidationException", M.TRANSACT_ONE_ITEM)
    tables.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": T2, "Item": {"id": {"N": "1"}}}},
            {"Put": {"TableName": T, "Item": k("1")}},
        ]
    )


# --- T3: payload size ------------------------------------------------------------------------------


@pytest.mark.native_only
def test_t3_payload_over_4mb_rejected_but_big_deletes_allowed(tables):
    long = "x" * 100_000
    e = fail(tables.transact_write_items, TransactItems=[put(f"b{i}", x={"S": long}) for i in range(50)])
    assert error_of(e) == ("ValidationException", M.TRANSACT_PAYLOAD_TOO_LARGE)
    assert tables.scan(TableName=T, Select="COUNT")["Count"] == 0
    tables.transact_write_items(TransactItems=[put(f"b{i}", x={"S": long}) for i in range(30)])  # ~3 MB: fine
    for i in range(30, 50):
        tables.put_item(TableName=T, Item={**k(f"b{i}"), "x": {"S": long}})
    tables.transact_write_items(
        TransactItems=[{"Delete": {"TableName": T, "Key": k(f"b{i}")}} for i in range(50)]
    )
    assert tables.scan(TableName=T, Select="COUNT")["Count"] == 0


# --- T4/T5: all or nothing, cancellation reasons -------------------------------------------------


def test_t4_t5_every_failed_condition_reported_nothing_written(tables):
    ddb = tables
    e = fail(
        ddb.transact_write_items,
        TransactItems=[
            put("p1"),
            {"Put": {"TableName": T, "Item": k("p2"), "ConditionExpression": "attribute_not_exists(id)"}},
            {
                "ConditionCheck": {
                    "TableName": T,
                    "Key": k("p3"),
                    "ConditionExpression": "attribute_exists(id)",
                }
            },
            {"Put": {"TableName": T, "Item": k("p4"), "ConditionExpression": "attribute_exists(id)"}},
        ],
    )
    assert error_of(e) == cancelled(["None", "None", "ConditionalCheckFailed", "ConditionalCheckFailed"])
    assert e.value.response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "None"},
        {"Code": "ConditionalCheckFailed", "Message": M.CONDITIONAL_CHECK_FAILED},
        {"Code": "ConditionalCheckFailed", "Message": M.CONDITIONAL_CHECK_FAILED},
    ]
    for v in ("p1", "p2", "p3", "p4"):
        assert get(ddb, v) is None


def test_t4_conditions_see_state_before_transaction(tables):
    # the Put creates 'a' but the ConditionCheck on another item is judged on the old state only;
    # an Update condition on its own item sees the item before the transaction.
    tables.put_item(TableName=T, Item={**k("u"), "n": {"N": "1"}})
    tables.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": T,
                    "Key": k("u"),
                    "UpdateExpression": "SET n = :two",
                    "ConditionExpression": "n = :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":two": {"N": "2"}},
                }
            },
            {
                "ConditionCheck": {
                    "TableName": T,
                    "Key": k("a"),
                    "ConditionExpression": "attribute_not_exists(id)",
                }
            },
        ]
    )
    assert get(tables, "u") == {**k("u"), "n": {"N": "2"}}


# --- T6: item-level validation → ValidationError on the first failing action ---------------------


def test_t6_validation_error_first_only(tables):
    e = fail(
        tables.transact_write_items,
        TransactItems=[
            {"Put": {"TableName": T, "Item": {"id": {"N": "7"}}}},
            {"Put": {"TableName": T, "Item": {"id": {"N": "8"}}}},
            {"Put": {"TableName": T, "Item": k("p"), "ConditionExpression": "attribute_exists(id)"}},
        ],
    )
    message = M.item_key_type_mismatch("id", "S", "N")
    assert error_of(e) == cancelled(["ValidationError", "None", "None"])
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ValidationError", "Message": message},
        {"Code": "None"},
        {"Code": "None"},
    ]
    assert get(tables, "p") is None


def test_t6_single_action_and_update_path_invalid_for_item(tables):
    e = fail(
        tables.transact_write_items, TransactItems=[{"Put": {"TableName": T, "Item": {"id": {"N": "7"}}}}]
    )
    assert error_of(e) == cancelled(["ValidationError"])
    tables.put_item(TableName=T, Item={**k("u"), "s": {"S": "text"}})
    e = fail(
        tables.transact_write_items,
        TransactItems=[
            put("fresh"),
            {
                "Update": {
                    "TableName": T,
                    "Key": k("u"),
                    "UpdateExpression": "SET n = q + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ],
    )
    assert error_of(e) == cancelled(["None", "ValidationError"])
    assert e.value.response["CancellationReasons"][1] == {
        "Code": "ValidationError",
        "Message": M.UPDATE_MISSING_ATTRIBUTE,
    }
    assert get(tables, "fresh") is None


def test_t6_oversized_item(tables):
    e = fail(tables.transact_write_items, TransactItems=[put("big", x={"S": "x" * 409_600})])
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ValidationError", "Message": M.ITEM_TOO_LARGE}
    ]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"id": {"S": ""}}, M.item_key_empty("string", "id")),
        ({"id": {"S": "a"}, "n": {"N": "1e200"}}, M.NUMBER_OVERFLOW),
        ({"id": {"S": "a"}, "n": {"N": "1" * 39}}, M.NUMBER_PRECISION),
        ({"id": {"S": "a"}, "n": {"S": "x", "N": "1"}}, M.AV_MULTIPLE),
    ],
)
def test_request_value_errors_of_an_action_are_plain_validation_errors(tables, item, expected):
    """The values written in the request (and an empty key value) are checked up front: a plain
    ValidationException for the whole request, not a cancellation reason (issue 11 rule 1)."""
    e = fail(tables.transact_write_items, TransactItems=[put("ok"), {"Put": {"TableName": T, "Item": item}}])
    assert error_of(e) == ("ValidationException", expected)
    assert get(tables, "ok") is None


@pytest.mark.parametrize("kind", ["Update", "Delete", "ConditionCheck"])
def test_empty_key_value_of_an_action_is_a_plain_validation_error(tables, kind):
    spec = {"TableName": T, "Key": {"id": {"S": ""}}}
    if kind == "Update":
        spec.update(UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "x"}})
    if kind == "ConditionCheck":
        spec["ConditionExpression"] = "attribute_not_exists(id)"
    e = fail(tables.transact_write_items, TransactItems=[{kind: spec}])
    assert error_of(e) == ("ValidationException", M.item_key_empty("string", "id"))


def test_wrong_key_type_of_an_action_stays_a_cancellation_reason(tables):
    e = fail(
        tables.transact_write_items, TransactItems=[{"Put": {"TableName": T, "Item": {"id": {"N": "5"}}}}]
    )
    assert error_of(e) == cancelled(["ValidationError"])


def test_table_free_checks_of_every_action_run_before_any_table_lookup(tables):
    """Per action in request order: its expressions, then its values; only then the tables
    (issue 11 rule 1)."""
    deep: dict = {"S": "leaf"}
    for _ in range(33):
        deep = {"M": {"n": deep}}
    bad_condition = {
        "ConditionCheck": {"TableName": T, "Key": k("c"), "ConditionExpression": "attribute_not_exists("}
    }
    missing = {"Put": {"TableName": "nope", "Item": k("a")}}
    e = fail(tables.transact_write_items, TransactItems=[missing, bad_condition])
    assert error_of(e)[0] == "ValidationException"
    assert error_of(e)[1].startswith("Invalid ConditionExpression: Syntax error")
    e = fail(tables.transact_write_items, TransactItems=[put("d", data=deep), bad_condition])
    assert error_of(e) == ("ValidationException", M.NESTING_TOO_DEEP)
    e = fail(tables.transact_write_items, TransactItems=[missing, put("d", n={"N": "1e200"})])
    assert error_of(e) == ("ValidationException", M.NUMBER_OVERFLOW)
    e = fail(
        tables.transact_get_items,
        TransactItems=[
            {"Get": {"TableName": "nope", "Key": k("a")}},
            {"Get": {"TableName": T, "Key": {"id": {}}}},
        ],
    )
    assert error_of(e) == ("ValidationException", M.AV_EMPTY)


def test_t6_update_past_item_size_limit(tables):
    tables.put_item(TableName=T, Item={**k("u"), "a": {"S": "x" * 300_000}})
    e = fail(
        tables.transact_write_items,
        TransactItems=[
            {
                "Update": {
                    "TableName": T,
                    "Key": k("u"),
                    "UpdateExpression": "SET b = :v",
                    "ExpressionAttributeValues": {":v": {"S": "y" * 200_000}},
                }
            }
        ],
    )
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ValidationError", "Message": M.UPDATE_ITEM_TOO_LARGE}
    ]


# --- T7: request-level errors ---------------------------------------------------------------------


def _cond_put(**extra):
    return [{"Put": {"TableName": T, "Item": k("p"), **extra}}]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"ConditionExpression": "attribute_exists(#xyz)"},
            M.expression_invalid("ConditionExpression", M.undefined_name("#xyz")),
        ),
        (
            {"ConditionExpression": "id = :xyz"},
            M.expression_invalid("ConditionExpression", M.undefined_value(":xyz")),
        ),
        (
            {"ConditionExpression": "attribute_exists(id)", "ExpressionAttributeNames": {"#xyz": "x"}},
            M.unused_placeholders("ExpressionAttributeNames", ["#xyz"]),
        ),
        (
            {
                "ConditionExpression": "attribute_exists(id)",
                "ExpressionAttributeValues": {":xyz": {"N": "7"}},
            },
            M.unused_placeholders("ExpressionAttributeValues", [":xyz"]),
        ),
    ],
)
def test_t7_expression_errors_are_request_level(tables, extra, expected):
    assert error_of(fail(tables.transact_write_items, TransactItems=_cond_put(**extra))) == (
        "ValidationException",
        expected,
    )


def test_t7_syntax_error_is_request_level(tables):
    code, message = error_of(
        fail(tables.transact_write_items, TransactItems=_cond_put(ConditionExpression="hello!"))
    )
    assert code == "ValidationException"
    assert message.startswith("Invalid ConditionExpression: Syntax error")


def test_t7_condition_check_needs_condition(tables):
    e = fail(tables.transact_write_items, TransactItems=[{"ConditionCheck": {"TableName": T, "Key": k("a")}}])
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value null at "
        "'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy "
        "constraint: Member must not be null",
    )


@pytest.mark.parametrize("option", ["none", "dog"])
def test_t7_invalid_rvoccf(tables, option):
    e = fail(
        tables.transact_write_items,
        TransactItems=[
            put("a"),
            {
                "Update": {
                    "TableName": T,
                    "Key": k("u"),
                    "UpdateExpression": "SET x = :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                    "ReturnValuesOnConditionCheckFailure": option,
                }
            },
        ],
    )
    assert error_of(e) == (
        "ValidationException",
        f"1 validation error detected: Value '{option}' at "
        "'transactItems.2.member.update.returnValuesOnConditionCheckFailure' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    )


@pytest.mark.doors("native", "boto3", "http")
def test_t7_wrong_json_type_is_serialization_exception(tables):
    e = fail(
        tables.transact_write_items,
        TransactItems=_cond_put(
            ConditionExpression="attribute_exists(id)", ExpressionAttributeNames={"#xyz": 7}
        ),
    )
    assert error_of(e)[0] == "SerializationException"


# --- T8: ReturnValuesOnConditionCheckFailure -----------------------------------------------------


def test_t8_rvoccf_all_old_returns_item(tables):
    item = {**k("p"), "x": {"N": "42"}, "y": {"S": "dog"}}
    tables.put_item(TableName=T, Item=item)
    upd = {
        "TableName": T,
        "Key": k("p"),
        "ConditionExpression": "x = :v",
        "UpdateExpression": "SET x = x + :one",
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":v": {"N": "43"}},
    }
    e = fail(
        tables.transact_write_items,
        TransactItems=[{"Update": {**upd, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}],
    )
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ConditionalCheckFailed", "Message": M.CONDITIONAL_CHECK_FAILED, "Item": item}
    ]
    e = fail(
        tables.transact_write_items,
        TransactItems=[{"Update": {**upd, "ReturnValuesOnConditionCheckFailure": "NONE"}}],
    )
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ConditionalCheckFailed", "Message": M.CONDITIONAL_CHECK_FAILED}
    ]
    # no item existed: no Item, even with ALL_OLD
    e = fail(
        tables.transact_write_items,
        TransactItems=[
            {
                "ConditionCheck": {
                    "TableName": T,
                    "Key": k("none"),
                    "ConditionExpression": "attribute_exists(id)",
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            }
        ],
    )
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ConditionalCheckFailed", "Message": M.CONDITIONAL_CHECK_FAILED}
    ]


# --- T9: ClientRequestToken -----------------------------------------------------------------------


def _increment(v="c"):
    return [
        {
            "Update": {
                "TableName": T,
                "Key": k(v),
                "UpdateExpression": "ADD n :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        }
    ]


def test_t9_token_makes_repeat_a_no_op(tables, aws):
    ddb = tables
    ddb.transact_write_items(TransactItems=_increment())
    ddb.transact_write_items(TransactItems=_increment())
    assert get(ddb, "c")["n"] == {"N": "2"}
    ddb.transact_write_items(TransactItems=_increment(), ClientRequestToken="tok-1")
    r = ddb.transact_write_items(
        TransactItems=_increment(), ClientRequestToken="tok-1", ReturnConsumedCapacity="TOTAL"
    )
    assert get(ddb, "c")["n"] == {"N": "3"}
    assert bare(r) == {"ConsumedCapacity": [{"TableName": T, "CapacityUnits": 2.0}]}  # read units, not write
    aws.clock.advance(minutes=10, seconds=1)  # the token expires 10 minutes after completion
    ddb.transact_write_items(TransactItems=_increment(), ClientRequestToken="tok-1")
    assert get(ddb, "c")["n"] == {"N": "4"}


def test_t9_same_token_different_parameters(tables):
    tables.transact_write_items(TransactItems=[put("a")], ClientRequestToken="tok-2")
    e = fail(tables.transact_write_items, TransactItems=[put("b")], ClientRequestToken="tok-2")
    assert error_of(e) == ("IdempotentParameterMismatchException", M.IDEMPOTENT_MISMATCH)
    assert get(tables, "b") is None


def test_t9_token_length(tables):
    tables.transact_write_items(TransactItems=[put("a")], ClientRequestToken="x" * 36)
    e = fail(tables.transact_write_items, TransactItems=[put("a")], ClientRequestToken="y" * 37)
    assert error_of(e) == (
        "ValidationException",
        f"1 validation error detected: Value '{'y' * 37}' at "
        "'clientRequestToken' failed to satisfy constraint: Member must have length less than "
        "or equal to 36",
    )


def test_t9_cancelled_transaction_does_not_consume_token(tables):
    cond = [{"Put": {"TableName": T, "Item": k("a"), "ConditionExpression": "attribute_exists(id)"}}]
    fail(tables.transact_write_items, TransactItems=cond, ClientRequestToken="tok-3")
    tables.put_item(TableName=T, Item=k("a"))
    tables.transact_write_items(TransactItems=cond, ClientRequestToken="tok-3")  # [INF] runs again


# --- T10: TransactGetItems ------------------------------------------------------------------------


def test_t10_get_responses_aligned(tables):
    ddb = tables
    ddb.put_item(TableName=T, Item={**k("a"), "x": {"N": "1"}, "y": {"N": "2"}, "z": {"N": "3"}})
    ddb.put_item(TableName=T2, Item={"id": {"N": "5"}})
    r = ddb.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": T, "Key": k("a")}},
            {"Get": {"TableName": T, "Key": k("missing")}},
            {"Get": {"TableName": T2, "Key": {"id": {"N": "5"}}, "ProjectionExpression": "id"}},
        ]
    )
    assert bare(r) == {
        "Responses": [
            {"Item": {**k("a"), "x": {"N": "1"}, "y": {"N": "2"}, "z": {"N": "3"}}},
            {},
            {"Item": {"id": {"N": "5"}}},
        ]
    }


def test_t10_projection(tables):
    tables.put_item(TableName=T, Item={**k("a"), "x": {"N": "1"}, "y": {"N": "2"}, "z": {"N": "3"}})
    r = tables.transact_get_items(
        TransactItems=[
            {
                "Get": {
                    "TableName": T,
                    "Key": k("a"),
                    "ProjectionExpression": "#x, z",
                    "ExpressionAttributeNames": {"#x": "x"},
                }
            }
        ]
    )
    assert bare(r) == {"Responses": [{"Item": {"x": {"N": "1"}, "z": {"N": "3"}}}]}


def test_t10_undefined_and_unused_names(tables):
    e = fail(
        tables.transact_get_items,
        TransactItems=[
            {
                "Get": {
                    "TableName": T,
                    "Key": k("a"),
                    "ProjectionExpression": "x",
                    "ExpressionAttributeNames": {"#x": "x"},
                }
            }
        ],
    )
    assert error_of(e) == ("ValidationException", M.unused_placeholders("ExpressionAttributeNames", ["#x"]))
    e = fail(
        tables.transact_get_items,
        TransactItems=[{"Get": {"TableName": T, "Key": k("a"), "ProjectionExpression": "#y"}}],
    )
    assert error_of(e) == (
        "ValidationException",
        M.expression_invalid("ProjectionExpression", M.undefined_name("#y")),
    )


def test_t10_counts_and_shape(tables):
    e = fail(tables.transact_get_items, TransactItems=[])
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'transactItems' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1",
    )
    code, message = error_of(
        fail(
            tables.transact_get_items,
            TransactItems=[{"Get": {"TableName": T, "Key": k(f"a{i}")}} for i in range(101)],
        )
    )
    assert code == "ValidationException" and message.endswith(
        "Member must have length less than or equal to 100"
    )
    e = fail(tables.transact_get_items, TransactItems=[{}])
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value null at "
        "'transactItems.1.member.get' failed to satisfy constraint: Member must not be null",
    )
    assert error_of(
        fail(tables.transact_get_items, TransactItems=[{"Get": {"TableName": "nosuch", "Key": k("a")}}])
    ) == ("ResourceNotFoundException", M.RESOURCE_NOT_FOUND)


def test_t10_key_errors_and_duplicates(tables):
    e = fail(
        tables.transact_get_items,
        TransactItems=[
            {"Get": {"TableName": T, "Key": k("a")}},
            {"Get": {"TableName": T, "Key": {"id": {"N": "1"}}}},
        ],
    )
    assert error_of(e) == cancelled(["None", "ValidationError"])
    assert e.value.response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "ValidationError", "Message": M.KEY_SCHEMA_MISMATCH},
    ]
    assert error_of(
        fail(
            tables.transact_get_items,
            TransactItems=[
                {"Get": {"TableName": T, "Key": k("a")}},
                {"Get": {"TableName": T, "Key": k("a")}},
            ],
        )
    ) == ("ValidationException", M.TRANSACT_ONE_ITEM)


# --- T12: capacity --------------------------------------------------------------------------------


def test_t12_capacity_doubled_one_entry_per_table(tables):
    ddb = tables
    ddb.put_item(TableName=T, Item={**k("big"), "x": {"S": "x" * 5000}})
    r = ddb.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": T, "Key": k("big")}},
            {"Get": {"TableName": T, "Key": k("none")}},
            {"Get": {"TableName": T2, "Key": {"id": {"N": "1"}}}},
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert r["ConsumedCapacity"] == [
        {"TableName": T, "CapacityUnits": 6.0},
        {"TableName": T2, "CapacityUnits": 2.0},
    ]
    r = ddb.transact_write_items(
        TransactItems=[
            put("a", x={"S": "x" * 1500}),
            put("b"),
            {"Put": {"TableName": T2, "Item": {"id": {"N": "1"}}}},
        ],
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["ConsumedCapacity"] == [
        {"TableName": T, "CapacityUnits": 6.0, "Table": {"CapacityUnits": 6.0}},
        {"TableName": T2, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 2.0}},
    ]
    r = ddb.transact_write_items(TransactItems=[put("c")], ReturnConsumedCapacity="NONE")
    assert bare(r) == {}


# --- indexes (GSI/LSI maintained through the funnel; K7), I8 metrics --------------------------------


@pytest.fixture
def indexed(ddb):
    ddb.create_table(
        TableName="txi",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "s", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byg",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "byl",
                "KeySchema": [
                    {"AttributeName": "id", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return ddb


def _ik(s):
    return {"id": {"S": "h"}, "s": {"S": s}}


def test_indexes_follow_transaction_writes(indexed):
    ddb = indexed
    r = ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": "txi", "Item": {**_ik("1"), "g": {"S": "G"}, "l": {"N": "5"}}}},
            {"Put": {"TableName": "txi", "Item": {**_ik("2"), "g": {"S": "G"}}}},
        ],
        ReturnItemCollectionMetrics="SIZE",
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["ItemCollectionMetrics"] == {
        "txi": [{"ItemCollectionKey": {"id": {"S": "h"}}, "SizeEstimateRangeGB": [0.0, 1.0]}] * 2
    }
    assert r["ConsumedCapacity"] == [
        {
            "TableName": "txi",
            "CapacityUnits": 10.0,
            "Table": {"CapacityUnits": 4.0},
            "GlobalSecondaryIndexes": {"byg": {"CapacityUnits": 4.0}},
            "LocalSecondaryIndexes": {"byl": {"CapacityUnits": 2.0}},
        }
    ]
    q = ddb.query(
        TableName="txi",
        IndexName="byg",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "G"}},
    )
    assert q["Count"] == 2
    ddb.transact_write_items(
        TransactItems=[
            {"Update": {"TableName": "txi", "Key": _ik("1"), "UpdateExpression": "REMOVE g"}},
            {"Delete": {"TableName": "txi", "Key": _ik("2")}},
        ]
    )
    q = ddb.query(
        TableName="txi",
        IndexName="byg",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "G"}},
    )
    assert q["Count"] == 0
    q = ddb.query(
        TableName="txi",
        IndexName="byl",
        KeyConditionExpression="id = :h",
        ExpressionAttributeValues={":h": {"S": "h"}},
    )
    assert [i["s"] for i in q["Items"]] == [{"S": "1"}]


def test_index_key_type_mismatch_is_validation_error(indexed):
    e = fail(
        indexed.transact_write_items,
        TransactItems=[{"Put": {"TableName": "txi", "Item": {**_ik("1"), "g": {"N": "1"}}}}],
    )
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ValidationError", "Message": M.index_key_type_mismatch("g", "S", "N", "byg")}
    ]
    e = fail(
        indexed.transact_write_items,
        TransactItems=[
            {
                "Update": {
                    "TableName": "txi",
                    "Key": _ik("1"),
                    "UpdateExpression": "SET l = :v",
                    "ExpressionAttributeValues": {":v": {"S": "x"}},
                }
            }
        ],
    )
    assert e.value.response["CancellationReasons"][0]["Code"] == "ValidationError"
    assert indexed.scan(TableName="txi")["Count"] == 0


# --- T11: serializable for other threads ------------------------------------------------------------


@pytest.mark.native_only
def test_t11_concurrent_transactions_end_exact(aws):
    ddb = aws.dynamodb
    _create(ddb, T)
    ddb.put_item(TableName=T, Item={**k("a"), "n": {"N": "0"}})
    ddb.put_item(TableName=T, Item={**k("b"), "n": {"N": "0"}})
    moves = 200

    def worker() -> None:
        for _ in range(moves):
            ddb.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": T,
                            "Key": k("a"),
                            "UpdateExpression": "ADD n :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                    {
                        "Update": {
                            "TableName": T,
                            "Key": k("b"),
                            "UpdateExpression": "ADD n :m",
                            "ExpressionAttributeValues": {":m": {"N": "-1"}},
                        }
                    },
                ]
            )
            r = ddb.transact_get_items(
                TransactItems=[
                    {"Get": {"TableName": T, "Key": k("a")}},
                    {"Get": {"TableName": T, "Key": k("b")}},
                ]
            )
            a, b = (int(x["Item"]["n"]["N"]) for x in r["Responses"])
            assert a + b == 0  # never a torn view

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert get(ddb, "a")["n"] == {"N": str(4 * moves)}
    assert get(ddb, "b")["n"] == {"N": str(-4 * moves)}


# --- property: a transaction = its actions one by one, or nothing --------------------------------

_CONDITIONS = [None, "attribute_exists(id)", "attribute_not_exists(id)", "n = :c"]
_UPDATES = ["SET n = :u", "ADD n :u", "REMOVE n"]


@st.composite
def _transactions(draw):
    initial = draw(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 3), max_size=6))
    keys = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=5, unique=True))
    actions = []
    for key in keys:
        kind = draw(st.sampled_from(["Put", "Update", "Delete", "ConditionCheck"]))
        cond = draw(st.sampled_from(_CONDITIONS if kind != "ConditionCheck" else _CONDITIONS[1:]))
        spec = {"TableName": T, ("Item" if kind == "Put" else "Key"): k(key)}
        values = {}
        if kind == "Put":
            spec["Item"] = {**k(key), "n": {"N": str(draw(st.integers(0, 3)))}}
        if kind == "Update":
            spec["UpdateExpression"] = draw(st.sampled_from(_UPDATES))
            if ":u" in spec["UpdateExpression"]:
                values[":u"] = {"N": str(draw(st.integers(0, 3)))}
        if cond is not None:
            spec["ConditionExpression"] = cond
            if ":c" in cond:
                values[":c"] = {"N": str(draw(st.integers(0, 3)))}
        if values:
            spec["ExpressionAttributeValues"] = values
        actions.append({kind: spec})
    return initial, actions


def _world(initial):
    world = emulator.Emulator()
    _create(world.dynamodb, T)
    for key, n in initial.items():
        world.dynamodb.put_item(TableName=T, Item={**k(key), "n": {"N": str(n)}})
    return world


def _state(world):
    return sorted((i["id"]["S"], repr(sorted(i.items()))) for i in world.dynamodb.scan(TableName=T)["Items"])


@settings(max_examples=60, deadline=None)
@given(_transactions())
def test_property_transaction_equals_actions_one_by_one(case):
    initial, actions = case
    tx_world, seq_world = _world(initial), _world(initial)
    before = _state(tx_world)
    seq = seq_world.dynamodb
    failed = []
    for i, action in enumerate(actions):
        ((kind, spec),) = action.items()
        single = dict(spec)
        try:
            if kind == "Put":
                seq.put_item(**single)
            elif kind == "Update":
                seq.update_item(**single)
            elif kind == "Delete":
                seq.delete_item(**single)
            else:  # a ConditionCheck: a condition-only update that changes nothing (U16)
                seq.update_item(**single, UpdateExpression="REMOVE zz")
        except seq.exceptions.ConditionalCheckFailedException:
            failed.append(i)
    try:
        tx_world.dynamodb.transact_write_items(TransactItems=actions)
    except tx_world.dynamodb.exceptions.TransactionCanceledException as err:
        reasons = err.response["CancellationReasons"]
        assert [i for i, r in enumerate(reasons) if r["Code"] == "ConditionalCheckFailed"] == failed
        assert failed
        assert _state(tx_world) == before
    else:
        assert not failed
        assert _state(tx_world) == _state(seq_world)
    for world in (tx_world, seq_world):
        world.dynamodb.service.catalog.get(T).store._check()
        world.close()


# --- Step Functions' aws-sdk integration reaches the same handler ------------------------------------


def test_step_functions_aws_sdk_transact_write_items(aws):
    ddb = aws.dynamodb
    _create(ddb, T)
    ddb.put_item(TableName=T, Item={**k("b"), "n": {"N": "1"}})
    resource = "arn:aws:states:::aws-sdk:dynamodb:transactWriteItems"
    definition = {
        "StartAt": "Tx",
        "States": {
            "Tx": {
                "Type": "Task",
                "Resource": resource,
                "ResultPath": "$.tx",
                "Next": "Cancelled",
                "Parameters": {
                    "TransactItems": [
                        {"Put": {"TableName": T, "Item": k("a")}},
                        {
                            "Update": {
                                "TableName": T,
                                "Key": k("b"),
                                "UpdateExpression": "ADD n :o",
                                "ExpressionAttributeValues": {":o": {"N": "1"}},
                            }
                        },
                    ]
                },
            },
            "Cancelled": {
                "Type": "Task",
                "Resource": resource,
                "Parameters": {
                    "TransactItems": [
                        {
                            "ConditionCheck": {
                                "TableName": T,
                                "Key": k("zz"),
                                "ConditionExpression": "attribute_exists(id)",
                            }
                        }
                    ]
                },
                "Catch": [
                    {
                        "ErrorEquals": ["DynamoDb.TransactionCanceledException"],
                        "ResultPath": "$.err",
                        "Next": "Done",
                    }
                ],
                "End": True,
            },
            "Done": {"Type": "Pass", "End": True},
        },
    }
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(
        name="tx", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/sfn"
    )["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn, input="{}")
    out = sfn.describe_execution(executionArn=run["executionArn"])
    assert out["status"] == "SUCCEEDED"
    result = json.loads(out["output"])
    assert result["tx"] == {}
    assert result["err"]["Cause"].startswith(
        M.transaction_cancelled(["ConditionalCheckFailed"]) + " (Service: DynamoDb"
    )
    assert get(ddb, "a") == k("a") and get(ddb, "b")["n"] == {"N": "2"}
