"""``emulator serve --auth``: SigV4 signatures checked with AWS's refusals (docs/rules/dynamodb.md AU1-AU7).

boto3 clients with the right key, an unknown key and a wrong secret; a body changed after signing
and a request without ``Authorization`` through raw HTTP; a 16-minute clock skew by signing with a
patched botocore clock (the server reads the real one). DynamoDB and Step Functions answer in JSON
(``com.amazon.coral.service#...``, 400), S3 in XML (403)."""

from __future__ import annotations

import datetime
import hashlib
import http.client
import json
import os
import re
import subprocess
import sys

import boto3
import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

import emulator
from emulator.wire import sigv4
from emulator.wire.server import EmulatorServer

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY, SECRET = "AKIDEMULATORTEST", "the-secret"
NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details."
)


@pytest.fixture(scope="module")
def server():
    srv = EmulatorServer(None, port=0, credentials={KEY: SECRET, "AKIDSECOND": "other"}).start()
    yield srv
    srv.stop()


@pytest.fixture
def world(server):
    w = emulator.Emulator()
    server.world = w
    yield w
    server.world = None
    w.close()


def client(server, service, key=KEY, secret=SECRET):
    return boto3.client(
        service,
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=NO_RETRY,
    )


def refused(call) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as info:
        call()
    err = info.value.response
    return err["Error"]["Code"], err["Error"]["Message"], err["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def skewed(monkeypatch):
    """botocore signs 16 minutes in the past (or the future): the client's clock is off."""

    def skew(minutes: float) -> None:
        real = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        monkeypatch.setattr(
            botocore.auth, "get_current_datetime", lambda: real + datetime.timedelta(minutes=minutes)
        )

    return skew


# --- accepted ---------------------------------------------------------------------------------------


def test_a_request_signed_with_a_configured_key_is_answered(server, world):
    ddb = client(server, "dynamodb")
    ddb.create_table(
        TableName="signed",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.put_item(TableName="signed", Item={"id": {"S": "é ü"}, "n": {"N": "1"}})
    assert client(server, "dynamodb", "AKIDSECOND", "other").get_item(
        TableName="signed", Key={"id": {"S": "é ü"}}
    )["Item"]
    assert client(server, "stepfunctions").list_state_machines()["stateMachines"] == []
    assert client(server, "dynamodbstreams").list_streams()["Streams"] == []


def test_s3_requests_signed_with_a_configured_key_are_answered(server, world):
    s3 = client(server, "s3")
    s3.create_bucket(Bucket="signed-bucket")
    s3.put_object(Bucket="signed-bucket", Key="a dir/ü+?&=.txt", Body=b"payload")
    assert s3.get_object(Bucket="signed-bucket", Key="a dir/ü+?&=.txt")["Body"].read() == b"payload"
    listed = s3.list_objects_v2(Bucket="signed-bucket", Prefix="a dir/", MaxKeys=5)
    assert [o["Key"] for o in listed["Contents"]] == ["a dir/ü+?&=.txt"]


# --- AU1: no Authorization header ----------------------------------------------------------------------


def post(server, target, body, headers=None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request(
            "POST",
            "/",
            body=body,
            headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0", **(headers or {})},
        )
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("target", ["DynamoDB_20120810.ListTables", "AWSStepFunctions.ListActivities"])
def test_a_request_without_authorization_is_missing_authentication_token(server, world, target):
    status, headers, body = post(server, target, b"{}")
    assert status == 400
    assert json.loads(body) == {
        "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
        "message": "Request is missing Authentication Token",
    }
    assert "x-amzn-RequestId" in headers


def test_unknown_operation_and_malformed_json_come_before_authentication(server, world):
    """AU1: AWS's front end reads the JSON and the target first (dynalite's order)."""
    assert json.loads(post(server, "DynamoDB_20120810.Nope", b"{}")[2])["__type"].endswith(
        "#UnknownOperationException"
    )
    assert json.loads(post(server, "DynamoDB_20120810.ListTables", b"{nope")[2])["__type"].endswith(
        "#SerializationException"
    )


def test_an_unsigned_s3_request_is_access_denied(server, world):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request("GET", "/", headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    resp = conn.getresponse()
    body = resp.read().decode()
    assert resp.status == 403 and "<Code>AccessDenied</Code><Message>Access Denied</Message>" in body


def test_the_health_line_needs_no_signature(server, world):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request("GET", "/")
    assert conn.getresponse().status == 200


def test_the_control_path_needs_a_signature_too(server, world):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    conn.request("POST", "/_emulator/reset", body=b"")
    resp = conn.getresponse()
    assert resp.status == 400 and b"MissingAuthenticationTokenException" in resp.read()


# --- AU2: an incomplete header ------------------------------------------------------------------------


def test_an_authorization_header_without_its_parts_is_an_incomplete_signature(server, world):
    authorization = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request"
    status, _, body = post(server, "DynamoDB_20120810.ListTables", b"{}", {"Authorization": authorization})
    error = json.loads(body)
    assert status == 400 and error["__type"] == "com.amazon.coral.service#IncompleteSignatureException"
    assert error["message"] == (
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
        "parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        f"Authorization={authorization}"
    )


# --- AU3: clock skew --------------------------------------------------------------------------------------


def test_a_signature_16_minutes_old_has_expired(server, world, skewed):
    skewed(-16)
    code, message, status = refused(client(server, "dynamodb").list_tables)
    assert (code, status) == ("InvalidSignatureException", 400)
    signed, limit, now = _expired_times(message)
    assert limit - signed == datetime.timedelta(minutes=1) and now - limit == datetime.timedelta(minutes=15)


def _expired_times(message: str) -> tuple[datetime.datetime, ...]:
    found = re.fullmatch(r"Signature expired: (\S+) is now earlier than (\S+) \((\S+) - 15 min\.\)", message)
    assert found, message
    return tuple(datetime.datetime.strptime(s, "%Y%m%dT%H%M%SZ") for s in found.groups())


def test_a_signature_16_minutes_ahead_is_not_yet_current(server, world, skewed):
    skewed(16)
    code, message, _ = refused(client(server, "stepfunctions").list_activities)
    assert code == "InvalidSignatureException"
    assert message.startswith("Signature not yet current: ") and message.endswith(" + 15 min.)")


def test_a_signature_14_minutes_old_is_accepted(server, world, skewed):
    skewed(-14)
    assert client(server, "dynamodb").list_tables()["TableNames"] == []


def test_s3_answers_clock_skew_with_request_time_too_skewed(server, world, skewed):
    skewed(-16)
    with pytest.raises(ClientError) as info:
        client(server, "s3").list_buckets()
    error = info.value.response["Error"]
    assert error["Code"] == "RequestTimeTooSkewed"
    assert error["Message"] == "The difference between the request time and the current time is too large."
    assert error["MaxAllowedSkewMilliseconds"] == "900000"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


# --- AU5: unknown keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "service, call", [("dynamodb", "list_tables"), ("stepfunctions", "list_state_machines")]
)
def test_an_unknown_access_key_is_an_unrecognized_client(server, world, service, call):
    code, message, status = refused(getattr(client(server, service, "AKIDUNKNOWN", SECRET), call))
    assert (code, message, status) == (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        400,
    )


def test_s3_answers_an_unknown_key_with_invalid_access_key_id(server, world):
    with pytest.raises(ClientError) as info:
        client(server, "s3", "AKIDUNKNOWN", SECRET).list_buckets()
    error = info.value.response["Error"]
    assert error["Code"] == "InvalidAccessKeyId" and error["AWSAccessKeyId"] == "AKIDUNKNOWN"
    assert error["Message"] == "The AWS Access Key Id you provided does not exist in our records."


# --- AU6: bad signatures --------------------------------------------------------------------------------


@pytest.mark.parametrize("service, call", [("dynamodb", "list_tables"), ("stepfunctions", "list_activities")])
def test_a_wrong_secret_is_an_invalid_signature(server, world, service, call):
    code, message, status = refused(getattr(client(server, service, KEY, "not-the-secret"), call))
    assert (code, message, status) == ("InvalidSignatureException", MISMATCH, 400)


def test_s3_answers_a_wrong_secret_with_signature_does_not_match(server, world):
    with pytest.raises(ClientError) as info:
        client(server, "s3", KEY, "not-the-secret").list_buckets()
    error = info.value.response["Error"]
    assert error["Code"] == "SignatureDoesNotMatch" and error["AWSAccessKeyId"] == KEY
    assert error["Message"] == (
        "The request signature we calculated does not match the signature you provided. Check your key and signing method."
    )
    assert error["CanonicalRequest"].startswith("GET\n/\n")


def signed(server, service, target, body, secret=SECRET, region="us-east-1"):
    """A request botocore signs for ``service``: its headers, ready to send."""
    request = AWSRequest(
        method="POST",
        url=f"{server.endpoint_url}/",
        data=body,
        headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"},
    )
    botocore.auth.SigV4Auth(Credentials(KEY, secret), service, region).add_auth(request)
    return dict(request.headers.items())


def test_a_body_changed_after_signing_is_an_invalid_signature(server, world):
    headers = signed(server, "dynamodb", "DynamoDB_20120810.ListTables", b'{"Limit": 5}')
    assert post(server, "DynamoDB_20120810.ListTables", b'{"Limit": 5}', headers)[0] == 200
    status, _, body = post(server, "DynamoDB_20120810.ListTables", b'{"Limit": 6}', headers)
    assert status == 400
    assert json.loads(body) == {
        "__type": "com.amazon.coral.service#InvalidSignatureException",
        "message": MISMATCH,
    }


def test_a_signed_payload_hash_does_not_cover_a_changed_body(server, world):
    """AU6: a JSON service hashes the body itself, even when the client signed x-amz-content-sha256."""
    body = b'{"Limit": 5}'
    request = AWSRequest(
        method="POST",
        url=f"{server.endpoint_url}/",
        data=body,
        headers={
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest(),
        },
    )
    botocore.auth.SigV4Auth(Credentials(KEY, SECRET), "dynamodb", "us-east-1").add_auth(request)
    headers = dict(request.headers.items())
    assert post(server, "DynamoDB_20120810.ListTables", body, headers)[0] == 200
    status, _, answer = post(server, "DynamoDB_20120810.ListTables", b'{"Limit": 6}', headers)
    assert status == 400 and json.loads(answer) == {
        "__type": "com.amazon.coral.service#InvalidSignatureException",
        "message": MISMATCH,
    }


def test_a_header_changed_after_signing_is_an_invalid_signature(server, world):
    headers = signed(server, "dynamodb", "DynamoDB_20120810.ListTables", b"{}")
    headers["X-Amz-Target"] = "DynamoDB_20120810.DescribeLimits"
    status, _, body = post(server, "DynamoDB_20120810.DescribeLimits", b"{}", headers)
    assert status == 400 and json.loads(body)["__type"].endswith("#InvalidSignatureException")


def test_an_s3_body_changed_after_signing_is_refused(server, world):
    """AU7: S3 signs x-amz-content-sha256, so the body must hash to it."""
    s3 = client(server, "s3")
    s3.create_bucket(Bucket="tampered")

    def tamper(request, **kwargs):
        request.body = b"changed after signing"

    s3.meta.events.register_last("before-send.s3.PutObject", tamper)
    with pytest.raises(ClientError) as info:
        s3.put_object(Bucket="tampered", Key="k", Body=b"the signed body")
    assert info.value.response["Error"]["Code"] == "XAmzContentSHA256Mismatch"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# --- AU4: the credential scope names the service --------------------------------------------------------


def test_a_signature_for_another_service_is_refused(server, world):
    headers = signed(server, "states", "DynamoDB_20120810.ListTables", b"{}")
    status, _, body = post(server, "DynamoDB_20120810.ListTables", b"{}", headers)
    assert status == 400
    assert json.loads(body) == {
        "__type": "com.amazon.coral.service#InvalidSignatureException",
        "message": "Credential should be scoped to correct service: 'dynamodb'. ",
    }


def test_the_credential_scope_still_names_the_region_that_answers(server, world):
    headers = signed(server, "dynamodb", "DynamoDB_20120810.ListTables", b"{}", region="eu-west-1")
    assert post(server, "DynamoDB_20120810.ListTables", b"{}", headers)[0] == 200


# --- configuration -----------------------------------------------------------------------------------------


def test_credentials_come_from_pairs_and_files(tmp_path):
    lines = tmp_path / "keys"
    lines.write_text("# comment\nAKIDA:secret:with:colons\n\nAKIDB:b\n")
    profiles = tmp_path / "credentials"
    profiles.write_text(
        "[default]\naws_access_key_id = AKIDC\naws_secret_access_key = c\n[other]\nregion = x\n"
    )
    assert sigv4.read_credentials(["AKIDZ:z", str(lines), str(profiles)]) == {
        "AKIDZ": "z",
        "AKIDA": "secret:with:colons",
        "AKIDB": "b",
        "AKIDC": "c",
    }
    with pytest.raises(ValueError, match="KEY:SECRET"):
        sigv4.read_credentials(["no-colon"])


def test_serve_refuses_auth_without_credentials():
    proc = subprocess.run(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--auth"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert proc.returncode == 2 and "--credentials" in proc.stderr


def test_without_auth_any_credentials_are_accepted(world):
    with EmulatorServer(world, port=0) as srv:
        assert srv.auth is None
        assert client(srv, "dynamodb", "anything", "at all").list_tables()["TableNames"] == []


def test_serving_beyond_loopback_warns_only_without_auth():
    from emulator.wire.serve_command import exposure_warning

    with EmulatorServer(None, host="0.0.0.0", port=0) as srv:
        warning = exposure_warning(srv)
        assert not srv.loopback_only and "accepts any credentials" in warning and "--auth" in warning
        assert srv.cors is None  # CR3: no CORS beyond loopback unless asked
    with EmulatorServer(None, host="0.0.0.0", port=0, credentials={KEY: SECRET}) as srv:
        assert exposure_warning(srv) is None


def test_the_serve_banner_says_whether_auth_and_cors_are_on():
    from emulator.wire.serve_command import banner

    world = emulator.Emulator()
    with EmulatorServer(world, port=0) as srv:
        line = banner(srv, world, None)
        assert "Step Functions and S3 on http://127.0.0.1:" in line
        assert "auth: off" in line and "CORS: *" in line and "data in" not in line
    with EmulatorServer(world, port=0, credentials={KEY: SECRET}, cors=["http://localhost:3000"]) as srv:
        line = banner(srv, world, "/tmp/kept")
        assert (
            "auth: 1 key(s)" in line and "CORS: http://localhost:3000" in line and "data in /tmp/kept" in line
        )
    world.close()


def test_a_host_header_that_no_url_can_hold_is_still_checked(server, world):
    """The signature covers the Host header as sent, even one such as ``[x`` (no URL holds it);
    checking it once dropped the connection."""
    request = AWSRequest(
        method="POST",
        url=f"{server.endpoint_url}/",
        data=b"{}",
        headers={
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
            "Host": "[x",
        },
    )
    botocore.auth.SigV4Auth(Credentials(KEY, SECRET), "dynamodb", "us-east-1").add_auth(request)
    assert post(server, "DynamoDB_20120810.ListTables", b"{}", dict(request.headers.items()))[0] == 200
