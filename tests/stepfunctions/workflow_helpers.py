"""Small helpers shared by the Step Functions task and workflow tests: create a state machine,
start an execution of a definition, build a one-Task definition, register a task that fails first,
read DescribeExecution and the whole history, and move the virtual clock relative to a start."""

from __future__ import annotations

import json

ROLE = "arn:aws:iam::123456789012:role/sfn"
FN = "arn:aws:lambda:us-east-1:123456789012:function:"


def start(aws, definition, input_=None, name="sm"):
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    return sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_ or {}))["executionArn"]


def task(resource, **fields):
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True, **fields}}}


def desc(aws, ex):
    return aws.stepfunctions.describe_execution(executionArn=ex)


def history(aws, ex):
    return aws.stepfunctions.get_execution_history(executionArn=ex, maxResults=1000)["events"]


def run_definition(aws, definition, input_="{}", *, name="sm", type_="STANDARD"):
    """Create ``definition`` (a dict) and run it on ``input_`` (text): the execution ARN, or the
    StartSyncExecution answer for an EXPRESS machine."""
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE, type=type_)[
        "stateMachineArn"
    ]
    if type_ == "EXPRESS":
        return sfn.start_sync_execution(stateMachineArn=arn, input=input_)
    return sfn.start_execution(stateMachineArn=arn, input=input_)["executionArn"]


def events_of(aws, ex):
    """The first page of the execution's history (the default page size)."""
    return aws.stepfunctions.get_execution_history(executionArn=ex)["events"]


def flaky_task(aws, name, failures=1):
    """Register the Lambda ``FN + name`` that fails ``failures`` times, then echoes its event;
    returns the list of the events it was called with."""
    calls = []

    @aws.stepfunctions.task(FN + name)
    def flaky(event, context):
        calls.append(event)
        if len(calls) <= failures:
            raise ValueError("try again")
        return event

    return calls


def create(sfn, definition, name="sm", **kw):
    """CreateStateMachine with ``definition`` as the caller's text; returns the ARN."""
    return sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE, **kw)["stateMachineArn"]


def history_of(sfn, ex):
    """The whole history through a client ``sfn`` (up to 1000 events)."""
    return sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]


def advance_to(aws, ex, seconds):
    """Move the virtual clock to ``seconds`` after the execution's start (a task callable's
    simulated ``sleep`` already moved it while StartExecution ran)."""
    t0 = desc(aws, ex)["startDate"].timestamp()
    aws.clock.advance(seconds=t0 + seconds - aws.clock.now())


def elapsed(events, type_):
    """Seconds from ExecutionStarted to the first event of ``type_``."""
    t0 = events[0]["timestamp"]
    return next((e["timestamp"] - t0).total_seconds() for e in events if e["type"] == type_)
