"""The HTTP door: ``EmulatorServer`` and ``emulator serve`` (loopback only, bounded sizes and times)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib

import boto3
import pytest
from botocore.config import Config

import emulator
from emulator.wire.awsjson import MAX_REQUEST_BYTES
from emulator.wire.server import EmulatorServer

JSON10 = "application/x-amz-json-1.0"
ROLE = "arn:aws:iam::123456789012:role/r"
HASH = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def server():
    srv = EmulatorServer(None, port=0).start()
    yield srv
    srv.stop()


@pytest.fixture
def world(server):
    w = emulator.Emulator()
    server.world = w
    yield w
    server.world = None
    w.close()


def connect(server):
    return http.client.HTTPConnection(server.host, server.port, timeout=10)


def post(conn, target, body, content_type=JSON10, headers=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    conn.request(
        "POST",
        "/",
        body=raw,
        headers={"X-Amz-Target": target, "Content-Type": content_type, **(headers or {})},
    )
    resp = conn.getresponse()
    return resp, resp.read()


def client(server, service="dynamodb", **config):
    return boto3.client(
        service,
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="any",
        aws_secret_access_key="thing",
        config=Config(**config),
    )


# --- raw HTTP -------------------------------------------------------------------------------------


def test_get_is_a_health_answer(server, world):
    conn = connect(server)
    conn.request("GET", "/")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, f"healthy: {server.host}:{server.port} ".encode())  # W12


def test_post_answers_json_10_with_request_id_and_crc32(server, world):
    resp, body = post(connect(server), "DynamoDB_20120810.ListTables", {})
    assert resp.status == 200 and body == b'{"TableNames":[]}'
    assert resp.getheader("Content-Type") == JSON10
    assert resp.getheader("x-amz-crc32") == str(zlib.crc32(body))
    assert len(resp.getheader("x-amzn-RequestId")) == 52


def test_error_envelope_over_http(server, world):
    resp, body = post(connect(server), "DynamoDB_20120810.DescribeTable", {"TableName": "nope"})
    assert resp.status == 400
    assert json.loads(body) == {
        "__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
        "message": "Requested resource not found: Table: nope not found",
    }


def test_keep_alive_reuses_one_connection(server, world):
    conn = connect(server)
    post(conn, "DynamoDB_20120810.ListTables", {})
    sock = conn.sock
    for _ in range(3):
        resp, _ = post(conn, "DynamoDB_20120810.ListTables", {})
        assert resp.status == 200 and resp.version == 11
    assert conn.sock is sock


def test_non_post_and_foreign_content_type_get_dynamodbs_404(server, world):
    conn = connect(server)
    conn.request("PUT", "/", body=b"{}")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (404, b"<UnknownOperationException/>\n")
    resp, body = post(conn, "DynamoDB_20120810.ListTables", b"{}", content_type="text/plain")
    assert (resp.status, body) == (404, b"<UnknownOperationException/>\n")


def test_application_json_is_accepted(server, world):
    resp, body = post(connect(server), "DynamoDB_20120810.ListTables", {}, content_type="application/json")
    assert resp.status == 200 and resp.getheader("Content-Type") == "application/json"


def test_over_16_mb_is_refused_with_413_and_the_connection_survives(server, world):
    conn = connect(server)
    big = b'{"TableName": "' + b"x" * (MAX_REQUEST_BYTES + 10) + b'"}'
    resp, body = post(conn, "DynamoDB_20120810.ListTables", big)
    assert (resp.status, body) == (413, b"")
    resp, _ = post(conn, "DynamoDB_20120810.ListTables", {})
    assert resp.status == 200


def test_chunked_request_body(server, world):
    conn = connect(server)
    conn.putrequest("POST", "/")
    for k, v in {
        "X-Amz-Target": "DynamoDB_20120810.ListTables",
        "Content-Type": JSON10,
        "Transfer-Encoding": "chunked",
    }.items():
        conn.putheader(k, v)
    conn.endheaders()
    conn.send(b"1\r\n{\r\n1\r\n}\r\n0\r\n\r\n")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b'{"TableNames":[]}')


def test_sync_host_prefix_and_any_signature_are_accepted(server, world):
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "done", "End": True}}}
    arn = world.stepfunctions.create_state_machine(
        name="m", definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS"
    )["stateMachineArn"]
    resp, body = post(
        connect(server),
        "AWSStepFunctions.StartSyncExecution",
        {"stateMachineArn": arn},
        headers={
            "Host": f"sync-states.us-east-1.amazonaws.com:{server.port}",
            "Authorization": "AWS4-HMAC-SHA256 Credential=x/y, Signature=bogus",
        },
    )
    assert resp.status == 200
    assert json.loads(body)["status"] == "SUCCEEDED" and json.loads(body)["output"] == '"done"'


def test_no_world_attached_is_503(server):
    server.world = None
    resp, _ = post(connect(server), "DynamoDB_20120810.ListTables", {})
    assert resp.status == 503


def _raw(server, data: bytes) -> bytes:
    """Send raw bytes on a fresh connection; everything the server answers until it closes."""
    import socket

    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _request(target: str, body: bytes, *extra: str, version: str = "HTTP/1.1") -> bytes:
    lines = [
        f"POST / {version}",
        "Host: x",
        f"x-amz-target: {target}",
        f"content-type: {JSON10}",
        f"content-length: {len(body)}",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_connection_close_and_http_10_close_after_the_answer(server, world):
    for data in (
        _request("DynamoDB_20120810.ListTables", b"{}", "Connection: close"),
        _request("DynamoDB_20120810.ListTables", b"{}", version="HTTP/1.0"),
    ):
        answer = _raw(server, data)  # returns only because the server closed the connection
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and b"\r\nConnection: close\r\n" in answer
        assert answer.endswith(b'{"TableNames":[]}')


def test_pipelined_requests_on_one_connection_get_answers_in_order(server, world):
    two = _request("DynamoDB_20120810.ListTables", b"{}") + _request(
        "DynamoDB_20120810.DescribeTable", b'{"TableName": "nope"}', "Connection: close"
    )
    answer = _raw(server, two)
    assert answer.count(b"HTTP/1.1 ") == 2
    assert answer.index(b"HTTP/1.1 200") < answer.index(b"HTTP/1.1 400")


def test_expect_100_continue_is_answered(server, world):
    answer = _raw(
        server, _request("DynamoDB_20120810.ListTables", b"{}", "Expect: 100-continue", "Connection: close")
    )
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")


def test_a_malformed_request_line_is_400_and_closes(server, world):
    assert _raw(server, b"NONSENSE\r\n\r\n").startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert _raw(server, b"POST / HTTP/1.1\r\nno colon here\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def test_get_with_a_body_leaves_the_connection_usable(server, world):
    conn = connect(server)
    conn.request("GET", "/", body=b"ignored")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.read().startswith(b"healthy")
    resp, body = post(conn, "DynamoDB_20120810.ListTables", {})
    assert (resp.status, body) == (200, b'{"TableNames":[]}')


# --- boto3 over HTTP --------------------------------------------------------------------------------


def test_boto3_over_http_round_trips_binary_and_errors(server, world):
    ddb = client(server)
    ddb.create_table(TableName="tbl", **HASH)
    ddb.put_item(TableName="tbl", Item={"id": {"S": "a"}, "b": {"B": b"\x00\xff"}, "n": {"N": "1.50"}})
    assert ddb.get_item(TableName="tbl", Key={"id": {"S": "a"}})["Item"] == {
        "id": {"S": "a"},
        "b": {"B": b"\x00\xff"},
        "n": {"N": "1.5"},
    }
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException) as e:
        ddb.put_item(
            TableName="tbl",
            Item={"id": {"S": "a"}},
            ConditionExpression="attribute_not_exists(id)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert e.value.response["Error"]["Message"] == "The conditional request failed"
    assert e.value.response["Item"] == {"id": {"S": "a"}, "b": {"B": b"\x00\xff"}, "n": {"N": "1.5"}}


def test_step_functions_sync_execution_with_boto3(server, world):
    sfn = client(server, "stepfunctions", inject_host_prefix=False)
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS")[
        "stateMachineArn"
    ]
    assert sfn.start_sync_execution(stateMachineArn=arn, input='{"a": 1}')["output"] == '{"a":1}'


def test_step_functions_sync_execution_with_the_documented_environment_switch(server, world, monkeypatch):
    """README: clients one cannot configure (the AWS CLI) use AWS_DISABLE_HOST_PREFIX_INJECTION."""
    from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES as variables  # sic

    if "disable_host_prefix_injection" not in variables:
        pytest.skip("this botocore predates AWS_DISABLE_HOST_PREFIX_INJECTION")
    monkeypatch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    sfn = boto3.client(
        "stepfunctions",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="b",
    )
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS")[
        "stateMachineArn"
    ]
    assert sfn.start_sync_execution(stateMachineArn=arn, input='{"a": 1}')["status"] == "SUCCEEDED"


def test_eight_threads_of_conditional_increments_lose_nothing(server, world):
    threads, per_thread = 8, 25
    ddb = client(server, max_pool_connections=threads, retries={"total_max_attempts": 1})
    ddb.create_table(TableName="counters", **HASH)
    ddb.put_item(TableName="counters", Item={"id": {"S": "shared"}, "n": {"N": "0"}})
    failures: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            for _ in range(per_thread):
                for key in ("shared", f"own-{i}"):
                    ddb.update_item(
                        TableName="counters",
                        Key={"id": {"S": key}},
                        UpdateExpression="SET n = if_not_exists(n, :zero) + :one",
                        ConditionExpression="attribute_not_exists(id) OR n >= :zero",
                        ExpressionAttributeValues={":zero": {"N": "0"}, ":one": {"N": "1"}},
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=60)  # a guard against a hang, not a measurement
    assert failures == [] and not any(t.is_alive() for t in pool)
    items = {i["id"]["S"]: i["n"]["N"] for i in ddb.scan(TableName="counters")["Items"]}
    assert items == {
        "shared": str(threads * per_thread),
        **{f"own-{i}": str(per_thread) for i in range(threads)},
    }


# --- emulator serve -------------------------------------------------------------------------------


def start_serve(*args):
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    line = proc.stdout.readline()
    assert "http://127.0.0.1:" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
    url = line.split(" on ", 1)[1].split(" ", 1)[0]
    return proc, url


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_starts_answers_and_stops_cleanly_on_signals(sig):
    proc, url = start_serve()
    try:
        host, port = url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        resp, body = post(conn, "DynamoDB_20120810.ListTables", {})
        assert resp.status == 200 and body == b'{"TableNames":[]}'
        conn.close()
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_serve_uses_the_system_clock_by_default():
    proc, url = start_serve("--region", "eu-west-1")
    try:
        ddb = boto3.client(
            "dynamodb",
            endpoint_url=url,
            region_name="eu-west-1",
            aws_access_key_id="a",
            aws_secret_access_key="b",
        )
        before = time.time()
        desc = ddb.create_table(TableName="tbl", **HASH)["TableDescription"]
        after = time.time()
        assert before - 1 <= desc["CreationDateTime"].timestamp() <= after + 1  # the wall clock's now
        assert desc["TableArn"].startswith("arn:aws:dynamodb:eu-west-1:")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)


def test_cli_help_lists_serve():
    out = subprocess.run(
        [sys.executable, "-m", "emulator", "serve", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=30,
    ).stdout
    assert "--port" in out and "--clock" in out and "--host" in out


@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")
def test_aws_cli_works_against_the_server(server, world):
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID="x",
        AWS_SECRET_ACCESS_KEY="y",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_PAGER="",
    )

    def aws(*args):
        done = subprocess.run(
            ["aws", "dynamodb", *args, "--endpoint-url", server.endpoint_url, "--output", "json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    aws(
        "create-table",
        "--table-name",
        "cli",
        "--attribute-definitions",
        "AttributeName=id,AttributeType=S",
        "--key-schema",
        "AttributeName=id,KeyType=HASH",
        "--billing-mode",
        "PAY_PER_REQUEST",
    )
    aws("put-item", "--table-name", "cli", "--item", '{"id": {"S": "1"}, "v": {"N": "42"}}')
    assert aws("get-item", "--table-name", "cli", "--key", '{"id": {"S": "1"}}')["Item"]["v"] == {"N": "42"}
    assert aws("list-tables")["TableNames"] == ["cli"]


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_refuses_a_port_outside_0_to_65535_as_a_usage_error(port, capsys):
    from emulator.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", port])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --port: invalid port" in err and "Traceback" not in err


def test_serve_reports_a_host_it_cannot_bind_without_a_traceback(capsys):
    from emulator.cli import main

    assert main(["serve", "--host", "no-such-host.invalid", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("emulator serve: cannot listen on no-such-host.invalid:0: ")


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
@pytest.mark.parametrize("host", ["::1", "::"])
def test_server_binds_an_ipv6_host(host):
    with EmulatorServer(emulator.Emulator(), host=host, port=0) as srv:
        assert srv.endpoint_url == f"http://[::1]:{srv.port}"
        ddb = boto3.client(
            "dynamodb",
            endpoint_url=srv.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="a",
            aws_secret_access_key="b",
        )
        assert ddb.list_tables()["TableNames"] == []


def test_serve_without_botocore_refuses_to_start_instead_of_answering_500s(monkeypatch, capsys):
    """The server reads botocore's bundled service models; without them it must not listen."""
    import importlib.util

    from emulator.cli import main

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "botocore" else real_find_spec(name, *a)
    )
    assert main(["serve", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "emulator serve: the HTTP server reads the AWS service models bundled with botocore"
    )


def test_botocore_is_a_runtime_dependency():
    """`pip install emulator` must bring what `emulator serve` needs (not only the test extra)."""
    import re

    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    assert any(re.match(r"botocore\b", dep) for dep in project["dependencies"])
