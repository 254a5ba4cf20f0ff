"""Signed aws-chunked uploads under ``emulator serve --auth`` (docs/rules/dynamodb.md AU9).

The vectors are AWS's own, from the S3 API reference's "Signature calculations for the
Authorization header: transferring payload in multiple chunks" (and its trailer variant):
66,560 bytes of ``a`` in chunks of 65,536, 1,024 and 0 bytes, signed with the documentation's
example key on 2013-05-24."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from emulator.wire import chunk_signatures
from emulator.wire.sigv4 import Authenticator

KEY, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
STAMP, SCOPE = "20130524T000000Z", "20130524/us-east-1/s3/aws4_request"
SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
CHUNKS = (
    "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
    "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
)
TRAILER_SEED = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
TRAILER_CHUNKS = (
    "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
    "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
    "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
)
TRAILER = (
    "x-amz-checksum-crc32c:sOO8/Q==\r\n"
    "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n"
)


def _sign(text: str) -> str:
    key = f"AWS4{SECRET}".encode()
    for part in ("20130524", "us-east-1", "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _body(signatures, trailer: str = "", data: bytes = b"a" * 66560) -> bytes:
    out = b""
    for size, start, signature in ((65536, 0, signatures[0]), (1024, 65536, signatures[1])):
        out += f"{size:x};chunk-signature={signature}\r\n".encode() + data[start : start + size] + b"\r\n"
    return out + f"0;chunk-signature={signatures[2]}\r\n".encode() + trailer.encode() + b"\r\n"


def test_the_documented_chunk_signatures_verify():
    assert chunk_signatures.check(_sign, STAMP, SCOPE, SEED, _body(CHUNKS)) is None


def test_the_documented_trailer_signature_verifies():
    assert chunk_signatures.check(_sign, STAMP, SCOPE, TRAILER_SEED, _body(TRAILER_CHUNKS, TRAILER)) is None


def test_a_chunk_changed_after_signing_breaks_the_chain():
    data = bytearray(b"a" * 66560)
    data[70_000 - 4000] = ord("b")  # inside the second chunk
    broken = chunk_signatures.check(_sign, STAMP, SCOPE, SEED, _body(CHUNKS, data=bytes(data)))
    assert broken is not None and broken[1] == CHUNKS[1]
    assert broken[0].startswith("AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n" + SCOPE + "\n" + CHUNKS[0])


def test_a_changed_trailer_breaks_the_chain():
    changed = TRAILER.replace("sOO8/Q==", "AAAAAA==")
    broken = chunk_signatures.check(_sign, STAMP, SCOPE, TRAILER_SEED, _body(TRAILER_CHUNKS, changed))
    assert broken is not None and broken[0].startswith("AWS4-HMAC-SHA256-TRAILER\n")


@pytest.mark.parametrize("tamper", ["none", "chunk", "seed"])
def test_the_documented_upload_through_the_authenticator(tamper):
    """The whole documented request: the header's seed signature, then every chunk's."""
    headers = {
        "host": "s3.amazonaws.com",
        "x-amz-date": STAMP,
        "x-amz-storage-class": "REDUCED_REDUNDANCY",
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": "66560",
        "content-length": "66824",
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "authorization": (
            f"AWS4-HMAC-SHA256 Credential={KEY}/{SCOPE},SignedHeaders=content-encoding;content-length;"
            "host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"
            f"Signature={SEED}"
        ),
    }
    body = _body(CHUNKS)
    if tamper == "chunk":
        body = body.replace(b"a" * 10, b"b" * 10, 1)
    if tamper == "seed":
        headers["x-amz-storage-class"] = "STANDARD"
    auth = Authenticator({KEY: SECRET}, now=lambda: 1369353600.0)  # 2013-05-24T00:00:00Z
    refusal = auth.check("s3", "PUT", "/examplebucket/chunkObject.txt", headers, body)
    if tamper == "none":
        assert refusal is None
    else:
        assert refusal is not None and refusal.s3_code == "SignatureDoesNotMatch"
        assert refusal.s3_extra["StringToSign"].startswith(
            "AWS4-HMAC-SHA256-PAYLOAD\n" if tamper == "chunk" else "AWS4-HMAC-SHA256\n"
        )


def _signed_upload(server, key: str, data: bytes, tamper: bool) -> tuple[int, bytes]:
    """A chunk-signed PUT as the Java SDK sends it over HTTP, signed now with the server's key."""
    import http.client

    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    framed_length = sum(len(f"{n:x};chunk-signature=".encode()) + 64 + 4 + n for n in (len(data), 0))
    headers = {
        "Content-Encoding": "aws-chunked",
        "X-Amz-Decoded-Content-Length": str(len(data)),
        "Content-Length": str(framed_length),
        "X-Amz-Content-SHA256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    }
    url = f"{server.endpoint_url}/chunked-bucket/{key}"
    request = AWSRequest(method="PUT", url=url, headers=headers)

    class StreamingSigner(S3SigV4Auth):  # what an SDK that signs chunks puts in the header
        def payload(self, request):
            return "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"

    signer = StreamingSigner(Credentials(SERVER_KEY, SERVER_SECRET), "s3", "us-east-1")
    signer.add_auth(request)
    stamp = request.context["timestamp"]
    seed = request.headers["Authorization"].rsplit("Signature=", 1)[1]
    scope = f"{stamp[:8]}/us-east-1/s3/aws4_request"
    signatures, previous = [], seed
    for chunk in (data, b""):
        text = "\n".join(
            (
                "AWS4-HMAC-SHA256-PAYLOAD",
                stamp,
                scope,
                previous,
                chunk_signatures._EMPTY,
                hashlib.sha256(chunk).hexdigest(),
            )
        )
        previous = signer.signature(text, request)
        signatures.append(previous)
    sent = data.replace(b"x", b"y", 1) if tamper else data
    body = f"{len(data):x};chunk-signature={signatures[0]}\r\n".encode() + sent + b"\r\n"
    body += f"0;chunk-signature={signatures[1]}\r\n\r\n".encode()
    assert len(body) == framed_length
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request("PUT", f"/chunked-bucket/{key}", body=body, headers=dict(request.headers.items()))
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


SERVER_KEY, SERVER_SECRET = "AKIDCHUNKED", "chunk-secret"


def test_a_chunk_signed_upload_over_http_is_checked_chunk_by_chunk():
    import boto3

    import emulator
    from emulator.wire.server import EmulatorServer

    world = emulator.Emulator()
    with EmulatorServer(world, port=0, credentials={SERVER_KEY: SERVER_SECRET}) as server:
        s3 = boto3.client(
            "s3",
            endpoint_url=server.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id=SERVER_KEY,
            aws_secret_access_key=SERVER_SECRET,
        )
        s3.create_bucket(Bucket="chunked-bucket")
        assert _signed_upload(server, "kept.txt", b"x" * 5000, tamper=False) == (200, b"")
        assert s3.get_object(Bucket="chunked-bucket", Key="kept.txt")["Body"].read() == b"x" * 5000
        status, text = _signed_upload(server, "changed.txt", b"x" * 5000, tamper=True)
        assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in text
        assert "Contents" not in s3.list_objects_v2(Bucket="chunked-bucket", Prefix="changed")
    world.close()


@pytest.mark.parametrize("size", ["-6", "+5", "0x5", " 5"])
def test_a_chunk_size_that_is_not_plain_hexadecimal_is_refused(size):
    body = f"{size};chunk-signature={CHUNKS[0]}\r\nhello\r\n".encode()
    broken = chunk_signatures.check(_sign, STAMP, SCOPE, SEED, body)
    assert broken == ("", f"(a chunk size that is not hexadecimal: {size!r})")
