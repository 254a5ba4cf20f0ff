"""``x-amzn-RequestId`` values, shaped like each service's and drawn from the world's seed.

DynamoDB's request ids are 52 upper-case alphanumerics; Step Functions' are UUIDs. They come from
a per-Emulator RNG (``world.rng("wire.request-id")``), so a seeded run is reproducible down to its
request ids. ``random.Random.getrandbits`` is atomic under the GIL, so server threads may share it.
"""

from __future__ import annotations

import random
import uuid
import weakref
from typing import Any

_rngs: weakref.WeakKeyDictionary[Any, random.Random] = weakref.WeakKeyDictionary()


_last: tuple[Any, random.Random | None] = (lambda: None, None)  # (weak ref to a world, its RNG)


_UNATTACHED = random.Random(0)  # a server with no Emulator attached still answers GET / and 404s


def _rng(world: Any) -> random.Random:
    if world is None:
        return _UNATTACHED
    last_ref, last_rng = _last
    if last_ref() is world and last_rng is not None:  # the usual case: the same world as last time
        return last_rng
    rng = _rngs.get(world)
    if rng is None:
        rng = _rngs.setdefault(world, world.rng("wire.request-id"))
    _remember(world, rng)
    return rng


def _remember(world: Any, rng: random.Random) -> None:
    global _last
    try:
        _last = (weakref.ref(world), rng)
    except TypeError:  # pragma: no cover - a world that cannot be weakly referenced
        pass


def dynamodb_request_id(world: Any) -> str:
    """52 upper-case alphanumerics, as DynamoDB's (hex digits: one ``format`` call, no base32)."""
    return format(_rng(world).getrandbits(208), "052X")


def uuid_request_id(world: Any) -> str:
    """A version-4 UUID, as Step Functions uses."""
    return str(uuid.UUID(int=_rng(world).getrandbits(128), version=4))


def s3_request_id(world: Any) -> str:
    """16 upper-case hex digits, as S3's ``x-amz-request-id``."""
    return format(_rng(world).getrandbits(64), "016X")


REQUEST_IDS = {
    "dynamodb": dynamodb_request_id,
    "dynamodbstreams": dynamodb_request_id,
    "stepfunctions": uuid_request_id,
    "s3": s3_request_id,
}
