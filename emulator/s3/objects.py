"""PutObject, GetObject (with Range), HeadObject, DeleteObject, DeleteObjects, CopyObject.

Rules kept here (https://docs.aws.amazon.com/AmazonS3/latest/API/):

* An object's ETag is the MD5 of its body, in double quotes; S3 encrypts every new object with
  SSE-S3, so writes and reads answer ``ServerSideEncryption: AES256``.
* ``Range: bytes=a-b`` (also ``a-`` and ``-n``) answers 206 with ``ContentRange``; a first byte
  past the end is ``InvalidRange`` (416); a range S3 cannot read (bad syntax, several ranges) is
  ignored and the whole object is sent.
* DeleteObject of a missing key succeeds (204); DeleteObjects reports every key as deleted.
* CopyObject copies metadata unless ``MetadataDirective=REPLACE``, and the source's checksums in
  either case ("that checksum value will be copied to the new object by default", API CopyObject);
  copying an object onto itself without changing anything is ``InvalidRequest``.
* Conditional reads (GetObject/HeadObject; RFC 7232 as S3 documents it for GetObject):
  ``IfMatch`` false → 412 ``PreconditionFailed``; ``IfUnmodifiedSince`` false → 412 unless
  ``IfMatch`` is true; ``IfNoneMatch`` false → 304; ``IfModifiedSince`` false → 304 unless
  ``IfNoneMatch`` is true. Dates compare to the second (HTTP dates have no fraction).
* Conditional writes (PutObject): ``IfNoneMatch: *`` on an existing key and an ``IfMatch`` that is
  not the current ETag are 412 ``PreconditionFailed``; ``IfMatch`` on a missing key is
  ``NoSuchKey`` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
* Checksums (``checksums.py``): kept from PutObject, answered with ``ChecksumMode=ENABLED``.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any
from urllib.parse import unquote

from . import checksums
from . import errors as E
from .buckets import timestamp
from .registry import registry
from .store import S3Object, S3ObjectStore, md5_etag, store_of

#: Stored representation headers: PutObject's member names, given back by GetObject/HeadObject.
STORED_HEADERS = ("CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage", "Expires")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def body_bytes(body: Any) -> bytes:
    """A request ``Body`` as bytes: bytes, str (UTF-8) or a readable file object, as boto3 takes."""
    if body is None:
        return b""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    raise E.error("InvalidArgument", "Body must be bytes, str or a file object")


def bucket_objects(service: Any, name: str) -> tuple[S3ObjectStore, Any]:
    store = store_of(service.world)
    bucket = store.buckets.get(name)
    if bucket is None:
        raise E.no_such_bucket(name)
    return store, bucket


def stored_object(
    service: Any, request: dict, key: str, body: bytes, etag: str, sums: dict[str, str] | None = None
) -> S3Object:
    """A new object from a PutObject/CreateMultipartUpload request's metadata."""
    return S3Object(
        key=key,
        body=body,
        last_modified=service.clock.now(),
        etag=etag,
        content_type=request.get("ContentType") or "binary/octet-stream",
        metadata=dict(request.get("Metadata") or {}),
        headers={h: request[h] for h in STORED_HEADERS if request.get(h) is not None},
        checksums=dict(sums or {}),
    )


def _write_condition(bucket: Any, request: dict) -> None:
    """PutObject's ``IfNoneMatch: *`` / ``IfMatch`` (conditional writes)."""
    key = request.get("Key", "")
    current = bucket.objects.get(key)
    none_match, match = request.get("IfNoneMatch"), request.get("IfMatch")
    if none_match is not None and current is not None and none_match.strip() == "*":
        raise E.error("PreconditionFailed", E.PRECONDITION_FAILED, Condition="If-None-Match")
    if match is not None:
        if current is None:
            raise E.no_such_key(key)
        if match.strip() not in (current.etag, current.etag.strip('"')):
            raise E.error("PreconditionFailed", E.PRECONDITION_FAILED, Condition="If-Match")


@registry("PutObject")
def put_object(service: Any, request: dict) -> dict:
    store, bucket = bucket_objects(service, request.get("Bucket", ""))
    key = request.get("Key", "")
    body = body_bytes(request.get("Body"))
    sums = checksums.of_request(request, body)
    with store.lock:
        _write_condition(bucket, request)
        obj = store.put_object(
            request["Bucket"], stored_object(service, request, key, body, md5_etag(body), sums)
        )
    return {"ETag": obj.etag, **checksums.answer(obj.checksums), "ServerSideEncryption": "AES256"}


def describe(obj: S3Object) -> dict:
    """HeadObject's answer for an object (GetObject's without the body)."""
    answer: dict[str, Any] = {
        "AcceptRanges": "bytes",
        "LastModified": timestamp(obj.last_modified),
        "ContentLength": len(obj.body),
        "ETag": obj.etag,
        "ContentType": obj.content_type,
        "ServerSideEncryption": "AES256",
        "Metadata": dict(obj.metadata),
    }
    answer.update(obj.headers)
    return answer


def find(service: Any, request: dict, *, head: bool) -> S3Object:
    """The requested object; its errors as S3 gives them (a HEAD's 404 has no code of its own)."""
    name = request.get("Bucket", "")
    key = request.get("Key", "")
    _, bucket = (
        bucket_objects(service, name) if not head else (None, store_of(service.world).buckets.get(name))
    )
    obj = bucket.objects.get(key) if bucket is not None else None
    if obj is None:
        raise E.not_found() if head else E.no_such_key(key)
    _read_conditions(request, obj)
    return obj


def _read_conditions(request: dict, obj: S3Object) -> None:
    """GetObject/HeadObject's conditional headers, with S3's precedence (module docstring)."""
    _conditions(
        obj,
        [request.get(f"If{name}") for name in ("Match", "UnmodifiedSince", "NoneMatch", "ModifiedSince")],
        ("If-Match", "If-Unmodified-Since"),
        lambda _condition: E.error("304", "Not Modified"),
    )


def copy_source_conditions(request: dict, obj: S3Object) -> None:
    """CopyObject/UploadPartCopy's ``x-amz-copy-source-if-*`` headers on the source object: the
    same precedence as a GET's (if-match true wins over if-unmodified-since, if-none-match true
    over if-modified-since), but every false condition is 412 ``PreconditionFailed``: S3 copies
    nothing and answers no 304 (API CopyObject)."""
    _conditions(
        obj,
        [request.get(f"CopySourceIf{n}") for n in ("Match", "UnmodifiedSince", "NoneMatch", "ModifiedSince")],
        ("x-amz-copy-source-If-Match", "x-amz-copy-source-If-Unmodified-Since"),
        lambda condition: E.error("PreconditionFailed", E.PRECONDITION_FAILED, Condition=condition),
        ("x-amz-copy-source-If-None-Match", "x-amz-copy-source-If-Modified-Since"),
    )


def _conditions(
    obj: S3Object,
    values: list[Any],
    names: tuple[str, str],
    not_modified: Any,
    modified_names: tuple[str, str] = ("If-None-Match", "If-Modified-Since"),
) -> None:
    match, unmodified_since, none_match, modified_since = values
    tags = ("*", obj.etag, obj.etag.strip('"'))
    modified = int(obj.last_modified)
    matched = match is not None and match.strip() in tags
    if match is not None and not matched:
        raise E.error("PreconditionFailed", E.PRECONDITION_FAILED, Condition=names[0])
    if unmodified_since is not None and not matched and modified > int(_epoch(unmodified_since)):
        raise E.error("PreconditionFailed", E.PRECONDITION_FAILED, Condition=names[1])
    none_matched = none_match is not None and none_match.strip() not in tags
    if none_match is not None and not none_matched:
        raise not_modified(modified_names[0])
    if modified_since is not None and not none_matched and modified <= int(_epoch(modified_since)):
        raise not_modified(modified_names[1])


def _epoch(value: Any) -> float:
    """A conditional date (a datetime, naive meaning UTC as botocore sends it, or epoch seconds)."""
    if isinstance(value, _dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)).timestamp()
    return float(value)


def byte_range(spec: Any, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a ``Range`` header, ``None`` to send everything; ``InvalidRange``
    when the range starts past the end."""
    found = _RANGE.match(spec) if isinstance(spec, str) else None
    if found is None:
        return None
    first, last = found.groups()
    if not first:
        if not last or int(last) == 0:
            return None if not last else _unsatisfiable(spec, size)
        return max(0, size - int(last)), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if end < start:
        return None
    if start >= size:
        return _unsatisfiable(spec, size)
    return start, min(end, size - 1)


def _unsatisfiable(spec: str, size: int) -> Any:
    raise E.error("InvalidRange", E.INVALID_RANGE, RangeRequested=spec, ActualObjectSize=str(size))


@registry("GetObject")
def get_object(service: Any, request: dict) -> dict:
    obj = find(service, request, head=False)
    answer = describe(obj)
    span = byte_range(request.get("Range"), len(obj.body))
    if span is None:
        answer["Body"] = obj.body
        if request.get("ChecksumMode") == "ENABLED":
            answer.update(checksums.answer(obj.checksums))
        return answer
    first, last = span
    answer["Body"] = obj.body[first : last + 1]
    answer["ContentLength"] = last - first + 1
    answer["ContentRange"] = f"bytes {first}-{last}/{len(obj.body)}"
    answer["ResponseMetadata"] = {"HTTPStatusCode": 206}
    return answer


@registry("HeadObject")
def head_object(service: Any, request: dict) -> dict:
    obj = find(service, request, head=True)
    answer = describe(obj)
    if request.get("ChecksumMode") == "ENABLED":
        answer.update(checksums.answer(obj.checksums))
    return answer


@registry("DeleteObject")
def delete_object(service: Any, request: dict) -> dict:
    store, _ = bucket_objects(service, request.get("Bucket", ""))
    store.delete(request["Bucket"], request.get("Key", ""))
    return {"ResponseMetadata": {"HTTPStatusCode": 204}}


@registry("DeleteObjects")
def delete_objects(service: Any, request: dict) -> dict:
    store, _ = bucket_objects(service, request.get("Bucket", ""))
    spec = request.get("Delete") or {}
    objects = spec.get("Objects") or []
    if not objects or len(objects) > 1000:
        raise E.error("MalformedXML", E.MALFORMED_XML)
    deleted = []
    for entry in objects:
        store.delete(request["Bucket"], entry["Key"])
        deleted.append({"Key": entry["Key"]})
    return {} if spec.get("Quiet") else {"Deleted": deleted}


def copy_source(source: Any) -> tuple[str, str]:
    """(bucket, key) of ``CopySource``: boto3's dict, or S3's ``bucket/key`` text (URL-encoded,
    optionally with a leading ``/`` and a ``?versionId=``)."""
    if isinstance(source, dict):
        return source.get("Bucket", ""), source.get("Key", "")
    text = unquote(str(source).split("?", 1)[0]).lstrip("/")
    bucket, _, key = text.partition("/")
    if not bucket or not key:
        raise E.error("InvalidArgument", "Invalid copy source object key", ArgumentName="x-amz-copy-source")
    return bucket, key


def copy_source_object(service: Any, request: dict) -> tuple[str, str, S3Object]:
    """CopyObject/UploadPartCopy's source: its bucket, key and object, the
    ``x-amz-copy-source-if-*`` conditions met (``NoSuchBucket`` / ``NoSuchKey`` when missing)."""
    source_bucket, source_key = copy_source(request.get("CopySource"))
    _, origin = bucket_objects(service, source_bucket)
    obj = origin.objects.get(source_key)
    if obj is None:
        raise E.no_such_key(source_key)
    copy_source_conditions(request, obj)
    return source_bucket, source_key, obj


@registry("CopyObject")
def copy_object(service: Any, request: dict) -> dict:
    store, _ = bucket_objects(service, request.get("Bucket", ""))
    source_bucket, source_key, obj = copy_source_object(service, request)
    key = request.get("Key", "")
    replace = request.get("MetadataDirective") == "REPLACE"
    if (source_bucket, source_key) == (request["Bucket"], key) and not replace:
        raise E.error("InvalidRequest", E.COPY_TO_ITSELF)
    if replace:
        copy = stored_object(service, request, key, obj.body, obj.etag, obj.checksums)
    else:
        copy = S3Object(
            key,
            obj.body,
            service.clock.now(),
            obj.etag,
            obj.content_type,
            obj.metadata,
            obj.headers,
            obj.checksums,
        )
    store.put_object(request["Bucket"], copy)
    return {
        "CopyObjectResult": {"ETag": copy.etag, "LastModified": timestamp(copy.last_modified)},
        "ServerSideEncryption": "AES256",
    }
