"""An in-memory S3 object store: the source that Distributed Map ``ItemReader`` reads (MAP-09).

The emulator has no S3 service. This is a small, honest native extension so that state machines
with an ``ItemReader`` can run in tests: put objects with

    aws.stepfunctions.put_s3_object(Bucket="bucket-name", Key="file.json", Body=b"[1, 2]")

(``Body`` is ``bytes`` or ``str``; a ``str`` is stored as UTF-8). A bucket exists as soon as one
object was put into it. ``delete_s3_object`` removes one object again. The store belongs to the
Step Functions service of one :class:`~emulator.world.Emulator` (one store per world) and is not
reachable through boto3 (there is no S3 endpoint): it only feeds the ItemReader resources
``arn:aws:states:::s3:getObject`` and ``arn:aws:states:::s3:listObjectsV2``.

A missing bucket or key makes the Map fail with ``States.ItemReaderFailed``; the causes are
modelled on S3's ``NoSuchBucket`` / ``NoSuchKey`` error texts (AWS SDK for Java message form,
``... (Service: S3, Status Code: 404, ...)``) — the request id part is left out (INF).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from .. import messages as M


class S3ReadError(Exception):
    """A read the real S3 would refuse; ``cause`` is the text the Map failure carries."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


@dataclass(frozen=True, slots=True)
class S3Object:
    key: str
    body: bytes
    last_modified: float  # epoch seconds, from the world's clock

    @property
    def etag(self) -> str:
        return '"' + hashlib.md5(self.body, usedforsecurity=False).hexdigest() + '"'


class S3ObjectStore:
    """Buckets → keys → :class:`S3Object`. Not thread-safe by itself: the service lock guards it."""

    def __init__(self) -> None:
        self._buckets: dict[str, dict[str, S3Object]] = {}

    def put(self, bucket: str, key: str, body: bytes | str, now: float = 0.0) -> S3Object:
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(bucket, str) or not bucket or not isinstance(key, str) or not key:
            raise ValueError("Bucket and Key must be non-empty strings")
        if not isinstance(body, (bytes, bytearray)):
            raise TypeError("Body must be bytes or str")
        obj = S3Object(key=key, body=bytes(body), last_modified=now)
        self._buckets.setdefault(bucket, {})[key] = obj
        return obj

    def delete(self, bucket: str, key: str) -> None:
        self._buckets.get(bucket, {}).pop(key, None)

    def get(self, bucket: str, key: str) -> bytes:
        objects = self._objects(bucket)
        obj = objects.get(key)
        if obj is None:
            raise S3ReadError(M.NO_SUCH_KEY)
        return obj.body

    def list(self, bucket: str, prefix: str = "") -> list[S3Object]:
        """Objects of ``bucket`` whose key starts with ``prefix``, in key (UTF-8 byte) order."""
        objects = self._objects(bucket)
        keys = sorted((k for k in objects if k.startswith(prefix)), key=lambda k: k.encode("utf-8"))
        return [objects[k] for k in keys]

    def _objects(self, bucket: str) -> dict[str, S3Object]:
        objects = self._buckets.get(bucket)
        if objects is None:
            raise S3ReadError(M.NO_SUCH_BUCKET)
        return objects


def listing(obj: S3Object) -> dict:
    """One ``listObjectsV2`` item as the Map iteration receives it (AWS's documented shape)."""
    return {
        "Etag": obj.etag,
        "Key": obj.key,
        "LastModified": int(obj.last_modified),
        "Size": len(obj.body),
        "StorageClass": "STANDARD",
    }


def s3_store(service: Any) -> S3ObjectStore:
    """The world's object store (created on first use): bucket names are global in S3, so every
    partition's executions read the same buckets."""
    store: S3ObjectStore = service.world.shared("s3.objects", S3ObjectStore)
    return store
