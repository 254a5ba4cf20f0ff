"""DynamoDB's front end answering on its own: the health line of ``GET /`` and the 404s.

These answers come from no operation: AWS's front end gives them before a request reaches the
service (docs/rules/dynamodb.md W12, W13). They are shaped like every DynamoDB answer — an
``x-amzn-RequestId`` and the ``x-amz-crc32`` of the body — because AWS's are (its 2019 capture,
and dynalite's connection tests, run against live DynamoDB). The HTTP door
(:mod:`emulator.wire.http_door`) picks which one a request gets; this module says what each one is.
"""

from __future__ import annotations

import zlib
from typing import Any

from . import messages as m
from .awsjson import WireResponse
from .request_ids import dynamodb_request_id

__all__ = ["health", "is_root", "not_found", "page_not_found"]


def _answer(world: Any, status: int, body: bytes, content_type: str | None) -> WireResponse:
    headers = {"x-amzn-RequestId": dynamodb_request_id(world)}
    if content_type is not None:
        headers["Content-Type"] = content_type
    headers["Content-Length"] = str(len(body))
    headers["x-amz-crc32"] = str(zlib.crc32(body) & 0xFFFFFFFF)
    return WireResponse(status, headers, body)


def health(world: Any, host: str | None) -> WireResponse:
    """W12: 200 ``healthy: <host> `` — the host (and port) the client called, from its Host
    header; the regional endpoint's name when there is none. ``text/plain`` is [INF]."""
    if not host:
        host = m.HEALTH_HOST.format(region=getattr(world, "region", None) or "us-east-1")
    body = m.HEALTH.format(host=host).encode("latin-1")  # headers are read as latin-1: every text encodes
    return _answer(world, 200, body, "text/plain")


def not_found(world: Any) -> WireResponse:
    """W13: the 404 of a request that is not a JSON POST (another method, a foreign Content-Type)."""
    return _answer(world, 404, m.NOT_FOUND_BODY.encode("ascii"), None)


def page_not_found(world: Any) -> WireResponse:
    """W12: the 404 of a ``GET`` off the root path (AWS's "Page Not Found" page)."""
    return _answer(world, 404, m.NOT_FOUND_PAGE.encode("ascii"), None)


def is_root(target: str) -> bool:
    """Whether a request target names the root path: ``/``, with or without a query string
    ([INF]: a query does not move the path), or an absolute URL whose path is ``/`` or empty."""
    if "://" in target.split("?", 1)[0] and not target.startswith("/"):
        target = target.split("://", 1)[1]
        slash = target.find("/")
        target = "/" if slash < 0 else target[slash:]
    return target.split("?", 1)[0] == "/"
