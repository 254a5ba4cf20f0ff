"""The HTTP door's request log: one INFO record per request on the ``emulator.http`` logger.

Each record reads ``<operation> <table or ARN> <status> <error code> <latency>``, e.g.
``PutItem Orders 200 - 0.21ms`` or ``GetItem Nope 400 ResourceNotFoundException 0.12ms``; the same
fields ride on the record as attributes (``operation``, ``resource``, ``status``, ``error_code``,
``latency_ms``) for a structured handler. At DEBUG two more records carry the request and response
bodies, cut to :data:`BODY_LIMIT` characters.

The cost stays off the hot path: the door asks :func:`started` once per request, which answers None
(one cached ``isEnabledFor``) unless INFO is on, and only then is anything read or built. The
operation comes from ``X-Amz-Target`` (or the method and path, for S3 and the control path); the
table or ARN is found in the raw body by a regular expression rather than a second JSON parse; the
error code is read from the error envelope (``__type``, or S3's ``<Code>``) of a 4xx/5xx answer.
Latency runs from the request's head being read to its answer being sent.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ..clock import perf_counter

__all__ = ["BODY_LIMIT", "logger", "record", "started"]

logger = logging.getLogger("emulator.http")

BODY_LIMIT = 1000  # characters of a body a DEBUG record shows

_TABLE_NAME = b'"TableName"'
_VALUE = re.compile(rb'\s*:\s*"([^"]*)"')
_ARN = re.compile(
    rb'"(?:TableArn|StreamArn|ResourceArn|resourceArn|stateMachineArn|executionArn|activityArn|'
    rb'mapRunArn|stateMachineAliasArn|stateMachineVersionArn)"\s*:\s*"([^"]*)"'
    rb'|"RequestItems"\s*:\s*\{\s*"([^"]*)"'
)
_ERROR_CODE = re.compile(rb'"__type"\s*:\s*"(?:[^"#]*#)?([^"]*)"|<Code>([^<]*)</Code>')
SEARCHED = 65536  # bytes of a body searched for the table or ARN


def started() -> float | None:
    """When this request started, if it will be logged (INFO on); None otherwise."""
    return perf_counter() if logger.isEnabledFor(logging.INFO) else None


def _operation(conn: Any) -> str:
    target = conn.headers.get("x-amz-target")
    if target:
        return str(target).rpartition(".")[2]
    method, _, rest = conn.requestline.partition(" ")
    return f"{method} {rest.rpartition(' ')[0].split('?', 1)[0]}"


def _first(pattern: re.Pattern[bytes], data: bytes) -> str:
    match = pattern.search(data, 0, SEARCHED)
    if match is None:
        return "-"
    return (match.group(1) or match.group(2) or b"-").decode("utf-8", "replace")


def _resource(body: bytes) -> str:
    """The table (``TableName``: a byte search, most requests) or else the ARN a request names."""
    at = body.find(_TABLE_NAME, 0, SEARCHED)
    if at >= 0:
        match = _VALUE.match(body, at + len(_TABLE_NAME))
        if match is not None:
            return match.group(1).decode("utf-8", "replace")
    return _first(_ARN, body) if body else "-"


def _cut(body: bytes) -> str:
    text = body[: BODY_LIMIT * 4].decode("utf-8", "replace")
    if len(text) > BODY_LIMIT or len(body) > BODY_LIMIT * 4:
        return f"{text[:BODY_LIMIT]}... ({len(body)} bytes)"
    return text


def record(conn: Any, status: int, body: bytes) -> None:
    """Log the request ``conn`` just answered with ``status`` and ``body`` (INFO, DEBUG)."""
    latency_ms = (perf_counter() - conn.started) * 1000.0
    conn.started = None
    request_body = conn.body
    operation = _operation(conn)
    resource = _resource(request_body)
    error_code = _first(_ERROR_CODE, body) if status >= 400 else "-"
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s request: %s", operation, _cut(request_body))
        logger.debug("%s response: %s", operation, _cut(body))
    # makeRecord + handle is logger.info without its search of the stack for the caller's line
    # (a third of a record's cost): this one line has one caller.
    logger.handle(
        logger.makeRecord(
            logger.name,
            logging.INFO,
            __file__,
            0,
            f"{operation} {resource} {status} {error_code} {latency_ms:.2f}ms",
            (),
            None,
            "record",
            {
                "operation": operation,
                "resource": resource,
                "status": status,
                "error_code": None if error_code == "-" else error_code,
                "latency_ms": latency_ms,
            },
        )
    )
