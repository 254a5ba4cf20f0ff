"""Presigned S3 URLs over ``emulator serve`` (docs/rules/dynamodb.md AU8).

boto3's ``generate_presigned_url`` makes Signature Version 2 URLs for S3 in us-east-1 by default
and Version 4 ones with ``signature_version="s3v4"``: both reach the S3 door without an
``Authorization`` header. Without ``--auth`` any signature is accepted; with it, each URL is
checked as S3 checks it: its signature over the method, path, query and signed headers, and its
expiry on the server's wall clock."""

from __future__ import annotations

import datetime
import http.client
from urllib.parse import urlsplit

import boto3
import botocore.auth
import pytest
from botocore.config import Config

import emulator
from emulator.wire.server import EmulatorServer

KEY, SECRET = "AKIDPRESIGNTEST", "presign-secret"
BUCKET, OBJECT = "presigned-bucket", "a dir/ü x.txt"
VERSIONS = ["s3", "s3v4"]


def _server(credentials):
    srv = EmulatorServer(None, port=0, credentials=credentials).start()
    world = emulator.Emulator()
    srv.world = world
    return srv, world


@pytest.fixture(scope="module")
def guarded():
    srv, world = _server({KEY: SECRET})
    yield srv
    srv.stop()
    world.close()


@pytest.fixture(scope="module")
def open_server():
    srv, world = _server(None)
    yield srv
    srv.stop()
    world.close()


def _client(server, version=None, key=KEY, secret=SECRET):
    config = Config(signature_version=version, retries={"max_attempts": 1}) if version else None
    return boto3.client(
        "s3",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=config,
    )


def _fetch(method, url, body=None, headers=None):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, f"{parts.path}?{parts.query}", body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode()
    finally:
        conn.close()


def _code(text: str) -> str:
    return text.split("<Code>", 1)[1].split("</Code>", 1)[0]


@pytest.fixture(scope="module")
def stored(guarded):
    s3 = _client(guarded)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=OBJECT, Body=b"presigned payload")
    return guarded


@pytest.mark.parametrize("version", VERSIONS)
def test_a_presigned_get_is_answered(stored, version):
    url = _client(stored, version).generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=300
    )
    assert "Authorization" not in url
    assert _fetch("GET", url) == (200, "presigned payload")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_presigned_put_uploads(stored, version):
    key = f"uploaded-{version}.txt"
    url = _client(stored, version).generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=300
    )
    assert _fetch("PUT", url, b"sent by a browser")[0] == 200
    assert _client(stored).get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"sent by a browser"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_tampered_presigned_url_does_not_match(stored, version):
    url = _client(stored, version).generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=300
    )
    other_key = url.replace("a%20dir", "b%20dir")
    status, text = _fetch("GET", other_key)
    assert (status, _code(text)) == (403, "SignatureDoesNotMatch")
    assert "<StringToSign>" in text and "<AWSAccessKeyId>AKIDPRESIGNTEST</AWSAccessKeyId>" in text


@pytest.mark.parametrize("version", VERSIONS)
def test_a_presigned_url_by_an_unknown_key_is_refused(stored, version):
    url = _client(stored, version, key="AKIDNOBODY").generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}
    )
    status, text = _fetch("GET", url)
    assert (status, _code(text)) == (403, "InvalidAccessKeyId")


@pytest.mark.parametrize("version", VERSIONS)
def test_an_expired_presigned_url_is_access_denied(stored, version, monkeypatch):
    expires_in = 3600
    if version == "s3v4":  # signed two hours ago for one hour
        past = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(hours=2)
        monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: past)
    else:  # SigV2 carries the expiry itself
        expires_in = -60
    url = _client(stored, version).generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=expires_in
    )
    status, text = _fetch("GET", url)
    assert (status, _code(text)) == (403, "AccessDenied")
    assert "<Message>Request has expired</Message>" in text and "<ServerTime>" in text
    if version == "s3v4":
        assert "<X-Amz-Expires>3600</X-Amz-Expires>" in text


def test_a_v2_url_expiring_outside_the_years_1_to_9999_is_answered(stored):
    """SigV2 sets no limit on the expiry; one past what a datetime holds was a dropped connection."""
    url = _client(stored, "s3").generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=10**12
    )
    assert _fetch("GET", url) == (200, "presigned payload")
    huge = url.replace("Expires=", "Expires=" + "9" * 30 + "&Ignored=", 1)
    status, text = _fetch("GET", huge)
    assert (status, _code(text)) == (403, "SignatureDoesNotMatch")
    long_ago = url.replace("Expires=", "Expires=-" + "9" * 14 + "&Ignored=", 1)  # before the year 1
    status, text = _fetch("GET", long_ago)
    assert (status, _code(text)) == (403, "AccessDenied") and "Request has expired" in text


def test_a_v4_url_sent_with_a_host_no_url_can_hold_does_not_match(stored):
    """SigV4 signs the Host header; one such as ``[x`` (no URL holds it) once dropped the connection."""
    url = _client(stored, "s3v4").generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=300
    )
    status, text = _fetch("GET", url, headers={"Host": "[x"})
    assert (status, _code(text)) == (403, "SignatureDoesNotMatch")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_virtual_host_url_for_a_key_starting_with_a_slash_is_answered(stored, version):
    s3 = _client(stored)
    s3.put_object(Bucket=BUCKET, Key="/lead", Body=b"led")
    virtual = boto3.client(
        "s3",
        endpoint_url=f"http://localhost:{stored.port}",
        region_name="us-east-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(signature_version=version, s3={"addressing_style": "virtual"}),
    )
    url = virtual.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "/lead"})
    parts = urlsplit(url)
    assert parts.netloc == f"{BUCKET}.localhost:{stored.port}" and parts.path == "//lead"
    local = url.replace(parts.netloc, f"127.0.0.1:{stored.port}", 1)
    assert _fetch("GET", local, headers={"Host": parts.netloc}) == (200, "led")


def test_a_v4_url_valid_for_over_a_week_is_refused(stored):
    url = _client(stored, "s3v4").generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}, ExpiresIn=604801
    )
    status, text = _fetch("GET", url)
    assert (status, _code(text)) == (400, "AuthorizationQueryParametersError")
    assert "X-Amz-Expires must be less than a week" in text


def test_a_v4_url_missing_a_parameter_is_refused(stored):
    url = _client(stored, "s3v4").generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}
    )
    cut = "&".join(p for p in url.split("&") if not p.startswith("X-Amz-Date="))
    status, text = _fetch("GET", cut)
    assert (status, _code(text)) == (400, "AuthorizationQueryParametersError")
    assert "Query-string authentication version 4 requires" in text


def test_without_auth_a_presigned_url_is_an_s3_request_like_any_other(open_server):
    s3 = _client(open_server)
    s3.create_bucket(Bucket="open-bucket")
    s3.put_object(Bucket="open-bucket", Key="k", Body=b"v")
    for version in VERSIONS:
        url = _client(open_server, version, key="anything", secret="goes").generate_presigned_url(
            "get_object", Params={"Bucket": "open-bucket", "Key": "k"}
        )
        assert _fetch("GET", url) == (200, "v")


@pytest.mark.parametrize("server_fixture", ["guarded", "open_server"])
def test_a_presigned_url_sent_with_an_authorization_header_too_is_invalid_argument(server_fixture, request):
    """A client that forwards its own Authorization header to a presigned URL is refused by S3,
    with or without --auth: only one auth mechanism is allowed."""
    server = request.getfixturevalue(server_fixture)
    url = _client(server, "s3v4").generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}
    )
    status, text = _fetch("GET", url, headers={"Authorization": "Bearer forwarded-token"})
    assert (status, _code(text)) == (400, "InvalidArgument")
    assert (
        "Only one auth mechanism allowed" in text
        and "<ArgumentValue>Bearer forwarded-token</ArgumentValue>" in text
    )


def test_a_credential_scope_encoded_in_lower_case_is_still_presigned(stored):
    url = _client(stored, "s3v4").generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": OBJECT}
    )
    lowered = url.replace("%2F", "%2f")
    assert _fetch("GET", lowered) == (200, "presigned payload")
