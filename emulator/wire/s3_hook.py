"""The boto3 hook's answer to an S3 request (``mock_aws()``; see :mod:`emulator.wire.boto`).

The prepared request's method, URL, headers and body go to :func:`emulator.wire.s3_door.handle`,
the code ``emulator serve`` runs, and the answer goes back as botocore's ``AWSResponse``, whose
``raw`` reads in pieces, so that GetObject's ``StreamingBody`` and s3transfer's downloads read it
as they read a socket.

S3 requests are signed as botocore signs them (the signing patch of :mod:`emulator.wire.boto` skips
only the JSON services): the signature's credential scope routes the request to its partition, and
a request that moto's ``mock_aws`` answers instead (when it is active too, moto keeps S3) arrives
there exactly as botocore prepared it.
"""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import AWSResponse

from .s3_door import handle


class _Raw:
    """``AWSResponse.raw`` over bytes in memory: ``read(amt)`` and ``stream()``."""

    __slots__ = ("_body", "_at")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._at = 0

    def read(self, amt: int | None = None, *_: Any, **__: Any) -> bytes:
        end = len(self._body) if amt is None else self._at + amt
        chunk = self._body[self._at : end]
        self._at += len(chunk)
        return chunk

    def stream(self, amt: int = 1024, **_: Any) -> Any:
        while chunk := self.read(amt):
            yield chunk

    def close(self) -> None:
        pass


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    data = body.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def is_s3(target: str | None, endpoint: Any) -> bool:
    """Whether a prepared request with this ``X-Amz-Target`` is S3's: it has none, and its endpoint
    is S3's (botocore's ``Endpoint`` keeps the model's endpoint prefix)."""
    return target is None and getattr(endpoint, "_endpoint_prefix", "") == "s3"


def answer_s3(world: Any, request: Any) -> AWSResponse:
    """The in-process answer to one prepared S3 request."""
    headers = {}
    for name, value in request.headers.items():
        headers[name.lower()] = value.decode("latin-1") if isinstance(value, bytes) else value
    answer = handle(world, request.method, request.url, headers, _body_bytes(request.body))
    return AWSResponse(request.url, answer.status, answer.headers, _Raw(answer.body))
