"""Fake credentials and a default region while ``mock_aws`` is active, restored exactly on exit.

Users of an emulator typically have no AWS credentials and no region configured; botocore refuses
to create a client without a region and to sign a request without credentials (and, looking for
them, may probe the EC2 metadata endpoint over the network). Like moto, we therefore set
``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` to fake values and remove any session token for
the duration — real credentials can never be used, let alone leave the process — and set
``AWS_DEFAULT_REGION`` when it is not set: to ``AWS_REGION`` if that is set (botocore reads only
``AWS_DEFAULT_REGION``, so a user who set only ``AWS_REGION`` would otherwise get
``NoRegionError``), else to the Emulator's region. Every variable touched is put back to its
previous value (or removed) on exit.

boto3 caches credentials on its default session; a default session created inside the context is
dropped on exit, and one that existed before gets its cached credentials back, so nothing of the
fake environment outlives the context.
"""

from __future__ import annotations

import os
import sys
from typing import Any

FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"

_MISSING = object()


def configured_region() -> str | None:
    """The region the environment names for boto3 clients, if any (``AWS_DEFAULT_REGION``, which
    botocore reads, else ``AWS_REGION``, which other SDKs read)."""
    return os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or None


def emulator_for_environment(**options: Any) -> Any:
    """A fresh :class:`~emulator.Emulator` in the region the environment names (unless ``options``
    name one), so the ARNs it hands out name the region boto3 clients send to."""
    from ..world import Emulator

    region = configured_region()
    if region and "region" not in options:
        options = {**options, "region": region}
    return Emulator(**options)


class FakeEnvironment:
    """One activation's changes to ``os.environ`` and boto3's default session, and their undo."""

    __slots__ = ("_saved", "_boto3_session", "_boto3_credentials")

    def __init__(self) -> None:
        self._saved: dict[str, Any] = {}
        self._boto3_session: Any = _MISSING
        self._boto3_credentials: Any = None

    def _set(self, name: str, value: str | None) -> None:
        self._saved.setdefault(name, os.environ.get(name, _MISSING))
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

    def apply(self, region: str) -> None:
        boto3: Any = sys.modules.get("boto3")
        if boto3 is not None:
            session = getattr(boto3, "DEFAULT_SESSION", None)
            self._boto3_session = session
            if session is not None:
                self._boto3_credentials = getattr(session._session, "_credentials", None)
        self._set("AWS_ACCESS_KEY_ID", FAKE_ACCESS_KEY)
        self._set("AWS_SECRET_ACCESS_KEY", FAKE_SECRET_KEY)
        self._set("AWS_SESSION_TOKEN", None)
        self._set("AWS_SECURITY_TOKEN", None)
        if not os.environ.get("AWS_DEFAULT_REGION"):
            self._set("AWS_DEFAULT_REGION", os.environ.get("AWS_REGION") or region)

    def restore(self) -> None:
        for name, value in self._saved.items():
            if value is _MISSING:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved.clear()
        boto3: Any = sys.modules.get("boto3")
        if boto3 is not None:
            before = None if self._boto3_session is _MISSING else self._boto3_session
            boto3.DEFAULT_SESSION = before
            if before is not None:
                before._session._credentials = self._boto3_credentials
