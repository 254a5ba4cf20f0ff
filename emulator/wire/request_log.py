"""The HTTP door's request log: one INFO record per request on the ``emulator.http`` logger.

Each record reads ``<operation> <table or ARN> <status> <error code> <latency>``, e.g.
``PutItem Orders 200 - 0.21ms`` or ``GetItem Nope 400 ResourceNotFoundException 0.12ms``; the same
fields ride on the record as attributes (``operation``, ``resource``, ``status``, ``error_code``,
``latency_ms``) for a structured handler. At DEBUG two more records carry the request and response
bodies, cut to :data:`BODY_LIMIT` characters.

The cost stays off the hot path: the door asks :func:`started` once per request, which answers None
(one cached ``isEnabledFor``) unless INFO is on, and only then is anything recorded. Even then the
request's thread only queues a tuple (the time, the target, the bodies it already holds, the
status, the latency); a daemon thread, the drainer, turns the queue into log records every
:data:`DRAIN_INTERVAL` seconds (and at exit; :func:`drain` on demand), each timed when its request
was answered. Building records in batches, away from the request path, keeps the request path's
caches warm: measured per record in a tight loop a record costs a few microseconds, but built
inline between requests it cost several times that (``benchmarks/request_log_cost.py``). The
operation comes from ``X-Amz-Target`` (or the method and path, for S3 and the control path); the
table or ARN is found in the raw body by a byte search rather than a second JSON parse; the error
code is read from the error envelope (``__type``, or S3's ``<Code>``) of a 4xx/5xx answer. Latency
runs from the request's head being read to its answer being ready to send.
"""

from __future__ import annotations

import atexit
import logging
import re
import threading
from collections import deque
from typing import Any

from ..clock import perf_counter, wall_time
from ..logs import direct_handler

__all__ = ["BODY_LIMIT", "DRAIN_INTERVAL", "drain", "logger", "record", "started"]

logger = logging.getLogger("emulator.http")

BODY_LIMIT = 1000  # characters of a body a DEBUG record shows
DRAIN_INTERVAL = 0.1  # seconds a queued record may wait for the drainer

# (answered at, X-Amz-Target, request line, request body, status, response body, latency, debug)
_pending: deque[tuple[float, str | None, str, bytes, int, bytes, float, bool]] = deque()
_drain_lock = threading.Lock()
_drainer: threading.Thread | None = None

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


def _operation(target: str | None, requestline: str) -> str:
    if target:
        return str(target).rpartition(".")[2]
    method, _, rest = requestline.partition(" ")
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
    """Log the request ``conn`` just answered with ``status`` and ``body`` (INFO, and DEBUG's
    bodies): queued here, emitted by the drainer (see the module docstring)."""
    latency_ms = (perf_counter() - conn.started) * 1000.0
    request_body, conn.started, conn.body = conn.body, None, b""
    debug = logger.isEnabledFor(logging.DEBUG)
    _pending.append(
        (
            wall_time(),
            conn.headers.get("x-amz-target"),
            conn.requestline,
            request_body,
            status,
            body if debug or status >= 400 else b"",
            latency_ms,
            debug,
        )
    )
    if _drainer is None:
        _start_drainer()


def drain() -> int:
    """Emit every queued record now, in order; how many. The drainer calls it every
    :data:`DRAIN_INTERVAL` seconds, and so does the process's exit; tests call it to read the
    records of the requests they made. When the lines go only to ``emulator serve``'s own stderr
    handler (:func:`emulator.logs.direct_handler`), they are written to it in one piece, with the
    text a record would have, and no record is built."""
    emitted = 0
    with _drain_lock:
        handler = direct_handler(logger) if _pending else None
        if handler is not None:
            lines: list[tuple[float, int, str, str]] = []
            while _pending:
                entry = _pending.popleft()
                lines += [(entry[0], level, logger.name, text) for level, text, _ in _messages(*entry)]
                emitted += 1
            handler.write_lines(lines)
            return emitted
        while _pending:
            entry = _pending.popleft()
            for level, text, fields in _messages(*entry):
                _handle(entry[0], level, text, fields)
            emitted += 1
    return emitted


def _start_drainer() -> None:
    global _drainer
    with _drain_lock:
        if _drainer is None:
            _drainer = threading.Thread(target=_drain_often, name="emulator-request-log", daemon=True)
            _drainer.start()
            atexit.register(drain)


def _drain_often() -> None:
    never = threading.Event()
    while not never.wait(DRAIN_INTERVAL):
        drain()


def _messages(
    created: float,
    target: str | None,
    requestline: str,
    request_body: bytes,
    status: int,
    body: bytes,
    latency_ms: float,
    debug: bool,
) -> list[tuple[int, str, dict[str, Any]]]:
    """A queued request's lines: ``(level, text, fields)``, DEBUG's bodies first."""
    operation = _operation(target, requestline)
    resource = _resource(request_body) if target else "-"  # S3 and control requests: the path says it
    error_code = _first(_ERROR_CODE, body) if status >= 400 else "-"
    fields = {
        "operation": operation,
        "resource": resource,
        "status": status,
        "error_code": None if error_code == "-" else error_code,
        "latency_ms": latency_ms,
    }
    line = (logging.INFO, f"{operation} {resource} {status} {error_code} {latency_ms:.2f}ms", fields)
    if not debug:
        return [line]
    return [
        (logging.DEBUG, f"{operation} request: {_cut(request_body)}", {}),
        (logging.DEBUG, f"{operation} response: {_cut(body)}", {}),
        line,
    ]


def _handle(created: float, level: int, message: str, fields: dict[str, Any]) -> None:
    """One record, timed when its request was answered, emitted through ``logger.handle`` (its
    filters, handlers and propagation). The record is a copy of :func:`_template`'s with the
    fields that differ set: the same attributes as a record ``makeRecord`` builds (a custom
    record factory's included), without its per-record work (the caller's frame, path splitting,
    thread and process lookups), which for this one caller gives the same values every time.
    That work was a third of a record's cost (``benchmarks/request_log_cost.py``)."""
    template = _TEMPLATES.get(threading.get_ident()) or _template()
    rec = _RECORD[0].__new__(_RECORD[0])
    d = rec.__dict__
    d.update(template)
    d.update(fields)
    d["msg"] = message
    d["levelno"], d["levelname"] = level, logging.getLevelName(level)
    d["created"], d["msecs"] = created, (created - int(created)) * 1000.0
    d["relativeCreated"] = template["relativeCreated"] + (created - template["created"]) * 1000.0
    logger.handle(rec)


_TEMPLATES: dict[int, dict[str, Any]] = {}  # by thread id: the drainer's, or a caller of drain()
_RECORD: list[type[logging.LogRecord]] = [logging.LogRecord]  # the record factory's class


def _template() -> dict[str, Any]:
    """A record made by ``makeRecord`` once per emitting thread, whose attributes others copy."""
    rec = logger.makeRecord(logger.name, logging.INFO, __file__, 0, "", (), None, "record")
    _RECORD[0] = type(rec)
    template = _TEMPLATES[threading.get_ident()] = dict(rec.__dict__)
    return template
