"""The Step Functions service: state machines, executions, the scheduler and the task registry.

``aws.stepfunctions`` is a :class:`StepFunctionsClient`: the boto3-shaped client plus

* ``task(resource_arn)`` — register a Python callable for a Lambda function ARN (used both by the
  direct ARN and by ``arn:aws:states:::lambda:invoke``) or for any other resource ARN;
* ``load_mock_config(path_or_dict)`` — Step Functions Local's mock configuration file: StartExecution
  on ``<state machine arn>#<test case>`` runs that test case (``mock_config.py``);
* ``run_until_idle()`` — run pending scheduled work (on the virtual clock, jumping it; also with
  ``auto_advance=False``, where it is how a test asks for everything);
* ``render(execution_arn_or_definition, format="svg" | "html" | "mermaid")`` — the picture of an
  execution (path taken, failed/caught/retried states, durations) or of a state machine
  (``picture/``);
* ``put_s3_object(Bucket=, Key=, Body=)`` / ``delete_s3_object(Bucket=, Key=)`` — thin aliases of
  the S3 service's PutObject / DeleteObject on the world's buckets, which Map ``ItemReader``s read
  (``put_s3_object`` also creates the bucket; ``emulator/s3/store.py``).

On the virtual clock, StartExecution runs the execution until it ends or waits on something
external (a task token); with ``Emulator(auto_advance=False)`` it stops at the first wait on time
and returns the execution RUNNING. A ``clock.advance`` runs whatever became due, in time order.
On the system clock, the scheduler's background thread runs events in real time. The timers live
in the world's one queue (``world.clock.scheduler``, see ``emulator/scheduler.py``).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ..api_operations import STEP_FUNCTIONS
from ..handoff import HandoffLock
from ..service import Client, Service
from ..timetravel import require_time_machine
from ..usage import UsageReport
from . import mock_config
from .errors import ERRORS
from .operations import (  # noqa: F401 - importing a handler module registers its operations
    activities,
    aliases,
    callbacks,
    executions,
    history,
    map_runs,
    redrive,
    registry,
    state_machines,
    tags,
    test_state,
    validate,
)
from .retention import Retention
from .runtime.callbacks import Callback
from .runtime.execution import Execution
from .runtime.restored import rebuild_running
from .runtime.s3objects import s3_store
from .runtime.task_calls import TaskRegistry, TimePatched
from .runtime.task_http import HttpRequest, HttpResponse
from .runtime.task_http import endpoints as http_endpoints
from .usage import Ledger


class StepFunctions(Service):
    """Service object behind ``aws.stepfunctions``."""

    name = "stepfunctions"
    api_operations = STEP_FUNCTIONS
    registry = registry
    errors = ERRORS
    unknown_operation = ERRORS["UnknownOperationException"]

    def __init__(self, world: Any, partition: Any = None) -> None:
        super().__init__(world, partition)
        # Workflows run under the service lock and hand it to waiting callers between steps, so
        # a long computation does not stall every other Step Functions call (emulator/handoff.py).
        self.lock = HandoffLock()

        # The world's one queue of timed events (every partition's executions and DynamoDB's
        # timed work in one time order); this service's timers run under its lock.
        self.scheduler = world.clock.scheduler.bound(self.lock)
        # One registry for the whole world: a callable registered for a Lambda ARN answers every
        # partition's executions, as one function deployment would answer its callers.
        self.task_registry: TaskRegistry = world.shared("stepfunctions.tasks", TaskRegistry)
        self.state_machines: dict[str, Any] = {}  # arn → StateMachineRecord
        self.executions: dict[str, Any] = {}  # arn → Execution
        self.map_runs: dict[str, Any] = {}  # map run arn → runtime.map_runs.MapRun
        self.map_runs_of: dict[str, list] = {}  # execution arn → its Map Runs (oldest first)
        self.map_run_children: dict[str, Any] = {}  # child execution arn → its Execution copy
        self.tokens: dict[str, Any] = {}  # task token → Callback
        self.timed_out_tokens: set[str] = set()  # answered too late → TaskTimedOut (API-19)
        self.tags: dict[str, dict[str, str]] = {}  # resource arn → tags
        self.activities: dict[str, Any] = {}  # arn → ActivityRecord
        self._token_rng = self.rng("stepfunctions:tokens")
        # GetActivityTask long poll (API-18, system clock only): pollers wait on this condition of
        # the service lock (waiting releases the lock); a queued activity task or close() wakes them.
        self.activity_ready = threading.Condition(self.lock)
        self.closed = False
        self.started = 0  # executions ever started here (seeds; never decreases)
        self.retention = Retention(self)  # closed executions go after AWS's retention
        self.usage_ledger = Ledger()  # the usage of executions retention forgot (usage.py)

    # -- runtime hooks ----------------------------------------------------------------------
    def after_restore(self) -> None:
        """A world restored from a snapshot: rebuild the threads of running executions
        (``runtime/tape.py``)."""
        rebuild_running(self)

    def new_task_token(self) -> str:
        return (
            "AQ"
            + uuid.UUID(int=self._token_rng.getrandbits(128), version=4).hex
            + uuid.UUID(int=self._token_rng.getrandbits(128), version=4).hex
        )

    def register_token(self, token: str, ex: Any, thread: Any, base: dict) -> Any:
        cb = Callback(self, token, ex, thread, base)
        self.tokens[token] = cb
        ex.tokens.add(token)
        return cb

    def start_execution(self, request: dict) -> Execution:
        """StartExecution's work without its API answer: for a workflow's
        ``arn:aws:states:::states:startExecution`` task, which starts a child execution. Raises
        the operation's AWSErrors."""
        return executions.start(self, request, sync=False)

    def drive(self) -> None:
        """After StartExecution or a task token's answer: on a virtual clock with auto_advance,
        run scheduled work until idle (jumping time); with ``auto_advance=False``, only what is
        due now, so the execution stops at its first wait on time (``Scheduler.settle``)."""
        self.scheduler.settle()

    def close(self) -> None:
        with self.activity_ready:
            self.closed = True
            self.activity_ready.notify_all()
        self.scheduler.close()


class StepFunctionsClient(Client):
    """The native client plus ``task()`` and ``run_until_idle()``."""

    def task(
        self, resource_arn: str, *, patch_time: bool = False
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register ``fn(event, context)`` as the implementation of a task resource.

        Usable as ``@sfn.task(arn)`` or ``sfn.task(arn)(fn)``. ``patch_time=True``: inside this
        callable ``time.time()``/``datetime.now()`` read the world's clock, as with
        ``Emulator(patch_time=True)`` for every callable (needs the ``time`` extra).
        """
        service: StepFunctions = self._service  # type: ignore[assignment]
        if patch_time:
            require_time_machine()
            if not service.world.clock.virtual:
                raise ValueError("patch_time follows a virtual clock; the system clock is real time already")

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            with service.lock:
                service.task_registry.register(resource_arn, TimePatched(fn) if patch_time else fn)
            return fn

        return register

    HttpRequest = HttpRequest
    HttpResponse = HttpResponse

    def http_endpoint(
        self,
        url: str | None = None,
        *,
        method: str | None = None,
        match: Callable[[str, str], bool] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register ``fn(request)`` (or ``fn(request, context)``) as the answer of HTTP Tasks
        (``arn:aws:states:::http:invoke``) calling ``url`` (query string aside; ``method``
        narrows it) or whatever ``match(method, url)`` accepts; there is no network
        (``runtime/task_http.py``). It returns the body (status 200) or an ``HttpResponse``."""
        service: StepFunctions = self._service  # type: ignore[assignment]

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            with service.lock:
                http_endpoints(service).register(url, method, match, fn)
            return fn

        return register

    def load_mock_config(self, source: str | os.PathLike[str] | Mapping[str, Any] | None) -> None:
        """Load a Step Functions Local mock configuration (a file path or a parsed dict, AWS's
        format unchanged; ``mock_config.py``): StartExecution on ``<state machine arn>#<test
        case>`` then runs that test case. Replaces any configuration loaded before; None unloads.
        A malformed configuration raises ``MockConfigError`` (a ValueError) naming the problem."""
        service: StepFunctions = self._service  # type: ignore[assignment]
        config = None if source is None else mock_config.load(source)
        with service.lock:
            mock_config.store(service).config = config

    def usage(self) -> UsageReport:
        """Native-only extra: per state machine, executions, state transitions, Express
        request-duration units and estimated cost (``stepfunctions/usage.py``). Returns a
        :class:`~emulator.usage.UsageReport`: ``print()`` it, or ``.to_json()``."""
        from .usage import stepfunctions_usage

        return stepfunctions_usage(self._service)

    def run_until_idle(self, *, include_timeouts: bool = False) -> int:
        """Run scheduled work to completion; ``include_timeouts`` also fires waits on task
        tokens' timeouts (jumping a virtual clock as far as needed). Returns events run."""
        service: StepFunctions = self._service  # type: ignore[assignment]
        return service.scheduler.run_until_idle(include_passive=include_timeouts)

    def render(self, source: str | Mapping[str, Any], format: str = "svg") -> str:  # noqa: A002
        """The picture of an execution (by ARN: path taken, failed, caught and retried states, Map
        iterations, durations) or of a state machine (by ARN, or its definition as JSON text or a
        dict), as ``format`` "svg", "html" (a standalone page; a state's input and output on
        click) or "mermaid". SVG and HTML need the ``picture`` extra (grandalf)."""
        from .picture.source import render

        return render(self, source, format)

    def put_s3_object(self, *, Bucket: str, Key: str, Body: bytes | str) -> dict:  # noqa: N803
        """Thin alias of S3 PutObject (``aws.s3.put_object``) that also creates the bucket: an object
        for Map ``ItemReader``s to read (``arn:aws:states:::s3:getObject`` / ``listObjectsV2``)."""
        service: StepFunctions = self._service  # type: ignore[assignment]
        with service.lock:
            partition = service.partition  # a bucket it creates is the caller's (ResultWriter: MAP-11)
            obj = s3_store(service).put(
                Bucket,
                Key,
                Body,
                now=service.world.clock.now(),
                region=partition.region,
                owner_account=partition.account_id,
            )
        return {"ETag": obj.etag}

    def delete_s3_object(self, *, Bucket: str, Key: str) -> dict:  # noqa: N803
        """Thin alias of S3 DeleteObject (absent bucket or key: no-op)."""
        service: StepFunctions = self._service  # type: ignore[assignment]
        with service.lock:
            s3_store(service).delete(Bucket, Key)
        return {}


StepFunctions.client_class = StepFunctionsClient  # type: ignore[attr-defined]
