"""The JSON form of native values (emulator/jsonvalues.py), shared by the wire and the Step
Functions DynamoDB integration."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from emulator.clock import UTC
from emulator.jsonvalues import attribute_value_from_json, json_tree, json_value
from emulator.wire.shapes import encode_json


def test_attribute_value_from_json_decodes_blobs_at_every_depth() -> None:
    av = {"M": {"b": {"B": "AAE="}, "l": {"L": [{"BS": ["Ag==", b"\x03"]}, {"S": "x"}]}}}
    assert attribute_value_from_json(av) == {
        "M": {"b": {"B": b"\x00\x01"}, "l": {"L": [{"BS": [b"\x02", b"\x03"]}, {"S": "x"}]}}
    }
    assert attribute_value_from_json("not an AV") == "not an AV"


def test_json_tree_of_a_response() -> None:
    when = dt.datetime(2024, 1, 2, tzinfo=UTC)
    response = {
        "Item": {"b": {"B": b"\x00\x01"}},
        "When": when,
        "Units": Decimal("1.5"),
        "Count": Decimal("2"),
        "ResponseMetadata": {"RequestId": "x"},
    }
    assert json_tree(response) == {
        "Item": {"b": {"B": "AAE="}},
        "When": when.timestamp(),
        "Units": 1.5,
        "Count": 2,
    }


def test_the_wire_encodes_with_the_same_mapping() -> None:
    native = {
        "Item": {"b": {"B": b"\x00\x01"}, "bs": {"BS": [b"\x02"]}},
        "When": dt.datetime(2024, 1, 2, tzinfo=UTC),
    }
    assert json.loads(encode_json(native)) == json_tree(native)


def test_json_value_refuses_what_has_no_json_form() -> None:
    assert json_value({1, 2}) in ([1, 2], [2, 1])
    with pytest.raises(TypeError):
        json_value(object())
