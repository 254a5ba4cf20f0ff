"""DynamoDB's HTTP front end around the operations (docs/rules/dynamodb.md W12-W15): the health
line of ``GET /``, the 404s, the content type of the front end's own JSON errors, and large
answers sent with chunked transfer encoding. Raw HTTP through ``http.client`` and sockets, then
boto3 and the AWS CLI reading a chunked answer."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import zlib

import boto3
import pytest
from botocore.config import Config

import emulator
from emulator.wire.awsjson import STREAMED_OVER
from emulator.wire.server import EmulatorServer

JSON10 = "application/x-amz-json-1.0"
REQUEST_ID = re.compile(r"^[0-9A-Z]{52}$")
NOT_FOUND = b"<UnknownOperationException/>\n"
PAGE_NOT_FOUND = (
    b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
    b'<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n'
    b"<head>\n  <title>Page Not Found</title>\n</head>\n<body>Page Not Found</body>\n</html>"
)
UNKNOWN_OPERATION = b'{"__type":"com.amazon.coral.service#UnknownOperationException"}'
SERIALIZATION = b'{"__type":"com.amazon.coral.service#SerializationException"}'
HASH = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}


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


def request(server, method, path="/", body=None, headers=None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp, data


def raw(server, data: bytes) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def assert_front_end_headers(resp, body):
    """W13: the front end's own answers carry a request id and the CRC32 of their body."""
    assert REQUEST_ID.match(resp.getheader("x-amzn-RequestId"))
    assert resp.getheader("x-amz-crc32") == str(zlib.crc32(body))
    assert resp.getheader("Content-Length") == str(len(body))


# --- W12: the health line ---------------------------------------------------------------------------


def test_health_line_names_the_host_and_port_the_client_called(server, world):
    resp, body = request(server, "GET")
    assert resp.status == 200
    assert body == f"healthy: {server.host}:{server.port} ".encode()  # trailing space kept
    assert_front_end_headers(resp, body)


def test_health_line_on_aws_endpoint_name_matches_the_aws_capture(server, world):
    """AWS, 2019-09-18: 42 bytes, x-amz-crc32 1920725165 for dynamodb.us-west-2.amazonaws.com."""
    resp, body = request(server, "GET", headers={"Host": "dynamodb.us-west-2.amazonaws.com"})
    assert (resp.status, body) == (200, b"healthy: dynamodb.us-west-2.amazonaws.com ")
    assert resp.getheader("x-amz-crc32") == "1920725165"
    assert resp.getheader("Content-Length") == "42"


def test_health_line_without_a_host_header_names_the_regional_endpoint(server, world):
    answer = raw(server, b"GET / HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.endswith(b"\r\n\r\nhealthy: dynamodb.us-east-1.amazonaws.com ")


def test_health_line_answers_without_an_emulator_attached(server):
    resp, body = request(server, "GET")
    assert resp.status == 200 and body.startswith(b"healthy: ")
    assert_front_end_headers(resp, body)


@pytest.mark.parametrize("path", ["/abc", "/-", "/index.htm", "/health", "//"])
def test_health_answers_only_on_the_root_path(server, world, path):
    resp, body = request(server, "GET", path)
    assert (resp.status, body) == (404, PAGE_NOT_FOUND)
    assert resp.getheader("x-amz-crc32") == "2548615100"
    assert_front_end_headers(resp, body)


def test_a_query_string_on_the_root_path_is_still_the_root(server, world):
    resp, body = request(server, "GET", "/?probe=1")
    assert resp.status == 200 and body.startswith(b"healthy: ")


# --- W13: the 404 of a request that is not a JSON POST ----------------------------------------------


@pytest.mark.parametrize(
    "method, body, content_type",
    [
        ("PUT", None, None),
        ("DELETE", None, None),
        ("OPTIONS", None, None),
        ("POST", b"hi", None),
        ("POST", b"hi", "whatever"),
        ("POST", b"hi", "application/x-amz-json-1.1"),
        ("POST", b"hi", "application/jsonasdf"),
    ],
)
def test_not_a_json_post_is_404_with_request_id_and_crc32(server, world, method, body, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    resp, data = request(server, method, body=body, headers=headers)
    assert (resp.status, data) == (404, NOT_FOUND)
    assert resp.getheader("x-amz-crc32") == "3552371480"
    assert_front_end_headers(resp, data)


# --- W14: the content type of the front end's JSON errors -------------------------------------------


@pytest.mark.parametrize(
    "headers, body, reply_type",
    [
        ({}, None, "application/json"),  # no target, no body, no content type
        ({"X-Amz-Target": "whatever"}, None, "application/json"),
        ({"X-Amz-Target": "DynamoDB_20120810.ListTable"}, None, "application/json"),
        ({"Content-Type": "application/json"}, b"{}", "application/json"),
        ({"Content-Type": "application/json;charset=asfdsaf"}, b"{}", "application/json"),
        ({"Content-Type": JSON10}, b"{}", JSON10),
    ],
)
def test_unknown_operation_answers_in_the_requests_content_type(server, world, headers, body, reply_type):
    resp, data = request(server, "POST", body=body, headers=headers)
    assert (resp.status, data) == (400, UNKNOWN_OPERATION)
    assert resp.getheader("Content-Type") == reply_type
    assert resp.getheader("x-amz-crc32") == "1368724161"
    assert REQUEST_ID.match(resp.getheader("x-amzn-RequestId"))


@pytest.mark.parametrize(
    "content_type, reply_type",
    [
        ("application/json", "application/json"),
        ("  application/json  ;   asfd", "application/json"),
        ("application/x-amz-json-1.0;blahblah", JSON10),
    ],
)
def test_serialization_error_answers_in_the_requests_content_type(server, world, content_type, reply_type):
    resp, data = request(server, "POST", body=b"hi", headers={"Content-Type": content_type})
    assert (resp.status, data) == (400, SERIALIZATION)
    assert resp.getheader("Content-Type") == reply_type
    assert resp.getheader("x-amz-crc32") == "3948637019"


def test_step_functions_answers_keep_json_10_when_the_request_names_no_type(server, world):
    resp, data = request(server, "POST", headers={"X-Amz-Target": "AWSStepFunctions.ListActivities"})
    assert resp.status == 400 and resp.getheader("Content-Type") == JSON10
    assert json.loads(data)["__type"].endswith("#SerializationException")
    assert resp.getheader("x-amz-crc32") is None  # Step Functions sends no CRC32


# --- W15: answers over 1 MB are sent chunked --------------------------------------------------------


def big_table(world, items: int = 11) -> bytes:
    """A table of ``items`` items of 100 KB, and the BatchGetItem request that reads them all
    (one answer, no page limit: 11 items pass 1 MB, 10 stay under it)."""
    ddb = world.dynamodb
    ddb.create_table(TableName="big", **HASH)
    for i in range(items):
        ddb.put_item(TableName="big", Item={"id": {"S": f"{i:02d}"}, "v": {"S": "x" * 100_000}})
    keys = [{"id": {"S": f"{i:02d}"}} for i in range(items)]
    return json.dumps({"RequestItems": {"big": {"Keys": keys}}}).encode()


def batch_get(server, body: bytes, version: str = "HTTP/1.1") -> tuple[bytes, bytes]:
    """(head, body) of a BatchGetItem answer read from a raw socket."""
    answer = raw(
        server,
        f"POST / {version}\r\nHost: h\r\nX-Amz-Target: DynamoDB_20120810.BatchGetItem\r\n"
        f"Content-Type: {JSON10}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body,
    )
    head, _, rest = answer.partition(b"\r\n\r\n")
    return head, rest


def found(answer: bytes) -> int:
    return len(json.loads(answer)["Responses"]["big"])


def test_an_answer_over_1_mb_is_chunked_and_its_crc32_covers_the_whole_body(server, world):
    request_body = big_table(world)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    target = {"X-Amz-Target": "DynamoDB_20120810.BatchGetItem", "Content-Type": JSON10}
    conn.request("POST", "/", body=request_body, headers=target)
    resp = conn.getresponse()
    body = resp.read()
    assert resp.status == 200 and len(body) > STREAMED_OVER and found(body) == 11
    assert resp.getheader("Transfer-Encoding") == "chunked" and resp.getheader("Content-Length") is None
    assert resp.getheader("x-amz-crc32") == str(zlib.crc32(body))
    conn.request("POST", "/", body=b"{}", headers={**target, "X-Amz-Target": "DynamoDB_20120810.ListTables"})
    small = conn.getresponse()  # the connection survives the chunked answer
    assert (small.status, small.read()) == (200, b'{"TableNames":["big"]}')
    assert small.getheader("Content-Length") == "22"


def test_a_chunked_answer_is_framed_as_http_1_1_says(server, world):
    head, body = batch_get(server, big_table(world))
    assert b"\r\nTransfer-Encoding: chunked" in head and b"Content-Length" not in head
    decoded, rest = b"", body
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        decoded, rest = decoded + rest[:size], rest[size:]
        assert rest.startswith(b"\r\n")
        rest = rest[2:]
        if size == 0:
            break
    assert rest == b"" and found(decoded) == 11


def test_an_answer_of_at_most_1_mb_has_a_content_length(server, world):
    head, body = batch_get(server, big_table(world, items=10))
    assert len(body) <= STREAMED_OVER and found(body) == 10
    assert f"Content-Length: {len(body)}".encode() in head and b"Transfer-Encoding" not in head


def test_an_http_1_0_client_gets_a_large_answer_with_a_content_length(server, world):
    head, body = batch_get(server, big_table(world), "HTTP/1.0")
    assert f"Content-Length: {len(body)}".encode() in head and b"Transfer-Encoding" not in head
    assert found(body) == 11


def client(server):
    return boto3.client(
        "dynamodb",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="any",
        aws_secret_access_key="thing",
        config=Config(retries={"total_max_attempts": 1}),
    )


def test_boto3_reads_a_chunked_answer_and_checks_its_crc32(server, world):
    keys = json.loads(big_table(world))["RequestItems"]["big"]["Keys"]
    answer = client(server).batch_get_item(RequestItems={"big": {"Keys": keys}})
    assert len(answer["Responses"]["big"]) == 11 and answer["UnprocessedKeys"] == {}
    assert answer["ResponseMetadata"]["HTTPHeaders"]["transfer-encoding"] == "chunked"


@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")
def test_aws_cli_reads_a_chunked_answer(server, world, tmp_path):
    request_file = tmp_path / "keys.json"
    request_file.write_bytes(json.dumps(json.loads(big_table(world))["RequestItems"]).encode())
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID="x",
        AWS_SECRET_ACCESS_KEY="y",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_PAGER="",
    )
    done = subprocess.run(
        [
            "aws",
            "dynamodb",
            "batch-get-item",
            "--request-items",
            f"file://{request_file}",
            "--endpoint-url",
            server.endpoint_url,
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert found(done.stdout.encode()) == 11
