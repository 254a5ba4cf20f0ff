"""Small helpers shared by the Step Functions task and workflow tests: start an execution of a
definition, build a one-Task definition, read DescribeExecution and the whole history."""

from __future__ import annotations

import json

ROLE = "arn:aws:iam::123456789012:role/sfn"
FN = "arn:aws:lambda:us-east-1:123456789012:function:"


def start(aws, definition, input_=None, name="sm"):
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    return sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_ or {}))["executionArn"]


def task(resource, **fields):
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True, **fields}}}


def desc(aws, ex):
    return aws.stepfunctions.describe_execution(executionArn=ex)


def history(aws, ex):
    return aws.stepfunctions.get_execution_history(executionArn=ex, maxResults=1000)["events"]
