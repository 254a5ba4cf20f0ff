"""S3 answers browsers by the bucket's CORS configuration (docs/rules/dynamodb.md CR4), over raw
HTTP (``http.client``): preflights on bucket and object paths and virtual hosts, the headers of
actual answers, S3's refusals, and the server-wide ``--cors`` policy as an outer gate. The
operations themselves are tests/s3/test_s3_bucket_cors.py."""

from __future__ import annotations

import http.client
from xml.etree import ElementTree as ET

import pytest

import emulator
from emulator.wire.server import EmulatorServer

PAGE = "http://localhost:3000"
SIGNED = {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}  # what makes a request S3's, as the SDK sends it
RULES = [
    {
        "AllowedOrigins": [PAGE, "http://*.example.com"],
        "AllowedMethods": ["GET", "PUT"],
        "AllowedHeaders": ["authorization", "x-amz-*", "content-type"],
        "ExposeHeaders": ["ETag", "x-amz-request-id"],
        "MaxAgeSeconds": 600,
    },
    {"AllowedOrigins": ["*"], "AllowedMethods": ["HEAD"]},
]


@pytest.fixture(scope="module")
def server():
    srv = EmulatorServer(None, port=0).start()
    yield srv
    srv.stop()


@pytest.fixture
def world(server):
    w = emulator.Emulator()
    w.s3.create_bucket(Bucket="page-bucket")
    w.s3.put_object(Bucket="page-bucket", Key="photo.jpg", Body=b"jpeg")
    server.world = w
    yield w
    server.world = None
    w.close()


@pytest.fixture
def configured(world):
    world.s3.put_bucket_cors(Bucket="page-bucket", CORSConfiguration={"CORSRules": RULES})
    return world


def call(server, method, path="/", headers=None, body=None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def preflight(server, path, origin=PAGE, method="GET", requested=None, host=None):
    headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if requested:
        headers["Access-Control-Request-Headers"] = requested
    if host:
        headers["Host"] = host
    return call(server, "OPTIONS", path, headers)


def error(body):
    root = ET.fromstring(body)
    return {child.tag: child.text for child in root}


def test_a_bucket_without_a_configuration_refuses_every_preflight(server, world):
    status, headers, body = preflight(server, "/page-bucket/photo.jpg")
    assert status == 403 and "access-control-allow-origin" not in headers
    found = error(body)
    assert (found["Code"], found["Message"]) == (
        "AccessForbidden",
        "CORSResponse: CORS is not enabled for this bucket.",
    )
    assert (found["Method"], found["ResourceType"]) == ("GET", "BUCKET")
    assert list(found) == ["Code", "Message", "Method", "ResourceType", "RequestId"]


def test_a_missing_bucket_refuses_preflights_as_not_found(server, world):
    """S3's recorded answer (LocalStack's AWS-validated test_cors_http_options_non_existent_bucket)."""
    status, _, body = preflight(server, "/no-such-bucket/key")
    found = error(body)
    assert (status, found["Code"], found["Message"]) == (
        403,
        "AccessForbidden",
        "CORSResponse: Bucket not found",
    )
    assert (found["Method"], found["ResourceType"]) == ("GET", "BUCKET")
    status, _, body = call(server, "OPTIONS", "/no-such-bucket/key", {"Origin": PAGE})
    assert (status, error(body)["Method"]) == (403, "OPTIONS")


def test_a_bucket_without_a_configuration_refuses_a_preflight_without_a_method(server, world):
    """Recorded (test_cors_http_options_no_config): ``Origin`` alone is the same 403, naming OPTIONS."""
    status, _, body = call(server, "OPTIONS", "/page-bucket/photo.jpg", {"Origin": PAGE})
    found = error(body)
    assert (status, found["Message"]) == (403, "CORSResponse: CORS is not enabled for this bucket.")
    assert (found["Method"], found["ResourceType"]) == ("OPTIONS", "BUCKET")


def test_a_matching_rule_answers_the_preflight(server, configured):
    status, headers, body = preflight(
        server, "/page-bucket/photo.jpg", method="PUT", requested="Content-Type, X-Amz-Date"
    )
    assert (status, body) == (200, b"")
    assert headers["access-control-allow-origin"] == PAGE
    assert headers["access-control-allow-methods"] == "GET, PUT"
    assert headers["access-control-allow-headers"] == "content-type, x-amz-date"
    assert headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    assert headers["access-control-max-age"] == "600"
    assert headers["access-control-allow-credentials"] == "true"
    assert headers["vary"] == "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"


def test_a_wildcard_origin_matches_any_subdomain(server, configured):
    status, headers, _ = preflight(server, "/page-bucket", origin="http://app.example.com")
    assert (status, headers["access-control-allow-origin"]) == (200, "http://app.example.com")
    assert preflight(server, "/page-bucket", origin="https://app.example.com")[0] == 403


def test_a_rule_for_any_origin_answers_star_without_credentials(server, configured):
    status, headers, _ = preflight(server, "/page-bucket/photo.jpg", origin="http://elsewhere", method="HEAD")
    assert (status, headers["access-control-allow-origin"]) == (200, "*")
    assert "access-control-allow-credentials" not in headers
    assert "access-control-expose-headers" not in headers and "access-control-max-age" not in headers


def test_a_header_no_rule_allows_is_refused(server, configured):
    status, headers, body = preflight(server, "/page-bucket/photo.jpg", requested="x-custom-header")
    assert status == 403 and "access-control-allow-origin" not in headers
    found = error(body)
    assert found["Message"].startswith("CORSResponse: This CORS request is not allowed. This is usually")
    assert (found["Method"], found["ResourceType"]) == ("GET", "OBJECT")
    assert error(preflight(server, "/page-bucket", method="DELETE")[2])["ResourceType"] == "BUCKET"


def test_a_virtual_host_names_the_bucket(server, configured):
    status, headers, _ = preflight(server, "/photo.jpg", host=f"page-bucket.localhost:{server.port}")
    assert (status, headers["access-control-allow-origin"]) == (200, PAGE)


def test_a_preflight_without_its_headers_is_bad_request(server, configured):
    status, _, body = call(server, "OPTIONS", "/page-bucket/photo.jpg", {"Origin": PAGE})
    assert status == 400
    assert (error(body)["Code"], error(body)["Message"]) == (
        "BadRequest",
        "Insufficient information. Access-Control-Request-Method request header needed.",
    )
    headers = {"Access-Control-Request-Method": "GET"}
    status, _, body = call(server, "OPTIONS", "/page-bucket/photo.jpg", headers)
    assert (status, error(body)["Message"]) == (
        400,
        "Insufficient information. Origin request header needed.",
    )


def test_the_service_endpoint_has_no_cors(server, configured):
    """ListBuckets (``/``) is refused to browsers on AWS; the SDK's S3 preflight there is S3's."""
    status, headers, _ = preflight(server, "/", requested="authorization,x-amz-content-sha256,x-amz-date")
    assert status == 403 and "access-control-allow-origin" not in headers


def test_an_answer_carries_the_matching_rules_headers(server, configured):
    status, headers, body = call(server, "GET", "/page-bucket/photo.jpg", {"Origin": PAGE, **SIGNED})
    assert (status, body) == (200, b"jpeg")
    assert headers["access-control-allow-origin"] == PAGE
    assert headers["access-control-allow-methods"] == "GET, PUT"
    assert headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    assert headers["access-control-max-age"] == "600"  # recorded on S3's GET too (test_cors_match_origins)
    assert headers["access-control-allow-credentials"] == "true"
    assert headers["vary"] == "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"


def test_an_answer_no_rule_allows_is_given_without_cors_headers(server, configured):
    status, headers, body = call(server, "DELETE", "/page-bucket/photo.jpg", {"Origin": PAGE, **SIGNED})
    assert status == 204
    assert not any(name.startswith("access-control-") for name in headers)


def test_an_answer_from_a_bucket_without_configuration_has_no_cors_headers(server, world):
    status, headers, _ = call(server, "GET", "/page-bucket/photo.jpg", {"Origin": PAGE, **SIGNED})
    assert status == 200
    assert not any(name.startswith("access-control-") for name in headers)


def test_delete_bucket_cors_is_204_on_the_wire(server, configured):
    assert call(server, "DELETE", "/page-bucket?cors", SIGNED)[0] == 204
    assert preflight(server, "/page-bucket/photo.jpg")[0] == 403


def test_the_server_policy_stays_an_outer_gate(configured):
    with EmulatorServer(configured, port=0, cors=["http://app.example.com"]) as srv:
        status, headers, _ = preflight(srv, "/page-bucket/photo.jpg")  # the bucket allows PAGE
        assert status == 403 and "access-control-allow-origin" not in headers
        _, headers, _ = call(srv, "GET", "/page-bucket/photo.jpg", {"Origin": PAGE, **SIGNED})
        assert "access-control-allow-origin" not in headers
        status, headers, _ = preflight(srv, "/page-bucket/photo.jpg", origin="http://app.example.com")
        assert (status, headers["access-control-allow-origin"]) == (200, "http://app.example.com")


def test_dynamodbs_preflight_keeps_the_server_policy(server, configured):
    status, headers, _ = call(
        server,
        "OPTIONS",
        "/",
        {
            "Origin": PAGE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-content-sha256,x-amz-target",
        },
    )
    assert (status, headers["access-control-allow-origin"]) == (200, "*")
    assert headers["access-control-max-age"] == "172800"
