"""The AWS JSON 1.0 protocol: one request's bytes in, one response's bytes out.

:func:`handle` is the single entry point shared by the HTTP server and the in-process boto3 hook,
so both answer byte for byte alike. It follows the order in which AWS's front end checks a request
(as dynalite, which is tested against live DynamoDB, reproduces it):

1. a body over 16 MB is refused with HTTP 413 (W7);
2. a body that is not JSON → ``SerializationException`` without a message;
3. an unknown ``X-Amz-Target`` → ``UnknownOperationException`` without a message (W6);
4. an empty body → ``SerializationException``;
5. a JSON value of the wrong type → ``SerializationException`` with AWS's text (W5; the member is
   ``Message`` here, capitalised, as AWS sends it for these);
6. the service runs the operation (``Service.call``, native shapes) and its answer or its
   :class:`~emulator.errors.AWSError` is encoded.

Error envelopes are ``{"__type": "<namespace>#<Code>", "<message_key>": ..., **extra}`` (W2, W3):
the namespace, status and member casing come from the error class; ``extra`` members (``Item``,
``CancellationReasons``, ``reason``, ...) are encoded like any response. Every response carries
``x-amzn-RequestId``; DynamoDB's (and Streams') also carry ``x-amz-crc32`` of the body (W4), which
botocore verifies. An answer's content type is the request's (W14: ``application/json`` for a
DynamoDB request that names none); DynamoDB's answers over 1 MB are marked ``streamed`` for the
HTTP door's chunked framing (W15). An operation of the real API that the service does not implement (or a service
whose module does not exist yet) answers with the same ``UnknownOperationException``; for an
operation the service lacks, the envelope carries the service's message saying the emulator does
not implement it (AWS's answer to an unknown target has none, but an empty message confused users:
every door now says why). Nothing raised inside escapes as a traceback: an unexpected exception
becomes the service's ``InternalServerError`` (HTTP 500).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import AWSError
from . import messages as m
from . import shapes
from .request_ids import REQUEST_IDS, dynamodb_request_id
from .scope import partition_of
from .targets import resolve_target

MAX_REQUEST_BYTES = 16 * 1024 * 1024
JSON_10 = "application/x-amz-json-1.0"
JSON = "application/json"
ACCEPTED_CONTENT_TYPES = frozenset({JSON_10, JSON})
CRC32_SERVICES = frozenset({"dynamodb", "dynamodbstreams"})
# W14: the content type of an answer mirrors the request's; when the request names none (it has
# no body), DynamoDB answers ``application/json`` (dynalite's live-tested ``assertUnknownOp``);
# Streams shares DynamoDB's front end [INF]; Step Functions keeps JSON 1.0 (no source says else).
DEFAULT_REPLY_TYPES = {"dynamodb": JSON, "dynamodbstreams": JSON}
# W15 [INF]: DynamoDB's front end may send an answer over 1 MB with chunked transfer encoding
# (issue 11, from an AWS-checked suite; no threshold is published): those answers are marked
# ``streamed`` and the HTTP door frames them so. Step Functions' answers are never streamed.
STREAMED_OVER = 1024 * 1024
STREAMED_SERVICES = frozenset({"dynamodb", "dynamodbstreams"})


@dataclass(slots=True)
class WireResponse:
    """An HTTP response: status, headers (Content-Length included) and body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes
    native: dict[str, Any] | None = None  # the native answer, when the caller asked to keep it
    streamed: bool = False  # W15: an HTTP/1.1 door sends it with chunked transfer encoding


def _response(world: Any, service: str, status: int, body: bytes, content_type: str) -> WireResponse:
    headers = {
        "x-amzn-RequestId": REQUEST_IDS.get(service, dynamodb_request_id)(world),
        "Content-Type": content_type,
        "Content-Length": str(len(body)),
    }
    if service in CRC32_SERVICES:
        headers["x-amz-crc32"] = str(zlib.crc32(body) & 0xFFFFFFFF)
    streamed = len(body) > STREAMED_OVER and service in STREAMED_SERVICES
    return WireResponse(status, headers, body, streamed=streamed)


def protocol_error(
    world: Any,
    service: str,
    code: str,
    message: str | None = None,
    *,
    content_type: str = JSON_10,
    status: int = 400,
) -> WireResponse:
    """An error of the JSON front end itself (``com.amazon.coral.service#<code>``)."""
    envelope: dict[str, Any] = {"__type": f"{m.CORAL_SERVICE}#{code}"}
    if message is not None:
        envelope["Message"] = message
    return _response(world, service, status, shapes.encode_json(envelope), content_type)


def error_response(world: Any, service: str, err: AWSError, content_type: str = JSON_10) -> WireResponse:
    """The JSON envelope of a service error (W2/W3)."""
    envelope: dict[str, Any] = {"__type": err.wire_type, err.message_key: err.message}
    if err.extra:
        envelope.update(err.extra)
    return _response(world, service, err.status, shapes.encode_json(envelope), content_type)


def too_large(world: Any, target: str | None) -> WireResponse:
    """W7: the front end refuses a body over 16 MB with HTTP 413 and no body."""
    route = resolve_target(target)
    return _response(world, route[0] if route else "dynamodb", 413, b"", JSON_10)


def handle(
    world: Any,
    target: str | None,
    body: bytes,
    *,
    content_type: str = JSON_10,
    keep_native: bool = False,
    authorization: str | None = None,
    gate: Callable[[str], AWSError | None] | None = None,
) -> WireResponse:
    """Answer one JSON 1.0 request for ``world`` (an :class:`~emulator.Emulator`).

    ``authorization``: the request's ``Authorization`` header, whose credential scope names the
    (account, region) partition that answers (:mod:`emulator.wire.scope`); none → the default.

    ``keep_native``: also return the native answer of a successful operation (without
    ``ResponseMetadata``) in :attr:`WireResponse.native`, for the in-process hook.

    ``gate``: the HTTP door's authentication (:mod:`emulator.wire.sigv4`), asked with the service
    name once the JSON is read and the target known, before anything else is checked (AWS's
    order); the error it returns answers instead.
    """
    route = resolve_target(target)
    service_name = route[0] if route else "dynamodb"
    reply_type = (
        content_type
        if content_type in ACCEPTED_CONTENT_TYPES
        else DEFAULT_REPLY_TYPES.get(service_name, JSON_10)
    )
    try:
        if len(body) > MAX_REQUEST_BYTES:
            return too_large(world, target)
        parsed = _read(world, service_name, route, body, reply_type, gate)
        if isinstance(parsed, WireResponse):
            return parsed
        codec, request = parsed
        try:
            if authorization:
                service = world.service_in(service_name, partition_of(world, authorization))
            else:
                service = world.service(service_name)
        except (ImportError, KeyError):  # a service not built yet answers like AWS for unknown ops
            return protocol_error(world, service_name, m.UNKNOWN_OPERATION, content_type=reply_type)
        try:
            result = service.call(route[1], request)  # type: ignore[index]
        except AWSError as err:
            return error_response(world, service_name, err, reply_type)
        return _success(world, service, service_name, codec, result, reply_type, keep_native)
    except Exception as exc:  # never a traceback on the wire
        return protocol_error(
            world,
            service_name,
            m.INTERNAL_FAILURE,
            f"Internal server error ({type(exc).__name__}: {exc})",
            content_type=reply_type,
            status=500,
        )


def _read(
    world: Any,
    service_name: str,
    route: tuple[str, str] | None,
    body: bytes,
    reply_type: str,
    gate: Callable[[str], AWSError | None] | None = None,
) -> tuple[Any, dict] | WireResponse:
    """The operation's codec and the request's members, or the protocol error that answers
    instead, in AWS's order: malformed JSON, unknown operation, authentication (``gate``), no
    body, wrong member types."""
    data = None
    if body:
        try:
            data = shapes.parse_json(body)
        except shapes.MalformedRequest:
            return protocol_error(world, service_name, m.SERIALIZATION, content_type=reply_type)
    codec = shapes.codec(*route) if route else None
    if codec is None:
        return protocol_error(world, service_name, m.UNKNOWN_OPERATION, content_type=reply_type)
    refused = gate(service_name) if gate is not None else None
    if refused is not None:
        return error_response(world, service_name, refused, reply_type)
    if data is None:
        return protocol_error(world, service_name, m.SERIALIZATION, content_type=reply_type)
    try:
        request = shapes.read_request(codec, data)
    except shapes.TypeProblem as problem:
        return protocol_error(world, service_name, m.SERIALIZATION, problem.message, content_type=reply_type)
    except shapes.MalformedRequest:
        return protocol_error(world, service_name, m.SERIALIZATION, content_type=reply_type)
    return codec, request


def _success(
    world: Any,
    service: Any,
    service_name: str,
    codec: Any,
    result: dict[str, Any],
    reply_type: str,
    keep_native: bool,
) -> WireResponse:
    """The 200 answer of an operation's ``result`` (an unencodable result is the service's 500)."""
    if codec.empty_output:
        out = b""
    else:
        if "ResponseMetadata" in result or keep_native:  # a fresh top level for the caller
            result = {k: v for k, v in result.items() if k != "ResponseMetadata"}
        try:
            out = shapes.encode_json(result) if result else b"{}"
        except (TypeError, ValueError) as exc:
            fault = service.internal_error(f"Internal server error (unencodable response: {exc})")
            return error_response(world, service_name, fault, reply_type)
    answer = _response(world, service_name, 200, out, reply_type)
    if keep_native and not codec.empty_output:
        answer.native = result
    return answer
