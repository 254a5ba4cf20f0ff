"""Which (account, region) partition a wire request is for: the SigV4 credential scope.

Every signed AWS request carries ``Authorization: AWS4-HMAC-SHA256 Credential=<access key
id>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...``. The region of that
scope is the region the client was made for, which is the partition AWS answers in. The account
comes from the access key id when it is a 12-digit number, as LocalStack does (``aws configure set
aws_access_key_id 111122223333``); any other key id, an unsigned request or an unreadable scope
gets the Emulator's default account, and an absent or unreadable region its default region.

The boto3 hook does not sign (an in-process answer has nothing to authenticate); it writes the
same credential scope into the header instead, so both doors route through this one function.
"""

from __future__ import annotations

from typing import Any

from ..caches import BoundedCache
from ..partition import Partition, check_account_id, check_region

__all__ = ["partition_of", "scope_header"]

_CREDENTIAL = "Credential="
# Distinct (key id, region, default) triples remembered; the oldest makes room for a new one.
_cache: BoundedCache[tuple[str, str, Partition], Partition] = BoundedCache("wire.scope", 1024)
_known = _cache.entries.get


def _partition(key_id: str, region: str, default: Partition) -> Partition:
    """The partition a credential scope names; its defaults come from ``default``."""
    key = (key_id, region, default)
    known = _known(key)
    if known is not None:
        return known
    try:
        account = check_account_id(key_id)
    except ValueError:
        account = default.account_id
    try:
        named = check_region(region)
    except ValueError:
        named = default.region
    partition = Partition(account, named)
    if partition == default:
        partition = default  # the usual case: the very object, so lookups compare by identity
    return _cache.put(key, partition)


def partition_of(world: Any, authorization: str | None) -> Partition:
    """The partition of ``world`` that a request with this ``Authorization`` header is for."""
    default: Partition = world.default_partition
    if not authorization:
        return default
    start = authorization.find(_CREDENTIAL)
    if start < 0:
        return default
    start += len(_CREDENTIAL)
    end = authorization.find(",", start)
    scope = (authorization[start:end] if end >= 0 else authorization[start:]).strip().split("/")
    if len(scope) < 3:
        return default
    return _partition(scope[0], scope[2], default)


def scope_header(access_key: str, region: str, service: str) -> str:
    """An ``Authorization`` value that carries a credential scope and no signature (the hook's)."""
    return f"AWS4-HMAC-SHA256 Credential={access_key}/00000000/{region}/{service}/aws4_request"
