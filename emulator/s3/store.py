"""The world's S3 buckets and objects: what the S3 service serves and Distributed Map reads.

One store per :class:`~emulator.world.Emulator` (``world.shared("s3.objects", ...)``), because bucket
names are global in S3: every partition's S3 client and every partition's Step Functions
``ItemReader`` see the same buckets. The S3 service (:mod:`emulator.s3.service`) writes through
it; ``emulator/stepfunctions/runtime/s3objects.py`` reads it for ``arn:aws:states:::s3:getObject``
and ``listObjectsV2``.

Design decisions:

* Each bucket keeps its objects in a ``SortedDict`` keyed by the key string. Python orders ``str``
  by code point, which is the UTF-8 byte order S3 lists in, so a ListObjectsV2 page is a bisect
  plus ``k`` steps (``O(log n + k)``), never a sort per request.
* Objects are immutable records; a body is ``bytes`` and handed out as is (``bytes`` cannot be
  mutated by the caller).
* The store has its own lock: the S3 service writes under it and Step Functions reads under it,
  each from its own service lock, so a listing never sees a dict changing size under it.
* ETag: the hex MD5 of the body in double quotes; for a multipart upload, the MD5 of the parts'
  binary MD5s followed by ``-N`` (N parts), as S3 computes it.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sortedcontainers import SortedDict

#: S3's texts for the read errors (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
READ_ERRORS: dict[str, str] = {
    "NoSuchBucket": "The specified bucket does not exist",
    "NoSuchKey": "The specified key does not exist.",
}


class S3ReadError(Exception):
    """A read the real S3 would refuse: ``code`` is S3's error code (``NoSuchBucket``, ``NoSuchKey``);
    ``cause`` the text an AWS SDK for Java caller (a Distributed Map's ItemReader) reports, without
    its request id."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = READ_ERRORS[code]
        text = self.message if self.message.endswith(".") else self.message + "."
        self.cause = f"{text} (Service: S3, Status Code: 404, Request ID: null)"


def md5_etag(body: bytes) -> str:
    """S3's ETag of a single-part object: the body's hex MD5 in double quotes."""
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'


def multipart_etag(part_etags: list[str]) -> str:
    """S3's ETag of a multipart object: MD5 of the concatenated binary part MD5s, then ``-N``."""
    digest = hashlib.md5(b"".join(bytes.fromhex(e.strip('"')) for e in part_etags), usedforsecurity=False)
    return f'"{digest.hexdigest()}-{len(part_etags)}"'


@dataclass(frozen=True, slots=True)
class S3Object:
    key: str
    body: bytes
    last_modified: float  # epoch seconds, from the world's clock
    etag: str = ""
    content_type: str = "binary/octet-stream"
    metadata: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # ContentEncoding, CacheControl, ... as stored
    checksums: dict[str, str] = field(default_factory=dict)  # ChecksumCRC32 ... → base64 (checksums.py)


@dataclass(slots=True)
class Upload:
    """A multipart upload in progress: its parts by number, (etag, body)."""

    upload_id: str
    key: str
    initiated: float
    content_type: str
    metadata: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)
    parts: dict[int, tuple[str, bytes]] = field(default_factory=dict)
    part_times: dict[int, float] = field(default_factory=dict)  # when each part was uploaded (ListParts)


@dataclass(slots=True)
class Bucket:
    name: str
    region: str
    created: float
    owner_account: str
    objects: Any = field(default_factory=SortedDict)  # key → S3Object, in key order
    uploads: dict[str, Upload] = field(default_factory=dict)
    cors: list[dict] | None = None  # PutBucketCors's rules (emulator/s3/bucket_cors.py); None: none


class S3ObjectStore:
    """Bucket name → :class:`Bucket`. Guarded by :attr:`lock` (re-entrant)."""

    def __init__(self) -> None:
        self.buckets: dict[str, Bucket] = {}
        self.lock = threading.RLock()

    # -- buckets -------------------------------------------------------------------------------
    def bucket(self, name: str) -> Bucket:
        """The bucket, or :class:`S3ReadError` ``NoSuchBucket``."""
        bucket = self.buckets.get(name)
        if bucket is None:
            raise S3ReadError("NoSuchBucket")
        return bucket

    def create_bucket(self, name: str, region: str, now: float, owner_account: str) -> Bucket:
        with self.lock:
            bucket = self.buckets[name] = Bucket(name, region, now, owner_account)
            return bucket

    def delete_bucket(self, name: str) -> None:
        with self.lock:
            self.buckets.pop(name, None)

    # -- objects -------------------------------------------------------------------------------
    def put_object(self, bucket: str, obj: S3Object) -> S3Object:
        with self.lock:
            self.bucket(bucket).objects[obj.key] = obj
            return obj

    def put(
        self,
        bucket: str,
        key: str,
        body: bytes | str,
        now: float = 0.0,
        region: str = "us-east-1",
        owner_account: str = "123456789012",
    ) -> S3Object:
        """The native seeding call (``aws.stepfunctions.put_s3_object``): creates the bucket (in
        ``region``, owned by ``owner_account``: the caller's partition) if it does not exist yet."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(bucket, str) or not bucket or not isinstance(key, str) or not key:
            raise ValueError("Bucket and Key must be non-empty strings")
        if not isinstance(body, (bytes, bytearray)):
            raise TypeError("Body must be bytes or str")
        body = bytes(body)
        with self.lock:
            if bucket not in self.buckets:
                self.create_bucket(bucket, region, now, owner_account)
            return self.put_object(bucket, S3Object(key, body, now, md5_etag(body)))

    def put_existing(
        self, bucket: str, key: str, body: bytes, now: float, content_type: str = "binary/octet-stream"
    ) -> S3Object:
        """A write as an S3 PutObject call makes it: into an existing bucket only, else
        :class:`S3ReadError` ``NoSuchBucket`` (what a ResultWriter meets, MAP-11)."""
        return self.put_object(bucket, S3Object(key, body, now, md5_etag(body), content_type))

    def delete(self, bucket: str, key: str) -> None:
        with self.lock:
            found = self.buckets.get(bucket)
            if found is not None:
                found.objects.pop(key, None)

    def head(self, bucket: str, key: str) -> S3Object:
        """The object, or :class:`S3ReadError` (``NoSuchBucket`` / ``NoSuchKey``)."""
        with self.lock:
            obj = self.bucket(bucket).objects.get(key)
        if obj is None:
            raise S3ReadError("NoSuchKey")
        return obj

    def get(self, bucket: str, key: str) -> bytes:
        return self.head(bucket, key).body

    def keys_after(self, bucket: str, prefix: str = "", after: str = "") -> Iterator[S3Object]:
        """Objects whose key starts with ``prefix`` and sorts after ``after``, in key order.

        ``O(log n)`` to start, then one step per object yielded; a snapshot of the keys is not
        taken, so callers iterate under :attr:`lock`."""
        objects = self.bucket(bucket).objects
        start = max(prefix, after)
        index = objects.bisect_right(start) if start == after and after else objects.bisect_left(start)
        keys = objects.keys()
        for i in range(index, len(keys)):
            key = keys[i]
            if not key.startswith(prefix):
                return
            yield objects[key]

    def list(self, bucket: str, prefix: str = "") -> list[S3Object]:
        """Objects of ``bucket`` whose key starts with ``prefix``, in key (UTF-8 byte) order."""
        with self.lock:
            return list(self.keys_after(bucket, prefix))


def store_of(world: Any) -> S3ObjectStore:
    """The world's object store (created on first use): bucket names are global in S3."""
    store: S3ObjectStore = world.shared("s3.objects", S3ObjectStore)
    return store
