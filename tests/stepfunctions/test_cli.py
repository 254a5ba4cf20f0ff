"""``emulator run``, ``emulator validate`` and ``emulator demo`` (issue 4 CLI spec)."""

from __future__ import annotations

import json

from emulator.cli import main

DEFINITION = {
    "StartAt": "Get",
    "States": {
        "Get": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:get",
            "Next": "Wait",
        },
        "Wait": {"Type": "Wait", "Seconds": 86400, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}

TASKS = """
TASKS = {"arn:aws:lambda:us-east-1:123456789012:function:get": lambda event, context: {"got": event["id"]}}
"""

REGISTER = """
def register(aws):
    aws.dynamodb.create_table(TableName="Things", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                              BillingMode="PAY_PER_REQUEST")

    @aws.stepfunctions.task("arn:aws:lambda:us-east-1:123456789012:function:get")
    def get(event, context):
        aws.dynamodb.put_item(TableName="Things", Item={"id": {"S": str(event["id"])}})
        return aws.dynamodb.get_item(TableName="Things", Key={"id": {"S": str(event["id"])}})["Item"]
"""


def test_run_prints_timeline_and_output(tmp_path, capsys):
    d = tmp_path / "flow.json"
    d.write_text(json.dumps(DEFINITION))
    t = tmp_path / "tasks.py"
    t.write_text(TASKS)
    assert main(["run", str(d), "--input", '{"id": 7}', "--tasks", str(t)]) == 0
    out = capsys.readouterr().out
    assert "LambdaFunctionSucceeded" in out and "+24.00h" in out
    assert "status: SUCCEEDED" in out and '"got": 7' in out


def test_run_with_register_and_dynamodb(tmp_path, capsys):
    d = tmp_path / "flow.json"
    d.write_text(json.dumps(DEFINITION))
    t = tmp_path / "reg.py"
    t.write_text(REGISTER)
    assert main(["run", str(d), "--input", '{"id": "k"}', "--tasks", str(t), "--no-timeline"]) == 0
    out = capsys.readouterr().out
    assert '"S": "k"' in out and "ExecutionStarted" not in out


def test_run_failure_exit_status(tmp_path, capsys):
    d = tmp_path / "flow.json"
    d.write_text(json.dumps(DEFINITION))
    assert main(["run", str(d)]) == 1
    out = capsys.readouterr().out
    assert "status: FAILED" in out and "Lambda.ResourceNotFoundException" in out


def test_run_invalid_definition(tmp_path, capsys):
    d = tmp_path / "bad.json"
    d.write_text(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}))
    assert main(["run", str(d)]) == 2
    assert "InvalidDefinition" in capsys.readouterr().err


def test_validate(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(DEFINITION))
    assert main(["validate", str(good)]) == 0
    assert "result: OK" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}))
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "ERROR MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next" in out
    assert "result: FAIL" in out


def test_demo(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for step in ("1. DynamoDB", "2. Step Functions", "3. Create", "4. History"):
        assert step in out
    assert "table after: 0 item(s)" in out
    assert "status SUCCEEDED: 25 h of workflow time" in out


def test_history_helper_follows_next_token():
    """The run/demo timeline reads every page of a history longer than one page (1,000 events)."""
    import json as _json

    import emulator
    from emulator.stepfunctions.run_command import history

    aws = emulator.Emulator()
    sfn = aws.stepfunctions
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(600)}
    states["S600"] = {"Type": "Succeed"}
    arn = sfn.create_state_machine(
        name="long",
        definition=_json.dumps({"StartAt": "S0", "States": states}),
        roleArn="arn:aws:iam::123456789012:role/r",
    )["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    events = history(sfn, ex)
    assert len(events) > 1000
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
