"""Multipart upload: CreateMultipartUpload, UploadPart, UploadPartCopy, ListParts,
CompleteMultipartUpload, AbortMultipartUpload.

boto3's ``upload_file`` switches to these above its 8 MiB threshold. S3's rules kept here:
part numbers 1-10,000; CompleteMultipartUpload's parts must be in ascending order
(``InvalidPartOrder``), each must have been uploaded with the given ETag (``InvalidPart``), and
every part but the last must be at least 5 MiB (``EntityTooSmall``). The object's ETag is the MD5
of the parts' binary MD5s followed by ``-N``. An unknown upload id is ``NoSuchUpload``.

UploadPartCopy makes a part from (a ``CopySourceRange: bytes=first-last`` of) an existing object,
answering ``CopyPartResult {ETag, LastModified}``; a range that is not ``bytes=first-last`` inside
the object is ``InvalidArgument`` [INF: the text]. ListParts lists the parts uploaded so far in
part-number order, ``MaxParts`` (default 1,000) per page from ``PartNumberMarker``, with
``IsTruncated`` and ``NextPartNumberMarker`` (API reference ListParts, UploadPartCopy, read
2026-12-08).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from . import checksums
from . import errors as E
from .buckets import timestamp
from .objects import STORED_HEADERS, body_bytes, bucket_objects, copy_source_object
from .registry import registry
from .store import S3Object, Upload, md5_etag, multipart_etag

MIN_PART = 5 * 1024 * 1024


def _upload(service: Any, request: dict) -> tuple[Any, Any, Upload]:
    store, bucket = bucket_objects(service, request.get("Bucket", ""))
    upload_id = request.get("UploadId", "")
    upload = bucket.uploads.get(upload_id)
    if upload is None or upload.key != request.get("Key"):
        raise E.error("NoSuchUpload", E.NO_SUCH_UPLOAD, UploadId=upload_id)
    return store, bucket, upload


@registry("CreateMultipartUpload")
def create_multipart_upload(service: Any, request: dict) -> dict:
    _, bucket = bucket_objects(service, request.get("Bucket", ""))
    upload_id = uuid.UUID(int=service.rng("s3:uploads").getrandbits(128), version=4).hex
    upload = Upload(
        upload_id,
        request.get("Key", ""),
        service.clock.now(),
        request.get("ContentType") or "binary/octet-stream",
        dict(request.get("Metadata") or {}),
        {h: request[h] for h in STORED_HEADERS if request.get(h) is not None},
    )
    bucket.uploads[upload_id] = upload
    return {"Bucket": bucket.name, "Key": upload.key, "UploadId": upload_id, "ServerSideEncryption": "AES256"}


def _part_number(request: dict) -> int:
    number = request.get("PartNumber")
    if not isinstance(number, int) or not 1 <= number <= 10000:
        raise E.error(
            "InvalidArgument",
            "Part number must be an integer between 1 and 10000, inclusive",
            ArgumentName="partNumber",
            ArgumentValue=str(number),
        )
    return number


def _keep_part(service: Any, upload: Upload, number: int, body: bytes) -> str:
    etag = md5_etag(body)
    upload.parts[number] = (etag, body)
    upload.part_times[number] = service.clock.now()
    return etag


@registry("UploadPart")
def upload_part(service: Any, request: dict) -> dict:
    _, _, upload = _upload(service, request)
    number = _part_number(request)
    body = body_bytes(request.get("Body"))
    checksums.of_request(request, body)  # a value sent that does not match is BadDigest
    etag = _keep_part(service, upload, number, body)
    return {"ETag": etag, "ServerSideEncryption": "AES256"}


@registry("UploadPartCopy")
def upload_part_copy(service: Any, request: dict) -> dict:
    _, _, upload = _upload(service, request)
    number = _part_number(request)
    _, _, obj = copy_source_object(service, request)
    body = obj.body
    span = request.get("CopySourceRange")
    if span is not None:
        first, last = _copy_range(span, len(body))
        body = body[first : last + 1]
    etag = _keep_part(service, upload, number, body)
    return {
        "CopyPartResult": {"ETag": etag, "LastModified": timestamp(upload.part_times[number])},
        "ServerSideEncryption": "AES256",
    }


def _copy_range(spec: Any, size: int) -> tuple[int, int]:
    """``bytes=first-last`` of ``CopySourceRange``, both given and inside the object."""
    found = re.fullmatch(r"bytes=(\d+)-(\d+)", str(spec))
    if found is None or int(found.group(1)) > int(found.group(2)) or int(found.group(2)) >= size:
        raise E.error(
            "InvalidArgument",
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first and "
            "last are the zero-based offsets of the first and last bytes to copy",
            ArgumentName="x-amz-copy-source-range",
            ArgumentValue=str(spec),
        )
    return int(found.group(1)), int(found.group(2))


@registry("ListParts")
def list_parts(service: Any, request: dict) -> dict:
    _, bucket, upload = _upload(service, request)
    limit = request.get("MaxParts")
    limit = 1000 if limit is None else max(0, min(int(limit), 1000))
    marker = int(request.get("PartNumberMarker") or 0)
    numbers = sorted(n for n in upload.parts if n > marker)
    page = numbers[:limit]
    answer: dict[str, Any] = {
        "Bucket": bucket.name,
        "Key": upload.key,
        "UploadId": upload.upload_id,
        "PartNumberMarker": marker,
        "MaxParts": limit,
        "IsTruncated": len(numbers) > limit,
        "Parts": [
            {
                "PartNumber": n,
                "LastModified": timestamp(upload.part_times.get(n, upload.initiated)),
                "ETag": upload.parts[n][0],
                "Size": len(upload.parts[n][1]),
            }
            for n in page
        ],
        "StorageClass": "STANDARD",
    }
    if page:
        answer["NextPartNumberMarker"] = page[-1]
    return answer


def _assemble(upload: Upload, parts: list) -> tuple[list[str], bytes]:
    if not parts:
        raise E.error("MalformedXML", E.MALFORMED_XML)
    numbers = [p.get("PartNumber") for p in parts]
    if any(b <= a for a, b in zip(numbers, numbers[1:])):
        raise E.error("InvalidPartOrder", E.INVALID_PART_ORDER, UploadId=upload.upload_id)
    chosen = []
    for part in parts:
        stored = upload.parts.get(part.get("PartNumber"))
        if stored is None or stored[0].strip('"') != str(part.get("ETag", "")).strip('"'):
            raise E.error(
                "InvalidPart",
                E.INVALID_PART,
                UploadId=upload.upload_id,
                PartNumber=str(part.get("PartNumber")),
            )
        chosen.append(stored)
    for number, (_, body) in zip(numbers[:-1], chosen[:-1]):
        if len(body) < MIN_PART:
            raise E.error(
                "EntityTooSmall",
                E.ENTITY_TOO_SMALL,
                ProposedSize=str(len(body)),
                MinSizeAllowed=str(MIN_PART),
                PartNumber=str(number),
            )
    return [etag for etag, _ in chosen], b"".join(body for _, body in chosen)


@registry("CompleteMultipartUpload")
def complete_multipart_upload(service: Any, request: dict) -> dict:
    store, bucket, upload = _upload(service, request)
    etags, body = _assemble(upload, (request.get("MultipartUpload") or {}).get("Parts") or [])
    obj = S3Object(
        upload.key,
        body,
        service.clock.now(),
        multipart_etag(etags),
        upload.content_type,
        upload.metadata,
        upload.headers,
    )
    store.put_object(bucket.name, obj)
    del bucket.uploads[upload.upload_id]
    return {
        "Location": f"https://{bucket.name}.s3.amazonaws.com/{upload.key}",
        "Bucket": bucket.name,
        "Key": upload.key,
        "ETag": obj.etag,
        "ServerSideEncryption": "AES256",
    }


@registry("AbortMultipartUpload")
def abort_multipart_upload(service: Any, request: dict) -> dict:
    _, bucket, upload = _upload(service, request)
    del bucket.uploads[upload.upload_id]
    return {"ResponseMetadata": {"HTTPStatusCode": 204}}
