"""A small world with something of every kind of state, and everything a client can read of it
(shared by the snapshot and durable-data tests)."""

from __future__ import annotations

import json

from emulator import Emulator

ROLE = "arn:aws:iam::123456789012:role/r"
FN = "arn:aws:lambda:us-east-1:123456789012:function:echo"
KEY = {"id": {"S": "a"}}


def echo(event, context):  # importable by name: a portable snapshot keeps it
    return event


def seeded_world(**options) -> Emulator:
    aws = Emulator(seed=7, **options)
    ddb = aws.dynamodb
    ddb.create_table(
        TableName="Things",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "kind", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byKind",
                "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        Tags=[{"Key": "team", "Value": "core"}],
    )
    ddb.update_time_to_live(
        TableName="Things", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    for i in range(20):
        ddb.put_item(TableName="Things", Item={"id": {"S": f"i{i}"}, "kind": {"S": "k" + str(i % 3)}})
    ddb.create_backup(TableName="Things", BackupName="nightly")
    sfn = aws.stepfunctions
    sfn.task(FN)(echo)
    definition = {
        "StartAt": "Wait",
        "States": {
            "Wait": {"Type": "Wait", "Seconds": 3600, "Next": "Echo"},
            "Echo": {"Type": "Task", "Resource": FN, "End": True},
        },
    }
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    sfn.start_execution(stateMachineArn=arn, name="first", input='{"n": 1}')
    version = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    sfn.create_state_machine_alias(
        name="live", routingConfiguration=[{"stateMachineVersionArn": version, "weight": 100}]
    )
    sfn.create_activity(name="review")
    return aws


def machine_arn(aws: Emulator) -> str:
    return aws.stepfunctions.list_state_machines()["stateMachines"][0]["stateMachineArn"]


def stream_records(aws: Emulator, stream_arn: str) -> list:
    streams = aws.dynamodbstreams
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )
    return streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]


def view(aws: Emulator) -> dict:
    """Everything a client can read of the seeded world."""
    ddb, sfn = aws.dynamodb, aws.stepfunctions
    table = ddb.describe_table(TableName="Things")["Table"]
    executions = sfn.list_executions(stateMachineArn=machine_arn(aws))["executions"]
    return {
        "table": table,
        "items": ddb.scan(TableName="Things")["Items"],
        "gsi": ddb.query(
            TableName="Things",
            IndexName="byKind",
            KeyConditionExpression="kind = :k",
            ExpressionAttributeValues={":k": {"S": "k1"}},
        )["Items"],
        "ttl": ddb.describe_time_to_live(TableName="Things")["TimeToLiveDescription"],
        "tags": ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"],
        "backups": [b["BackupName"] for b in ddb.list_backups(TableName="Things")["BackupSummaries"]],
        "executions": executions,
        "histories": [
            sfn.get_execution_history(executionArn=e["executionArn"])["events"] for e in executions
        ],
        "versions": sfn.list_state_machine_versions(stateMachineArn=machine_arn(aws))["stateMachineVersions"],
        "aliases": sfn.list_state_machine_aliases(stateMachineArn=machine_arn(aws))["stateMachineAliases"],
        "activities": sfn.list_activities()["activities"],
        "stream": stream_records(aws, table["LatestStreamArn"]),
        "now": aws.clock.now(),
    }
