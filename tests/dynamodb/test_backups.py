"""On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup, RestoreTableFromBackup.

Every test runs through the three doors (``ddb``); the rules and their sources are in
docs/dynamodb-conformance.md, section "Backups and point-in-time recovery" (BK rows).
"""

from __future__ import annotations

import datetime as dt

import pytest

from emulator.dynamodb import messages as M
from tests.dynamodb.door_helpers import err

KEYS = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]
DEFS = [
    {"AttributeName": "p", "AttributeType": "S"},
    {"AttributeName": "s", "AttributeType": "N"},
    {"AttributeName": "g", "AttributeType": "S"},
]
GSI = {
    "IndexName": "byg",
    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "ALL"},
}
LSI = {
    "IndexName": "byl",
    "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}],
    "Projection": {"ProjectionType": "KEYS_ONLY"},
}


def make_source(ddb, name: str = "src", count: int = 6, **extra) -> list[dict]:
    ddb.create_table(
        TableName=name,
        KeySchema=KEYS,
        AttributeDefinitions=DEFS,
        GlobalSecondaryIndexes=[GSI],
        LocalSecondaryIndexes=[LSI],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "team", "Value": "blue"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        **extra,
    )
    items = [{"p": {"S": f"k{i % 2}"}, "s": {"N": str(i)}, "g": {"S": f"g{i % 3}"}} for i in range(count)]
    for item in items:
        ddb.put_item(TableName=name, Item=item)
    return items


def scanned(ddb, name: str) -> list[dict]:
    items = ddb.scan(TableName=name, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda i: (i["p"]["S"], int(i["s"]["N"])))


def backup(ddb, table: str = "src", name: str = "bk1") -> dict:
    return ddb.create_backup(TableName=table, BackupName=name)["BackupDetails"]


def test_create_backup_answers_an_available_user_backup_under_the_table_arn(ddb):
    make_source(ddb)
    table_arn = ddb.describe_table(TableName="src")["Table"]["TableArn"]
    details = backup(ddb)
    assert details["BackupName"] == "bk1"
    assert details["BackupStatus"] == "AVAILABLE"
    assert details["BackupType"] == "USER"
    assert details["BackupArn"].startswith(table_arn + "/backup/")
    assert isinstance(details["BackupCreationDateTime"], dt.datetime)
    assert "BackupExpiryDateTime" not in details


def test_describe_backup_reports_the_source_table_and_its_indexes(ddb):
    make_source(ddb)
    arn = backup(ddb)["BackupArn"]
    desc = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    source = desc["SourceTableDetails"]
    assert source["TableName"] == "src" and source["ItemCount"] == 6
    assert source["BillingMode"] == "PAY_PER_REQUEST"
    assert source["KeySchema"] == KEYS
    features = desc["SourceTableFeatureDetails"]
    assert [i["IndexName"] for i in features["GlobalSecondaryIndexes"]] == ["byg"]
    assert [i["IndexName"] for i in features["LocalSecondaryIndexes"]] == ["byl"]
    assert features["StreamDescription"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


def test_backup_errors_name_the_missing_table_or_backup(ddb):
    assert err(ddb.create_backup, TableName="nope", BackupName="bk1") == (
        "TableNotFoundException",
        M.backup_table_not_found("nope"),
    )
    make_source(ddb)
    missing = backup(ddb)["BackupArn"][:-8] + "00000000"
    assert err(ddb.describe_backup, BackupArn=missing) == (
        "BackupNotFoundException",
        M.backup_not_found(missing),
    )
    assert err(ddb.delete_backup, BackupArn=missing)[0] == "BackupNotFoundException"


def test_delete_backup_answers_deleted_and_the_backup_is_gone(ddb):
    make_source(ddb)
    arn = backup(ddb)["BackupArn"]
    assert ddb.delete_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupStatus"] == "DELETED"
    assert err(ddb.describe_backup, BackupArn=arn)[0] == "BackupNotFoundException"
    assert ddb.list_backups()["BackupSummaries"] == []


def test_list_backups_filters_by_table_and_pages_with_the_last_evaluated_arn(ddb, aws):
    make_source(ddb)
    make_source(ddb, "other", count=1)
    arns = []
    for i in range(3):
        arns.append(backup(ddb, name=f"bk{i}")["BackupArn"])
        aws.clock.advance(1)
    backup(ddb, "other", "bko")
    assert len(ddb.list_backups()["BackupSummaries"]) == 4
    page = ddb.list_backups(TableName="src", Limit=2)
    assert [b["BackupArn"] for b in page["BackupSummaries"]] == arns[:2]
    assert page["LastEvaluatedBackupArn"] == arns[1]
    rest = ddb.list_backups(TableName="src", Limit=2, ExclusiveStartBackupArn=arns[1])
    assert [b["BackupArn"] for b in rest["BackupSummaries"]] == arns[2:]
    assert "LastEvaluatedBackupArn" not in rest
    summary = rest["BackupSummaries"][0]
    assert summary["TableName"] == "src" and summary["BackupType"] == "USER"


def test_list_backups_time_range_lower_bound_inclusive_upper_exclusive(ddb, aws):
    make_source(ddb)
    created = []
    for i in range(3):
        created.append(backup(ddb, name=f"bk{i}")["BackupCreationDateTime"])
        aws.clock.advance(10)
    listed = ddb.list_backups(TimeRangeLowerBound=created[1], TimeRangeUpperBound=created[2])
    assert [b["BackupName"] for b in listed["BackupSummaries"]] == ["bk1"]


def test_restore_from_backup_recreates_items_keys_and_indexes_as_they_were(ddb):
    items = make_source(ddb)
    arn = backup(ddb)["BackupArn"]
    ddb.put_item(TableName="src", Item={"p": {"S": "late"}, "s": {"N": "1"}, "g": {"S": "g0"}})
    desc = ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn)["TableDescription"]
    assert desc["TableName"] == "dst" and desc["KeySchema"] == KEYS
    assert desc["RestoreSummary"]["SourceBackupArn"] == arn
    assert desc["RestoreSummary"]["RestoreInProgress"] is False
    assert [i["IndexName"] for i in desc["GlobalSecondaryIndexes"]] == ["byg"]
    assert [i["IndexName"] for i in desc["LocalSecondaryIndexes"]] == ["byl"]
    assert scanned(ddb, "dst") == sorted(items, key=lambda i: (i["p"]["S"], int(i["s"]["N"])))
    by_g = ddb.query(
        TableName="dst",
        IndexName="byg",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "g0"}},
    )
    assert by_g["Count"] == 2
    assert ddb.describe_table(TableName="dst")["Table"]["RestoreSummary"]["SourceBackupArn"] == arn


def test_restore_from_backup_copies_neither_tags_nor_streams_nor_ttl(ddb):
    make_source(ddb)
    ddb.update_time_to_live(
        TableName="src", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
    )
    arn = backup(ddb)["BackupArn"]
    desc = ddb.restore_table_from_backup(TargetTableName="dst", BackupArn=arn)["TableDescription"]
    assert "StreamSpecification" not in desc and "LatestStreamArn" not in desc
    assert ddb.list_tags_of_resource(ResourceArn=desc["TableArn"])["Tags"] == []
    assert ddb.describe_time_to_live(TableName="dst")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "DISABLED"
    }
    pitr = ddb.describe_continuous_backups(TableName="dst")["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"


def test_restore_from_backup_with_billing_and_index_overrides(ddb):
    make_source(ddb)
    arn = backup(ddb)["BackupArn"]
    desc = ddb.restore_table_from_backup(
        TargetTableName="dst",
        BackupArn=arn,
        BillingModeOverride="PROVISIONED",
        ProvisionedThroughputOverride={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
        GlobalSecondaryIndexOverride=[],
    )["TableDescription"]
    assert desc["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert desc["ProvisionedThroughput"]["WriteCapacityUnits"] == 3
    assert "GlobalSecondaryIndexes" not in desc
    assert [i["IndexName"] for i in desc["LocalSecondaryIndexes"]] == ["byl"]
    assert {d["AttributeName"] for d in desc["AttributeDefinitions"]} == {"p", "s", "g"}  # g: the LSI's key
    assert desc["ItemCount"] == 6


def test_restore_from_backup_override_naming_an_unknown_index_is_refused(ddb):
    make_source(ddb)
    arn = backup(ddb)["BackupArn"]
    other = dict(GSI, IndexName="nope")
    assert err(
        ddb.restore_table_from_backup,
        TargetTableName="dst",
        BackupArn=arn,
        GlobalSecondaryIndexOverride=[other],
    ) == (
        "ValidationException",
        M.index_override_unknown("nope"),
    )


def test_restore_from_backup_errors(ddb):
    make_source(ddb)
    arn = backup(ddb)["BackupArn"]
    assert err(ddb.restore_table_from_backup, TargetTableName="src", BackupArn=arn) == (
        "TableAlreadyExistsException",
        M.restore_target_exists("src"),
    )
    missing = arn[:-8] + "00000000"
    assert err(ddb.restore_table_from_backup, TargetTableName="dst", BackupArn=missing) == (
        "BackupNotFoundException",
        M.backup_not_found(missing),
    )


def test_backup_outlives_its_table(ddb):
    items = make_source(ddb)
    arn = backup(ddb)["BackupArn"]
    ddb.delete_table(TableName="src")
    ddb.restore_table_from_backup(TargetTableName="src", BackupArn=arn)
    assert len(scanned(ddb, "src")) == len(items)


def test_deleting_a_table_with_pitr_keeps_a_system_backup_for_35_days(ddb, aws):
    make_source(ddb)
    ddb.update_continuous_backups(
        TableName="src", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    ddb.delete_table(TableName="src")
    assert ddb.list_backups()["BackupSummaries"] == []  # USER backups only by default
    (system,) = ddb.list_backups(BackupType="SYSTEM")["BackupSummaries"]
    assert system["BackupName"] == "src$DeletedTableBackup"
    assert system["BackupType"] == "SYSTEM"
    assert (system["BackupExpiryDateTime"] - system["BackupCreationDateTime"]) == dt.timedelta(days=35)
    assert len(ddb.list_backups(BackupType="ALL")["BackupSummaries"]) == 1
    aws.clock.advance(days=35)
    assert ddb.list_backups(BackupType="ALL")["BackupSummaries"] == []


@pytest.mark.parametrize("name", ["ab", "bad name"])
def test_create_backup_name_follows_the_model_constraints(ddb, name):
    make_source(ddb, count=0)
    code, _message = err(ddb.create_backup, TableName="src", BackupName=name)
    assert code == "ValidationException"
