"""Browsers and CORS (docs/rules/dynamodb.md CR1-CR4): the preflight ``OPTIONS`` and the
``Access-Control-*`` headers that let a page on another origin call ``emulator serve``, over raw
HTTP (``http.client``). The real-browser test is tests/wire/test_wire_browser.py."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys

import pytest

import emulator
from emulator.wire import cors
from emulator.wire.server import EmulatorServer

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = "http://localhost:3000"
SDK_PREFLIGHT = {
    "Origin": PAGE,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,"
    "x-amz-content-sha256,x-amz-date,x-amz-target,x-amz-user-agent",
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


def call(server, method, path="/", body=None, headers=None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


# --- CR1: the preflight ------------------------------------------------------------------------------


def test_a_preflight_is_answered_with_what_the_sdk_asks_for(server, world):
    status, headers, body = call(server, "OPTIONS", headers=SDK_PREFLIGHT)
    assert (status, body) == (200, b"")
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-allow-headers"] == SDK_PREFLIGHT["Access-Control-Request-Headers"]
    assert "POST" in headers["access-control-allow-methods"]
    assert headers["access-control-max-age"] == "172800"
    assert headers["content-length"] == "0"


def test_a_preflight_for_s3_is_answered_by_the_buckets_cors_configuration(server, world):
    """S3 answers by the bucket's rules (CR4; tests/wire/test_wire_s3_cors.py): a bucket a page
    calls is given a configuration, as on AWS."""
    world.s3.create_bucket(Bucket="bucket")
    methods = ["GET", "PUT", "DELETE", "HEAD", "POST"]
    rules = [{"AllowedOrigins": ["*"], "AllowedMethods": methods, "AllowedHeaders": ["*"]}]
    world.s3.put_bucket_cors(Bucket="bucket", CORSConfiguration={"CORSRules": rules})
    status, headers, _ = call(
        server, "OPTIONS", "/bucket/key", headers={"Origin": PAGE, "Access-Control-Request-Method": "PUT"}
    )
    assert status == 200
    assert set(methods) == set(headers["access-control-allow-methods"].split(", "))


def test_a_preflight_may_ask_for_private_network_access(server, world):
    asked = {**SDK_PREFLIGHT, "Access-Control-Request-Private-Network": "true"}
    assert call(server, "OPTIONS", headers=asked)[1]["access-control-allow-private-network"] == "true"


def test_an_options_request_that_is_no_preflight_keeps_dynamodbs_404(server, world):
    assert call(server, "OPTIONS")[0] == 404


# --- CR2: the answers ----------------------------------------------------------------------------------


def test_an_answer_to_a_page_names_its_origin_and_exposes_the_sdks_headers(server, world):
    status, headers, _ = call(
        server,
        "POST",
        body=b"{}",
        headers={
            "Origin": PAGE,
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
        },
    )
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in headers["access-control-expose-headers"].split(",")}
    assert {"x-amzn-requestid", "x-amz-crc32", "x-amzn-errortype", "etag", "x-amz-request-id"} <= exposed


def test_errors_carry_the_cors_headers_too(server, world):
    status, headers, _ = call(
        server,
        "POST",
        body=b"{}",
        headers={
            "Origin": PAGE,
            "X-Amz-Target": "DynamoDB_20120810.Nope",
            "Content-Type": "application/x-amz-json-1.0",
        },
    )
    assert status == 400 and headers["access-control-allow-origin"] == "*"


def test_a_request_without_origin_gets_no_cors_headers(server, world):
    _, headers, _ = call(server, "GET")
    assert not any(name.startswith("access-control-") for name in headers)


# --- CR3: which origins -----------------------------------------------------------------------------


def test_named_origins_are_echoed_and_others_refused(world):
    with EmulatorServer(world, port=0, cors=[PAGE, "https://app.example"]) as srv:
        status, headers, _ = call(srv, "OPTIONS", headers=SDK_PREFLIGHT)
        assert (
            status == 200 and headers["access-control-allow-origin"] == PAGE and headers["vary"] == "Origin"
        )
        status, headers, _ = call(srv, "OPTIONS", headers={**SDK_PREFLIGHT, "Origin": "http://evil.example"})
        assert status == 403 and "access-control-allow-origin" not in headers
        _, headers, _ = call(srv, "GET", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in headers


def test_cors_can_be_turned_off(world):
    with EmulatorServer(world, port=0, cors=None) as srv:
        status, headers, _ = call(srv, "OPTIONS", headers=SDK_PREFLIGHT)
        assert status == 404 and "access-control-allow-origin" not in headers


def test_the_default_allows_any_origin_on_loopback_and_none_beyond():
    assert cors.policy_for("auto", loopback=True).allow("http://anything") == "*"
    assert cors.policy_for("auto", loopback=False) is None
    assert cors.policy_for(["none"], loopback=True) is None
    assert cors.policy_for(["*"], loopback=False).allow("http://x") == "*"
    assert cors.policy_for(["http://a/"], loopback=False).allow("http://a") == "http://a"


def test_serve_takes_cors_origins(world):
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--cors", PAGE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        url = proc.stdout.readline().split(" on ", 1)[1].split(" ", 1)[0]
        host, port = url.removeprefix("http://").split(":")
        address = type("Address", (), {"host": host, "port": int(port)})
        assert call(address, "OPTIONS", headers=SDK_PREFLIGHT)[1]["access-control-allow-origin"] == PAGE
        assert call(address, "OPTIONS", headers={**SDK_PREFLIGHT, "Origin": "http://other"})[0] == 403
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
