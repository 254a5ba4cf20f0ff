"""The S3 objects that Distributed Map ``ItemReader`` reads (MAP-09): the world's S3 store.

The store itself lives in :mod:`emulator.s3.store` and is the one the S3 service serves, so an
object uploaded with boto3's S3 client inside ``mock_aws()`` (or ``aws.client("s3")``, or over
``emulator serve``) is what ``arn:aws:states:::s3:getObject`` and ``listObjectsV2`` read.
``aws.stepfunctions.put_s3_object`` / ``delete_s3_object`` remain as thin aliases (the former
creates the bucket if needed).

A missing bucket or key makes the Map fail with ``States.ItemReaderFailed``; the causes are S3's
``NoSuchBucket`` / ``NoSuchKey`` texts in the AWS SDK for Java form
(``... (Service: S3, Status Code: 404, ...)``), without the request id (INF).
"""

from __future__ import annotations

from typing import Any

from ...s3.store import S3Object, S3ObjectStore, S3ReadError, store_of

__all__ = ["S3Object", "S3ObjectStore", "S3ReadError", "listing", "s3_store"]


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
    return store_of(service.world)
