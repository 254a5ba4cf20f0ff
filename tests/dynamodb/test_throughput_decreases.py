"""UpdateTable's daily budget of throughput decreases (docs/rules/dynamodb.md TH2): four at any time
of a UTC day, then one per 3,600 seconds; the fifth within the hour answers LimitExceededException
with AWS's text (ack-api-quirks DDB-TABLE-184, verified against AWS 2026-10-09)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import error_of

pytestmark = pytest.mark.no_remote("steers the clock to fixed UTC times")

EVENING = dt.datetime(2027, 3, 10, 20, 0, 0, tzinfo=dt.timezone.utc).timestamp()  # a Wednesday

LIMIT = (
    "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. "
    "After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most "
    "once every 3600 seconds. Number of decreases today: {n}. Last decrease at {last}. "
    "Next decrease can be made at {next}."
)


@pytest.fixture
def table(ddb, aws):
    aws.clock.jump_to(EVENING)
    ddb.create_table(
        TableName="Budget",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 50, "WriteCapacityUnits": 50},
    )
    return "Budget"


def _set(ddb, table, wcu):
    return ddb.update_table(
        TableName=table, ProvisionedThroughput={"ReadCapacityUnits": 50, "WriteCapacityUnits": wcu}
    )


def test_four_decreases_then_one_an_hour(ddb, aws, table):
    for wcu in (40, 30, 20, 10):
        _set(ddb, table, wcu)
    with pytest.raises(ddb.exceptions.LimitExceededException) as info:
        _set(ddb, table, 5)
    assert error_of(info) == (
        "LimitExceededException",
        LIMIT.format(
            n=4,
            last="Wednesday, March 10, 2027 at 8:00:00 PM Coordinated Universal Time",
            next="Wednesday, March 10, 2027 at 9:00:00 PM Coordinated Universal Time",
        ),
    )
    _set(ddb, table, 60)  # an increase is always accepted
    aws.clock.advance(hours=1)
    _set(ddb, table, 5)
    throughput = ddb.describe_table(TableName=table)["Table"]["ProvisionedThroughput"]
    assert throughput["NumberOfDecreasesToday"] == 5


def test_the_next_decrease_waits_at_most_until_midnight_utc(ddb, aws, table):
    aws.clock.advance(hours=3, minutes=30)  # 23:30
    for wcu in (40, 30, 20, 10):
        _set(ddb, table, wcu)
    with pytest.raises(ddb.exceptions.LimitExceededException) as info:
        _set(ddb, table, 5)
    assert (
        "Next decrease can be made at Thursday, March 11, 2027 at 12:00:00 AM Coordinated Universal Time."
        in (error_of(info)[1])
    )
    aws.clock.advance(minutes=31)  # a new UTC day: the count starts again
    _set(ddb, table, 5)
    assert (
        ddb.describe_table(TableName=table)["Table"]["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 1
    )
