"""Usage reports (``aws.dynamodb.usage()``, ``aws.stepfunctions.usage()``) through their doors: the
native method, the control route ``GET /_emulator/usage`` and ``emulator report``. DynamoDB counts
come from the capacity model and equal what ReturnConsumedCapacity reports; Step Functions counts
come from the executions' histories; costs use ``emulator/pricing.py``."""

from __future__ import annotations

import argparse
import http.client
import json

import pytest

import emulator
from emulator import pricing, report_command
from emulator.usage import UsageReport
from emulator.wire.server import EmulatorServer

ROLE = "arn:aws:iam::123456789012:role/r"


def _orders(ddb, provisioned=False):
    kwargs: dict = {"BillingMode": "PAY_PER_REQUEST"}
    if provisioned:
        kwargs = {"ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}}
    ddb.create_table(
        TableName="Orders",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byG",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
                **(
                    {"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}
                    if provisioned
                    else {}
                ),
            }
        ],
        **kwargs,
    )


def _workload(ddb) -> tuple[float, float]:
    """A few writes and reads; returns the (read, write) units their ConsumedCapacity reported."""
    read = write = 0.0
    for i in range(6):
        item = {
            "pk": {"S": "hot" if i % 2 else f"c{i}"},
            "sk": {"N": str(i)},
            "g": {"S": "x"},
            "pad": {"S": "y" * 1500},
        }
        write += ddb.put_item(TableName="Orders", Item=item, ReturnConsumedCapacity="TOTAL")[
            "ConsumedCapacity"
        ]["CapacityUnits"]
    write += ddb.update_item(
        TableName="Orders",
        Key={"pk": {"S": "hot"}, "sk": {"N": "1"}},
        UpdateExpression="SET n = :n",
        ExpressionAttributeValues={":n": {"N": "1"}},
        ReturnConsumedCapacity="TOTAL",
    )["ConsumedCapacity"]["CapacityUnits"]
    read += ddb.get_item(
        TableName="Orders", Key={"pk": {"S": "hot"}, "sk": {"N": "1"}}, ReturnConsumedCapacity="TOTAL"
    )["ConsumedCapacity"]["CapacityUnits"]
    read += ddb.query(
        TableName="Orders",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "hot"}},
        ReturnConsumedCapacity="TOTAL",
    )["ConsumedCapacity"]["CapacityUnits"]
    return read, write


def test_dynamodb_usage_counts_what_consumed_capacity_reports():
    aws = emulator.Emulator(capacity="track")
    _orders(aws.dynamodb)
    read, write = _workload(aws.dynamodb)
    report = aws.dynamodb.usage()
    table, index = report["Orders"], report["Orders/byG"]
    assert table["consumed_rcu"] + index["consumed_rcu"] == read
    assert table["consumed_wcu"] + index["consumed_wcu"] == write  # the GSI's share is the index's row
    assert index["consumed_wcu"] == 7  # one KEYS_ONLY entry per put, and the update in place (RC3)
    assert table["items"] == 6 and index["items"] == 6
    assert table["hot_key_units"][0]["key"] == "S:hot"
    assert table["throttled_requests"] == 0


def test_dynamodb_usage_estimates_both_billing_modes_from_the_clock_window():
    aws = emulator.Emulator(capacity="track")
    _orders(aws.dynamodb)
    _read, _write = _workload(aws.dynamodb)
    aws.clock.advance(seconds=9)
    row = aws.dynamodb.usage()["Orders"]
    p = pricing.DYNAMODB
    scale = pricing.SECONDS_PER_MONTH / row["window_seconds"]
    storage = (row["size_bytes"] + 100 * row["items"]) / 1024**3 * p["storage_gb_month"]
    on_demand = (
        row["consumed_rcu"] * p["read_request_unit"] + row["consumed_wcu"] * p["write_request_unit"]
    ) * scale
    assert row["monthly_on_demand_usd"] == pytest.approx(on_demand + storage, abs=1e-4)
    provisioned = (
        row["peak_rcu_per_second"] * p["rcu_hour"] + row["peak_wcu_per_second"] * p["wcu_hour"]
    ) * 730
    assert row["monthly_provisioned_usd"] == pytest.approx(provisioned + storage, abs=1e-4)


def test_dynamodb_usage_without_the_model_reports_items_and_storage_only():
    aws = emulator.Emulator()
    _orders(aws.dynamodb)
    _workload(aws.dynamodb)
    report = aws.dynamodb.usage()
    assert report.meta["capacity"] == "off"
    assert report["Orders"]["items"] == 6
    assert "consumed_wcu" not in report["Orders"]


def test_report_prints_as_a_table_and_round_trips_through_json():
    aws = emulator.Emulator(capacity="enforce")
    _orders(aws.dynamodb, provisioned=True)
    _workload(aws.dynamodb)
    report = aws.dynamodb.usage()
    text = str(report)
    assert text.splitlines()[0].startswith("dynamodb usage")
    assert "Orders/byG" in text and "$/month on-demand" in text
    again = UsageReport.from_dict(json.loads(report.to_json()))
    assert again.rows == json.loads(report.to_json())["resources"]
    assert str(again) == text


def _machine(sfn, name, definition, type_="STANDARD"):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE, type=type_)[
        "stateMachineArn"
    ]


def test_stepfunctions_usage_counts_transitions_and_retries():
    aws = emulator.Emulator()
    sfn = aws.stepfunctions
    calls = []

    @sfn.task("arn:aws:lambda:us-east-1:123456789012:function:flaky")
    def flaky(event, context):
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("again")
        return event

    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Pass", "Next": "T"},
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky",
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3}],
                "End": True,
            },
        },
    }
    arn = _machine(sfn, "Flaky", definition)
    sfn.start_execution(stateMachineArn=arn)
    row = sfn.usage()["Flaky"]
    assert row["executions"] == 1
    assert row["state_transitions"] == 4  # two states entered, two retries
    assert row["cost_usd"] == pytest.approx(4 * pricing.STEPFUNCTIONS["state_transition"])


def test_stepfunctions_usage_bills_express_duration_in_100_ms_and_64_mb():
    aws = emulator.Emulator()
    sfn = aws.stepfunctions
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 2, "End": True}}}
    arn = _machine(sfn, "Quick", definition, "EXPRESS")
    for _ in range(3):
        sfn.start_execution(stateMachineArn=arn)
    row = sfn.usage()["Quick"]
    assert row["express_requests"] == 3
    assert row["express_gb_seconds"] == pytest.approx(3 * 2.0 * 64 / 1024)
    p = pricing.STEPFUNCTIONS
    assert row["cost_usd"] == pytest.approx(
        3 * p["express_request"] + 3 * 0.125 * p["express_gb_second"], rel=1e-6
    )


@pytest.fixture
def served():
    world = emulator.Emulator(capacity="track")
    _orders(world.dynamodb)
    _workload(world.dynamodb)
    _machine(world.stepfunctions, "Idle", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    with EmulatorServer(world, port=0) as srv:
        yield srv


def test_usage_route_answers_every_report_as_json(served):
    conn = http.client.HTTPConnection(served.host, served.port, timeout=5)
    try:
        conn.request("GET", "/_emulator/usage?service=dynamodb")
        response = conn.getresponse()
        body = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 200
    [report] = body["reports"]
    assert report["service"] == "dynamodb"
    assert {r["name"] for r in report["resources"]} == {"Orders", "Orders/byG"}


def test_emulator_report_prints_a_servers_reports(served, capsys):
    args = argparse.Namespace(endpoint=served.endpoint_url, json=False, service=None)
    assert report_command.run(args) == 0
    out = capsys.readouterr().out
    assert "dynamodb usage" in out and "stepfunctions usage" in out and "Idle" in out
    args.json = True
    assert report_command.run(args) == 0
    assert [r["service"] for r in json.loads(capsys.readouterr().out)["reports"]] == [
        "dynamodb",
        "stepfunctions",
    ]


def test_emulator_report_says_when_no_server_answers(capsys):
    args = argparse.Namespace(endpoint="http://127.0.0.1:9", json=False, service=None)
    assert report_command.run(args) == 1
    assert "cannot read" in capsys.readouterr().err


def test_emulator_serve_takes_the_capacity_model():
    from emulator.cli import build_parser
    from emulator.wire.serve_command import _world

    args = build_parser(["serve"]).parse_args(["serve", "--capacity", "enforce", "--clock", "virtual"])
    world = _world(emulator.Emulator, args)
    assert world.service("dynamodb").capacity.enforce
    plain = _world(emulator.Emulator, build_parser(["serve"]).parse_args(["serve", "--clock", "virtual"]))
    assert plain.service("dynamodb").capacity is None


def test_express_duration_is_rounded_up_to_100_ms_steps():
    from emulator.stepfunctions.usage import express_steps

    assert [express_steps(0.0, d) for d in (0.0, 0.05, 0.1, 0.3, 2.0, 2.05)] == [1, 1, 1, 3, 20, 21]


def test_stepfunctions_usage_outlives_the_retention_of_standard_executions():
    aws = emulator.Emulator()
    sfn = aws.stepfunctions
    arn = _machine(sfn, "Kept", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    sfn.start_execution(stateMachineArn=arn)
    aws.clock.advance(days=91)  # past the 90 days a closed Standard execution stays listed
    sfn.start_execution(stateMachineArn=arn)  # (a start sweeps the forgotten ones out)
    row = sfn.usage()["Kept"]
    assert (row["executions"], row["state_transitions"]) == (2, 2)
