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

from ..partition import Partition, check_account_id, check_region

__all__ = ["partition_of", "scope_header"]

_CREDENTIAL = "Credential="
_cache: dict[tuple[str, str], tuple[str | None, str | None]] = {}
_CACHE_LIMIT = 1024  # distinct (key id, region) pairs remembered; beyond it each is parsed again


def _account_and_region(key_id: str, region: str) -> tuple[str | None, str | None]:
    known = _cache.get((key_id, region))
    if known is not None:
        return known
    try:
        account: str | None = check_account_id(key_id)
    except ValueError:
        account = None
    try:
        valid_region: str | None = check_region(region)
    except ValueError:
        valid_region = None
    if len(_cache) < _CACHE_LIMIT:
        _cache[(key_id, region)] = (account, valid_region)
    return account, valid_region


def partition_of(world: Any, authorization: str | None) -> Partition:
    """The partition of ``world`` that a request with this ``Authorization`` header is for."""
    if not authorization:
        return world.default_partition
    start = authorization.find(_CREDENTIAL)
    if start < 0:
        return world.default_partition
    start += len(_CREDENTIAL)
    end = authorization.find(",", start)
    scope = (authorization[start:end] if end >= 0 else authorization[start:]).strip().split("/")
    if len(scope) < 3:
        return world.default_partition
    account, region = _account_and_region(scope[0], scope[2])
    if account is None and region is None:
        return world.default_partition
    return Partition(account or world.account_id, region or world.region)


def scope_header(access_key: str, region: str, service: str) -> str:
    """An ``Authorization`` value that carries a credential scope and no signature (the hook's)."""
    return f"AWS4-HMAC-SHA256 Credential={access_key}/00000000/{region}/{service}/aws4_request"
