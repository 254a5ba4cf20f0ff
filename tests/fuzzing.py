"""The door fuzzer: random and mutated requests for every DynamoDB, Streams and Step Functions
operation, driven through the native door (``Service.native_call``, what the native clients
call) and, for a smaller share, through the wire (``emulator.wire.awsjson.handle``).

One *case* is one call. A case is a pure function of its seed (``random.Random(seed)``), so the
hypothesis test (``tests/test_fuzz_doors.py``) draws seeds and a failure reproduces with
``python -m tests.fuzzing --service S --seed N --cases 1 -v``. The same module runs the big
bounded fuzz from the command line::

    python -m tests.fuzzing --service dynamodb --cases 100000

and prints the figures (cases, answers by kind, internal errors with a sample of each).

What counts as an internal error (the thing the fuzz must never find):

* a native call raising anything but an :class:`~emulator.errors.AWSError` (or botocore's
  ``ParamValidationError``), or an AWSError of HTTP status 500 (``InternalServerError``);
* a wire answer of status 500, or one whose body is not JSON;
* a Step Functions execution that failed with ``Internal emulator error`` or recorded an exception
  in the scheduler (``scheduler.errors``).

Left out on purpose (fixed by others, issue 9 items 1-3): definitions are drawn from the recorded
conformance cases that have no loop in their state graph (an EXPRESS loop never ends before that
fix), and mutations never rewrite ``Next``/``Default`` targets into a cycle; JSONata expressions
come from those definitions and small mutations of their text, never generated ranges.
"""

from __future__ import annotations

import argparse
import base64
import datetime as _dt
import json
import os
import random
import sys
import time
from collections import Counter
from typing import Any

from botocore.exceptions import ParamValidationError

import emulator
from emulator.errors import AWSError
from emulator.wire.awsjson import handle
from emulator.wire.models import service_model

LONE = "\udfff"
ROLE = "arn:aws:iam::123456789012:role/fuzz"
FN = "arn:aws:lambda:us-east-1:123456789012:function:fuzz"
TARGETS = {
    "dynamodb": "DynamoDB_20120810.",
    "dynamodbstreams": "DynamoDBStreams_20120810.",
    "stepfunctions": "AWSStepFunctions.",
}
SLOW_CALL_SECONDS = 2.0

_HERE = os.path.dirname(os.path.abspath(__file__))

# --- pools ----------------------------------------------------------------------------------------

WORDS = [
    "fz1",
    "fz2",
    "ixx",
    "p",
    "s",
    "g",
    "a",
    "b",
    "#p",
    ":v",
    "a.b",
    "",
    "x" * 300,
    "é",
    "😀",
    "a" + LONE,
    LONE,
    "\ud83d",
    "\x00",
    "NULL",
    "S",
    "N",
    "ALL_NEW",
    "ALL_OLD",
    "NONE",
    "TOTAL",
    "PAY_PER_REQUEST",
    "PROVISIONED",
    "KEYS_ONLY",
    "NEW_IMAGE",
    "NEW_AND_OLD_IMAGES",
    "HASH",
    "RANGE",
    "STANDARD",
    "EXPRESS",
    "ERROR",
    "ALL",
    "OFF",
    "TRIM_HORIZON",
    "LATEST",
    "AT_SEQUENCE_NUMBER",
    "AFTER_SEQUENCE_NUMBER",
    "ENABLED",
    "DISABLED",
    "COUNT",
    "SPECIFIC_ATTRIBUTES",
    "ALL_ATTRIBUTES",
    "ALL_PROJECTED_ATTRIBUTES",
    "AND",
    "OR",
    "EQ",
    "BETWEEN",
    "BEGINS_WITH",
    "IN",
    "CONTAINS",
]
EXPRESSIONS = [
    "p = :v",
    "attribute_exists(p)",
    "SET a = :v",
    "p = :v AND s > :v",
    "#p",
    "a, b",
    "REMOVE a",
    "size(a) > :v",
    "",
    "(((",
    "g = :v",
    "SET a = a + :v",
    "ADD n :v",
    "DELETE ss :v",
    "SET l = list_append(l, :v)",
    "begins_with(s, :v)",
    "p = :v AND s BETWEEN :v AND :v",
    "a.b[1].c",
    "contains(a, :v) OR NOT attribute_type(a, :v)",
    "SET #p = if_not_exists(#p, :v)",
    "a IN (:v, :v)",
    "#p.#p[0]",
    "SET a[5] = :v REMOVE b.c",
    "s <> :v",
    "p = :v AND begins_with(s, :v)",
]
JSON_TEXTS = [
    "{}",
    "[]",
    '{"x": 1}',
    '{"x": [1, 2, {"y": "z"}]}',
    '"s"',
    "1",
    "null",
    "true",
    "{",
    "",
    '{"v": "\\udfff"}',
    '{"v": "\\ud83d\\ude00"}',
    '{"a": 1e999}',
    '{"a": -0.0}',
    '{"a": 1.5e300}',
    '{"x": 1, "x": 2}',
    '{"items": [1, 2, 3], "n": 3, "s": "abc"}',
    "NaN",
    '{"a": "' + "b" * 1000 + '"}',
]


def _load_definitions() -> list[tuple[dict, str]]:
    """(definition, input) pairs of the recorded conformance cases whose state graphs have no loop."""
    out = []
    path = os.path.join(_HERE, "conformance", "cases.jsonl")
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            definition = row.get("definition")
            if isinstance(definition, dict) and not _has_cycle(definition):
                out.append((definition, row.get("input_json") or "{}"))
    return out


def _targets(state: dict) -> list[str]:
    out = [state.get("Next"), state.get("Default")]
    for choice in state.get("Choices") or []:
        if isinstance(choice, dict):
            out.append(choice.get("Next"))
    for catcher in state.get("Catch") or []:
        if isinstance(catcher, dict):
            out.append(catcher.get("Next"))
    return [t for t in out if isinstance(t, str)]


def _has_cycle(machine: dict) -> bool:
    states = machine.get("States")
    if not isinstance(states, dict):
        return False
    for state in states.values():
        if not isinstance(state, dict):
            continue
        for branch in state.get("Branches") or []:
            if isinstance(branch, dict) and _has_cycle(branch):
                return True
        for key in ("Iterator", "ItemProcessor"):
            inner = state.get(key)
            if isinstance(inner, dict) and _has_cycle(inner):
                return True
    color: dict[str, int] = {}

    def visit(name: str) -> bool:
        color[name] = 1
        st = states.get(name)
        for t in _targets(st) if isinstance(st, dict) else []:
            if color.get(t) == 1:
                return True
            if t in states and color.get(t) is None and visit(t):
                return True
        color[name] = 2
        return False

    return any(color.get(n) is None and visit(n) for n in states)


DEFINITIONS = _load_definitions()
SIMPLE = {
    "StartAt": "P",
    "States": {"P": {"Type": "Pass", "Next": "T"}, "T": {"Type": "Task", "Resource": FN, "End": True}},
}


# --- values ---------------------------------------------------------------------------------------


def deep(r: random.Random, depth: int | None = None) -> Any:
    depth = depth if depth is not None else r.choice([33, 150, 250, 400, 1200])
    v: Any = r.choice([[], {}, "x", 1])
    for _ in range(depth):
        v = [v] if r.random() < 0.5 else {"k": v}
    return v


def junk(r: random.Random) -> Any:
    """A value of any type, for mutation."""
    return (
        r.choice(
            [
                None,
                True,
                False,
                0,
                -1,
                1.5,
                2**31,
                2**63,
                float("inf"),
                float("-inf"),
                float("nan"),
                "",
                "x",
                LONE,
                "a" + LONE + "b",
                [],
                [1],
                {},
                {"a": 1},
                [[1, 2]],
                b"\x00\xff",
                bytearray(b"x"),
                ("t",),
                {1, 2},
                _dt.datetime(2020, 1, 1, tzinfo=_dt.timezone.utc),
                10**40,
                "1e999",
            ]
        )
        if r.random() < 0.9
        else deep(r)
    )


def attribute_value(r: random.Random, depth: int = 0) -> Any:
    k = r.random()
    if k < 0.04:
        return junk(r)
    if k < 0.06:
        av: Any = {"S": "x"}
        for _ in range(r.choice([31, 32, 33, 300, 1100])):
            av = {"L": [av]} if r.random() < 0.5 else {"M": {"m": av}}
        return av
    tag = r.choice(["S", "S", "S", "N", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "M", "L"])
    if tag == "S":
        return {"S": r.choice(WORDS)}
    if tag == "N":
        return {"N": r.choice(["1", "0", "-1.5", "1e400", "x", "1" * 39, "0.0000001", "", " 1", "1E-130"])}
    if tag == "B":
        return {"B": r.choice([b"", b"\x00", b"abc", "str-blob", LONE, bytearray(b"ba")])}
    if tag == "BOOL":
        return {"BOOL": r.choice([True, False, "true", 1])}
    if tag == "NULL":
        return {"NULL": r.choice([True, False, None])}
    if tag == "SS":
        return {"SS": r.sample(WORDS, r.randint(0, 3)) + ([LONE] if r.random() < 0.05 else [])}
    if tag == "NS":
        return {"NS": r.sample(["1", "2", "1.0", "x", "-3"], r.randint(0, 3))}
    if tag == "BS":
        return {"BS": [r.choice([b"a", b"b", b"a", "s"]) for _ in range(r.randint(0, 3))]}
    if depth > 3:
        return {"S": "leaf"}
    if tag == "M":
        return {"M": {r.choice(WORDS): attribute_value(r, depth + 1) for _ in range(r.randint(0, 3))}}
    return {"L": [attribute_value(r, depth + 1) for _ in range(r.randint(0, 3))]}


def item(r: random.Random, key_only: bool = False) -> dict:
    out: dict = {}
    if r.random() < 0.85:
        out["p"] = r.choice([{"S": r.choice(["a", "b", "c", "é"])}, {"N": "1"}, attribute_value(r)])
    if r.random() < 0.7:
        out["s"] = r.choice([{"S": r.choice(["1", "2", "x"])}, {"N": "2"}, attribute_value(r)])
    if not key_only:
        for _ in range(r.randint(0, 4)):
            out[r.choice(WORDS)] = attribute_value(r)
        if r.random() < 0.2:
            out["g"] = {"S": r.choice(["g1", "g2"])}
    return out


def mutate_text(r: random.Random, text: str) -> str:
    if not text or r.random() < 0.3:
        return text
    k = r.randrange(6)
    i = r.randrange(len(text) + 1)
    if k == 0:
        return text[:i]
    if k == 1:
        return (
            text[:i]
            + r.choice(
                [
                    "(",
                    ")",
                    "[",
                    "]",
                    "{",
                    "}",
                    ",",
                    ".",
                    '"',
                    "\\",
                    LONE,
                    ":v",
                    "#p",
                    " AND ",
                    "$",
                    "$$",
                    "%",
                    "\x00",
                    "'",
                    "[[[[[[[[",
                    "\\udfff",
                ]
            )
            + text[i:]
        )
    if k == 2:
        return text[:i] + text[i + 1 :]
    if k == 3:
        return text + text
    if k == 4:
        return "(" * r.choice([5, 50, 500]) + text + ")" * r.choice([0, 5, 50, 500])
    return text.upper()


def json_text(r: random.Random) -> str:
    k = r.random()
    if k < 0.15:
        d = r.choice([150, 199, 200, 201, 400, 1200, 5000])
        return '{"v":' + "[" * d + "]" * d + "}"
    if k < 0.25:
        return mutate_text(r, r.choice(JSON_TEXTS))
    if k < 0.55 and DEFINITIONS:
        return mutate_text(r, r.choice(DEFINITIONS)[1])
    return r.choice(JSON_TEXTS)


def mutate_json(r: random.Random, value: Any, budget: int = 3) -> Any:
    """Replace, drop or retype a few members of a parsed JSON document (never graph targets)."""
    if budget <= 0 or not isinstance(value, (dict, list)) or not value:
        return value
    if isinstance(value, dict):
        key = r.choice(list(value))
        if key in ("Next", "Default", "StartAt"):
            return value
        k = r.random()
        if k < 0.25:
            value = {kk: v for kk, v in value.items() if kk != key}
        elif k < 0.5:
            value = dict(value)
            value[key] = r.choice(
                [
                    junk(r),
                    mutate_text(r, json.dumps(value[key], ensure_ascii=False))
                    if r.random() < 0.3
                    else mutate_json(r, value[key], budget - 1),
                ]
            )
        elif k < 0.6:
            value = dict(value)
            value[
                r.choice(
                    [
                        "Parameters",
                        "ResultPath",
                        "InputPath",
                        "OutputPath",
                        "ResultSelector",
                        "Output",
                        "Assign",
                        "Arguments",
                        "ItemsPath",
                        "MaxConcurrency",
                        "TimeoutSeconds",
                        "Retry",
                        "Catch",
                        "QueryLanguage",
                        "Comment",
                        "Seconds",
                        "ItemSelector",
                        "Type",
                    ]
                )
            ] = r.choice(
                [
                    "$.x",
                    "$$.Execution.Id",
                    "{% $states.input %}",
                    "{% $x + 1 %}",
                    {"a.$": "States.Array($.x)"},
                    {"h.$": "States.Hash($.x, 'MD5')"},
                    {"b.$": "States.Base64Encode($.s)"},
                    0,
                    -1,
                    None,
                    [],
                    "JSONata",
                    [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                    {"x.$": "States.StringToJson($.s)"},
                    {"r.$": "States.ArrayRange(0, 5, 1)"},
                    "Pass",
                    "Wait",
                    "Task",
                    junk(r),
                ]
            )
        else:
            value = dict(value)
            value[key] = mutate_json(r, value[key], budget - 1)
        return value
    i = r.randrange(len(value))
    out = list(value)
    out[i] = mutate_json(r, out[i], budget - 1) if r.random() < 0.7 else junk(r)
    return out


def definition_text(r: random.Random) -> str:
    return definition_and_input(r)[0]


def definition_and_input(r: random.Random) -> tuple[str, str]:
    """A (mutated) recorded definition and its recorded (sometimes mutated) input."""
    base, given = r.choice(DEFINITIONS) if DEFINITIONS and r.random() < 0.9 else (SIMPLE, "{}")
    doc = mutate_json(r, base, r.randint(0, 4)) if r.random() < 0.6 else base
    try:
        text = json.dumps(doc)
    except (TypeError, ValueError, RecursionError):
        text = json.dumps(base)
    text = mutate_text(r, text) if r.random() < 0.1 else text
    return text, (given if r.random() < 0.7 else json_text(r))


# --- requests from the model ------------------------------------------------------------------------


class World:
    """A fresh emulator with two tables (one with indexes and a stream), state machines, an activity."""

    def __init__(self, seed: int) -> None:
        self.noise = 0.0
        self.aws = emulator.Emulator(seed=seed)
        ddb, sfn = self.aws.dynamodb, self.aws.stepfunctions
        ddb.create_table(
            TableName="fz1",
            KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        ddb.create_table(
            TableName="fz2",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("p", "s", "g")],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "gsi",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            LocalSecondaryIndexes=[
                {
                    "IndexName": "lsi",
                    "KeySchema": [
                        {"AttributeName": "p", "KeyType": "HASH"},
                        {"AttributeName": "g", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            ],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        for i in range(3):
            ddb.put_item(
                TableName="fz2",
                Item={
                    "p": {"S": "a"},
                    "s": {"S": str(i)},
                    "g": {"S": "g1"},
                    "n": {"N": str(i)},
                    "l": {"L": [{"S": "x"}]},
                },
            )
        self.stream_arn = ddb.describe_table(TableName="fz2")["Table"]["LatestStreamArn"]
        streams = self.aws.client("dynamodbstreams")
        shard = streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"][0][
            "ShardId"
        ]
        self.shard_id = shard
        self.iterator = streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        sfn.task(FN)(_echo)
        self.machines = []
        for kind in ("STANDARD", "EXPRESS"):
            arn = sfn.create_state_machine(
                name=f"fz-{kind}", definition=json.dumps(SIMPLE), roleArn=ROLE, type=kind
            )["stateMachineArn"]
            self.machines.append(arn)
        run = sfn.start_execution(stateMachineArn=self.machines[0], input='{"x": 1}')
        self.executions = [run["executionArn"]]
        self.activity = sfn.create_activity(name="fz-act")["activityArn"]
        self.version = sfn.publish_state_machine_version(stateMachineArn=self.machines[0])[
            "stateMachineVersionArn"
        ]

    def close(self) -> None:
        self.aws.close()


def _echo(event: Any, context: Any) -> Any:
    if isinstance(event, dict) and event.get("raise"):
        raise ValueError(str(event["raise"]))
    return event


def named_value(world: World, r: random.Random, service: str, member: str, shape: Any) -> Any:
    """Domain-aware values for members whose meaning matters; ``...`` for 'use the type'."""
    m = member
    if m in ("TableName", "TableArn"):
        return r.choice(
            [
                "fz1",
                "fz2",
                "fz2",
                "nope",
                "!!",
                "ab",
                "fz1" + LONE,
                "",
                "arn:aws:dynamodb:us-east-1:123456789012:table/fz2",
                "x" * 256,
            ]
        )
    if m == "ResourceArn" and service == "dynamodb":
        return r.choice(["arn:aws:dynamodb:us-east-1:123456789012:table/fz2", "arn:x", world.stream_arn, ""])
    if m == "IndexName":
        return r.choice(["gsi", "lsi", "nope", ""])
    if m in ("Item", "Key", "ExclusiveStartKey"):
        return item(r, key_only=m != "Item")
    if m == "ExpressionAttributeValues":
        return {r.choice([":v", ":v", ":w", "v", ""]): attribute_value(r) for _ in range(r.randint(1, 3))}
    if m == "ExpressionAttributeNames":
        return {
            r.choice(["#p", "#p", "#q", "p"]): r.choice(["p", "s", "a", LONE, "", "g"])
            for _ in range(r.randint(1, 2))
        }
    if m.endswith("Expression"):
        return mutate_text(r, r.choice(EXPRESSIONS))
    if m in ("StreamArn",):
        return r.choice([world.stream_arn, world.stream_arn + "x", "arn"])
    if m == "ShardId":
        return r.choice([world.shard_id, "shardId-x"])
    if m == "ShardIterator":
        return r.choice([world.iterator, world.iterator[:-3], "x" * 40])
    if m in ("definition",):
        return definition_text(r)
    if m in ("input", "output"):
        return json_text(r)
    if m in ("stateMachineArn",):
        return r.choice(world.machines + [world.version, world.machines[0] + ":1", "arn:aws:states:x", ""])
    if m in ("executionArn", "mapRunArn", "redriveArn"):
        return r.choice(world.executions + [world.executions[0] + "x", "arn"])
    if m == "activityArn":
        return r.choice([world.activity, world.activity + "x"])
    if m in ("resourceArn",):
        return r.choice(world.machines + [world.activity, world.executions[0], "arn:aws:states:x"])
    if m == "roleArn":
        return r.choice([ROLE, "arn:bad", ""])
    if m in ("Limit", "maxResults", "Segment", "TotalSegments"):
        return r.choice([0, 1, 2, 5, -1, 1000, 1001, 2**31, float("inf"), 1e999, 1.5, "3"])
    if m in ("RequestItems",) and shape.value.type_name == "list":  # BatchWriteItem
        return {
            r.choice(["fz1", "fz2", "nope", "!!"]): [
                r.choice(
                    [
                        {"PutRequest": {"Item": item(r)}},
                        {"DeleteRequest": {"Key": item(r, True)}},
                        {"PutRequest": junk(r)},
                        junk(r),
                        {},
                    ]
                )
                for _ in range(r.randint(0, 3))
            ]
        }
    if m == "RequestItems":  # BatchGetItem
        return {
            r.choice(["fz1", "fz2", "nope"]): r.choice(
                [{"Keys": [item(r, True) for _ in range(r.randint(0, 2))]}, junk(r)]
            )
        }
    return ...


def shaped_value(world: World, r: random.Random, service: str, member: str, shape: Any, depth: int) -> Any:
    if r.random() < world.noise:
        return junk(r)
    v = named_value(world, r, service, member, shape)
    if v is not ...:
        return v
    t = shape.type_name
    if t == "string":
        return r.choice(WORDS)
    if t in ("integer", "long"):
        return r.choice([0, 1, 3, -1, 100, 2**31, 2**40])
    if t == "boolean":
        return r.choice([True, False])
    if t in ("double", "float"):
        return r.choice([0.0, 1.5, -1, 1e300])
    if t == "blob":
        return r.choice([b"", b"x", "s"])
    if t == "timestamp":
        return r.choice([_dt.datetime(2020, 1, 1, tzinfo=_dt.timezone.utc), 0, "2020-01-01T00:00:00Z"])
    if depth > 6:
        return None if r.random() < 0.5 else {}
    if t == "list":
        return [
            shaped_value(world, r, service, member, shape.member, depth + 1) for _ in range(r.randint(0, 3))
        ]
    if t == "map":
        return {
            r.choice(WORDS): shaped_value(world, r, service, member, shape.value, depth + 1)
            for _ in range(r.randint(0, 2))
        }
    if t == "structure":
        return structure(world, r, service, shape, depth + 1)
    return None


def structure(world: World, r: random.Random, service: str, shape: Any, depth: int) -> dict:
    out = {}
    for name, member in shape.members.items():
        if r.random() < (0.75 if depth == 0 else 0.5):
            out[name] = shaped_value(world, r, service, name, member, depth)
    return out


def request_for(world: World, r: random.Random, service: str, op: str) -> dict:
    model = service_model(service)
    spec = model.raw_operations[op]
    if "input" not in spec:
        return {}
    return structure(world, r, service, model.shape(spec["input"]["shape"]), 0)


# --- one case ----------------------------------------------------------------------------------------


class Finding(Exception):
    """An internal error found by a case (the message says what and how to reproduce)."""


def _wire_body(r: random.Random, request: dict, mutate: bool = True) -> bytes | None:
    def default(o: Any) -> Any:
        if isinstance(o, (bytes, bytearray)):
            return base64.b64encode(bytes(o)).decode()
        if isinstance(o, _dt.datetime):
            return o.timestamp()
        if isinstance(o, (set, tuple)):
            return list(o)
        raise TypeError(type(o).__name__)

    try:
        text = json.dumps(request, default=default)
    except (TypeError, ValueError, RecursionError):
        return None
    if mutate and r.random() < 0.1:
        text = mutate_text(r, text)
    return text.encode("utf-8", "surrogatepass")


def run_case(service: str, seed: int, world: World | None = None) -> str:
    """Run case ``seed`` of ``service``; return the kind of answer; raise :class:`Finding`."""
    r = random.Random(f"{service}:{seed}")
    own = world is None
    if world is None:
        world = World(seed % 1000)
    try:
        if service == "dynamodb" and r.random() < 0.1:
            service = "dynamodbstreams"  # Streams rides with DynamoDB's share of the cases
        svc = world.aws.service(service)
        if service == "stepfunctions" and r.random() < 0.4:
            return _workflow_case(world, r, seed)
        ops = svc.operation_names() if r.random() < 0.95 else svc.api_operation_names()
        op = r.choice(ops)
        world.noise = r.choice([0.0, 0.0, 0.02, 0.08])  # share of members given a value of any type
        request = request_for(world, r, service, op)
        via_wire = r.random() < 0.2
        started = time.perf_counter()
        kind = (
            _call_wire(world, service, op, r, request, seed)
            if via_wire
            else _call_native(svc, op, request, seed)
        )
        elapsed = time.perf_counter() - started
        if elapsed > SLOW_CALL_SECONDS:
            raise Finding(f"slow call: {service} {op} took {elapsed:.2f}s (seed {seed})")
        if service == "stepfunctions":
            _check_executions(world, seed, op)
        return kind
    finally:
        if own:
            world.close()


def _workflow_case(world: World, r: random.Random, seed: int) -> str:
    """Create a machine from a mutated recorded definition, run it on its (mutated) input, and
    read its description and history back: every call timed and checked like any other."""
    svc = world.aws.service("stepfunctions")
    definition, given = definition_and_input(r)
    kind = r.choice(["STANDARD", "EXPRESS"])
    name = f"wf{r.randrange(10**6)}"
    steps: list[tuple[str, dict]] = [
        ("CreateStateMachine", {"name": name, "definition": definition, "roleArn": ROLE, "type": kind})
    ]
    arn = f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}"
    start = "StartSyncExecution" if kind == "EXPRESS" and r.random() < 0.5 else "StartExecution"
    steps.append((start, {"stateMachineArn": arn, "input": given}))
    outcome = "workflow:"
    before = set(svc.executions)
    for op, request in steps:
        started = time.perf_counter()
        if r.random() < 0.2:
            answer = _call_wire(world, "stepfunctions", op, r, request, seed)
        else:
            answer = _call_native(svc, op, request, seed)
        elapsed = time.perf_counter() - started
        if elapsed > SLOW_CALL_SECONDS:
            raise Finding(f"slow call: stepfunctions {op} took {elapsed:.2f}s (seed {seed})")
        outcome = f"workflow:{op}:{answer.split(':')[-1]}"
        if not answer.endswith(":ok"):
            break
    started_now = [a for a in svc.executions if a not in before]
    if started_now and kind == "STANDARD":
        execution_arn = started_now[0]
        for op, request in (
            ("DescribeExecution", {"executionArn": execution_arn}),
            ("GetExecutionHistory", {"executionArn": execution_arn, "reverseOrder": True}),
        ):
            wire = r.random() < 0.5
            answer = (
                _call_wire(world, "stepfunctions", op, r, request, seed, mutate=False)
                if wire
                else _call_native(svc, op, request, seed)
            )
            if not answer.endswith(":ok"):
                raise Finding(f"{op} of a finished execution answered {answer} (seed {seed})")
    _check_executions(world, seed, "workflow")
    return outcome


def _call_native(svc: Any, op: str, request: dict, seed: int) -> str:
    call = svc.call if op in svc.checked_after_crash else svc.native_call  # as the native clients do
    try:
        call(op, request)
    except AWSError as err:
        if err.status >= 500:
            raise Finding(f"native {svc.name} {op}: {err.code}: {err.message[:300]} (seed {seed})") from err
        return f"native:{err.code}"
    except ParamValidationError:
        return "native:ParamValidationError"
    except Exception as exc:
        raise Finding(
            f"native {svc.name} {op} raised {type(exc).__name__}: {exc!s:.300} (seed {seed})"
        ) from exc
    return "native:ok"


def _call_wire(
    world: World, service: str, op: str, r: random.Random, request: dict, seed: int, mutate: bool = True
) -> str:
    body = _wire_body(r, request, mutate)
    if body is None:
        return "wire:unsendable"
    answer = handle(world.aws, TARGETS[service] + op, body)
    if answer.status >= 500:
        raise Finding(f"wire {service} {op}: HTTP {answer.status}: {answer.body[:300]!r} (seed {seed})")
    if answer.body:
        try:
            data = json.loads(answer.body)
        except ValueError:
            raise Finding(
                f"wire {service} {op}: body is not JSON: {answer.body[:200]!r} (seed {seed})"
            ) from None
        if answer.status >= 400:
            return "wire:" + str(data.get("__type", "?")).split("#")[-1]
    return "wire:ok"


def _check_executions(world: World, seed: int, op: str) -> None:
    sfn = world.aws.service("stepfunctions")
    if sfn.scheduler.errors:
        exc = sfn.scheduler.errors[0]
        raise Finding(f"execution after {op}: internal {type(exc).__name__}: {exc!s:.300} (seed {seed})")
    for ex in list(sfn.executions.values()):
        cause = getattr(ex, "cause", None) or ""
        if "Internal emulator error" in cause:
            raise Finding(f"execution after {op}: {cause[:300]} (seed {seed})")


# --- the big run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--service", choices=sorted(TARGETS), required=True)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--per-world", type=int, default=25, help="cases per fresh emulator")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    kinds: Counter[str] = Counter()
    findings: dict[str, list[int]] = {}
    world: World | None = None
    started = time.perf_counter()
    for i in range(args.cases):
        seed = args.seed + i
        if world is None or i % args.per_world == 0:
            if world is not None:
                world.close()
            world = World(seed % 1000)
        try:
            kinds[run_case(args.service, seed, world)] += 1
        except Finding as finding:
            text = str(finding)
            key = text.split(" (seed")[0][:160]
            findings.setdefault(key, []).append(seed)
            kinds["INTERNAL"] += 1
            world.close()
            world = None
            if args.verbose:
                print(text, file=sys.stderr)
        except RecursionError as exc:  # the harness itself (building a deep request)
            kinds["harness:" + type(exc).__name__] += 1
        if args.verbose and (i + 1) % 1000 == 0:
            print(
                f"{i + 1} cases, {kinds['INTERNAL']} internal, {time.perf_counter() - started:.0f}s",
                file=sys.stderr,
            )
    if world is not None:
        world.close()
    print(
        json.dumps(
            {
                "service": args.service,
                "cases": args.cases,
                "first_seed": args.seed,
                "seconds": round(time.perf_counter() - started, 1),
                "internal_errors": kinds["INTERNAL"],
                "distinct_findings": len(findings),
                "findings": {k: v[:5] for k, v in sorted(findings.items())},
                "answers": dict(kinds.most_common()),
            },
            indent=1,
        )
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
