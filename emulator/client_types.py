"""What a type checker sees as the native clients: boto3's client types plus the native extras.

At run time the native clients are :class:`emulator.service.Client` subclasses whose methods are
made on first use, which a type checker cannot follow. So ``Emulator.dynamodb`` and friends are
annotated with the classes below, which exist only for the type checker (``TYPE_CHECKING``): each
is boto3's own client type from the ``types-boto3-*`` stub packages (``pip install
"dynamodb-stepfunctions-emulator[typing]"``), extended with the methods only the native client has. mypy then checks every
call as it would on a boto3 client (``put_item(Itme=...)`` is an error), and the extras too.

Without the stubs installed, the boto3 base is unknown (``Any``) and so is every boto3 method;
nothing is reported, as before. The extras' signatures here must follow the real methods
(``dynamodb/service.py``, ``stepfunctions/service.py``); ``tests/test_client_types.py`` runs mypy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from types_boto3_dynamodb.client import DynamoDBClient
    from types_boto3_dynamodbstreams.client import DynamoDBStreamsClient
    from types_boto3_s3.client import S3Client
    from types_boto3_stepfunctions.client import SFNClient

    from .service import Service
    from .usage import UsageReport

    _F = TypeVar("_F", bound=Callable[..., Any])

    class NativeDynamoDBClient(DynamoDBClient):
        """boto3's DynamoDB client, plus the native extras."""

        @property
        def service(self) -> Service:
            raise NotImplementedError

        def expire_ttl_now(self, table_name: str | None = None) -> int:
            raise NotImplementedError

        def stream_consumer(
            self,
            table_name: str,
            *,
            starting_position: str,
            batch_size: int = 100,
            maximum_retry_attempts: int = -1,
            bisect_batch_on_function_error: bool = False,
            maximum_record_age_in_seconds: int = -1,
            filter_criteria: dict[str, Any] | None = None,
            on_failure: Callable[[dict[str, Any]], Any] | None = None,
            function_name: str | None = None,
        ) -> Callable[[_F], _F]:
            raise NotImplementedError

        def remove_stream_consumer(self, fn: Callable[..., Any]) -> int:
            raise NotImplementedError

        def usage(self) -> UsageReport:
            raise NotImplementedError

    class NativeDynamoDBStreamsClient(DynamoDBStreamsClient):
        """boto3's DynamoDB Streams client, plus the native extras."""

        @property
        def service(self) -> Service:
            raise NotImplementedError

    class NativeStepFunctionsClient(SFNClient):
        """boto3's Step Functions client, plus the native extras."""

        @property
        def service(self) -> Service:
            raise NotImplementedError

        def task(self, resource_arn: str) -> Callable[[_F], _F]:
            raise NotImplementedError

        def run_until_idle(self, *, include_timeouts: bool = False) -> int:
            raise NotImplementedError

        def usage(self) -> UsageReport:
            raise NotImplementedError

        def put_s3_object(self, *, Bucket: str, Key: str, Body: bytes | str) -> dict[str, Any]:  # noqa: N803
            raise NotImplementedError

        def delete_s3_object(self, *, Bucket: str, Key: str) -> dict[str, Any]:  # noqa: N803
            raise NotImplementedError

    class NativeS3Client(S3Client):
        """boto3's S3 client, plus the native extras."""

        @property
        def service(self) -> Service:
            raise NotImplementedError
