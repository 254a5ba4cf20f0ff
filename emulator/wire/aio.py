"""aiobotocore (and so aioboto3) clients inside ``mock_aws()``: answered in-process, like botocore's.

aiobotocore does not send through ``botocore.endpoint.Endpoint._send``: its ``AioEndpoint`` (and
the httpx backend's ``AnyioEndpoint``, a subclass) awaits its own ``_send``, wraps answers in
``AioAWSResponse`` (whose ``content`` is awaited), and parses them with ``AioJSONParser``, whose
``_do_parse`` is a coroutine. Everything before sending is botocore's own code run by async
callers — validation, serialization, ``before-send`` (so a user's stubs, and moto's, still come
first), and signing with botocore's ``SigV4Auth`` (so the sync hook's skip of signing already
covers it).

So the async hook is the sync one behind async doors, applied and undone with it by
:mod:`emulator.wire.boto` once aiobotocore is loaded (the core never imports aiobotocore):

* ``AioEndpoint._send`` answers a request of ours with the very ``AWSResponse`` the sync
  ``Endpoint._send`` hook builds (same routing, same bytes, same native hand-off), re-wrapped as an
  ``AioAWSResponse``; any other request goes to aiobotocore's own ``_send``. The answer is computed
  synchronously on the event loop's thread: it is in-process work with nothing to wait on.
* ``AioJSONParser._do_parse`` takes the native hand-off, as the sync parser does, so the async
  client pays no more parsing than the sync one; everything else (CRC32 check, retries, errors as
  ``ClientError``, async paginators and waiters) is aiobotocore's unchanged code.
* ``AioSession.get_credentials`` notes sessions that cache the fake keys while mocked, so that they
  resolve their own credentials after the last context, as botocore sessions do.
"""

from __future__ import annotations

from typing import Any

from aiobotocore.awsrequest import AioAWSResponse
from aiobotocore.credentials import AioCredentials
from aiobotocore.endpoint import AioEndpoint
from aiobotocore.parsers import AioJSONParser
from aiobotocore.session import AioSession

from . import boto
from .patches import ClassPatch
from .targets import is_ours

__all__ = ["PATCHES"]


class _AioRaw:
    """The ``raw`` of our AioAWSResponse: the body is already in memory (and in ``_content``)."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def read(self, *_: Any) -> bytes:
        body, self._body = self._body, b""
        return body


async def _send(endpoint: Any, request: Any) -> Any:
    """``AioEndpoint._send`` while mocked: our services in-process, everything else unchanged."""
    if boto._active and is_ours(boto._target(request.headers)):
        answer = boto._send(endpoint, request)
        content = answer._content
        response = AioAWSResponse(answer.url, answer.status_code, answer.headers, _AioRaw(content))
        response._content = content
        return response
    return await _SEND.original(endpoint, request)


async def _do_parse(parser: Any, response: dict[str, Any], shape: Any) -> Any:
    """``AioJSONParser._do_parse`` while mocked: hand over the native answer if there is one."""
    body = response.get("body")
    if type(body) is boto._NativeBody:
        parsed = body.native
        parser._inject_response_metadata(parsed, response["headers"])
        return parsed
    return await _DO_PARSE.original(parser, response, shape)


async def _get_credentials(session: Any) -> Any:
    """``AioSession.get_credentials`` while mocked: note who caches the fake keys."""
    had = session._credentials is not None
    credentials = await _GET_CREDENTIALS.original(session)
    # Only plain credentials can be the fake keys (and only they have a readable ``access_key``).
    if not had and isinstance(credentials, AioCredentials):
        boto._resolved_while_mocked.add(session)
    return credentials


_SEND = ClassPatch(AioEndpoint, "_send", _send, ("self", "request"))
_DO_PARSE = ClassPatch(AioJSONParser, "_do_parse", _do_parse, ("self", "response", "shape"))
_GET_CREDENTIALS = ClassPatch(AioSession, "get_credentials", _get_credentials, ("self",))
PATCHES = (_SEND, _DO_PARSE, _GET_CREDENTIALS)
