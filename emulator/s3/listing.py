"""ListObjectsV2 (and ListObjects, its first version): Prefix, Delimiter, MaxKeys, StartAfter, continuation tokens, EncodingType=url.

A page walks the bucket's sorted keys from a bisect (``O(log n + k)``, :mod:`emulator.s3.store`).
With a ``Delimiter``, keys that share the part up to the first delimiter after the prefix roll up
into one ``CommonPrefixes`` entry, which counts once against ``MaxKeys`` (S3's ``KeyCount`` counts
keys and common prefixes). The continuation token is opaque to callers, as S3's is: here it is the
base64 of the last key or common prefix given out (a common prefix resumes past every key under
it); a token that does not decode is ``InvalidArgument``. ``EncodingType=url`` (which botocore
always sends, and decodes again) URL-encodes the keys and prefixes in the answer.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import quote

from . import errors as E
from .buckets import owner, timestamp
from .objects import bucket_objects
from .registry import registry

_PAST_PREFIX = "\U0010ffff"  # sorts after every key under a common prefix


def _token(after: str) -> str:
    return base64.urlsafe_b64encode(after.encode("utf-8")).decode("ascii")


def _after(token: str) -> str:
    try:
        after = base64.b64decode(token.encode("ascii"), altchars=b"-_", validate=True).decode("utf-8")
        if token and _token(after) == token:
            return after
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise E.error(
        "InvalidArgument", E.BAD_CONTINUATION, ArgumentName="continuation-token", ArgumentValue=token
    )


def _page(store: Any, name: str, prefix: str, delimiter: str, after: str, max_keys: int) -> tuple:
    """(contents, common prefixes, resume-after or None) of one page."""
    contents: list = []
    prefixes: list[str] = []
    resume = None
    for obj in store.keys_after(name, prefix, after):
        common = None
        if delimiter:
            cut = obj.key.find(delimiter, len(prefix))
            if cut >= 0:
                common = obj.key[: cut + len(delimiter)]
                if (prefixes and prefixes[-1] == common) or common <= after:
                    continue  # rolled up already (on this page, or up to the marker)
        if len(contents) + len(prefixes) >= max_keys:
            return contents, prefixes, (resume if resume is not None else after)
        if common is not None:
            prefixes.append(common)
            resume = common + _PAST_PREFIX
        else:
            contents.append(obj)
            resume = obj.key
    return contents, prefixes, None


@registry("ListObjectsV2")
def list_objects_v2(service: Any, request: dict) -> dict:
    name = request.get("Bucket", "")
    store, _ = bucket_objects(service, name)
    prefix = request.get("Prefix") or ""
    delimiter = request.get("Delimiter") or ""
    max_keys = request.get("MaxKeys", 1000)
    max_keys = 1000 if max_keys is None else max(0, min(int(max_keys), 1000))
    token = request.get("ContinuationToken")
    start_after = request.get("StartAfter") or ""
    after = _after(token) if token is not None else start_after
    with store.lock:
        contents, prefixes, resume = _page(store, name, prefix, delimiter, after, max_keys)
    encode = (lambda s: quote(s, safe="/~")) if request.get("EncodingType") == "url" else (lambda s: s)
    answer: dict[str, Any] = {"IsTruncated": resume is not None}
    if contents:
        answer["Contents"] = [
            {
                "Key": encode(o.key),
                "LastModified": timestamp(o.last_modified),
                "ETag": o.etag,
                "Size": len(o.body),
                "StorageClass": "STANDARD",
            }
            for o in contents
        ]
    answer.update({"Name": name, "Prefix": encode(prefix), "MaxKeys": max_keys})
    if delimiter:
        answer["Delimiter"] = encode(delimiter)
    if prefixes:
        answer["CommonPrefixes"] = [{"Prefix": encode(p)} for p in prefixes]
    if request.get("EncodingType"):
        answer["EncodingType"] = request["EncodingType"]
    answer["KeyCount"] = len(contents) + len(prefixes)
    if token is not None:
        answer["ContinuationToken"] = token
    if resume is not None:
        answer["NextContinuationToken"] = _token(resume)
    if start_after:
        answer["StartAfter"] = encode(start_after)
    return answer


@registry("ListObjects")
def list_objects(service: Any, request: dict) -> dict:
    """The first version: ``Marker`` instead of tokens; ``NextMarker`` (the last key or common
    prefix given) only with a ``Delimiter``, as S3 sends it; each entry names its ``Owner``."""
    name = request.get("Bucket", "")
    store, bucket = bucket_objects(service, name)
    prefix = request.get("Prefix") or ""
    delimiter = request.get("Delimiter") or ""
    max_keys = request.get("MaxKeys", 1000)
    max_keys = 1000 if max_keys is None else max(0, min(int(max_keys), 1000))
    marker = request.get("Marker") or ""
    with store.lock:
        contents, prefixes, resume = _page(store, name, prefix, delimiter, marker, max_keys)
    encode = (lambda s: quote(s, safe="/~")) if request.get("EncodingType") == "url" else (lambda s: s)
    answer: dict[str, Any] = {"IsTruncated": resume is not None, "Marker": encode(marker)}
    if resume is not None and delimiter:
        last = max([o.key for o in contents[-1:]] + prefixes[-1:])
        answer["NextMarker"] = encode(last)
    if contents:
        owner_of = owner(bucket.owner_account)
        answer["Contents"] = [
            {
                "Key": encode(o.key),
                "LastModified": timestamp(o.last_modified),
                "ETag": o.etag,
                "Size": len(o.body),
                "StorageClass": "STANDARD",
                "Owner": owner_of,
            }
            for o in contents
        ]
    answer.update({"Name": name, "Prefix": encode(prefix), "MaxKeys": max_keys})
    if delimiter:
        answer["Delimiter"] = encode(delimiter)
    if prefixes:
        answer["CommonPrefixes"] = [{"Prefix": encode(p)} for p in prefixes]
    if request.get("EncodingType"):
        answer["EncodingType"] = request["EncodingType"]
    return answer
