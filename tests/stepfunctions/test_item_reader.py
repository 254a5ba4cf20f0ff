"""Map ItemReader / ItemBatcher rules (reference MAP-09, MAP-10, JA-02/JA-12, ERRN-07) beyond the
recorded conformance cases, with the in-memory S3 object store (``put_s3_object``)."""

from __future__ import annotations

import json
import re

import pytest

import emulator
from emulator.stepfunctions.runtime.item_batcher import batches
from emulator.stepfunctions.runtime.item_reader import java_hashmap_order
from tests.stepfunctions.workflow_helpers import ROLE

GET = "arn:aws:states:::s3:getObject"
LIST = "arn:aws:states:::s3:listObjectsV2"
DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}


@pytest.fixture
def aws():
    with emulator.Emulator(region="us-east-1", account_id="123456789012") as world:
        yield world


def machine(reader=None, batcher=None, *, jsonata=False, selector=None, mode=DISTRIBUTED, **extra):
    m: dict = {
        "Type": "Map",
        "End": True,
        "ItemProcessor": {
            "ProcessorConfig": mode,
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "End": True}},
        },
    }
    if reader is not None:
        m["ItemReader"] = reader
    if batcher is not None:
        m["ItemBatcher"] = batcher
    if selector is not None:
        m["ItemSelector"] = selector
    m.update(extra)
    d: dict = {"StartAt": "M", "States": {"M": m}}
    if jsonata:
        d["QueryLanguage"] = "JSONata"
    return d


def get_reader(config, bucket="b", key="k", **more):
    r = {"Resource": GET, "ReaderConfig": config, "Parameters": {"Bucket": bucket, "Key": key}}
    r.update(more)
    return r


def execute(aws, definition, input_=None):
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="sm", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_ or {}))["executionArn"]
    sfn.run_until_idle()
    desc = sfn.describe_execution(executionArn=ex)
    evs = sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]
    return desc, evs


def ok(aws, definition, input_=None):
    desc, _ = execute(aws, definition, input_)
    assert desc["status"] == "SUCCEEDED", (desc.get("error"), desc.get("cause"))
    return json.loads(desc["output"])


# --- JSON / JSONL --------------------------------------------------------------------------------
def test_json_array_items_in_order(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body=json.dumps([{"a": 1}, 2, "x", None]))
    assert ok(aws, machine(get_reader({"InputType": "JSON"}))) == [{"a": 1}, 2, "x", None]


def test_body_may_be_bytes_or_str(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body=b"[1,2]")
    assert ok(aws, machine(get_reader({"InputType": "JSON"}))) == [1, 2]
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[3]")
    assert ok(aws, machine(get_reader({"InputType": "JSON"}))) == [3]


def test_json_that_is_not_an_array_fails_non_iterable(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body='{"a": 1}')
    desc, evs = execute(aws, machine(get_reader({"InputType": "JSON"})))
    assert (desc["status"], desc["error"], desc["cause"]) == (
        "FAILED",
        "States.ItemReaderFailed",
        "Attempting to map over non-iterable node.",
    )


@pytest.mark.parametrize("pointer,expected", [("/data/rows", [1, 2]), ("/data/a~1b", ["s"])])
def test_json_items_pointer(aws, pointer, expected):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body='{"data": {"rows": [1, 2], "a/b": ["s"]}}')
    assert ok(aws, machine(get_reader({"InputType": "JSON", "ItemsPointer": pointer}))) == expected


@pytest.mark.parametrize("pointer", ["/data/n", "/nope"])
def test_json_items_pointer_to_a_missing_or_scalar_node_fails(aws, pointer):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body='{"data": {"n": 1}}')
    desc, _ = execute(aws, machine(get_reader({"InputType": "JSON", "ItemsPointer": pointer})))
    assert (desc["error"], desc["cause"]) == (
        "States.ItemReaderFailed",
        "Attempting to map over non-iterable node.",
    )


def test_jsonl_one_value_per_line_blank_lines_skipped(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body='{"a":1}\n\n[2]\n"s"\n')
    assert ok(aws, machine(get_reader({"InputType": "JSONL"}))) == [{"a": 1}, [2], "s"]


# --- CSV -----------------------------------------------------------------------------------------
def test_csv_given_headers_read_every_row(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="1,2\n3,4\n")
    cfg = {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["x", "y"]}
    assert ok(aws, machine(get_reader(cfg))) == [{"x": "1", "y": "2"}, {"x": "3", "y": "4"}]


@pytest.mark.parametrize(
    "name,sep", [("COMMA", ","), ("PIPE", "|"), ("SEMICOLON", ";"), ("SPACE", " "), ("TAB", "\t")]
)
def test_csv_delimiters(aws, name, sep):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body=f"a{sep}b\n1{sep}2\n")
    cfg = {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "CSVDelimiter": name}
    assert ok(aws, machine(get_reader(cfg))) == [{"a": "1", "b": "2"}]


def test_csv_quoted_fields_keep_delimiters_and_are_strings(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body='a,b\n"1,5",true\n')
    cfg = {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}
    assert ok(aws, machine(get_reader(cfg))) == [{"a": "1,5", "b": "true"}]


def test_csv_duplicate_headers_fail(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="a,a\n1,2\n")
    desc, _ = execute(aws, machine(get_reader({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"})))
    assert (desc["error"], desc["cause"]) == (
        "States.ItemReaderFailed",
        "CSV headers cannot contain duplicates.",
    )


def test_csv_row_keys_follow_java_hashmap_order():
    # The recorded AWS outputs: headers 0,True,{} → "0","{}","True"; H1 + extra field → "","H1".
    assert java_hashmap_order(["0", "True", "{}"]) == ["0", "{}", "True"]
    assert java_hashmap_order(["H1", ""]) == ["", "H1"]
    keys = [f"col{i}" for i in range(20)]  # > 12 keys: the table has 32 buckets
    assert sorted(java_hashmap_order(keys)) == sorted(keys)


# --- MaxItems ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "max_items,expected", [(0, [1, 2, 3, 4]), (1, [1]), (3, [1, 2, 3]), (9, [1, 2, 3, 4])]
)
def test_max_items_literal(aws, max_items, expected):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[1,2,3,4]")
    assert ok(aws, machine(get_reader({"InputType": "JSON", "MaxItems": max_items}))) == expected


@pytest.mark.parametrize("value,expected", [(2, [1, 2]), ("3", [1, 2, 3]), (0, [1, 2, 3, 4])])
def test_max_items_path(aws, value, expected):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[1,2,3,4]")
    d = machine(get_reader({"InputType": "JSON", "MaxItemsPath": "$.n"}))
    assert ok(aws, d, {"n": value}) == expected


@pytest.mark.parametrize("value,shown", [(1.5, "1.5"), ("x", "x"), (True, "true")])
def test_max_items_path_not_an_integer_is_runtime_error_after_map_state_started(aws, value, shown):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[1]")
    desc, evs = execute(aws, machine(get_reader({"InputType": "JSON", "MaxItemsPath": "$.n"})), {"n": value})
    assert desc["error"] == "States.Runtime"
    assert desc["cause"] == (
        "An error occurred while executing the state 'M' (entered at the event id #2). "
        f'The MaxItemsPath field refers to value "{shown}" which is not a valid integer: $.n'
    )
    assert [e["type"] for e in evs] == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "ExecutionFailed",
    ]


def test_max_items_path_negative_fails_the_reader(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[1]")
    desc, _ = execute(aws, machine(get_reader({"InputType": "JSON", "MaxItemsPath": "$.n"})), {"n": -1})
    assert (desc["error"], desc["cause"]) == ("States.ItemReaderFailed", "field MaxItems must be positive")


def test_jsonata_reader_arguments_and_max_items(aws):
    aws.stepfunctions.put_s3_object(Bucket="bk", Key="f.json", Body="[1,2,3]")
    reader = {
        "Resource": GET,
        "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.n %}"},
        "Arguments": {"Bucket": "{% $states.input.b %}", "Key": "{% $states.input.k %}"},
    }
    assert ok(aws, machine(reader, jsonata=True), {"b": "bk", "k": "f.json", "n": 2}) == [1, 2]


# --- missing objects -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bucket,key,cause",
    [
        (
            "b",
            "missing",
            "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: null)",
        ),
        (
            "nobucket",
            "k",
            "The specified bucket does not exist. (Service: S3, Status Code: 404, Request ID: null)",
        ),
    ],
)
def test_missing_object_fails_item_reader_inside_the_map_run(aws, bucket, key, cause):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[1]")
    desc, evs = execute(aws, machine(get_reader({"InputType": "JSON"}, bucket=bucket, key=key)))
    assert (desc["status"], desc["error"], desc["cause"]) == ("FAILED", "States.ItemReaderFailed", cause)
    assert [e["type"] for e in evs] == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunFailed",
        "MapStateFailed",
        "ExecutionFailed",
    ]
    assert evs[4]["mapRunFailedEventDetails"] == {"error": "States.ItemReaderFailed", "cause": cause}


def test_item_reader_failed_is_catchable(aws):
    d = machine(get_reader({"InputType": "JSON"}, key="missing"))
    d["States"]["M"].pop("End")
    d["States"]["M"]["Next"] = "C"
    d["States"]["M"]["Catch"] = [{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "C"}]
    d["States"]["C"] = {"Type": "Pass", "End": True}
    out = ok(aws, d)
    assert out["Error"] == "States.ItemReaderFailed"


def test_deleted_object_is_missing(aws):
    sfn = aws.stepfunctions
    sfn.put_s3_object(Bucket="b", Key="k", Body="[1]")
    sfn.delete_s3_object(Bucket="b", Key="k")
    desc, _ = execute(aws, machine(get_reader({"InputType": "JSON"})))
    assert desc["error"] == "States.ItemReaderFailed"


# --- listObjectsV2 -------------------------------------------------------------------------------
def test_list_objects_v2_items_are_listings_in_key_order(aws):
    sfn = aws.stepfunctions
    for key in ("p/b.txt", "p/a.txt", "q/c.txt"):
        sfn.put_s3_object(Bucket="b", Key=key, Body="hello")
    reader = {"Resource": LIST, "Parameters": {"Bucket": "b", "Prefix": "p/"}}
    out = ok(aws, machine(reader))
    assert [o["Key"] for o in out] == ["p/a.txt", "p/b.txt"]
    assert set(out[0]) == {"Etag", "Key", "LastModified", "Size", "StorageClass"}
    assert out[0]["Size"] == 5 and out[0]["Etag"] == '"5d41402abc4b2a76b9719d911017c592"'


# --- ItemSelector + ItemBatcher ------------------------------------------------------------------
def test_item_selector_applies_to_read_items(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body='[{"v":1},{"v":2}]')
    d = machine(
        get_reader({"InputType": "JSON"}), selector={"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value.v"}
    )
    assert ok(aws, d) == [{"i": 0, "v": 1}, {"i": 1, "v": 2}]


def test_batcher_max_items_per_batch_with_batch_input_first(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[1,2,3,4,5]")
    d = machine(get_reader({"InputType": "JSON"}), {"MaxItemsPerBatch": 2, "BatchInput": {"src.$": "$.s"}})
    desc, _ = execute(aws, d, {"s": "x"})
    assert desc["output"] == (
        '[{"BatchInput":{"src":"x"},"Items":[1,2]},{"BatchInput":{"src":"x"},"Items":[3,4]},'
        '{"BatchInput":{"src":"x"},"Items":[5]}]'
    )


def test_batcher_without_batch_input_and_without_reader(aws):
    d = machine(None, {"MaxItemsPerBatchPath": "$.n"}, ItemsPath="$.items")
    assert ok(aws, d, {"items": [1, 2, 3], "n": 2}) == [{"Items": [1, 2]}, {"Items": [3]}]


def test_batcher_by_bytes(aws):
    # {"Items":[]} is 12 bytes; each "xxxx" item 6 bytes, +1 per comma.
    items = ["xxxx"] * 5
    d = machine(None, {"MaxInputBytesPerBatch": 25}, ItemsPath="$.items")
    assert ok(aws, d, {"items": items}) == [
        {"Items": ["xxxx"] * 2},
        {"Items": ["xxxx"] * 2},
        {"Items": ["xxxx"]},
    ]


def test_batches_pure_rules():
    assert batches([1, 2, 3], 2, None) == [{"Items": [1, 2]}, {"Items": [3]}]
    assert batches([], 2, None) == []
    big = "y" * 50
    assert batches([big, 1], None, 20) == [{"Items": [big]}, {"Items": [1]}]  # an oversize item goes alone
    assert batches([1, 2, 3], 2, 1000, {"k": 1}) == [
        {"BatchInput": {"k": 1}, "Items": [1, 2]},
        {"BatchInput": {"k": 1}, "Items": [3]},
    ]


def test_batcher_jsonata_limits_and_batch_input(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[1,2,3]")
    reader = {
        "Resource": GET,
        "ReaderConfig": {"InputType": "JSON"},
        "Arguments": {"Bucket": "b", "Key": "k"},
    }
    batcher = {"MaxItemsPerBatch": "{% $states.input.per %}", "BatchInput": {"t": "{% $states.input.t %}"}}
    assert ok(aws, machine(reader, batcher, jsonata=True), {"per": 2, "t": "z"}) == [
        {"BatchInput": {"t": "z"}, "Items": [1, 2]},
        {"BatchInput": {"t": "z"}, "Items": [3]},
    ]


def test_inline_map_with_reader_reads_before_iterating(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[7,8]")
    d = machine(get_reader({"InputType": "JSON"}), mode={"Mode": "INLINE"})
    desc, evs = execute(aws, d)
    assert json.loads(desc["output"]) == [7, 8]
    assert "MapRunStarted" not in [e["type"] for e in evs]


# --- CSV rows against the header (rule: fields beyond the header row are dropped) -------------------
# AWS DG "How Step Functions parses input CSV files": more fields than the header → the extra fields
# are skipped; fewer → "" for the missing ones. The file below is LocalStack's
# test_map_item_reader_csv_first_row_extra_fields object, whose AWS output was recorded 2023-09-21.
EXTRA_FIELDS_CSV = "H1,\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"


def test_csv_first_row_fields_beyond_the_header_are_dropped(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body=EXTRA_FIELDS_CSV)
    desc, _ = execute(aws, machine(get_reader({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"})))
    assert desc["output"] == (
        '[{"":"Value5","H1":"Value4"},{"":"","H1":""},{"":"1","H1":"true"},'
        '{"":"None","H1":"Null"},{"":"","H1":"   "}]'
    )


@pytest.mark.parametrize(
    "body,headers,expected",
    [
        # LocalStack test_map_item_reader_csv_headers_decl_extra_fields (AWS-validated 2023-09-21).
        ("Value1,Value2,Value3\nValue4,Value5,Value6\n", ["H1"], [{"H1": "Value1"}, {"H1": "Value4"}]),
        ("1\n2,3\n", ["a", "b", "c"], [{"a": "1", "b": "", "c": ""}, {"a": "2", "b": "3", "c": ""}]),
    ],
)
def test_csv_given_headers_drop_fields_beyond_them_and_fill_missing_ones(aws, body, headers, expected):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body=body)
    cfg = {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": headers}
    assert ok(aws, machine(get_reader(cfg))) == expected


# --- numeric strings in the Map's ...Path fields ------------------------------------------------------
# AWS (LocalStack's test_reference_in_map_state_* snapshots, recorded 2024-11-14 and 2024-11-18): a
# ...Path that reads a string holding an integer ("2") is that integer.
def test_batcher_paths_read_numeric_strings(aws):
    aws.stepfunctions.put_s3_object(Bucket="b", Key="k", Body="[1,2,3,4]")
    batcher = {"MaxItemsPerBatchPath": "$.per", "MaxInputBytesPerBatchPath": "$.bytes"}
    d = machine(get_reader({"InputType": "JSON", "MaxItemsPath": "$.max"}), batcher)
    assert ok(aws, d, {"per": "2", "bytes": "15000", "max": "4"}) == [{"Items": [1, 2]}, {"Items": [3, 4]}]


@pytest.mark.parametrize("mode", [DISTRIBUTED, {"Mode": "INLINE"}])
@pytest.mark.parametrize(
    "paths,values",
    [
        ({"MaxConcurrencyPath": "$.m"}, {"m": "1"}),
        ({"ToleratedFailureCountPath": "$.c", "ToleratedFailurePercentagePath": "$.p"}, {"c": "1", "p": "1"}),
    ],
)
def test_concurrency_and_tolerance_paths_read_numeric_strings(aws, mode, paths, values):
    d = machine(None, ItemsPath="$.items", mode=mode, **paths)
    assert ok(aws, d, {"items": [1, 2], **values}) == [1, 2]


@pytest.mark.parametrize(
    "field,value,shown",
    [
        ("MaxItemsPerBatchPath", 1.5, "1.5"),
        ("MaxItemsPerBatchPath", "1.5", "1.5"),
        ("MaxInputBytesPerBatchPath", "abc", "abc"),
    ],
)
def test_batcher_path_that_is_not_an_integer_stays_a_runtime_error(aws, field, value, shown):
    d = machine(None, {field: "$.n"}, ItemsPath="$.items")
    desc, _ = execute(aws, d, {"items": [1], "n": value})
    assert desc["error"] == "States.Runtime"
    assert desc["cause"].endswith(
        f'The {field} field refers to value "{shown}" which is not a valid integer: $.n'
    )


# --- Map Run ARNs --------------------------------------------------------------------------------
# AWS DG "Distributed Map state" (Label): the label is part of the Map Run ARN; "If you don't specify a
# label, Step Functions automatically generates a unique label" — a UUID, not the state's name.
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _map_run_arn(evs):
    return next(e["mapRunStartedEventDetails"]["mapRunArn"] for e in evs if e["type"] == "MapRunStarted")


def test_map_run_arn_of_an_unlabelled_map_uses_a_uuid(aws):
    _, evs = execute(aws, machine(None, ItemsPath="$.items"), {"items": [1]})
    arn = _map_run_arn(evs)
    assert re.fullmatch(rf"arn:aws:states:us-east-1:123456789012:mapRun:sm/{_UUID}:{_UUID}", arn), arn
    label, run = arn.rsplit("/", 1)[1].split(":")
    assert label != run


def test_map_run_arn_of_a_labelled_map_uses_the_label(aws):
    _, evs = execute(aws, machine(None, ItemsPath="$.items", Label="MyLabel"), {"items": [1]})
    assert re.fullmatch(
        rf"arn:aws:states:us-east-1:123456789012:mapRun:sm/MyLabel:{_UUID}", _map_run_arn(evs)
    )
