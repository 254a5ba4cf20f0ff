"""S3 requests, in-process and over HTTP: addressing, the body's framing, and the answer.

S3 has no ``X-Amz-Target``: a request names its operation by method, path and query
(:mod:`emulator.wire.restxml`). This module finds the bucket and key of a request:

* virtual-host style: the bucket is the host's leading part, before ``.s3.`` / ``.s3-``
  (``bucket.s3.amazonaws.com``, ``bucket.s3.eu-west-1.amazonaws.com``) or before ``.localhost``
  (``bucket.localhost:8000``, for ``emulator serve``);
* path style: otherwise, the first path segment (``/bucket/key``), the style botocore uses for an
  endpoint given by IP address.

It undoes ``aws-chunked`` content encoding (botocore frames streaming uploads that way over HTTPS,
with the checksum in a trailer), and answers with :func:`emulator.wire.restxml.write_response`.
The partition is the one the credential scope names (:mod:`emulator.wire.scope`); buckets are
global anyway, but CreateBucket's region rules are the endpoint's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, parse_qs, parse_qsl, unquote, urlsplit
from xml.etree import ElementTree as ET

from ..errors import AWSError
from ..s3.errors import MALFORMED_XML
from . import restxml
from .awsjson import WireResponse
from .chunk_signatures import frames
from .request_ids import s3_request_id
from .scope import partition_of

_HOST_MARKERS = (".s3.", ".s3-")
#: The largest request body ``emulator serve`` reads for S3: S3's single-PUT limit (5 GiB); the body
#: is held in memory, as every object here is.
MAX_BODY = 5 * 1024**3


def bucket_from_host(host: str) -> str | None:
    """The bucket a virtual-host-style ``Host`` names, or ``None`` (path style)."""
    name = host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()
    for marker in _HOST_MARKERS:
        cut = name.find(marker)
        if cut > 0:
            return name[:cut]
    if name.endswith(".localhost") and len(name) > len(".localhost"):
        return name[: -len(".localhost")]
    return None


def split_target(target: str) -> SplitResult:
    """A request line's target (``/path?query``, or absolute) split as :func:`urlsplit` splits a
    URL, except that a path starting ``//`` stays a path (urlsplit reads a host there: an object
    key starting ``/`` on a bucket's virtual host) and a host no URL holds (``[x``) is no error."""
    if not target.startswith("/"):
        try:
            return urlsplit(target)
        except ValueError:  # an absolute form whose host no URL holds: keep its path and query
            target = "/" + target.split("://", 1)[-1].partition("/")[2]
    return urlsplit("http://localhost" + target)._replace(scheme="", netloc="")


def address(host: str, path: str) -> tuple[str, str]:
    """(bucket, key) of a request; either may be empty."""
    bucket = bucket_from_host(host)
    path = path[1:] if path.startswith("/") else path  # one: a key may itself start with "/"
    if bucket is not None:
        return bucket, unquote(path)
    first, _, rest = path.partition("/")
    return unquote(first), unquote(rest)


def decode_aws_chunked(body: bytes) -> bytes:
    """The payload of an ``aws-chunked`` body: ``<hex size>[;chunk-signature=...]\\r\\n<data>\\r\\n``
    chunks up to the zero-size one, then trailers (see :func:`decode_aws_chunked_with_trailers`)."""
    return decode_aws_chunked_with_trailers(body)[0]


def decode_aws_chunked_with_trailers(body: bytes) -> tuple[bytes, dict[str, str]]:
    """The payload and the trailers (``x-amz-checksum-crc32: ...``, names lower-cased) of an
    ``aws-chunked`` body: botocore sends a streaming upload's checksum as a trailer over HTTPS."""
    out: list[bytes] = []
    trailers: dict[str, str] = {}
    for _, data, lines in frames(body):
        out.append(data)
        for line in lines:
            name, sep, value = line.partition(":")
            if sep and name.strip():
                trailers[name.strip().lower()] = value.strip()
    return b"".join(out), trailers


def is_aws_chunked(headers: dict) -> bool:
    return "aws-chunked" in headers.get("content-encoding", "") or headers.get(
        "x-amz-content-sha256", ""
    ).startswith("STREAMING-")


def is_presigned(target: str) -> bool:
    """Whether a request line's path and query carry query-string authentication for S3."""
    query = target.partition("?")[2]
    if not query:
        return False
    if "X-Amz-Credential=" in query:
        return "%2fs3%2faws4_request" in query.lower() or "/s3/aws4_request" in query
    return "AWSAccessKeyId=" in query and "Signature=" in query


def credential_header(target: str) -> str | None:
    """An ``Authorization``-shaped value carrying a SigV4 URL's credential scope (for the
    partition it names), or None."""
    credential = dict(parse_qsl(target.partition("?")[2])).get("X-Amz-Credential")
    return f"AWS4-HMAC-SHA256 Credential={credential}" if credential else None


def is_s3_request(headers: dict[str, str], target: str = "") -> bool:
    """Whether an HTTP request without ``X-Amz-Target`` is S3's: signed for ``s3`` (in a header or,
    presigned, in the query of ``target``), carrying S3's ``x-amz-content-sha256``, or addressed to
    a bucket's virtual host. Anything else (the health ``GET /``, JSON requests) keeps the JSON
    services' handling."""
    if "x-amz-target" in headers:
        return False
    return (
        "/s3/aws4_request" in headers.get("authorization", "")
        or "x-amz-content-sha256" in headers
        or bucket_from_host(headers.get("host", "")) is not None
        or is_presigned(target)
    )


def _request(
    service: Any, op_name: str, bucket: str, key: str, query: dict, headers: dict, body: bytes
) -> dict:
    """The native request, or S3's answer to a body or value it cannot read."""
    try:
        if is_aws_chunked(headers):
            body, trailers = decode_aws_chunked_with_trailers(body)
            trailers.pop("x-amz-trailer-signature", None)
            headers = {**headers, **trailers}  # checksum trailers read as the headers they stand for
        return restxml.read_request(op_name, bucket, key, query, headers, body)
    except ET.ParseError:
        raise service.errors["MalformedXML"](MALFORMED_XML) from None
    except ValueError as exc:
        raise service.errors["InvalidArgument"](f"Invalid argument: {exc}") from None


def handle(world: Any, method: str, url: str, headers: dict[str, str], body: bytes) -> WireResponse:
    """Answer one S3 request (``headers`` with lower-case names; ``url`` absolute or a path)."""
    parts = split_target(url)
    host = headers.get("host") or parts.netloc
    bucket, key = address(host, parts.path)
    query = parse_qs(parts.query, keep_blank_values=True)
    request_id = s3_request_id(world)
    head = method == "HEAD"
    authorization = headers.get("authorization") or credential_header(url)
    service = world.service_in("s3", partition_of(world, authorization))
    op_name = restxml.route(method, bool(bucket), bool(key), query, headers, service.registry.handlers)
    try:
        if op_name is None:
            raise service.errors["MethodNotAllowed"](
                "The specified method is not allowed against this resource."
            )
        request = _request(service, op_name, bucket, key, query, headers, body)
        answer = service.call(op_name, request)
        status, out_headers, out_body = restxml.write_response(op_name, answer)
    except AWSError as err:
        status, out_headers = err.status, {"Content-Type": "application/xml"}
        out_body = restxml.write_error(err.code, err.message, err.extra, request_id)
    except Exception as exc:  # never a traceback on the wire
        status, out_headers = 500, {"Content-Type": "application/xml"}
        out_body = restxml.write_error("InternalError", f"{type(exc).__name__}: {exc}", {}, request_id)
    out_headers["x-amz-request-id"] = request_id
    out_headers["x-amz-id-2"] = request_id
    if head or status in (204, 304):
        content_length = out_headers.get("Content-Length", str(len(out_body)) if head else "0")
        out_headers["Content-Length"] = content_length if status == 200 else "0"
        return WireResponse(status, out_headers, b"")
    out_headers["Content-Length"] = str(len(out_body))
    return WireResponse(status, out_headers, out_body)
