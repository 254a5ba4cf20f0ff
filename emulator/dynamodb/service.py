"""The DynamoDB service: its operation registry, error table, table catalog and native client.

Operation handlers live in ``operations/`` (one module per concept: control plane, items,
batches, query and scan, tags and limits) and register themselves with ``operations.registry``
when imported (below). Every door dispatches through ``Service.call(op_name, request)``.

Design decisions:

* Operations we do not register (PartiQL, ...) answer
  ``UnknownOperationException`` through ``Service.call``, never a traceback; the native client
  still has their methods (``api_operations``), so native and boto3 code see the same error.
* The native client adds boto3's ``ResponseMetadata`` (``RequestId``, ``HTTPStatusCode`` 200,
  ``HTTPHeaders``, ``RetryAttempts`` 0) to every response, because user code written for boto3
  reads ``resp["ResponseMetadata"]["HTTPStatusCode"]``. It is cheap: request ids come from a
  counter mixed with the world seed, not from ``uuid4``. ``Service.call`` itself returns the bare
  response; the wire layer builds its own metadata.
* Per table, the engine gets the world's clock, ``replica_lag`` and an RNG derived from the world
  seed and the table name, so eventually consistent reads are reproducible under a seed.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..api_operations import DYNAMODB
from ..service import Client, Service, unknown_parameters
from .errors import ERRORS, UnknownOperationException
from .operations import (  # noqa: F401 - registers handlers
    backups,
    batch,
    control,
    items,
    partiql,
    policies,
    reads,
    registry,
    tags,
    transactions,
    transfers,
    ttl,
)
from .tables import Catalog

if TYPE_CHECKING:
    from ..partition import Partition
    from ..usage import UsageReport
    from ..world import Emulator


class DynamoDBClient(Client):
    """boto3's DynamoDB client shape over the service, with boto3's ``ResponseMetadata``."""

    def __init__(self, service: Service) -> None:
        super().__init__(service)
        # RequestId: 52 characters like AWS's; a seed-derived prefix plus a counter (cheap, unique).
        self._request_prefix = f"{(service.world.seed * 7919) % (16**40):040X}"
        self._request_ids = itertools.count(1)
        self._enlist()

    def expire_ttl_now(self, table_name: str | None = None) -> int:
        """Native-only extra (no boto3 method has this name): run the TTL sweep now, ignoring the
        sweep delay, and return how many expired items were deleted (``dynamodb/ttl.py``)."""
        from .ttl import expire_now

        return expire_now(self._service, table_name)

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
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Native-only extra: register ``fn(event, context)`` as a consumer of the table's stream,
        as a Lambda event source mapping would call it (``dynamodb/stream_consumers.py``). Usable as
        ``@ddb.stream_consumer("Orders", starting_position="TRIM_HORIZON")``; the settings are
        CreateEventSourceMapping's, in snake_case. ``table_name`` may also be a stream ARN."""
        from .stream_consumers import make_config, register

        config = make_config(
            starting_position=starting_position,
            batch_size=batch_size,
            maximum_retry_attempts=maximum_retry_attempts,
            bisect_batch_on_function_error=bisect_batch_on_function_error,
            maximum_record_age_in_seconds=maximum_record_age_in_seconds,
            filter_criteria=filter_criteria,
            on_failure=on_failure,
        )

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            register(self._service, table_name, fn, config, function_name)
            return fn

        return decorate

    def remove_stream_consumer(self, fn: Callable[..., Any]) -> int:
        """Native-only extra: stop the stream consumers that call ``fn``; returns how many."""
        consumers = getattr(self._service, "stream_consumers", None)
        if consumers is None:
            return 0
        with self._service.lock:
            return int(consumers.remove(fn))

    def usage(self) -> UsageReport:
        """Native-only extra: per table and GSI, consumed RCU/WCU, items and sizes, throttles, the
        hottest partitions and keys, and estimated monthly costs (``dynamodb/capacity/usage.py``).
        Returns a :class:`~emulator.usage.UsageReport`: ``print()`` it, or ``.to_json()``."""
        from .capacity.usage import dynamodb_usage

        return dynamodb_usage(self._service)

    def __getattr__(self, attr: str) -> Callable[..., dict[str, Any]]:
        op, valid, order = self._operation(attr)
        service = self._service
        call = service.call if op in service.checked_after_crash else service.native_call
        ids = self._request_ids
        prefix = self._request_prefix

        def method(**kwargs: Any) -> dict[str, Any]:
            if not valid.issuperset(kwargs):  # boto3's client-side check of parameter names
                raise unknown_parameters(kwargs, order)
            response = call(op, kwargs)
            response["ResponseMetadata"] = {
                "RequestId": f"{prefix}{next(ids):012d}",
                "HTTPStatusCode": 200,
                "HTTPHeaders": {},
                "RetryAttempts": 0,
            }
            return response

        method.__name__ = attr
        method.__doc__ = f"Call DynamoDB {op} (native door)."
        self.__dict__[attr] = method
        return method


class DynamoDB(Service):
    """Amazon DynamoDB, in process."""

    name = "dynamodb"
    api_operations = DYNAMODB
    registry = registry
    errors = ERRORS
    unknown_operation = UnknownOperationException
    client_class = DynamoDBClient
    # Item operations check their own input on the hot path (validation.py, values.py); a mistyped
    # native request that still crashes one is answered as the wire answers it (param_types.py).
    checked_after_crash = frozenset(
        {
            "GetItem",
            "PutItem",
            "UpdateItem",
            "DeleteItem",
            "Query",
            "Scan",
            "BatchGetItem",
            "BatchWriteItem",
            "TransactGetItems",
            "TransactWriteItems",
        }
    )

    def __init__(self, world: Emulator, partition: Partition | None = None) -> None:
        super().__init__(world, partition)
        self.native_clients: weakref.WeakSet[DynamoDBClient] = weakref.WeakSet()  # see forget_methods
        self.stream_consumers: Any = None  # stream_consumers.Consumers, on the first registration
        self.catalog = Catalog(self)
        #: The capacity model (``Emulator(capacity="enforce"|"track")``, dynamodb/capacity/), else
        #: None. With it on, the plain PutItem/GetItem fast paths are left out of this service's
        #: registry, so the item operations' one ``capacity is not None`` test is all the model costs
        #: an emulator without it.
        self.capacity: Any = None
        mode = world.options.get("capacity")
        if mode is not None:
            from .capacity import CapacityModel, without_fast_paths

            self.capacity = CapacityModel(self, mode)
            self.registry = without_fast_paths(registry)
