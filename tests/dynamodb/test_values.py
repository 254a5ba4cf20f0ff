"""AttributeValue rules (docs/rules/dynamodb.md §3, S1): one test per rule, exact messages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.dynamodb import messages as M
from emulator.dynamodb import values as V
from emulator.dynamodb.errors import SerializationException, ValidationException
from tests.dynamodb.door_helpers import err


def invalid(av, **kw) -> str:
    with pytest.raises(ValidationException) as exc:
        V.validate_value(av, **kw)
    return exc.value.message


# --- V1/V2/V3 ------------------------------------------------------------------------------


def test_v1_empty_value():
    assert (
        invalid({}) == "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    )


def test_v2_more_than_one_type():
    assert invalid({"S": "a", "N": "1"}) == (
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
        "supported datatypes"
    )


def test_v2_member_values_checked_before_count():
    assert invalid({"S": "a", "N": "x"}) == "The parameter cannot be converted to a numeric value: x"


def test_v3_null_must_be_true():
    assert invalid({"NULL": False}) == (
        "One or more parameter values were invalid: Null attribute value types must have the value of true"
    )
    assert V.validate_value({"NULL": True}) == {"NULL": True}


def test_v4_v5_strings_and_binary_any_content():
    assert V.validate_value({"S": "a\x00b"}) == {"S": "a\x00b"}
    assert V.validate_value({"S": ""}) == {"S": ""}
    assert V.validate_value({"B": b""}) == {"B": b""}
    assert V.validate_value({"B": bytearray(b"\x80")}) == {"B": b"\x80"}


def test_wrong_json_type_is_serialization_error():
    with pytest.raises(SerializationException):
        V.validate_value({"S": 5})
    with pytest.raises(SerializationException):
        V.validate_value({"N": 5})


# --- numbers V6-V9, V11 ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["3", "-7.1234", "-17e5", "+3", ".123", "0001.23", "1e+5", "1.", "1E5"])
def test_v6_accepted_syntax(text):
    assert Decimal(V.canonical_number(text)) == Decimal(text)


@pytest.mark.parametrize(
    "text", ["NaN", "Infinity", "-Infinity", "dog", " 1", "1 ", "1_0", "--1", "1e", "e5", ".", "0x10", "١"]
)
def test_v6_rejected_syntax(text):
    with pytest.raises(ValidationException) as exc:
        V.canonical_number(text)
    assert exc.value.message == f"The parameter cannot be converted to a numeric value: {text}"


def test_v6_empty_number():
    with pytest.raises(ValidationException) as exc:
        V.canonical_number("")
    assert exc.value.message == "The parameter cannot be converted to a numeric value"


@pytest.mark.parametrize("text", ["1" * 39, "1.00000000000000000000000000000000000001", "-" + "9" * 39])
def test_v7_more_than_38_digits(text):
    assert invalid({"N": text}) == "Attempting to store more than 38 significant digits in a Number"


@pytest.mark.parametrize("text", ["1" * 38, "1" * 38 + "000000", "0.000" + "1" * 38, "1" * 38 + ".000"])
def test_v7_leading_and_trailing_zeros_not_significant(text):
    V.canonical_number(text)


@pytest.mark.parametrize(
    "text,message",
    [
        ("1e126", M.NUMBER_OVERFLOW),
        ("-1e126", M.NUMBER_OVERFLOW),
        ("1e-131", M.NUMBER_UNDERFLOW),
        ("-1e-131", M.NUMBER_UNDERFLOW),
        ("0e126", M.NUMBER_OVERFLOW),
        ("0e-131", M.NUMBER_UNDERFLOW),
        ("1e99999999999999999999999", M.NUMBER_OVERFLOW),
        ("1e-99999999999999999999999", M.NUMBER_UNDERFLOW),
    ],
)
def test_v8_magnitude(text, message):
    assert invalid({"N": text}) == message


@pytest.mark.parametrize(
    "text", ["9.9999999999999999999999999999999999999E+125", "1E-130", "-1E-130", "0.0e126", "0"]
)
def test_v8_bounds_accepted(text):
    V.canonical_number(text)


@pytest.mark.parametrize(
    "text,outcome",
    [
        ("0e125", "0"),
        ("0.0e126", "0"),
        ("0.1e126", "1" + "0" * 125),
        ("0e126", M.NUMBER_OVERFLOW),
        ("0e1000", M.NUMBER_OVERFLOW),
        ("0.0e500", M.NUMBER_OVERFLOW),
        ("0e-131", M.NUMBER_UNDERFLOW),
        ("0e-1000", M.NUMBER_UNDERFLOW),
    ],
)
def test_v8_zero_with_an_exponent_is_judged_by_its_written_exponent(ddb, text, outcome):
    """V8, newest AWS evidence (ALT test_number.py after Dec 2024, run against DynamoDB:
    test_number_magnitude_not_allowed_zero): AWS rejects ``0e126`` and ``0e-131`` but accepts
    ``0.0e126``; ``0e1000`` left ALT's list of accepted numbers. So zero with an exponent is not
    always 0: its written exponent is range-checked like any number's (``0.0e500``: [INF])."""
    ddb.create_table(
        TableName="nums",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    item = {"id": {"S": "z"}, "n": {"N": text}}
    if outcome.isdigit():
        ddb.put_item(TableName="nums", Item=item)
        assert ddb.get_item(TableName="nums", Key={"id": {"S": "z"}})["Item"]["n"] == {"N": outcome}
    else:
        assert err(ddb.put_item, TableName="nums", Item=item) == ("ValidationException", outcome)


def test_v8_overflow_message_text():
    assert (
        M.NUMBER_OVERFLOW
        == "Number overflow. Attempting to store a number with magnitude larger than supported range"
    )
    assert M.NUMBER_UNDERFLOW == (
        "Number underflow. Attempting to store a number with magnitude smaller than supported range"
    )


NORMALISATION = [
    ("007", "7"),
    ("001.23", "1.23"),
    ("+3", "3"),
    ("1.0", "1"),
    ("1.10", "1.1"),
    ("100.000", "100"),
    ("1e3", "1000"),
    ("1.23e-1", "0.123"),
    ("1e125", "1" + "0" * 125),
    ("1e-20", "0.00000000000000000001"),
    ("-0", "0"),
    ("-0.0", "0"),
    ("0e5", "0"),
    (".5", "0.5"),
    ("-.5", "-0.5"),
    ("0", "0"),
    ("10", "10"),
    ("-17e5", "-1700000"),
    ("1E+2", "100"),
    ("123.456e1", "1234.56"),
    ("0.000", "0"),
    ("5.", "5"),
    ("-7.1234", "-7.1234"),
    ("1e-130", "0." + "0" * 129 + "1"),
]


@pytest.mark.parametrize("text,canonical", NORMALISATION)
def test_v9_normalisation(text, canonical):
    assert V.canonical_number(text) == canonical
    assert V.validate_value({"N": text}) == {"N": canonical}


def test_v10_ns_elements_normalised_and_duplicates_by_value():
    assert V.validate_value({"NS": ["1.0", "2.00", "3"]}) == {"NS": ["1", "2", "3"]}
    assert invalid({"NS": ["10", "1e1"]}) == "Input collection contains duplicates"


def test_v11_arithmetic():
    assert V.add_numbers("1.5", "2.5") == "4"
    assert V.subtract_numbers("1", "3") == "-2"
    assert V.add_numbers("0.1", "0.2") == "0.3"
    with pytest.raises(ValidationException) as exc:
        V.add_numbers("1e50", "1")
    assert exc.value.message == M.NUMBER_OVERFLOW
    with pytest.raises(ValidationException) as exc:
        V.add_numbers("9e125", "9e125")
    assert exc.value.message == M.NUMBER_OVERFLOW
    with pytest.raises(ValidationException) as exc:
        V.subtract_numbers("2e-130", "1.9e-130")
    assert exc.value.message == M.NUMBER_UNDERFLOW
    assert V.add_numbers("1e50", "-1e50") == "0"


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_property_canonical_is_idempotent_and_value_preserving(dec):
    text = str(dec)
    try:
        canon = V.canonical_number(text)
    except ValidationException:
        return
    assert Decimal(canon) == dec
    assert V.canonical_number(canon) == canon
    assert "e" not in canon.lower()


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20, places=6),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20, places=6),
)
def test_property_compare_agrees_with_decimal(a, b):
    na, nb = V.canonical_number(str(a)), V.canonical_number(str(b))
    expected = (a > b) - (a < b)
    assert V.compare({"N": na}, {"N": nb}) == expected
    assert V.values_equal({"N": na}, {"N": nb}) == (a == b)
    assert Decimal(V.add_numbers(na, nb)) == a + b


# --- sets V12, lists/maps V13, nesting V14 ----------------------------------------------------


def test_v12_empty_sets():
    assert invalid({"SS": []}) == "One or more parameter values were invalid: An string set  may not be empty"
    assert invalid({"NS": []}) == "One or more parameter values were invalid: An number set  may not be empty"
    assert invalid({"BS": []}) == "One or more parameter values were invalid: Binary sets should not be empty"


def test_v12_duplicates():
    assert invalid({"SS": ["a", "a"]}) == (
        "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
    )
    assert invalid({"BS": [b"b", b"b"]}) == (
        "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates."
    )


def test_v12_set_elements_may_be_empty_strings():
    assert V.validate_value({"SS": ["", "a"]}) == {"SS": ["", "a"]}


def test_v13_empty_list_and_map_ok():
    assert V.validate_value({"L": []}) == {"L": []}
    assert V.validate_value({"M": {}}) == {"M": {}}
    assert V.validate_value({"L": [{"S": ""}, {"N": "01"}]}) == {"L": [{"S": ""}, {"N": "1"}]}


def nested(levels: int) -> dict:
    av: dict = {"S": "x"}
    for i in range(levels):
        av = {"M": {"a": av}} if i % 2 else {"L": [av]}
    return av


def test_v14_nesting_32_allowed_33_rejected():
    # The attribute itself is level 1: 31 M/L wraps put the leaf at level 32 (the deepest AWS
    # accepts); 32 wraps are rejected (Alternator test_almost_exceed_nested_level counts
    # "30 added levels + top level + the item itself == 32"; public suites captured on AWS agree).
    V.validate_value(nested(31))
    assert invalid(nested(32)) == M.NESTING_TOO_DEEP
    assert M.NESTING_TOO_DEEP.startswith("Nesting Levels have exceeded supported limits")


def test_v15_attribute_names():
    assert V.validate_item({'a.b \n\x00"': {"S": "x"}}) == {'a.b \n\x00"': {"S": "x"}}
    V.validate_item({"n" * 65535: {"S": "x"}})
    with pytest.raises(ValidationException):
        V.validate_item({"n" * 65536: {"S": "x"}})
    with pytest.raises(ValidationException):
        V.validate_item({"": {"S": "x"}})


# --- V17 prefixes -----------------------------------------------------------------------------


def test_v17_expression_attribute_values_prefix():
    assert invalid({"N": "x"}, where=V.in_expression_values(":v")) == (
        "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric "
        "value: x for key :v"
    )
    assert invalid({}, where=V.in_expression_values(":k")) == (
        "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain "
        "exactly one of the supported datatypes for key :k"
    )


def test_v17_start_key_prefix_except_numbers_and_sets():
    assert invalid({}, where=V.in_start_key) == (
        "The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of "
        "the supported datatypes"
    )
    assert invalid({"N": "1e200"}, where=V.in_start_key) == M.NUMBER_OVERFLOW
    assert invalid({"SS": []}, where=V.in_start_key) == M.SS_EMPTY


# --- copies -----------------------------------------------------------------------------------


def test_validate_returns_a_deep_copy():
    original = {"a": {"M": {"b": {"L": [{"SS": ["x"]}]}}}, "n": {"N": "1.0"}}
    copy = V.validate_item(original)
    assert copy == {"a": {"M": {"b": {"L": [{"SS": ["x"]}]}}}, "n": {"N": "1"}}
    copy["a"]["M"]["b"]["L"][0]["SS"].append("y")
    assert original["a"]["M"]["b"]["L"][0]["SS"] == ["x"]
    assert original["n"] == {"N": "1.0"}


def test_copy_item_is_deep():
    item = {"a": {"M": {"b": {"L": [{"S": "x"}]}}}, "s": {"SS": ["a"]}, "k": {"S": "v"}}
    copy = V.copy_item(item)
    assert copy == item
    copy["a"]["M"]["b"]["L"].append({"S": "y"})
    copy["s"]["SS"].append("b")
    copy["k"]["S"] = "w"
    assert item == {"a": {"M": {"b": {"L": [{"S": "x"}]}}}, "s": {"SS": ["a"]}, "k": {"S": "v"}}
    assert V.copy_value(item["a"]) == item["a"] and V.copy_value(item["a"]) is not item["a"]


# --- S1 sizes ---------------------------------------------------------------------------------


def test_s1_item_size_example():
    assert V.item_size({"shirt-color": {"S": "R"}, "shirt-size": {"S": "M"}}) == 23


@pytest.mark.parametrize(
    "number,size",
    [
        ("0", 1),
        ("1", 2),
        ("10", 2),
        ("12", 2),
        ("1.2", 3),
        ("123", 3),
        ("-1", 3),
        ("0.5", 2),
        ("1234", 3),
        ("12345678901234567890123456789012345678", 20),
        ("-123", 4),
    ],
)
def test_s1_number_sizes(number, size):
    assert V.value_size({"N": number}) == size


def test_s1_other_sizes():
    assert V.value_size({"S": "é"}) == 2
    assert V.value_size({"B": b"\x00\x01\x02"}) == 3
    assert V.value_size({"BOOL": True}) == 1
    assert V.value_size({"NULL": True}) == 1
    assert V.value_size({"SS": ["ab", "c"]}) == 3
    assert V.value_size({"BS": [b"ab", b"c"]}) == 3
    assert V.value_size({"NS": ["1", "123"]}) == 5
    assert V.value_size({"L": [{"S": "ab"}, {"N": "1"}]}) == 3 + 2 + 2 + 2
    assert V.value_size({"M": {"k": {"S": "ab"}}}) == 3 + 1 + 1 + 2
    assert V.value_size({"L": []}) == 3
    assert V.value_size({"M": {}}) == 3


# --- O1-O3 ------------------------------------------------------------------------------------


def test_o1_ordering():
    assert V.compare({"N": "10"}, {"N": "9"}) == 1
    assert V.compare({"N": "-1"}, {"N": "-0.5"}) == -1
    assert V.compare({"S": "a"}, {"S": "b"}) == -1
    assert V.compare({"S": "\uffff"}, {"S": "\U00010000"}) == -1  # UTF-8 byte order
    assert V.compare({"B": b"\x7f"}, {"B": b"\x80"}) == -1  # unsigned bytes
    assert V.compare({"S": "a"}, {"S": "a"}) == 0


def test_o2_not_comparable():
    assert V.compare({"N": "1"}, {"S": "1"}) is None
    assert V.compare({"L": []}, {"L": []}) is None
    assert V.compare({"BOOL": True}, {"BOOL": True}) is None


def test_o3_equality():
    assert V.values_equal({"N": "1000"}, {"N": "1E3"})
    assert not V.values_equal({"N": "1"}, {"S": "1"})
    assert V.values_equal({"SS": ["a", "b"]}, {"SS": ["b", "a"]})
    assert V.values_equal({"NS": ["1", "2"]}, {"NS": ["2.0", "1"]})
    assert not V.values_equal({"SS": ["a"]}, {"SS": ["a", "b"]})
    assert V.values_equal(
        {"L": [{"M": {"x": {"SS": ["a", "b"]}}}]}, {"L": [{"M": {"x": {"SS": ["b", "a"]}}}]}
    )
    assert not V.values_equal({"L": [{"S": "a"}, {"S": "b"}]}, {"L": [{"S": "b"}, {"S": "a"}]})
    assert not V.values_equal({"M": {"a": {"S": "x"}}}, {"M": {"b": {"S": "x"}}})
    assert V.values_equal({"NULL": True}, {"NULL": True})
    assert V.type_of({"BS": [b"x"]}) == "BS"


# --- V14 through the doors: 32 levels count the attribute itself -----------------------------------


def wraps(n: int) -> dict:
    """A leaf wrapped in ``n`` single-key maps: the leaf sits at level n + 1 (the attribute is 1)."""
    av: dict = {"S": "leaf"}
    for _ in range(n):
        av = {"M": {"n": av}}
    return av


def test_v14_an_attribute_nested_31_wraps_is_stored_32_wraps_are_rejected(ddb, tbl):
    """DynamoDB caps nesting at 32 levels counting the attribute as level 1: 31 wraps (leaf at level
    32) are accepted, 32 wraps are rejected — on PutItem and in ExpressionAttributeValues alike
    (Alternator test_almost_exceed_nested_level: "30 added levels + top level + the item itself
    == 32 total"; public conformance suites captured against AWS agree)."""
    ddb.put_item(TableName=tbl, Item={"id": {"S": "a"}, "d": wraps(31)})
    assert ddb.get_item(TableName=tbl, Key={"id": {"S": "a"}})["Item"]["d"] == wraps(31)
    assert err(ddb.put_item, TableName=tbl, Item={"id": {"S": "b"}, "d": wraps(32)}) == (
        "ValidationException",
        M.NESTING_TOO_DEEP,
    )
    assert (
        err(
            ddb.update_item,
            TableName=tbl,
            Key={"id": {"S": "a"}},
            UpdateExpression="SET t = :t",
            ConditionExpression="d = :deep",
            ExpressionAttributeValues={":t": {"S": "y"}, ":deep": wraps(32)},
        )[0]
        == "ValidationException"
    )
    # 31 wraps in a condition value are fine: the condition is evaluated (and holds)
    ddb.update_item(
        TableName=tbl,
        Key={"id": {"S": "a"}},
        UpdateExpression="SET t = :t",
        ConditionExpression="d = :deep",
        ExpressionAttributeValues={":t": {"S": "y"}, ":deep": wraps(31)},
    )


def test_v14_a_nested_set_may_not_push_a_value_past_32_levels(ddb, tbl):
    ddb.put_item(TableName=tbl, Item={"id": {"S": "a"}, "m": {"M": {}}})
    ddb.update_item(
        TableName=tbl,
        Key={"id": {"S": "a"}},
        UpdateExpression="SET m.x = :v",
        ExpressionAttributeValues={":v": wraps(30)},
    )
    assert err(
        ddb.update_item,
        TableName=tbl,
        Key={"id": {"S": "a"}},
        UpdateExpression="SET m.y = :v",
        ExpressionAttributeValues={":v": wraps(31)},
    ) == ("ValidationException", M.NESTING_TOO_DEEP)
