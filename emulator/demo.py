"""``python -m emulator demo``: the scenario the project grew from, step by step.

1. Create ``ExampleTable`` (key ``id``, a number) with the in-process DynamoDB and put an item.
2. Register three Python callables as the Lambda functions QueryItem, UpdateItem and DeleteItem;
   each works on the item through the same in-process DynamoDB.
3. Create the Query → Update → Delete state machine (with a one-day Wait and a retry, to show the
   virtual clock) and run it on input ``{"id": "123"}``.
4. Print the execution history as a timeline, and the table before and after.

Everything runs in-process on a virtual clock: the day-long Wait costs no wall time.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .clock import perf_counter

REGION = "us-west-2"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ExampleStepFunctionsRole"
TABLE = "ExampleTable"


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


DEFINITION = {
    "Comment": "Query an item, update it, wait a day, then delete it",
    "StartAt": "QueryItem",
    "States": {
        "QueryItem": {
            "Type": "Task",
            "Resource": function_arn("QueryItemFunction"),
            "ResultPath": "$.item",
            "Next": "UpdateItem",
        },
        "UpdateItem": {
            "Type": "Task",
            "Resource": function_arn("UpdateItemFunction"),
            "ResultPath": "$.updated",
            "Retry": [
                {
                    "ErrorEquals": ["ThrottledError"],
                    "IntervalSeconds": 3600,
                    "BackoffRate": 1.0,
                    "MaxAttempts": 3,
                }
            ],
            "Next": "WaitADay",
        },
        "WaitADay": {"Type": "Wait", "Seconds": 86400, "Next": "DeleteItem"},
        "DeleteItem": {
            "Type": "Task",
            "Resource": function_arn("DeleteItemFunction"),
            "ResultPath": "$.deleted",
            "End": True,
        },
    },
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print only the summary")


def _scan(ddb: Any) -> list[dict]:
    items: list[dict] = []
    kwargs: dict[str, Any] = {"TableName": TABLE}
    while True:
        page = ddb.scan(**kwargs)
        items.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page or len(items) > 1000:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _print_table(ddb: Any, title: str) -> None:
    items = _scan(ddb)
    print(f"  {title}: {len(items)} item(s)")
    for item in items[:20]:
        print("    " + json.dumps(item, sort_keys=True))
    if len(items) > 20:
        print(f"    ... and {len(items) - 20} more")


def _register_functions(sfn: Any, ddb: Any) -> None:
    """The three Lambda functions as Python callables on the same in-process DynamoDB."""
    attempts = {"update": 0}

    @sfn.task(function_arn("QueryItemFunction"))
    def query_item(event: dict, context: Any) -> dict:
        item = ddb.get_item(TableName=TABLE, Key={"id": {"N": str(event["id"])}}, ConsistentRead=True)
        return item.get("Item", {})

    class ThrottledError(Exception):
        pass

    @sfn.task(function_arn("UpdateItemFunction"))
    def update_item(event: dict, context: Any) -> dict:
        attempts["update"] += 1
        if attempts["update"] == 1:  # fail once: the Retry waits an hour of virtual time
            raise ThrottledError("simulated throttling, try again")
        out = ddb.update_item(
            TableName=TABLE,
            Key={"id": {"N": str(event["id"])}},
            UpdateExpression="SET #s = :s",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": "updated"}},
            ReturnValues="ALL_NEW",
        )
        return out["Attributes"]

    @sfn.task(function_arn("DeleteItemFunction"))
    def delete_item(event: dict, context: Any) -> dict:
        out = ddb.delete_item(TableName=TABLE, Key={"id": {"N": str(event["id"])}}, ReturnValues="ALL_OLD")
        return {"deleted": "Attributes" in out}


def run(args: argparse.Namespace) -> int:
    import emulator
    from emulator.stepfunctions.run_command import history, timeline

    wall = perf_counter()
    quiet = getattr(args, "quiet", False)
    say = (lambda *a: None) if quiet else print

    aws = emulator.Emulator(region=REGION, account_id=ACCOUNT, seed=1)
    ddb, sfn = aws.dynamodb, aws.stepfunctions

    say(f"1. DynamoDB: create {TABLE} (key id, N) and put item id=123")
    ddb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.put_item(TableName=TABLE, Item={"id": {"N": "123"}, "name": {"S": "example"}, "status": {"S": "new"}})
    if not quiet:
        _print_table(ddb, "table before")

    say("2. Step Functions: register Python callables as the three Lambda functions")
    _register_functions(sfn, ddb)
    say("   QueryItemFunction, UpdateItemFunction, DeleteItemFunction")
    say('3. Create the Query -> Update -> (wait a day) -> Delete state machine and run it on {"id": "123"}')
    arn = sfn.create_state_machine(
        name="ExampleStateMachine", definition=json.dumps(DEFINITION), roleArn=ROLE
    )["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, name="demo-run", input=json.dumps({"id": "123"}))[
        "executionArn"
    ]
    desc = sfn.describe_execution(executionArn=ex)
    events = history(sfn, ex)
    if not quiet:
        say(f"4. History ({len(events)} events; timestamps are virtual):")
        for line in timeline(events):
            print(line)
        _print_table(ddb, "table after")
    elapsed_virtual = (desc["stopDate"] - desc["startDate"]).total_seconds()
    print(
        f"status {desc['status']}: {elapsed_virtual / 3600:.0f} h of workflow time in "
        f"{(perf_counter() - wall) * 1000:.0f} ms of wall time"
    )
    if desc["status"] != "SUCCEEDED":
        print(f"error: {desc.get('error')}: {desc.get('cause')}")
        return 1
    return 0
