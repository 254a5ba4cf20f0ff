"""Logging: the HTTP door's request log (``emulator.http``: operation, table or ARN, status, error
code, latency at INFO; bodies at DEBUG) and executions' start and end (``emulator.stepfunctions``)."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from emulator import Emulator
from emulator.wire import request_log
from emulator.wire.server import EmulatorServer

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLE = "arn:aws:iam::123456789012:role/r"
TABLE = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


@pytest.fixture
def server():
    aws = Emulator()
    with EmulatorServer(aws, port=0) as srv:
        yield srv
    aws.close()


def _client(server, name="dynamodb"):
    return boto3.client(
        name,
        config=Config(inject_host_prefix=False),
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="y",
    )


def _http_records(caplog):
    request_log.drain()  # the drainer's work, now rather than within DRAIN_INTERVAL
    return [r for r in caplog.records if r.name == "emulator.http" and r.levelno == logging.INFO]


def test_each_request_logs_operation_table_status_and_latency(server, caplog):
    caplog.set_level(logging.INFO, logger="emulator")
    ddb = _client(server)
    ddb.create_table(TableName="Orders", **TABLE)
    ddb.put_item(TableName="Orders", Item={"id": {"S": "1"}})
    put = _http_records(caplog)[-1]
    assert (put.operation, put.resource, put.status, put.error_code) == ("PutItem", "Orders", 200, None)
    assert put.latency_ms >= 0
    assert put.getMessage().startswith("PutItem Orders 200 - ")
    assert put.getMessage().endswith("ms")


def test_an_error_answer_logs_its_code(server, caplog):
    caplog.set_level(logging.INFO, logger="emulator")
    with pytest.raises(ClientError):
        _client(server).get_item(TableName="Missing", Key={"id": {"S": "1"}})
    record = _http_records(caplog)[-1]
    assert (record.operation, record.resource, record.status) == ("GetItem", "Missing", 400)
    assert record.error_code == "ResourceNotFoundException"


def test_step_functions_requests_name_the_arn_and_executions_log_start_and_end(server, caplog):
    caplog.set_level(logging.INFO, logger="emulator")
    sfn = _client(server, "stepfunctions")
    definition = json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}})
    arn = sfn.create_state_machine(name="m", definition=definition, roleArn=ROLE, type="EXPRESS")[
        "stateMachineArn"
    ]
    run = sfn.start_sync_execution(stateMachineArn=arn)
    assert run["status"] == "FAILED"
    start = next(r for r in _http_records(caplog) if r.operation == "StartSyncExecution")
    assert start.resource == arn
    runs = [r.getMessage() for r in caplog.records if r.name == "emulator.stepfunctions"]
    assert runs[0] == f"execution started {run['executionArn']}"
    assert runs[1].startswith(f"execution FAILED {run['executionArn']} (")
    assert runs[1].endswith("error=Boom")


def test_control_and_s3_requests_log_method_and_path(server, caplog):
    caplog.set_level(logging.INFO, logger="emulator")
    _client(server, "s3").create_bucket(Bucket="logged-bucket")
    import http.client

    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    conn.request("GET", "/_emulator/info")
    conn.getresponse().read()
    conn.close()
    operations = [r.operation for r in _http_records(caplog)]
    assert "PUT /logged-bucket" in operations
    assert "GET /_emulator/info" in operations


def test_debug_adds_the_bodies_cut_short(server, caplog):
    caplog.set_level(logging.DEBUG, logger="emulator")
    ddb = _client(server)
    ddb.create_table(TableName="Orders", **TABLE)
    ddb.put_item(TableName="Orders", Item={"id": {"S": "1"}, "big": {"S": "x" * 5000}})
    request_log.drain()
    bodies = [
        r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG and r.name == "emulator.http"
    ]
    request = next(b for b in bodies if b.startswith("PutItem request: "))
    assert len(request) < 1100
    assert request.endswith(" bytes)")
    assert any(b.startswith("PutItem response: {") for b in bodies)


def test_above_info_nothing_is_logged_or_timed(server, caplog):
    caplog.set_level(logging.WARNING, logger="emulator")
    assert request_log.started() is None
    _client(server).list_tables()
    assert request_log.drain() == 0
    assert [r for r in caplog.records if r.name.startswith("emulator")] == []


def test_distributed_map_child_executions_log_at_debug_only(caplog):
    caplog.set_level(logging.INFO, logger="emulator")
    aws = Emulator()
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="dm", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    run = sfn.start_execution(stateMachineArn=arn, input=json.dumps([1, 2, 3]))
    assert sfn.describe_execution(executionArn=run["executionArn"])["status"] == "SUCCEEDED"
    messages = [r.getMessage() for r in caplog.records if r.name == "emulator.stepfunctions"]
    assert len(messages) == 2  # the parent's start and end; its three children only at DEBUG
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="emulator")
    sfn.start_execution(stateMachineArn=arn, input=json.dumps([1, 2, 3]))
    assert len([r for r in caplog.records if r.name == "emulator.stepfunctions"]) == 8


def test_serve_log_level_info_prints_one_line_per_request():
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--log-level", "info"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        line = proc.stdout.readline()
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        ddb = boto3.client(
            "dynamodb",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="y",
        )
        with pytest.raises(ClientError):
            ddb.describe_table(TableName="Nope")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert "INFO emulator.http: DescribeTable Nope 400 ResourceNotFoundException " in err


def test_serve_lines_go_to_its_own_handler_whole_with_a_records_text(monkeypatch):
    """When serve's buffered stderr handler is the only place the lines go, the drainer writes them
    in one piece, each line the text a record would have had; any other setup gets records."""
    from emulator import logs

    read_end, write_end = os.pipe()
    handler = logs._BufferedStderrHandler(write_end)
    handler.setFormatter(logs.Formatter(logs.FORMAT))
    parent = logging.getLogger("emulator")
    monkeypatch.setattr(parent, "handlers", [handler])
    monkeypatch.setattr(parent, "propagate", False)
    monkeypatch.setattr(parent, "level", logging.INFO)
    assert logs.direct_handler(request_log.logger) is handler
    created = 1_796_000_000.25
    request_log._pending.append(
        (
            created,
            "DynamoDB_20120810.PutItem",
            "POST / HTTP/1.1",
            b'{"TableName": "Orders"}',
            200,
            b"",
            0.5,
            False,
        )
    )
    assert request_log.drain() == 1
    handler.flush()
    record = logging.LogRecord(
        "emulator.http", logging.INFO, __file__, 0, "PutItem Orders 200 - 0.50ms", (), None
    )
    record.created, record.msecs = created, 250.0
    assert os.read(read_end, 4096).decode() == handler.formatter.format(record) + "\n"
    monkeypatch.setattr(parent, "propagate", True)  # the root logger has pytest's handler: records again
    assert logs.direct_handler(request_log.logger) is None
    os.close(read_end)
