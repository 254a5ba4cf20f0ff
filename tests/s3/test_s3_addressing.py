"""S3 over ``emulator serve``: path-style and virtual-host-style addressing, and what stays JSON's."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

from emulator.wire.s3_door import address, bucket_from_host, decode_aws_chunked


@pytest.fixture
def served(aws):
    from emulator.pytest_plugin import shared_server

    server = shared_server()
    previous, server.world = server.world, aws
    yield urlsplit(server.endpoint_url)
    server.world = previous


def _get(url, path: str, host: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(url.hostname, url.port)
    conn.request("GET", path, headers={"Host": host, "x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
    response = conn.getresponse()
    return response.status, response.read()


@pytest.mark.parametrize(
    ("host", "path", "expected"),
    [
        ("127.0.0.1:8000", "/bucket/dir/a%20b.txt", ("bucket", "dir/a b.txt")),
        ("bucket.s3.amazonaws.com", "/dir/a.txt", ("bucket", "dir/a.txt")),
        ("my.dotted.bucket.s3.eu-west-1.amazonaws.com", "/k", ("my.dotted.bucket", "k")),
        ("bucket.localhost:8000", "/k", ("bucket", "k")),
        ("localhost:8000", "/", ("", "")),
        ("s3.amazonaws.com", "/bucket", ("bucket", "")),
    ],
)
def test_the_bucket_comes_from_the_host_or_else_the_path(host, path, expected):
    assert address(host, path) == expected


def test_plain_hosts_are_path_style():
    assert bucket_from_host("127.0.0.1:8000") is None and bucket_from_host("localhost") is None


def test_path_and_virtual_host_requests_reach_the_same_object(served, aws):
    aws.s3.create_bucket(Bucket="web-bucket")
    aws.s3.put_object(Bucket="web-bucket", Key="a b/c.txt", Body=b"hello")
    host = f"127.0.0.1:{served.port}"
    assert _get(served, "/web-bucket/a%20b/c.txt", host) == (200, b"hello")
    assert _get(served, "/a%20b/c.txt", f"web-bucket.localhost:{served.port}") == (200, b"hello")
    status, body = _get(served, "/web-bucket/nothing", host)
    assert status == 404 and b"<Code>NoSuchKey</Code>" in body and b"<Key>nothing</Key>" in body


def test_a_key_starting_with_a_slash_on_a_virtual_host_is_that_object(served, aws):
    """``//lead`` on a bucket's host is the key ``/lead`` (urlsplit alone reads a host ``lead``
    there, and the request became a ListObjects of the bucket)."""
    aws.s3.create_bucket(Bucket="slash-bucket")
    aws.s3.put_object(Bucket="slash-bucket", Key="/lead", Body=b"led")
    host = f"slash-bucket.localhost:{served.port}"
    assert _get(served, "//lead", host) == (200, b"led")
    status, body = _get(served, "//[x", host)  # no URL's host: once a dropped connection
    assert status == 404 and b"<Code>NoSuchKey</Code>" in body and b"<Key>/[x</Key>" in body


def test_the_health_answer_stays_on_the_root_path(served):
    conn = http.client.HTTPConnection(served.hostname, served.port)
    conn.request("GET", "/")
    assert conn.getresponse().read().startswith(b"healthy")


def test_aws_chunked_bodies_are_decoded():
    framed = b"5;chunk-signature=ab\r\nhello\r\n3\r\n wo\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"
    assert decode_aws_chunked(framed) == b"hello wo"


@pytest.mark.parametrize("size", [b"-6", b"+5", b"0x5", b" 5", b"5_0", b""])
def test_an_aws_chunked_size_is_plain_hexadecimal(size):
    """A chunk size is hex digits only: ``-6`` once sent the decoder back to the same header forever."""
    with pytest.raises(ValueError):
        decode_aws_chunked(size + b"\r\nhello\r\n0\r\n\r\n")


def test_a_malformed_xml_body_is_malformed_xml(served, aws):
    aws.s3.create_bucket(Bucket="xml-bucket")
    conn = http.client.HTTPConnection(served.hostname, served.port)
    conn.request(
        "POST",
        "/xml-bucket?delete",
        body=b"<Delete><Object>",
        headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"},
    )
    response = conn.getresponse()
    assert response.status == 400 and b"<Code>MalformedXML</Code>" in response.read()


def test_a_native_call_without_a_required_parameter_is_botocore_s_param_validation_error(aws):
    from botocore.exceptions import ParamValidationError

    with pytest.raises(ParamValidationError, match='Missing required parameter in input: "Key"'):
        aws.s3.put_object(Bucket="any-bucket")
