"""Registering stream consumers (``aws.dynamodb.stream_consumer(...)``) and when they are served.

``@aws.dynamodb.stream_consumer("Orders", batch_size=100, starting_position="TRIM_HORIZON")``
stands in for a Lambda function with a DynamoDB event source mapping: this module checks the
settings as Lambda's CreateEventSourceMapping does (its error codes; ranges from the Lambda
developer guide's DynamoDB parameters table,
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html), resolves the table's
enabled stream, and builds the :class:`~emulator.dynamodb.streams.consumer.StreamConsumer` that
does the reading and calling. It is a native-door feature: no wire operation registers one.

Design decisions:

* **Zero cost until the first consumer.** A DynamoDB service gets its :class:`Consumers` on the
  first registration, which also wraps that service's ``call`` (an instance attribute over the
  class's method, so every door — native, boto3 hook, HTTP — goes through it) to settle the
  scheduler after each call. Services without consumers keep the plain ``call``; the native
  clients drop their cached methods so that they pick the wrapper up.
* **When delivery happens.** After a call, on a virtual clock with ``auto_advance`` the scheduler
  runs until idle: the write's records are delivered before the call returns to the caller, and
  retry waits jump the clock as a Step Functions Wait does. With ``auto_advance=False`` nothing
  runs after the call: records wait for a clock move (``aws.clock.advance(...)``), which runs the
  due polls in time order. On the system clock the scheduler's thread delivers them.
* The stream must be enabled on the table, as CreateEventSourceMapping needs a stream ARN; a
  stream ARN (also of a disabled stream still within its 24 hours) is accepted in place of the
  table name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..service import error_table
from . import messages as M
from .event_filter import FilterPatternError, compile_criteria
from .streams.consumer import ConsumerConfig, StreamConsumer

if TYPE_CHECKING:
    from .streams.stream import Stream

#: Lambda's errors for CreateEventSourceMapping (codes of the Lambda API).
LAMBDA_ERRORS = error_table("com.amazonaws.lambda", "InvalidParameterValueException", "ValidationException")
InvalidParameterValueException = LAMBDA_ERRORS["InvalidParameterValueException"]
LambdaValidationException = LAMBDA_ERRORS["ValidationException"]

STARTING_POSITIONS = ("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP")  # Lambda's enum
#: setting → (Lambda member name, minimum, maximum)
RANGES: dict[str, tuple[str, int, int]] = {
    "batch_size": ("batchSize", 1, 10_000),
    "maximum_retry_attempts": ("maximumRetryAttempts", -1, 10_000),
    "maximum_record_age_in_seconds": ("maximumRecordAgeInSeconds", -1, 604_800),
}


def make_config(
    *,
    starting_position: str,
    batch_size: int = 100,
    maximum_retry_attempts: int = -1,
    bisect_batch_on_function_error: bool = False,
    maximum_record_age_in_seconds: int = -1,
    filter_criteria: dict[str, Any] | None = None,
    on_failure: Callable[[dict[str, Any]], Any] | None = None,
) -> ConsumerConfig:
    """The checked settings of one consumer; Lambda's errors for values it refuses."""
    values = {
        "batch_size": batch_size,
        "maximum_retry_attempts": maximum_retry_attempts,
        "maximum_record_age_in_seconds": maximum_record_age_in_seconds,
    }
    for name, value in values.items():
        member, low, high = RANGES[name]
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        if value < low:
            raise LambdaValidationException(
                M.consumer_constraint(value, member, f"Member must have value greater than or equal to {low}")
            )
        if value > high:
            raise LambdaValidationException(
                M.consumer_constraint(value, member, f"Member must have value less than or equal to {high}")
            )
    if starting_position not in STARTING_POSITIONS:
        enum = f"Member must satisfy enum value set: [{', '.join(STARTING_POSITIONS)}]"
        raise LambdaValidationException(M.consumer_constraint(starting_position, "startingPosition", enum))
    if starting_position == "AT_TIMESTAMP":
        raise InvalidParameterValueException(M.CONSUMER_AT_TIMESTAMP)
    if on_failure is not None and not callable(on_failure):
        raise TypeError("on_failure must be a callable taking Lambda's invocation record")
    try:
        matcher = compile_criteria(filter_criteria)
    except FilterPatternError as exc:
        raise InvalidParameterValueException(f"{M.CONSUMER_BAD_FILTER} {exc}") from exc
    return ConsumerConfig(
        batch_size=batch_size,
        starting_position=starting_position,
        maximum_retry_attempts=maximum_retry_attempts,
        bisect_batch_on_function_error=bool(bisect_batch_on_function_error),
        maximum_record_age_in_seconds=maximum_record_age_in_seconds,
        filter=matcher,
        on_failure=on_failure,
    )


class Consumers:
    """The stream consumers of one DynamoDB service, and the settling of its calls."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.clock = service.world.clock
        self.timers = self.clock.scheduler.bound(service.lock)
        self.rng = service.rng("dynamodb.stream-consumers")
        self.consumers: list[StreamConsumer] = []

    def add(self, consumer: StreamConsumer) -> None:
        if not self.consumers:
            self._wrap_calls()
        self.consumers.append(consumer)

    def remove(self, fn: Callable[..., Any]) -> int:
        """Stop and forget every consumer of ``fn``; how many there were."""
        gone = [c for c in self.consumers if c.fn is fn]
        for consumer in gone:
            consumer.stop()
            self.consumers.remove(consumer)
        return len(gone)

    def settle(self) -> None:
        """After a call: on a virtual clock with auto_advance, run the scheduler until idle."""
        clock = self.clock
        if clock.virtual and clock.auto_advance:
            self.timers.scheduler.run_until_idle()

    def _wrap_calls(self) -> None:
        service = self.service
        plain = type(service).call.__get__(service, type(service))
        settle = self.settle

        def call(op_name: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
            try:
                return plain(op_name, request)
            finally:
                settle()

        service.__dict__["call"] = call  # every door calls service.call
        for client in list(getattr(service, "native_clients", ())):
            client.forget_methods()


def consumers_of(service: Any) -> Consumers:
    """The service's consumer set, made on first use."""
    consumers: Consumers | None = service.stream_consumers
    if consumers is None:
        consumers = service.stream_consumers = Consumers(service)
    return consumers


def _resolve(service: Any, table: str) -> tuple[Stream, Any]:
    """The stream to read and the change log to follow (None: a disabled stream's leftovers)."""
    catalog = service.catalog
    hub = catalog.streams
    if "/stream/" in table:
        stream = hub.get(table)
        if stream is None:
            raise InvalidParameterValueException(M.consumer_no_table(table))
        meta = catalog.tables.get(stream.table_name)
        live = meta is not None and hub.live.get(stream.table_name) is stream
        return stream, meta.store.change_log if live else None
    name = catalog.name_of(table)
    meta = catalog.tables.get(name)
    if meta is None:
        raise InvalidParameterValueException(M.consumer_no_table(table))
    stream = hub.live.get(name)
    if stream is None:
        raise InvalidParameterValueException(M.consumer_no_stream(name))
    return stream, meta.store.change_log


def register(
    service: Any, table: str, fn: Callable[..., Any], config: ConsumerConfig, function_name: str | None
) -> StreamConsumer:
    """Start a consumer of ``table``'s stream that calls ``fn`` (records already in the stream are
    delivered now, on the scheduler, when the starting position is TRIM_HORIZON)."""
    if not callable(fn):
        raise TypeError("a stream consumer must be a callable fn(event, context)")
    with service.lock:
        stream, change_log = _resolve(service, table)
        consumers = consumers_of(service)
        name = function_name or getattr(fn, "__name__", "") or "consumer"
        consumer = StreamConsumer(
            fn,
            stream,
            config,
            region=service.region,
            function_arn=service.arn("lambda", f"function:{name}"),
            timers=consumers.timers,
            rng=consumers.rng,
        )
        if change_log is not None:
            consumer.detach = change_log.subscribe(consumer.on_change)
        consumers.add(consumer)
        consumer.on_change(None)  # read what the starting position already holds
    consumers.settle()
    return consumer
