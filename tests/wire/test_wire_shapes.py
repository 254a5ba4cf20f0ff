"""Shape conversion against botocore itself: what botocore sends we read, what we send it parses.

Differential properties: random native requests go through botocore's own JSON serializer and our
reader and must come back equal; random native responses go through our encoder and botocore's
own parser and must come back equal. Plus the assumptions the wire layer makes about the models.
"""

from __future__ import annotations

import datetime as dt

import botocore.session
import pytest
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.wire import shapes
from emulator.wire.targets import TARGET_PREFIXES, is_ours, resolve_target

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def models():
    session = botocore.session.get_session()
    return {
        name: session.get_service_model(name) for name in ("dynamodb", "dynamodbstreams", "stepfunctions")
    }


def test_target_prefixes_match_botocore(models):
    assert {m.metadata["targetPrefix"]: name for name, m in models.items()} == TARGET_PREFIXES
    assert all(
        m.metadata["protocol"] == "json" and m.metadata["jsonVersion"] == "1.0" for m in models.values()
    )


def test_no_shape_overrides_json_defaults_for_timestamps_or_names(models):
    """encode_json relies on every timestamp being epoch seconds and no member being renamed."""
    for model in models.values():
        for name in model.shape_names:
            shape = model.shape_for(name)
            assert "timestampFormat" not in shape.serialization
            for member in getattr(shape, "members", {}).values():
                assert "timestampFormat" not in member.serialization
                assert "name" not in member.serialization


def test_our_model_reader_sees_what_botocore_sees(models):
    from emulator.wire import models as ours

    for name, model in models.items():
        mine = ours.service_model(name)
        assert mine.operation_names == set(model.operation_names)
        for op_name in model.operation_names:
            theirs, op = model.operation_model(op_name), ours.operation_model(name, op_name)
            assert (op.input_shape is None) == (theirs.input_shape is None)
            assert (op.output_shape is None) == (theirs.output_shape is None)
        for shape_name in model.shape_names:
            a, b = model.shape_for(shape_name), mine.shape(shape_name)
            assert a.type_name == b.type_name
            if a.type_name == "structure":
                assert {k: v.name for k, v in a.members.items()} == {k: v.name for k, v in b.members.items()}
            elif a.type_name == "list":
                assert a.member.name == b.member.name
            elif a.type_name == "map":
                assert a.value.name == b.value.name


def test_the_server_path_imports_no_botocore_machinery():
    """The server reads the models itself; of botocore it imports only ``botocore.exceptions`` (every
    AWS error is a ``ClientError``), never the loader, models, session or client (~90 ms)."""
    import subprocess
    import sys

    code = (
        "import sys, json, emulator; from emulator.wire.awsjson import handle; "
        "r = handle(emulator.Emulator(), 'DynamoDB_20120810.ListTables', b'{}'); "
        "print(r.status, *sorted(m for m in sys.modules if m.startswith('botocore')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    status, *modules = out.stdout.split()
    assert status == "200", out.stderr
    assert "botocore.exceptions" in modules
    assert not {
        "botocore.loaders",
        "botocore.model",
        "botocore.session",
        "botocore.client",
        "botocore.paginate",
        "botocore.waiter",
    } & set(modules)
    assert all(
        m in ("botocore", "botocore.exceptions") or m.startswith("botocore.vendored") for m in modules
    ), modules


def test_resolve_target():
    assert resolve_target("DynamoDB_20120810.PutItem") == ("dynamodb", "PutItem")
    assert resolve_target("AWSStepFunctions.StartExecution") == ("stepfunctions", "StartExecution")
    assert resolve_target("DynamoDBStreams_20120810.GetRecords") == ("dynamodbstreams", "GetRecords")
    assert resolve_target("DynamoDB_20120810.") is None
    assert resolve_target("Kinesis_20131202.PutRecord") is None
    assert is_ours("AWSStepFunctions.X") and not is_ours("AmazonSQS.SendMessage") and not is_ours(None)


def test_codec_knows_operations_and_empty_outputs():
    assert shapes.codec("dynamodb", "NoSuchOperation") is None
    assert shapes.codec("dynamodb", "TagResource").empty_output
    assert not shapes.codec("dynamodb", "GetItem").empty_output
    assert shapes.codec("dynamodb", "GetItem") is shapes.codec("dynamodb", "GetItem")  # cached


@pytest.mark.parametrize(
    "text,raw",
    [("", b""), ("AA==", b"\x00"), ("AAE=", b"\x00\x01"), ("AAEC", b"\x00\x01\x02"), ("+/8=", b"\xfb\xff")],
)
def test_canonical_base64_decodes(text, raw):
    assert shapes.decode_base64(text) == raw


def test_illegal_base64_character():
    with pytest.raises(shapes.TypeProblem) as e:
        shapes.decode_base64("ab!d")
    assert e.value.message == "Invalid Base64 character: '!'"


# --- differential properties against botocore ----------------------------------------------------

scalar_av = st.one_of(
    st.builds(lambda s: {"S": s}, st.text(max_size=8)),
    st.builds(lambda n: {"N": str(n)}, st.integers(-(10**30), 10**30)),
    st.builds(lambda b: {"B": b}, st.binary(max_size=8)),
    st.builds(lambda b: {"BOOL": b}, st.booleans()),
    st.just({"NULL": True}),
    st.builds(lambda s: {"SS": sorted(s)}, st.sets(st.text(max_size=4), min_size=1, max_size=3)),
    st.builds(lambda s: {"BS": sorted(s)}, st.sets(st.binary(max_size=4), min_size=1, max_size=3)),
)
attribute_value = st.recursive(
    scalar_av,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"L": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda m: {"M": m}, st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    ),
    max_leaves=10,
)
items = st.dictionaries(st.text(min_size=1, max_size=6), attribute_value, max_size=5)


def botocore_body(model, operation, params):
    op = model.operation_model(operation)
    return create_serializer("json").serialize_to_request(params, op)["body"]


def botocore_parse(model, operation, body):
    op = model.operation_model(operation)
    parsed = create_parser("json").parse({"body": body, "headers": {}, "status_code": 200}, op.output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=items)
def test_requests_serialized_by_botocore_read_back_equal(models, item):
    params = {
        "TableName": "tbl",
        "Item": item,
        "ConditionExpression": "attribute_not_exists(a)",
        "ReturnValues": "ALL_OLD",
    }
    body = botocore_body(models["dynamodb"], "PutItem", params)
    codec = shapes.codec("dynamodb", "PutItem")
    assert shapes.read_request(codec, shapes.parse_json(body)) == params


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    item=items,
    count=st.integers(0, 2**40),
    scanned=st.integers(0, 10),
    capacity=st.floats(0, 1000, allow_nan=False),
)
def test_responses_encoded_by_us_parse_back_equal_in_botocore(models, item, count, scanned, capacity):
    response = {
        "Items": [item],
        "Count": count,
        "ScannedCount": scanned,
        "LastEvaluatedKey": item,
        "ConsumedCapacity": {"TableName": "tbl", "CapacityUnits": capacity},
    }
    assert botocore_parse(models["dynamodb"], "Query", shapes.encode_json(response)) == response


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    when=st.datetimes(
        min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(UTC)
    )
)
def test_timestamps_round_trip_through_botocore_to_the_millisecond(models, when):
    when = when.replace(microsecond=when.microsecond // 1000 * 1000)
    response = {"Table": {"TableName": "tbl", "CreationDateTime": when}}
    parsed = botocore_parse(models["dynamodb"], "DescribeTable", shapes.encode_json(response))
    assert abs(parsed["Table"]["CreationDateTime"] - when) < dt.timedelta(microseconds=2)


def test_timestamps_in_requests_become_aware_datetimes(models):
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    params = {"TableName": "tbl", "TimeRangeLowerBound": when}
    body = botocore_body(models["dynamodb"], "ListBackups", params)
    native = shapes.read_request(shapes.codec("dynamodb", "ListBackups"), shapes.parse_json(body))
    assert native == params


def test_step_functions_request_round_trip(models):
    params = {
        "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:x",
        "name": "run",
        "input": '{"a": 1}',
        "traceHeader": "t",
    }
    body = botocore_body(models["stepfunctions"], "StartExecution", params)
    assert (
        shapes.read_request(shapes.codec("stepfunctions", "StartExecution"), shapes.parse_json(body))
        == params
    )
