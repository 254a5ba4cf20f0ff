"""moto's ``mock_aws`` and ours at once: we answer our three services, moto everything else.

moto answers boto3 from a ``before-send`` handler — one ``BotocoreStubber`` instance that moto
appends to botocore's ``BUILTIN_HANDLERS`` when it is imported, so every client has it, and that
answers whenever one of moto's ``mock_aws`` is active. ``before-send`` runs before
``Endpoint._send``, so with moto active it would answer DynamoDB, Streams and Step Functions from
its own backends and our hook would never see them, whichever context was entered first.

While one of our contexts is active, the stubber therefore declines requests whose ``X-Amz-Target``
belongs to one of our services (botocore then sends them to ``Endpoint._send``, which we answer)
and handles every other request exactly as before. This is the same decision as moto's own
``passthrough`` setting, taken without the user configuring anything, and only for the duration of
our context: patched on ``BotocoreStubber`` (the class, so moto's instance and any other are
covered) by :mod:`emulator.wire.boto` once moto is loaded, and undone with the other patches.
A user's own ``before-send`` handlers (``botocore.stub.Stubber``) are untouched and keep precedence.
"""

from __future__ import annotations

from typing import Any

from moto.core.botocore_stubber import BotocoreStubber

from . import boto
from .patches import ClassPatch
from .targets import is_ours

__all__ = ["PATCHES"]


def _stubber_call(stubber: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
    """``BotocoreStubber.__call__`` while mocked: leave our services to us, the rest to moto."""
    if boto._active and is_ours(boto._target(request.headers)):
        return None
    return _CALL.original(stubber, event_name, request, **kwargs)


_CALL = ClassPatch(BotocoreStubber, "__call__", _stubber_call, ("self", "event_name", "request", "**kwargs"))
PATCHES = (_CALL,)
