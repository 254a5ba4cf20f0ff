"""The S3 service: buckets and objects in the world's one store, through every door.

``aws.s3`` / ``aws.client("s3")`` is the native client; ``mock_aws()`` answers boto3's S3 clients
and ``emulator serve`` answers S3's REST-XML requests (``emulator/wire/restxml.py``), path-style and
virtual-host-style. The store is shared by every partition (bucket names are global) and is what
Step Functions' Distributed Map ``ItemReader`` reads (``emulator/s3/store.py``).

Operations S3 has but this emulator does not (versioning, ACLs, lifecycle, ...) answer S3's
``NotImplemented`` (501), as S3 does for functionality it does not implement.

DynamoDB's ExportTableToPointInTime writes into it and ImportTable reads from it
(``emulator/dynamodb/exports.py``, ``emulator/dynamodb/imports.py``).
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from ..api_operations import S3 as S3_OPERATIONS
from ..service import Client, Service
from . import (  # noqa: F401 - importing a handler module registers its operations
    bucket_cors,
    buckets,
    listing,
    multipart,
    objects,
)
from .errors import ERRORS, NOT_IMPLEMENTED
from .registry import registry
from .store import store_of


class S3(Service):
    """Service object behind ``aws.s3``: one per partition, all over the world's one store."""

    name = "s3"
    api_operations = S3_OPERATIONS
    registry = registry
    errors = ERRORS
    unknown_operation = ERRORS["NotImplemented"]

    def __init__(self, world: Any, partition: Any = None) -> None:
        super().__init__(world, partition)
        self.store = store_of(world)
        self.lock = self.store.lock  # one lock for the one store, whichever partition writes

    def unknown_operation_message(self, op_name: str) -> str:
        return NOT_IMPLEMENTED

    def native_call(self, op_name: str, request: dict[str, Any]) -> dict[str, Any]:
        """boto3's client-side customization first: a ``CopySource`` given as a dict
        (``{"Bucket", "Key", "VersionId"}``) becomes S3's URL-encoded ``bucket/key`` text."""
        source = request.get("CopySource")
        if isinstance(source, dict):
            text = quote(f"{source.get('Bucket', '')}/{source.get('Key', '')}", safe="/~")
            if source.get("VersionId"):
                text += f"?versionId={source['VersionId']}"
            request = {**request, "CopySource": text}
        missing = self._missing(op_name, request)
        if missing is not None:
            raise missing
        return super().native_call(op_name, request)

    @staticmethod
    def _missing(op_name: str, request: dict[str, Any]) -> Exception | None:
        """botocore's ``ParamValidationError`` for required parameters left out, as a boto3 client
        raises it before sending (S3's handlers rely on ``Bucket`` and ``Key`` being there)."""
        from botocore.exceptions import ParamValidationError

        from ..wire.native_client import botocore_service_model

        model = botocore_service_model("s3")
        if op_name not in model.operation_names:
            return None
        shape = model.operation_model(op_name).input_shape
        absent = [m for m in (shape.required_members if shape is not None else ()) if m not in request]
        if not absent:
            return None
        report = "\n".join(f'Missing required parameter in input: "{m}"' for m in absent)
        return ParamValidationError(report=report)


class StreamingBody(io.BytesIO):
    """GetObject's ``Body`` on the native door: readable like botocore's ``StreamingBody``."""

    def iter_chunks(self, chunk_size: int = 1024) -> Any:
        while chunk := self.read(chunk_size):
            yield chunk

    def iter_lines(self, chunk_size: int = 1024, keepends: bool = False) -> Any:
        yield from self.getvalue()[self.tell() :].splitlines(keepends)


class S3Client(Client):
    """The native S3 client: GetObject's ``Body`` is a readable stream, as on a boto3 client."""

    def __getattr__(self, attr: str) -> Any:
        method = super().__getattr__(attr)
        if attr != "get_object":
            return method

        def get_object(**kwargs: Any) -> dict[str, Any]:
            answer = method(**kwargs)
            answer["Body"] = StreamingBody(answer["Body"])
            return answer

        self.__dict__[attr] = get_object
        return get_object


S3.client_class = S3Client  # type: ignore[attr-defined]
