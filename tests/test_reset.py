"""``Emulator.reset``: every service (or one) emptied in every partition; the world itself kept."""

from __future__ import annotations

import json

import pytest

from emulator import Emulator

ROLE = "arn:aws:iam::123456789012:role/r"
FN = "arn:aws:lambda:us-east-1:123456789012:function:f"
TABLE = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
TASK_MACHINE = json.dumps({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN, "End": True}}})
WAIT_MACHINE = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})


def _fill(aws: Emulator) -> None:
    aws.dynamodb.create_table(TableName="Orders", **TABLE)
    aws.client("dynamodb", region_name="eu-west-1").create_table(TableName="Orders", **TABLE)
    aws.stepfunctions.create_state_machine(name="m", definition=TASK_MACHINE, roleArn=ROLE)
    aws.s3.create_bucket(Bucket="bucket-1")


def test_reset_empties_every_service_in_every_region():
    aws = Emulator()
    _fill(aws)
    aws.reset()
    assert aws.dynamodb.list_tables()["TableNames"] == []
    assert aws.client("dynamodb", region_name="eu-west-1").list_tables()["TableNames"] == []
    assert aws.stepfunctions.list_state_machines()["stateMachines"] == []
    assert aws.s3.list_buckets()["Buckets"] == []


def test_reset_of_one_service_keeps_the_others():
    aws = Emulator()
    _fill(aws)
    aws.reset("stepfunctions")
    assert aws.stepfunctions.list_state_machines()["stateMachines"] == []
    assert aws.dynamodb.list_tables()["TableNames"] == ["Orders"]
    assert [b["Name"] for b in aws.s3.list_buckets()["Buckets"]] == ["bucket-1"]


def test_clients_handed_out_before_a_reset_serve_the_new_world():
    aws = Emulator()
    ddb = aws.dynamodb
    ddb.create_table(TableName="Orders", **TABLE)
    ddb.put_item(TableName="Orders", Item={"id": {"S": "1"}})
    aws.reset()
    assert ddb.list_tables()["TableNames"] == []
    ddb.create_table(TableName="Orders", **TABLE)  # the name is free again
    assert ddb.scan(TableName="Orders")["Items"] == []


def test_reset_keeps_registered_task_code_options_and_the_clock():
    aws = Emulator(seed=7, region="eu-west-1")
    sfn = aws.stepfunctions

    @sfn.task(FN)
    def double(event, context):
        return {"n": event["n"] * 2}

    before = aws.clock.now()
    aws.reset()
    assert (aws.region, aws.seed) == ("eu-west-1", 7)
    assert aws.clock.now() >= before
    arn = sfn.create_state_machine(name="m", definition=TASK_MACHINE, roleArn=ROLE)["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn, input='{"n": 2}')
    desc = sfn.describe_execution(executionArn=run["executionArn"])
    assert (desc["status"], json.loads(desc["output"])) == ("SUCCEEDED", {"n": 4})


def test_reset_cancels_the_timers_of_running_executions():
    aws = Emulator(auto_advance=False)
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="w", definition=WAIT_MACHINE, roleArn=ROLE)["stateMachineArn"]
    sfn.start_execution(stateMachineArn=arn)
    assert aws.clock.scheduler.pending() > 0
    aws.reset("stepfunctions")
    assert aws.clock.scheduler.pending() == 0


def test_reset_of_dynamodb_stops_ttl_sweeps_of_its_old_tables():
    aws = Emulator()
    ddb = aws.dynamodb
    ddb.create_table(TableName="Orders", **TABLE)
    ddb.update_time_to_live(
        TableName="Orders", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
    )
    listeners = len(aws.clock._listeners)
    aws.reset("dynamodb")
    assert len(aws.clock._listeners) == listeners - 1


def test_reset_of_an_unknown_service_is_refused():
    with pytest.raises(ValueError, match="unknown service 'sqs'"):
        Emulator().reset("sqs")


def test_info_counts_tables_state_machines_and_executions_per_partition():
    aws = Emulator()
    _fill(aws)

    @aws.stepfunctions.task(FN)
    def echo(event, context):
        return event

    arn = aws.stepfunctions.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    aws.stepfunctions.start_execution(stateMachineArn=arn)
    info = aws.info()
    assert (info["tables"], info["stateMachines"], info["executions"], info["buckets"]) == (2, 1, 1, 1)
    assert info["regions"] == ["eu-west-1", "us-east-1"]
    assert set(info["services"]) >= {"dynamodb", "dynamodbstreams", "stepfunctions", "s3"}
    default = next(p for p in info["partitions"] if p["region"] == "us-east-1")
    assert default["executionsByStatus"] == {"SUCCEEDED": 1}
    aws.reset()
    assert (aws.info()["tables"], aws.info()["executions"]) == (0, 0)
