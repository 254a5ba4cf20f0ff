"""An integer member given a number outside its Java type's range (``"Limit": 1e999``) answers
Jackson's SerializationException, not 500 (issue 9, item 7; wire/shapes.py)."""

from __future__ import annotations

import json

import pytest

from emulator.wire.awsjson import handle
from tests.conftest import world_with_table

INT_RANGE = "out of range of int (-2147483648 - 2147483647)"


@pytest.fixture
def world():
    w = world_with_table(seed=1)
    yield w
    w.close()


@pytest.mark.parametrize(
    "target,body",
    [
        ("DynamoDB_20120810.Scan", '{"TableName":"tbl","Limit":1e999}'),
        ("DynamoDB_20120810.Scan", '{"TableName":"tbl","Limit":-1e999}'),
        ("DynamoDB_20120810.Scan", '{"TableName":"tbl","Limit":3e9}'),
        (
            "DynamoDB_20120810.Query",
            '{"TableName":"tbl","Limit":1e999,"KeyConditionExpression":"id = :v",'
            '"ExpressionAttributeValues":{":v":{"S":"a"}}}',
        ),
        ("DynamoDBStreams_20120810.GetRecords", '{"ShardIterator":"' + "x" * 40 + '","Limit":1e999}'),
        ("AWSStepFunctions.ListStateMachines", '{"maxResults":1e999}'),
    ],
)
def test_an_out_of_range_number_is_a_serialization_exception(world, target, body):
    answer = handle(world, target, body.encode())
    assert answer.status == 400
    data = json.loads(answer.body)
    assert data["__type"] == "com.amazon.coral.service#SerializationException"
    assert data["Message"].startswith("Numeric value (")
    assert data["Message"].endswith(INT_RANGE)


def test_a_decimal_in_range_is_still_truncated(world):
    answer = handle(world, "DynamoDB_20120810.Scan", b'{"TableName":"tbl","Limit":2.7}')
    assert answer.status == 200
