"""A stream consumer: a Python callable fed by one stream the way a Lambda event source mapping is.

``aws.dynamodb.stream_consumer(...)`` (``dynamodb/stream_consumers.py``) registers one
:class:`StreamConsumer` per callable. It reads its stream's shard in sequence order, in batches of
at most ``batch_size`` records that pass its ``FilterCriteria`` (``dynamodb/event_filter.py``), and
calls ``fn(event, context)`` with ``event = {"Records": [...]}`` in the shape Lambda gives a
function (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html): each record as the stream
has it in JSON (``ApproximateCreationDateTime`` in epoch seconds, blobs in base64), plus
``eventSourceARN``; a TTL delete's ``userIdentity`` is Lambda's ``{"type", "principalId"}``.

Error handling follows Lambda's for stream sources
(https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html):

* a batch whose call raises is retried, and nothing after it is delivered meanwhile (records go
  in order per shard);
* with ``bisect_batch_on_function_error`` a failed batch of two or more records is split in two
  halves, each tried on its own, first half first; "splitting batches doesn't consume the retry
  quota";
* a batch is discarded after ``maximum_retry_attempts`` retries (-1: no limit), and a record once
  it is older than ``maximum_record_age_in_seconds`` (-1: no limit) or than the stream's 24-hour
  retention; the age is checked before every attempt, the first one included [INF]. Discarded
  batches go, as Lambda's invocation record, to ``on_failure`` if given;
* retries wait on the world's clock: 1 s, then doubling up to 60 s [INF: Lambda retries "with
  backoff" without a published schedule].

Timing: every change on the table (the change-log listener, which runs after the stream's own)
schedules one poll on the world's scheduler, due now, under the DynamoDB service lock. Who runs
it is the scheduler's business (``emulator/scheduler.py``): on a virtual clock with auto_advance,
the DynamoDB call that made the change settles the scheduler before it returns
(``stream_consumers.py``); with ``auto_advance=False`` it runs when the clock moves; on the
system clock the scheduler's thread runs it at once.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...clock import iso_millis
from ...jsonvalues import json_tree
from .records import StreamRecord, format_sequence_number
from .shard import RETENTION_SECONDS
from .stream import Stream

FIRST_RETRY_DELAY = 1.0
MAX_RETRY_DELAY = 60.0

Event = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ConsumerConfig:
    """The event source mapping's settings (checked by ``stream_consumers.py``)."""

    batch_size: int = 100
    starting_position: str = "LATEST"
    maximum_retry_attempts: int = -1
    bisect_batch_on_function_error: bool = False
    maximum_record_age_in_seconds: int = -1
    filter: Callable[[dict[str, Any]], bool] | None = None
    on_failure: Callable[[dict[str, Any]], Any] | None = None


class ConsumerContext:
    """What the callable receives as ``context`` (the parts of a Lambda context that apply)."""

    function_version = "$LATEST"
    memory_limit_in_mb = 128

    def __init__(self, function_name: str, function_arn: str, request_id: str) -> None:
        self.function_name = function_name
        self.invoked_function_arn = function_arn
        self.aws_request_id = request_id


@dataclass(slots=True)
class _Batch:
    """Records taken from the shard and not yet delivered; ``retries`` spent on this batch."""

    records: list[tuple[StreamRecord, Event]]
    retries: int = 0
    invocations: int = 0


class StreamConsumer:
    """One registered callable reading one stream (a Lambda event source mapping)."""

    def __init__(
        self,
        fn: Callable[[Event, Any], Any],
        stream: Stream,
        config: ConsumerConfig,
        *,
        region: str,
        function_arn: str,
        timers: Any,
        rng: Any,
    ) -> None:
        self.fn = fn
        self.stream = stream
        self.config = config
        self.region = region
        self.function_arn = function_arn
        self.function_name = function_arn.rsplit(":", 1)[-1]
        self._timers = timers
        self._rng = rng
        shard = stream.shard
        latest = config.starting_position == "LATEST"
        self.position = shard.last_seq if latest else shard.trimmed_through
        self._queue: list[_Batch] = []  # the batch in flight, or its halves after a bisect
        self._timer: Any = None
        self._retry_at: float | None = None
        self.detach: Callable[[], None] | None = None
        self.invocations = 0

    # --- scheduling -----------------------------------------------------------------------

    def on_change(self, _change: Any) -> None:
        """Change-log listener: poll soon (one poll pending at most; none while a retry waits).

        Runtime complexity: O(1) (a heap push when no poll is pending)."""
        if self._timer is None:
            self._timer = self._timers.at(self._timers.clock.now(), self.poll)

    def stop(self) -> None:
        """No more deliveries (the consumer was removed).

        Runtime complexity: O(L) for L listeners of the change log."""
        if self.detach is not None:
            self.detach()
            self.detach = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # --- delivery ---------------------------------------------------------------------------

    def poll(self) -> None:
        """Deliver batches until the shard is read to the end or a batch waits for a retry.

        Runtime complexity: O(r) for r records read, plus the callable's own work."""
        self._timer = None
        clock = self._timers.clock
        while True:
            if not self._queue and not self._take():
                shard = self.stream.shard
                if not shard.is_open and shard.read_to_end(self.position):
                    self.stop()  # the stream was disabled and everything in it was delivered
                return
            delay = self._deliver_head(clock.now())
            if delay is not None:
                self._timer = self._timers.after(delay, self.poll)
                return

    def _take(self) -> bool:
        """Move the next batch of matching records from the shard into the queue; False when
        nothing matches. Records the filter drops are passed over for good.

        Runtime complexity: O(r) for the r records passed over or taken."""
        shard, config = self.stream.shard, self.config
        self.position = max(self.position, shard.trimmed_through)  # records past retention are gone
        taken: list[tuple[StreamRecord, Event]] = []
        for record in shard.after(self.position):
            event = json_tree(self._event_record(record))  # the JSON form: what filters see
            if config.filter is None or config.filter(event):
                taken.append((record, event))
            self.position = record.seq
            if len(taken) >= config.batch_size:
                break
        if taken:
            self._queue.append(_Batch(taken))
        return bool(taken)

    def _deliver_head(self, now: float) -> float | None:
        """Try the first queued batch once; the delay before the next try, or None to go on."""
        batch = self._queue[0]
        self._discard_old(batch, now)
        if not batch.records:
            self._queue.pop(0)
            return None
        try:
            self._invoke(batch)
        except Exception:  # the function's error: Lambda's "Unhandled" function error
            return self._failed(batch, now)
        self._queue.pop(0)
        return None

    def _invoke(self, batch: _Batch) -> None:
        batch.invocations += 1
        self.invocations += 1
        event = {"Records": [json_tree(e) for _, e in batch.records]}  # a fresh copy per call
        request_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        self.fn(event, ConsumerContext(self.function_name, self.function_arn, request_id))

    def _failed(self, batch: _Batch, now: float) -> float | None:
        """After a raising call: bisect, discard or wait for a retry."""
        config = self.config
        if config.bisect_batch_on_function_error and len(batch.records) > 1:
            half = len(batch.records) // 2
            first = _Batch(batch.records[:half], batch.retries)
            second = _Batch(batch.records[half:], batch.retries)
            self._queue[0:1] = [first, second]
            return None
        limit = config.maximum_retry_attempts
        if limit != -1 and batch.retries >= limit:
            self._queue.pop(0)
            self._report(batch.records, "RetryAttemptsExhausted", batch.invocations, now)
            return None
        batch.retries += 1
        return min(MAX_RETRY_DELAY, FIRST_RETRY_DELAY * 2 ** (batch.retries - 1))

    def _discard_old(self, batch: _Batch, now: float) -> None:
        """Drop the records past the maximum record age (or the stream's retention)."""
        age = self.config.maximum_record_age_in_seconds
        limit = RETENTION_SECONDS if age == -1 else min(age, RETENTION_SECONDS)
        old = [pair for pair in batch.records if now - pair[0].time > limit]
        if old:
            batch.records = [pair for pair in batch.records if now - pair[0].time <= limit]
            self._report(old, "RecordAgeExceeded", batch.invocations, now)

    # --- shapes -----------------------------------------------------------------------------

    def _event_record(self, record: StreamRecord) -> Event:
        """One record as Lambda hands it to a function, in native values (``json_tree`` makes
        its JSON form)."""
        stream = self.stream
        wire = record.to_wire(stream.view_type, self.region, record.size_bytes())
        body = wire["dynamodb"]
        body["ApproximateCreationDateTime"] = float(math.floor(record.time))
        identity = wire.pop("userIdentity", None)
        if identity is not None:  # Lambda's event spells these keys in lower camel case
            wire["userIdentity"] = {"type": identity["Type"], "principalId": identity["PrincipalId"]}
        wire["eventSourceARN"] = stream.arn
        return wire

    def _report(
        self, records: list[tuple[StreamRecord, Event]], condition: str, invokes: int, now: float
    ) -> None:
        """Hand Lambda's on-failure invocation record of discarded ``records`` to ``on_failure``."""
        on_failure = self.config.on_failure
        if on_failure is None:
            return
        first, last = records[0][0], records[-1][0]
        request_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        payload: dict[str, Any] = {
            "requestContext": {
                "requestId": request_id,
                "functionArn": self.function_arn,
                "condition": condition,
                "approximateInvokeCount": invokes,
            },
            "version": "1.0",
            "timestamp": iso_millis(now),
            "DDBStreamBatchInfo": {
                "shardId": self.stream.shard.shard_id,
                "startSequenceNumber": format_sequence_number(first.seq),
                "endSequenceNumber": format_sequence_number(last.seq),
                "approximateArrivalOfFirstRecord": iso_millis(first.time),
                "approximateArrivalOfLastRecord": iso_millis(last.time),
                "batchSize": len(records),
                "streamArn": self.stream.arn,
            },
        }
        if invokes:
            payload["responseContext"] = {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled",
            }
        on_failure(payload)
