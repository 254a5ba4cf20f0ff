"""Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups, RestoreTableToPointInTime.

Through the three doors (``ddb``) with the virtual clock (``aws.clock``) moving time; the engine's
history (``engine/history.py``: snapshots + change records) is also checked directly against a
reference that remembers every state. Rules and sources: docs/dynamodb-conformance.md, section
"Backups and point-in-time recovery" (PR rows).
"""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

import emulator
from emulator.dynamodb import messages as M
from emulator.dynamodb.backups import LATEST_RESTORABLE_LAG
from emulator.dynamodb.engine import Table
from emulator.dynamodb.engine.history import SNAPSHOT_MIN, History
from emulator.dynamodb.keys import KeySchema
from tests.dynamodb.door_helpers import create_hash_table, err

UTC = dt.timezone.utc
ON = {"PointInTimeRecoveryEnabled": True}
OFF = {"PointInTimeRecoveryEnabled": False}


def at(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, UTC)


def ids(ddb, name: str) -> dict[str, str]:
    return {i["id"]["S"]: i["v"]["S"] for i in ddb.scan(TableName=name, ConsistentRead=True)["Items"]}


def put(ddb, key: str, value: str, name: str = "tbl") -> None:
    ddb.put_item(TableName=name, Item={"id": {"S": key}, "v": {"S": value}})


def recovery(ddb, name: str = "tbl") -> dict:
    return ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]


def test_continuous_backups_are_on_and_pitr_off_by_default(ddb):
    create_hash_table(ddb, "tbl")
    assert recovery(ddb) == {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"},
    }


def test_enabling_pitr_opens_a_35_day_window_starting_now(ddb, aws):
    create_hash_table(ddb, "tbl")
    start = aws.clock.now()
    answer = ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=ON)
    desc = answer["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert desc["PointInTimeRecoveryStatus"] == "ENABLED"
    assert desc["RecoveryPeriodInDays"] == 35
    assert desc["EarliestRestorableDateTime"].timestamp() == start
    aws.clock.advance(hours=1)
    desc = recovery(ddb)["PointInTimeRecoveryDescription"]
    assert desc["EarliestRestorableDateTime"].timestamp() == start
    assert desc["LatestRestorableDateTime"].timestamp() == aws.clock.now() - LATEST_RESTORABLE_LAG


def test_the_window_slides_after_the_recovery_period(ddb, aws):
    create_hash_table(ddb, "tbl")
    spec = dict(ON, RecoveryPeriodInDays=7)
    ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=spec)
    put(ddb, "a", "1")
    aws.clock.advance(days=10)
    put(ddb, "b", "2")
    desc = recovery(ddb)["PointInTimeRecoveryDescription"]
    assert desc["RecoveryPeriodInDays"] == 7
    earliest = desc["EarliestRestorableDateTime"]
    assert earliest.timestamp() == aws.clock.now() - 7 * 86400
    ddb.restore_table_to_point_in_time(SourceTableName="tbl", TargetTableName="old", RestoreDateTime=earliest)
    assert ids(ddb, "old") == {"a": "1"}
    assert (
        err(
            ddb.restore_table_to_point_in_time,
            SourceTableName="tbl",
            TargetTableName="older",
            RestoreDateTime=at(earliest.timestamp() - 1),
        )[0]
        == "InvalidRestoreTimeException"
    )


def test_restore_gives_the_table_as_it_stood_at_each_second(ddb, aws):
    """A restore is to the second (boto3 sends whole seconds): the table as it stood at its end."""
    create_hash_table(ddb, "tbl")
    put(ddb, "before", "0")
    ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=ON)
    states = {}
    for second in range(6):
        aws.clock.advance(1)
        put(ddb, f"k{second}", str(second))
        put(ddb, "shared", str(second))
        if second % 2:
            ddb.delete_item(TableName="tbl", Key={"id": {"S": f"k{second - 1}"}})
        states[aws.clock.now()] = ids(ddb, "tbl")
    aws.clock.advance(LATEST_RESTORABLE_LAG)
    for i, (when, expected) in enumerate(states.items()):
        ddb.restore_table_to_point_in_time(
            SourceTableName="tbl", TargetTableName=f"r{i}xx", RestoreDateTime=at(when)
        )
        assert ids(ddb, f"r{i}xx") == expected


def test_use_latest_restorable_time_restores_five_minutes_ago(ddb, aws):
    create_hash_table(ddb, "tbl")
    ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=ON)
    put(ddb, "a", "old")
    aws.clock.advance(LATEST_RESTORABLE_LAG)
    put(ddb, "a", "new")
    desc = ddb.restore_table_to_point_in_time(
        SourceTableName="tbl", TargetTableName="latest", UseLatestRestorableTime=True
    )["TableDescription"]
    assert ids(ddb, "latest") == {"a": "old"}
    summary = desc["RestoreSummary"]
    assert summary["RestoreInProgress"] is False
    assert summary["SourceTableArn"] == ddb.describe_table(TableName="tbl")["Table"]["TableArn"]
    assert summary["RestoreDateTime"].timestamp() == math.floor(aws.clock.now() - LATEST_RESTORABLE_LAG)


def test_restore_by_source_table_arn_keeps_indexes_but_not_stream_or_tags(ddb, aws):
    ddb.create_table(
        TableName="tbl",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "v", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byv",
                "KeySchema": [{"AttributeName": "v", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
        Tags=[{"Key": "k", "Value": "v"}],
    )
    arn = ddb.describe_table(TableName="tbl")["Table"]["TableArn"]
    ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=ON)
    put(ddb, "a", "x")
    aws.clock.advance(LATEST_RESTORABLE_LAG)
    desc = ddb.restore_table_to_point_in_time(
        SourceTableArn=arn, TargetTableName="dst", UseLatestRestorableTime=True
    )["TableDescription"]
    assert [i["IndexName"] for i in desc["GlobalSecondaryIndexes"]] == ["byv"]
    assert "StreamSpecification" not in desc
    assert ddb.list_tags_of_resource(ResourceArn=desc["TableArn"])["Tags"] == []
    found = ddb.query(
        TableName="dst",
        IndexName="byv",
        KeyConditionExpression="v = :v",
        ExpressionAttributeValues={":v": {"S": "x"}},
    )
    assert found["Count"] == 1
    assert recovery(ddb, "dst")["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"


def test_disabling_pitr_forgets_the_past_and_reenabling_starts_a_new_window(ddb, aws):
    create_hash_table(ddb, "tbl")
    ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=ON)
    first = aws.clock.now()
    aws.clock.advance(hours=1)
    answer = ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=OFF)
    assert answer["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"] == {
        "PointInTimeRecoveryStatus": "DISABLED"
    }
    aws.clock.advance(hours=1)
    ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=ON)
    earliest = recovery(ddb)["PointInTimeRecoveryDescription"]["EarliestRestorableDateTime"]
    assert earliest.timestamp() == aws.clock.now() > first


def test_restore_to_point_in_time_errors(ddb, aws):
    assert err(ddb.update_continuous_backups, TableName="nope", PointInTimeRecoverySpecification=ON) == (
        "TableNotFoundException",
        M.backup_table_not_found("nope"),
    )
    assert err(ddb.describe_continuous_backups, TableName="nope")[0] == "TableNotFoundException"
    create_hash_table(ddb, "tbl")
    restore = ddb.restore_table_to_point_in_time
    assert err(restore, SourceTableName="tbl", TargetTableName="dst", UseLatestRestorableTime=True) == (
        "PointInTimeRecoveryUnavailableException",
        M.pitr_not_enabled("tbl"),
    )
    assert err(restore, SourceTableName="nope", TargetTableName="dst", UseLatestRestorableTime=True) == (
        "TableNotFoundException",
        M.backup_table_not_found("nope"),
    )
    ddb.update_continuous_backups(TableName="tbl", PointInTimeRecoverySpecification=ON)
    assert err(restore, SourceTableName="tbl", TargetTableName="tbl", UseLatestRestorableTime=True) == (
        "TableAlreadyExistsException",
        M.restore_target_exists("tbl"),
    )
    assert err(restore, SourceTableName="tbl", TargetTableName="dst") == (
        "ValidationException",
        M.RESTORE_TIME_REQUIRED,
    )
    assert err(restore, TargetTableName="dst", UseLatestRestorableTime=True) == (
        "ValidationException",
        M.RESTORE_SOURCE_REQUIRED,
    )
    code, _ = err(
        restore, SourceTableName="tbl", TargetTableName="dst", RestoreDateTime=at(aws.clock.now() + 60)
    )
    assert code == "InvalidRestoreTimeException"


@pytest.mark.parametrize("days", [0, 36])
def test_recovery_period_is_one_to_35_days(ddb, days):
    create_hash_table(ddb, "tbl")
    spec = dict(ON, RecoveryPeriodInDays=days)
    code, _ = err(ddb.update_continuous_backups, TableName="tbl", PointInTimeRecoverySpecification=spec)
    assert code == "ValidationException"


# --- the engine's history, against a reference that remembers every state ------------------------


def test_history_matches_every_past_state_across_snapshots_and_trims():
    """Random writes over many seconds, enough for several snapshots; each second's state,
    recomputed from snapshot + records, equals the reference's; trimming keeps what is after it."""
    world = emulator.Emulator(seed=3)
    schema = KeySchema.from_definitions(
        [{"AttributeName": "id", "KeyType": "HASH"}], [{"AttributeName": "id", "AttributeType": "S"}]
    )
    table = Table(schema, clock=world.clock)
    rng = random.Random(5)
    for i in range(50):
        table.put({"id": {"S": f"pre{i}"}})
    history = History(table)
    states = {world.clock.now(): {f"pre{i}" for i in range(50)}}
    live = set(states[world.clock.now()])
    for _second in range(12):
        world.clock.advance(1)
        for _ in range(SNAPSHOT_MIN // 3):
            key = f"k{rng.randrange(300)}"
            if rng.random() < 0.3:
                table.delete({"id": {"S": key}})
                live.discard(key)
            else:
                table.put({"id": {"S": key}, "n": {"N": str(rng.randrange(9))}})
                live.add(key)
        states[world.clock.now()] = set(live)
    history._check()
    assert len(history._snapshots) > 2
    for when, expected in states.items():
        assert {i["id"]["S"] for i in history.items_before(when + 0.5)} == expected
    cut = sorted(states)[6]
    history.trim(cut)
    history._check()
    for when, expected in states.items():
        if when >= cut:
            assert {i["id"]["S"] for i in history.items_before(when + 0.5)} == expected
    history.close()
    assert not table.change_log.active
