"""CreateBucket, HeadBucket, GetBucketLocation, DeleteBucket, ListBuckets.

Bucket names are global (one store per world); a bucket remembers the region and the account that
created it. AWS's rules kept here:

* CreateBucket outside us-east-1 needs ``CreateBucketConfiguration.LocationConstraint`` naming the
  endpoint's region (``IllegalLocationConstraintException`` otherwise); in us-east-1 the constraint
  ``us-east-1`` is refused (``InvalidLocationConstraint``).
* Creating a bucket you already own is ``BucketAlreadyOwnedByYou`` (409), except in us-east-1,
  where S3 answers 200 and does nothing; a name another account owns is ``BucketAlreadyExists``.
* GetBucketLocation answers the bucket's region, except us-east-1's, which is null (an empty
  ``LocationConstraint``; boto3 reads ``None``).
* DeleteBucket of a bucket with objects is ``BucketNotEmpty`` (409).
* ListBuckets lists the caller account's buckets, by name.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from . import errors as E
from .registry import registry
from .store import store_of

_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def valid_bucket_name(name: Any) -> bool:
    """S3's general-purpose bucket naming rules (3-63 chars, lowercase letters, digits, dots, hyphens)."""
    return (
        isinstance(name, str)
        and bool(_NAME.match(name))
        and ".." not in name
        and not _IP.match(name)
        and not name.startswith("xn--")
        and not name.endswith("-s3alias")
    )


def timestamp(seconds: float) -> datetime:
    """S3's whole-second timestamps as boto3's aware datetimes."""
    return datetime.fromtimestamp(int(seconds), tz=timezone.utc)


@registry("CreateBucket")
def create_bucket(service: Any, request: dict) -> dict:
    name = request.get("Bucket")
    if not isinstance(name, str) or not valid_bucket_name(name):
        raise E.error("InvalidBucketName", E.INVALID_BUCKET_NAME, BucketName=name)
    constraint = (request.get("CreateBucketConfiguration") or {}).get("LocationConstraint")
    region = service.region
    if region == "us-east-1" and constraint == "us-east-1":
        raise E.error("InvalidLocationConstraint", E.INVALID_LOCATION, LocationConstraint=constraint)
    if region != "us-east-1" and constraint != region:
        raise E.error("IllegalLocationConstraintException", E.ILLEGAL_LOCATION)
    store = store_of(service.world)
    with store.lock:
        existing = store.buckets.get(name)
        if existing is not None:
            if existing.owner_account != service.account_id:
                raise E.error("BucketAlreadyExists", E.ALREADY_EXISTS, BucketName=name)
            if region != "us-east-1":
                raise E.error("BucketAlreadyOwnedByYou", E.ALREADY_OWNED, BucketName=name)
        else:
            store.create_bucket(name, region, service.clock.now(), service.account_id)
    if region == "us-east-1":
        return {"Location": f"/{name}"}
    return {"Location": f"http://{name}.s3.amazonaws.com/"}


@registry("HeadBucket")
def head_bucket(service: Any, request: dict) -> dict:
    bucket = store_of(service.world).buckets.get(request.get("Bucket", ""))
    if bucket is None:
        raise E.not_found()
    return {"BucketRegion": bucket.region, "AccessPointAlias": False}


@registry("GetBucketLocation")
def get_bucket_location(service: Any, request: dict) -> dict:
    name = request.get("Bucket", "")
    bucket = store_of(service.world).buckets.get(name)
    if bucket is None:
        raise E.no_such_bucket(name)
    return {"LocationConstraint": None if bucket.region == "us-east-1" else bucket.region}


@registry("DeleteBucket")
def delete_bucket(service: Any, request: dict) -> dict:
    name = request.get("Bucket", "")
    store = store_of(service.world)
    with store.lock:
        bucket = store.buckets.get(name)
        if bucket is None:
            raise E.no_such_bucket(name)
        if bucket.objects:
            raise E.error("BucketNotEmpty", E.BUCKET_NOT_EMPTY, BucketName=name)
        store.delete_bucket(name)
    return {}


@registry("ListBuckets")
def list_buckets(service: Any, request: dict) -> dict:
    prefix = request.get("Prefix") or ""
    store = store_of(service.world)
    with store.lock:
        mine = sorted(
            (b for b in store.buckets.values() if b.owner_account == service.account_id),
            key=lambda b: b.name,
        )
    buckets = [
        {"Name": b.name, "CreationDate": timestamp(b.created), "BucketRegion": b.region}
        for b in mine
        if b.name.startswith(prefix)
    ]
    answer: dict[str, Any] = {"Buckets": buckets, "Owner": owner(service.account_id)}
    if prefix:
        answer["Prefix"] = prefix
    return answer


def owner(account_id: str) -> dict:
    """The ``Owner`` S3 reports: the account's canonical user id (here derived from the account)."""
    return {"DisplayName": "emulator", "ID": (account_id * 6)[:64]}
