"""The JSON 1.0 protocol rules, byte for byte (docs/rules/: dynamodb.md W1-W7, stepfunctions.md §11).

These call :func:`emulator.wire.awsjson.handle` directly — the function both the HTTP server and the
boto3 hook run — so every rule here holds for both doors.
"""

from __future__ import annotations

import base64
import json
import zlib

import pytest

import emulator
from emulator.dynamodb.errors import SerializationException
from emulator.wire import awsjson
from emulator.wire.awsjson import handle
from emulator.wire.targets import resolve_target
from tests.wire.fakes import install

DDB = "DynamoDB_20120810."
SFN = "AWSStepFunctions."


@pytest.fixture
def world():
    w = emulator.Emulator(seed=7)
    yield w
    w.close()


@pytest.fixture
def fake(world):
    return install(world)


def call(world, target, payload, **kw):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return handle(world, target, body, **kw)


def envelope(resp):
    return json.loads(resp.body)


# --- W1/W4: success responses ---------------------------------------------------------------------


def test_success_is_compact_json_with_request_id_length_and_crc32(world, fake):
    resp = call(world, DDB + "ListTables", {})
    assert resp.status == 200
    assert resp.body == b'{"TableNames":["fake"]}'
    assert resp.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert resp.headers["Content-Length"] == str(len(resp.body))
    assert resp.headers["x-amz-crc32"] == str(zlib.crc32(resp.body) & 0xFFFFFFFF)
    rid = resp.headers["x-amzn-RequestId"]
    assert len(rid) == 52 and rid.isalnum() and rid.upper() == rid


def test_request_ids_come_from_the_world_seed():
    ids = []
    for _ in range(2):
        w = emulator.Emulator(seed=42)
        install(w)
        ids.append([call(w, DDB + "ListTables", {}).headers["x-amzn-RequestId"] for _ in range(3)])
    assert ids[0] == ids[1] and len(set(ids[0])) == 3


def test_base64_blobs_decode_to_bytes_and_encode_back(world, fake):
    key = {
        "id": {"B": base64.b64encode(b"\x00\x01\xfe\xff").decode()},
        "set": {"BS": ["AA==", "AQI="]},
        "nested": {"M": {"x": {"L": [{"B": "/w=="}]}}},
    }
    resp = call(world, DDB + "GetItem", {"TableName": "tbl", "Key": key})
    op, native = fake.calls[-1]
    assert op == "GetItem"
    assert native["Key"]["id"] == {"B": b"\x00\x01\xfe\xff"}
    assert native["Key"]["set"] == {"BS": [b"\x00", b"\x01\x02"]}
    assert native["Key"]["nested"]["M"]["x"]["L"][0] == {"B": b"\xff"}
    assert envelope(resp) == {"Item": key}


def test_numbers_stay_strings_both_ways(world, fake):
    key = {"n": {"N": "12345678901234567890123456789012345678"}, "ns": {"NS": ["1", "-0.5E+10"]}}
    resp = call(world, DDB + "GetItem", {"TableName": "tbl", "Key": key})
    assert fake.calls[-1][1]["Key"] == key
    assert resp.body == json.dumps({"Item": key}, separators=(",", ":")).encode()


def test_timestamps_are_epoch_seconds(world, fake):
    resp = call(world, DDB + "DescribeTable", {"TableName": "tbl"})
    assert envelope(resp)["Table"]["CreationDateTime"] == 1714564800.25


def test_unicode_is_sent_as_utf8(world, fake):
    resp = call(world, DDB + "GetItem", {"TableName": "tbl", "Key": {"k": {"S": "é☃𝄞"}}})
    assert "é☃𝄞".encode() in resp.body


def test_unknown_members_and_nulls_are_dropped(world, fake):
    call(
        world,
        DDB + "GetItem",
        {"TableName": "tbl", "Key": {"k": {"S": "x"}}, "Bogus": 1, "ConsistentRead": None},
    )
    assert fake.calls[-1][1] == {"TableName": "tbl", "Key": {"k": {"S": "x"}}}


def test_operation_without_output_shape_answers_an_empty_body(world, fake):
    resp = call(world, DDB + "TagResource", {"ResourceArn": "arn:x", "Tags": [{"Key": "k", "Value": "v"}]})
    assert (resp.status, resp.body, resp.headers["x-amz-crc32"]) == (200, b"", "0")


def test_application_json_content_type_is_echoed(world, fake):
    resp = call(world, DDB + "ListTables", {}, content_type="application/json")
    assert resp.headers["Content-Type"] == "application/json"


# --- W2/W3: error envelopes ---------------------------------------------------------------------


def test_service_error_envelope_namespace_and_lower_case_message(world):
    resp = call(world, DDB + "DescribeTable", {"TableName": "missing"})
    assert resp.status == 400
    assert envelope(resp) == {
        "__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
        "message": "Requested resource not found: Table: missing not found",
    }
    assert resp.headers["x-amz-crc32"] == str(zlib.crc32(resp.body) & 0xFFFFFFFF)


def test_validation_error_lives_in_coral_validate(world):
    resp = call(world, DDB + "DescribeTable", {"TableName": "a;"})
    body = envelope(resp)
    assert body["__type"] == "com.amazon.coral.validate#ValidationException"
    assert set(body) == {"__type", "message"}


def test_conditional_check_failure_carries_item_in_wire_shape(world, fake):
    resp = call(world, DDB + "PutItem", {"TableName": "tbl", "Item": {"id": {"S": "a"}}})
    assert envelope(resp) == {
        "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "message": "The conditional request failed",
        "Item": {"id": {"S": "a"}, "b": {"B": "AP8="}},
    }


def test_transaction_cancelled_uses_capital_message_and_reasons(world, fake):
    resp = call(world, DDB + "TransactWriteItems", {"TransactItems": []})
    body = envelope(resp)
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"
    assert body["Message"].startswith("Transaction cancelled")
    assert "message" not in body
    assert body["CancellationReasons"][0]["Item"] == {"id": {"S": "a"}}


def test_step_functions_errors_use_their_namespace_and_uuid_request_ids(world):
    resp = call(world, SFN + "DescribeExecution", {"executionArn": "nope"})
    body = envelope(resp)
    assert resp.status == 400
    assert body["__type"] == "com.amazonaws.swf.service.v2.model#InvalidArn"
    assert body["message"] == "Invalid Arn: 'nope'"
    assert "x-amz-crc32" not in resp.headers
    rid = resp.headers["x-amzn-RequestId"]
    assert len(rid) == 36 and rid.count("-") == 4


def test_a_bug_in_an_operation_is_a_500_internal_server_error_not_a_traceback(world, fake):
    resp = call(world, DDB + "Scan", {"TableName": "tbl"})
    assert resp.status == 500
    body = envelope(resp)
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#InternalServerError"
    assert "ValueError" in body["message"]


def test_an_unencodable_response_is_a_500_too(world, fake):
    resp = call(world, DDB + "Query", {"TableName": "tbl"})
    assert resp.status == 500
    assert envelope(resp)["__type"].endswith("#InternalServerError")


# --- W6: unknown targets ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        DDB + "Frobnicate",
        "DynamoDB_20111205.GetItem",
        "Nope.ListTables",
        "DynamoDB_20120810",
        "",
        None,
        SFN + "PutItem",
    ],
)
def test_unknown_target_is_unknown_operation_without_message(world, target):
    resp = call(world, target, {})
    assert resp.status == 400
    assert envelope(resp) == {"__type": "com.amazon.coral.service#UnknownOperationException"}


def test_streams_answer_unknown_operation_until_the_service_exists(world, monkeypatch):
    monkeypatch.setitem(emulator.world.SERVICES, "dynamodbstreams", ("emulator.no_such_module", "X"))
    resp = call(world, "DynamoDBStreams_20120810.ListStreams", {})
    assert resp.status == 400
    assert envelope(resp) == {"__type": "com.amazon.coral.service#UnknownOperationException"}


@pytest.mark.parametrize(
    "target", [DDB + "DescribeContributorInsights", DDB + "DescribeKinesisStreamingDestination"]
)  # Streams and Step Functions: every operation of their models exists
def test_an_operation_the_service_lacks_answers_unknown_operation_saying_so(world, target):
    """AWS's code and namespace for an unknown target, plus a message saying the emulator lacks it."""
    name, operation = resolve_target(target)
    service = world.service(name)
    assert operation not in service.operation_names(), "pick an unimplemented example"
    resp = call(world, target, {})
    assert resp.status == 400
    assert envelope(resp) == {
        "__type": "com.amazon.coral.service#UnknownOperationException",
        "message": f"The emulator does not implement the {name} operation {operation}",
    }


# --- W5: serialization ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"not json",
        b"[]",
        b"7",
        b'"x"',
        b"\xff\xfe{}",
        b"{NaN}",
        b'{"a": NaN}',
        b"{" * 100000 + b"}" * 100000,
    ],
)
def test_malformed_json_is_serialization_exception_without_message(world, body):
    resp = handle(world, DDB + "ListTables", body)
    assert resp.status == 400
    assert envelope(resp) == {"__type": "com.amazon.coral.service#SerializationException"}


def test_malformed_json_is_reported_before_an_unknown_target(world):
    resp = handle(world, DDB + "Frobnicate", b"{")
    assert envelope(resp)["__type"].endswith("#SerializationException")


def test_empty_body_is_serialization_exception(world):
    resp = handle(world, DDB + "ListTables", b"")
    assert envelope(resp) == {"__type": "com.amazon.coral.service#SerializationException"}


def serialization(world, payload, target=DDB + "PutItem"):
    resp = call(world, target, payload)
    body = envelope(resp)
    assert resp.status == 400
    assert body["__type"] == "com.amazon.coral.service#SerializationException", body
    return body["Message"]


def item(value):
    return {"TableName": "tbl", "Item": {"a": value}}


@pytest.mark.parametrize(
    "value,message",
    [
        (True, "TRUE_VALUE cannot be converted to String"),
        (False, "FALSE_VALUE cannot be converted to String"),
        (23, "NUMBER_VALUE cannot be converted to String"),
        (-2147483648, "NUMBER_VALUE cannot be converted to String"),
        (34.56, "DECIMAL_VALUE cannot be converted to String"),
        ([], "Unrecognized collection type class java.lang.String"),
        ({}, "Start of structure or map found where not expected"),
    ],
)
def test_wrong_json_type_for_a_string(world, value, message):
    assert serialization(world, item({"S": value})) == message
    assert serialization(world, item({"N": value})) == message
    assert serialization(world, item({"SS": [value]})) == message
    assert serialization(world, {"TableName": value, "Item": {}}) == message


@pytest.mark.parametrize(
    "value,message",
    [
        ("23", "Unexpected token received from parser"),
        (23, "NUMBER_VALUE cannot be converted to Boolean"),
        (34.56, "DECIMAL_VALUE cannot be converted to Boolean"),
        ([], "Unrecognized collection type class java.lang.Boolean"),
        ({}, "Start of structure or map found where not expected"),
    ],
)
def test_wrong_json_type_for_a_boolean(world, value, message):
    assert serialization(world, item({"BOOL": value})) == message
    assert serialization(world, item({"NULL": value})) == message


@pytest.mark.parametrize(
    "value,message",
    [
        ("23", "STRING_VALUE cannot be converted to Integer"),
        (True, "TRUE_VALUE cannot be converted to Integer"),
        (False, "FALSE_VALUE cannot be converted to Integer"),
        ([], "Unrecognized collection type class java.lang.Integer"),
        ({}, "Start of structure or map found where not expected"),
    ],
)
def test_wrong_json_type_for_an_integer(world, value, message):
    assert serialization(world, {"TableName": "tbl", "Limit": value}, DDB + "Scan") == message


def test_wrong_json_type_for_a_long(world):
    payload = {
        "TableName": "tbl",
        "ProvisionedThroughput": {"ReadCapacityUnits": "1", "WriteCapacityUnits": 1},
    }
    assert serialization(world, payload, DDB + "UpdateTable") == "STRING_VALUE cannot be converted to Long"


def test_a_decimal_for_an_integer_is_truncated_like_jackson(world, fake):
    call(world, DDB + "Scan", {"TableName": "tbl", "Limit": 3.9})
    assert fake.calls[-1][1]["Limit"] == 3


@pytest.mark.parametrize(
    "value,message",
    [
        (True, "only base-64-encoded strings are convertible to bytes"),
        (23, "only base-64-encoded strings are convertible to bytes"),
        (34.56, "only base-64-encoded strings are convertible to bytes"),
        ([], "Unrecognized collection type class java.nio.ByteBuffer"),
        ({}, "Start of structure or map found where not expected"),
        ("23456", "Base64 encoded length is expected a multiple of 4 bytes but found: 5"),
        ("=+/=", "Invalid last non-pad Base64 character dectected"),
        ("+/+=", "Invalid last non-pad Base64 character dectected"),
        ("AB==", "Invalid last non-pad Base64 character dectected"),
        ("A===", "Invalid last non-pad Base64 character dectected"),
    ],
)
def test_bad_blobs(world, value, message):
    assert serialization(world, item({"B": value})) == message
    assert serialization(world, item({"BS": [value]})) == message


@pytest.mark.parametrize("value", ["23", True, 23, 34.56, {}])
def test_wrong_json_type_for_a_list(world, value):
    expected = (
        "Start of structure or map found where not expected" if value == {} else "Unexpected field type"
    )
    assert serialization(world, item({"L": value})) == expected
    assert serialization(world, item({"SS": value})) == expected


@pytest.mark.parametrize("value", ["23", True, 23, 34.56])
def test_wrong_json_type_for_a_map(world, value):
    assert serialization(world, item({"M": value})) == "Unexpected field type"
    assert serialization(world, {"TableName": "tbl", "Item": value}) == "Unexpected field type"


def test_a_list_for_a_map_names_the_java_map_type(world):
    assert serialization(world, item({"M": []})) == (
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>"
    )


def test_a_scalar_for_a_structure_field_and_for_a_structure_value(world):
    payload = {"TableName": "tbl", "ProvisionedThroughput": 5}
    assert serialization(world, payload, DDB + "UpdateTable") == "Unexpected field type"
    assert serialization(world, item(5)) == "Unexpected value type in payload"
    assert serialization(world, item({"L": [5]})) == "Unexpected value type in payload"
    assert serialization(world, item({"M": {"x": "y"}})) == "Unexpected value type in payload"


def test_a_list_for_a_structure_names_the_class(world):
    assert serialization(world, item([])) == (
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"
    )


def test_step_functions_requests_are_type_checked_too(world):
    assert serialization(world, {"stateMachineArn": 5}, SFN + "StartExecution") == (
        "NUMBER_VALUE cannot be converted to String"
    )


# --- W7: the 16 MB limit --------------------------------------------------------------------------


def test_over_16_mb_is_refused_with_413(world, fake):
    body = b'{"TableName": "tbl"' + b" " * (awsjson.MAX_REQUEST_BYTES) + b"}"
    resp = handle(world, DDB + "ListTables", body)
    assert (resp.status, resp.body) == (413, b"")
    assert fake.calls == []


def test_exactly_16_mb_is_accepted(world, fake):
    body = b"{}" + b" " * (awsjson.MAX_REQUEST_BYTES - 2)
    assert handle(world, DDB + "ListTables", body).status == 200


# --- W2/W3: error envelopes -----------------------------------------------------------------------


def test_w3_serialization_exception_raised_by_the_service_uses_capital_message():
    world = emulator.Emulator()
    try:
        resp = awsjson.error_response(
            world, "dynamodb", SerializationException("NUMBER_VALUE cannot be converted to String")
        )
    finally:
        world.close()
    assert resp.status == 400
    assert json.loads(resp.body) == {
        "__type": "com.amazon.coral.service#SerializationException",
        "Message": "NUMBER_VALUE cannot be converted to String",
    }
