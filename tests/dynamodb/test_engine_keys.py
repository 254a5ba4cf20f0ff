"""Keys: schema building, encoding order (O1, V10), placement hash (Q10) and K2–K6 validation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emulator.dynamodb import messages as msg
from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.keys import (
    KeySchema,
    number_hash_bytes,
    partition_hash,
    validate_item_keys,
    validate_key,
)

HASH_ONLY = KeySchema("id", "S")
COMPOSITE = KeySchema("pk", "S", "sk", "N")
BINARY = KeySchema("pk", "B", "sk", "B")

INVALID = "One or more parameter values were invalid: "


def _err(fn, *args) -> str:
    with pytest.raises(ValidationException) as exc:
        fn(*args)
    assert exc.value.code == "ValidationException"
    return exc.value.message


# --- schema -----------------------------------------------------------------------------------


def test_from_definitions_builds_hash_and_range():
    schema = KeySchema.from_definitions(
        [{"AttributeName": "sk", "KeyType": "RANGE"}, {"AttributeName": "pk", "KeyType": "HASH"}],
        [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "other", "AttributeType": "B"},
        ],
    )
    assert schema == KeySchema("pk", "S", "sk", "N")
    assert schema.key_names == ("pk", "sk")


def test_from_definitions_hash_only():
    schema = KeySchema.from_definitions(
        [{"AttributeName": "id", "KeyType": "HASH"}], [{"AttributeName": "id", "AttributeType": "B"}]
    )
    assert schema == KeySchema("id", "B")
    assert schema.key_names == ("id",)


def test_extract_key_keeps_only_key_attributes():
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "y"}}
    assert COMPOSITE.extract_key(item) == {"pk": {"S": "a"}, "sk": {"N": "1"}}
    assert HASH_ONLY.extract_key({"id": {"S": "k"}, "v": {"N": "2"}}) == {"id": {"S": "k"}}


# --- encoding order ---------------------------------------------------------------------------


def test_numbers_encode_by_value_1000_equals_1e3():
    a = COMPOSITE.encode({"pk": {"S": "p"}, "sk": {"N": "1000"}})
    b = COMPOSITE.encode({"pk": {"S": "p"}, "sk": {"N": "1e3"}})
    assert a == b and hash(a) == hash(b)


def test_numbers_order_numerically():
    values = ["10", "-5", "2", "0.5", "-0.25", "1e2", "3"]
    ordered = sorted(values, key=lambda v: COMPOSITE.encode({"pk": {"S": "p"}, "sk": {"N": v}}))
    assert ordered == ["-5", "-0.25", "0.5", "2", "3", "10", "1e2"]


def test_strings_order_by_code_point_equal_to_utf8_bytes():
    values = ["b", "a", "Z", "é", "\U0001f600", "\uffff", "aa"]
    ordered = sorted(values, key=lambda v: HASH_ONLY.encode({"id": {"S": v}}))
    assert ordered == sorted(values, key=lambda v: v.encode("utf-8"))


def test_binary_orders_unsigned():
    values = [b"\x80", b"\x7f", b"\x00", b"\xff", b"\x7f\x00"]
    ordered = sorted(values, key=lambda v: BINARY.encode({"pk": {"B": v}, "sk": {"B": b"x"}}))
    assert ordered == [b"\x00", b"\x7f", b"\x7f\x00", b"\x80", b"\xff"]


# --- placement hash ---------------------------------------------------------------------------


def test_string_placement_reproduces_live_dynamodb_scan_order():
    # Q10: the Scan order dynalite's tests record from live DynamoDB for these string keys
    keys = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "aardman", "hello", "zapf", "äáöü"]
    ordered = sorted(keys, key=lambda k: partition_hash("S", k))
    assert ordered == ["2", "8", "9", "1", "6", "hello", "0", "5", "4", "äáöü", "aardman", "7", "3", "zapf"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", "80"),
        ("1", "c102"),
        ("-1", "3e6466"),
        ("123.45", "c202182e"),
        ("100", "c202"),
        ("10", "c10b"),
        ("0.01", "c002"),
    ],
)
def test_number_hash_bytes(text, expected):
    assert number_hash_bytes(Decimal(text)).hex() == expected


def test_number_hash_is_by_value():
    assert number_hash_bytes(Decimal("1000")) == number_hash_bytes(Decimal("1E+3"))
    assert partition_hash("N", Decimal("1.0")) == partition_hash("N", Decimal("1"))


# --- validate_key (Key parameter) ------------------------------------------------------------


def test_valid_key_passes():
    validate_key(COMPOSITE, {"pk": {"S": "a"}, "sk": {"N": "1"}})
    validate_key(HASH_ONLY, {"id": {"S": "a"}})


@pytest.mark.parametrize(
    "key",
    [
        {"pk": {"S": "a"}},  # missing range
        {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "y"}},  # extra attribute
        {"pk": {"S": "a"}, "other": {"N": "1"}},  # wrong name
        {"pk": {"N": "1"}, "sk": {"N": "1"}},  # wrong hash type
        {"pk": {"S": "a"}, "sk": {"S": "1"}},  # wrong range type
        {},
    ],
)
def test_k6_key_must_match_schema_exactly(key):
    assert _err(validate_key, COMPOSITE, key) == "The provided key element does not match the schema"
    assert msg.KEY_SCHEMA_MISMATCH == "The provided key element does not match the schema"


def test_k4_empty_string_in_key_parameter():
    assert _err(validate_key, HASH_ONLY, {"id": {"S": ""}}) == (
        INVALID + "The AttributeValue for a key attribute cannot contain an empty string value. Key: id"
    )


def test_k4_empty_binary_in_key_parameter():
    assert _err(validate_key, BINARY, {"pk": {"B": b"a"}, "sk": {"B": b""}}) == (
        INVALID + "The AttributeValue for a key attribute cannot contain an empty binary value. Key: sk"
    )


def test_k2_hash_key_2048_bytes_allowed_2049_rejected():
    validate_key(HASH_ONLY, {"id": {"S": "x" * 2048}})
    assert _err(validate_key, HASH_ONLY, {"id": {"S": "x" * 2049}}) == (
        INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"
    )


def test_k2_counts_utf8_bytes_not_characters():
    validate_key(HASH_ONLY, {"id": {"S": "é" * 1024}})  # 2048 bytes
    assert "of2048" in _err(validate_key, HASH_ONLY, {"id": {"S": "é" * 1024 + "x"}})


def test_k2_binary_counts_raw_bytes():
    validate_key(BINARY, {"pk": {"B": b"\x00" * 2048}, "sk": {"B": b"s"}})
    assert "of2048" in _err(validate_key, BINARY, {"pk": {"B": b"\x00" * 2049}, "sk": {"B": b"s"}})


def test_k3_range_key_1024_bytes_allowed_1025_rejected():
    schema = KeySchema("pk", "S", "sk", "S")
    validate_key(schema, {"pk": {"S": "a"}, "sk": {"S": "y" * 1024}})
    assert _err(validate_key, schema, {"pk": {"S": "a"}, "sk": {"S": "y" * 1025}}) == (
        INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
    )


def test_number_keys_are_not_length_checked():
    validate_key(KeySchema("n", "N"), {"n": {"N": "1" * 38}})


# --- validate_item_keys (PutItem) --------------------------------------------------------------


def test_k5_missing_key_in_item():
    assert _err(validate_item_keys, COMPOSITE, {"pk": {"S": "a"}, "x": {"S": "1"}}) == (
        INVALID + "Missing the key sk in the item"
    )
    assert (
        _err(validate_item_keys, COMPOSITE, {"sk": {"N": "1"}}) == INVALID + "Missing the key pk in the item"
    )


def test_k5_type_mismatch_in_item():
    assert _err(validate_item_keys, COMPOSITE, {"pk": {"S": "a"}, "sk": {"S": "1"}}) == (
        INVALID + "Type mismatch for key sk expected: N actual: S"
    )


def test_k4_empty_string_in_item_put_wording():
    assert _err(validate_item_keys, HASH_ONLY, {"id": {"S": ""}}) == (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty string value. Key: id"
    )


def test_k4_empty_binary_in_item_put_wording():
    assert _err(validate_item_keys, BINARY, {"pk": {"B": b""}, "sk": {"B": b"x"}}) == (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty binary value. Key: pk"
    )


def test_empty_non_key_attributes_are_fine_in_items():
    validate_item_keys(HASH_ONLY, {"id": {"S": "a"}, "x": {"S": ""}, "y": {"B": b""}})


def test_item_key_sizes_checked_on_put():
    assert "of2048" in _err(validate_item_keys, HASH_ONLY, {"id": {"S": "x" * 2049}})
    schema = KeySchema("pk", "S", "sk", "B")
    assert "size limit of 1024 bytes" in _err(
        validate_item_keys, schema, {"pk": {"S": "a"}, "sk": {"B": b"x" * 1025}}
    )


def test_integral_numbers_encode_compactly_but_equal_decimal_forms():
    enc = [KeySchema("n", "N").encode({"n": {"N": v}})[0] for v in ["1000", "1e3", "1000.0", "-0", "0"]]
    assert enc[0] == enc[1] == enc[2] and hash(enc[0]) == hash(enc[1]) == hash(enc[2])
    assert enc[3] == enc[4] == 0
    assert isinstance(enc[0], int)
