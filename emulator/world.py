"""The Emulator: one world with a clock, a seed, and any number of (account, region) partitions.

Each partition (:class:`~emulator.partition.Partition`) has its own service objects: its own
tables, streams, state machines, executions, activities and tags, as an AWS region of an account
does. The world holds what AWS does not partition: the clock, the seed, and the registry of Python
callables that stand in for Lambda functions (registered once, answering every partition).

Services are built lazily on first use so that ``Emulator()`` costs almost nothing: a test that
only touches DynamoDB never imports the Step Functions interpreter, and a region nobody calls has
no service objects at all.
"""

from __future__ import annotations

import difflib
import inspect
import os
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, overload

from .clock import Clock, SystemClock, VirtualClock
from .partition import Partition, check_account_id, check_region

if TYPE_CHECKING:  # boto3's client types plus the native extras (``dynamodb-stepfunctions-emulator[typing]``)
    from os import PathLike

    from .client_types import (
        NativeDynamoDBClient,
        NativeDynamoDBStreamsClient,
        NativeS3Client,
        NativeStepFunctionsClient,
    )
    from .faults import Faults

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"

# botocore service name → (module, class). The wire layer resolves X-Amz-Target through this too.
SERVICES: dict[str, tuple[str, str]] = {
    "dynamodb": ("emulator.dynamodb.service", "DynamoDB"),
    "dynamodbstreams": ("emulator.dynamodb.streams_service", "DynamoDBStreams"),
    "stepfunctions": ("emulator.stepfunctions.service", "StepFunctions"),
    "s3": ("emulator.s3.service", "S3"),
}


#: Options passed through ``**options`` and read from ``world.options`` by the service that uses
#: them (``ttl_sweep_delay``: ``dynamodb/ttl.py``). Any other name is refused (a misspelt option
#: must not be silently ignored).
EXTRA_OPTIONS: frozenset[str] = frozenset(
    {"ttl_sweep_delay", "table_transition_seconds", "capacity", "data_sync"}
)


def refuse_unknown_options(options: dict[str, Any]) -> None:
    """``TypeError`` for an option ``Emulator()`` does not have, naming the nearest valid one."""
    for name in options:
        if name not in EXTRA_OPTIONS:
            params = inspect.signature(Emulator.__init__).parameters
            valid = sorted(
                {p for p, spec in params.items() if spec.kind is spec.KEYWORD_ONLY} | EXTRA_OPTIONS
            )
            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise TypeError(
                f"Emulator() got an unexpected keyword argument {name!r}.{hint} "
                f"Valid options: {', '.join(valid)}."
            )


def _make_clock(clock: Clock | str | None, auto_advance: bool | None) -> Clock:
    """The world's clock from the ``clock`` and ``auto_advance`` options."""
    if clock is None or clock == "virtual":
        return VirtualClock(auto_advance=True if auto_advance is None else bool(auto_advance))
    if clock == "system":
        made: Clock = SystemClock()
    elif isinstance(clock, str):
        raise ValueError(f"unknown clock {clock!r}: use 'virtual', 'system' or a Clock")
    else:
        made = clock
    if auto_advance is not None:
        if not made.virtual:
            raise ValueError("auto_advance applies to a virtual clock; the system clock follows real time")
        made.auto_advance = bool(auto_advance)
    return made


class Emulator:
    """One emulated AWS world: any number of accounts and regions on one clock.

    Parameters:
        region, account_id: the default partition: the one ``aws.dynamodb`` and
            ``aws.stepfunctions`` serve, and the one a wire request that names none is answered in.
        clock: ``"virtual"`` (default), ``"system"``, or a :class:`~emulator.clock.Clock`.
        auto_advance: on the virtual clock, whether a workflow waiting on time jumps the clock
            to its next timer by itself (``True``, the default: StartExecution returns with the
            execution finished) or only the test moves time (``False``: ``aws.clock.advance``,
            ``aws.stepfunctions.run_until_idle()``). ``None``: the given clock's own setting.
        patch_time: make ``time.time()``, ``datetime.now()`` and friends inside Step Functions
            task callables read the virtual clock (needs the ``time`` extra, time-machine).
        replica_lag: seconds an eventually consistent DynamoDB read may lag the leader (0 =
            behaves strongly consistent; the default).
        global_table_lag: seconds a write to a DynamoDB global table takes to reach the table's
            other regions, on the world's clock (0 = at once; the default).
        seed: seeds every random choice (replica choice, retry jitter, ``$random``) for
            reproducible runs. ``None`` picks a fresh seed.
        table_transition_seconds: seconds a DynamoDB table stays CREATING, UPDATING or DELETING
            (and a new GSI CREATING/backfilling) on the clock (0 = ACTIVE at once; the default).
        capacity: ``"enforce"``: DynamoDB throttles as AWS does (token buckets, 300 s burst, 3,000 RCU
            / 1,000 WCU per partition) and counts usage; ``"track"``: counts usage, never throttles;
            None (the default): off, nothing of it runs (``aws.dynamodb.usage()`` then reports
            items and sizes only).
        data_dir: keep the world durable in this directory (SQLite, see :mod:`emulator.durable`):
            a world that was kept there is restored (its own settings win over these), and every
            write is acknowledged only once it is committed to disk. ``None``: in memory only.
            ``data_sync`` (option): ``"normal"`` (the default) commits reach the operating system
            before the answer (they survive a killed process, not a power loss); ``"full"``
            syncs every group commit to the disk.
    """

    def __init__(
        self,
        *,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT,
        clock: Clock | str | None = None,
        auto_advance: bool | None = None,
        patch_time: bool = False,
        replica_lag: float = 0.0,
        global_table_lag: float = 0.0,
        seed: int | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        **options: Any,
    ) -> None:
        refuse_unknown_options(options)
        if "table_transition_seconds" in options:  # dynamodb/lifecycle.py
            from .dynamodb.lifecycle import check_option

            check_option(options["table_transition_seconds"])
        if "capacity" in options:  # dynamodb/capacity/
            from .dynamodb.capacity import check_mode

            check_mode(options["capacity"])
        self.clock: Clock = _make_clock(clock, auto_advance)
        self.patch_time = bool(patch_time)
        if self.patch_time:
            if not self.clock.virtual:
                raise ValueError("patch_time follows a virtual clock; the system clock is real time already")
            from .timetravel import require_time_machine

            require_time_machine()
        self.region = check_region(region)
        self.account_id = check_account_id(account_id)
        self.default_partition = Partition(self.account_id, self.region)
        if replica_lag < 0:
            raise ValueError("replica_lag must be >= 0")
        self.replica_lag = float(replica_lag)
        if not global_table_lag >= 0:
            raise ValueError("global_table_lag must be >= 0")
        self.global_table_lag = float(global_table_lag)
        self.seed = seed if seed is not None else random.randrange(2**63)
        self.options = options
        self._services: dict[str, Any] = {}  # default partition's services, by name (the hot lookup)
        self._partition_services: dict[tuple[str, Partition], Any] = {}
        self._clients: dict[tuple[str, Partition], Any] = {}
        self._default_clients: dict[str, Any] = {}
        self._shared: dict[str, Any] = {}
        self._faults: Faults | None = None  # aws.faults, made on first use (emulator/faults/)
        self._active_faults: Faults | None = None  # the same while it holds a fault: Service.call's check
        self.journal: Any = None  # the durable log of a data_dir world (emulator/durable/)
        if data_dir is not None:
            self.attach_data_dir(data_dir)

    @property
    def faults(self) -> Faults:
        """The world's injected faults: ``aws.faults.inject(service=..., operation=..., error=...)``
        (see emulator/faults/ and the README's "Testing failure")."""
        if self._faults is None:
            from .faults import Faults

            self._faults = Faults(self)
        return self._faults

    def attach_data_dir(self, data_dir: str | os.PathLike[str]) -> None:
        """Keep this world durable in ``data_dir`` (see :mod:`emulator.durable`): the world kept
        there (if any) replaces this one, replayed with the task callables registered so far."""
        from .durable import open_durable

        if self.journal is not None:
            raise ValueError("this world already keeps its data in a directory")
        open_durable(self, data_dir)

    def snapshot(self, *, portable: bool = False) -> Any:
        """The whole world's state (see :mod:`emulator.snapshot`): a ``Snapshot`` object, or with
        ``portable=True`` bytes (task callables that cannot be named are left out)."""
        from .snapshot import take

        return take(self, portable=portable)

    @classmethod
    def restore(cls, snapshot: Any) -> Emulator:
        """A new world equal to the one ``snapshot`` was taken of, and independent of it."""
        from .snapshot import restore

        return restore(snapshot, cls.__new__(cls))

    def rng(self, purpose: str, kind: type[random.Random] = random.Random) -> random.Random:
        """A deterministic RNG for one purpose, derived from the world seed (``kind``: a subclass
        of ``random.Random`` to make it of)."""
        return kind(f"{self.seed}:{purpose}")

    def partition(self, account_id: str | None = None, region: str | None = None) -> Partition:
        """The partition of ``account_id`` and ``region`` (each defaulting to the world's)."""
        if account_id is None and region is None:
            return self.default_partition
        return Partition(
            check_account_id(account_id) if account_id is not None else self.account_id,
            check_region(region) if region is not None else self.region,
        )

    def service(self, name: str, account_id: str | None = None, region: str | None = None):
        """The service object for a botocore service name in one partition (``KeyError`` if the
        service is unknown). Without ``account_id`` and ``region``: the default partition's."""
        if account_id is None and region is None:
            svc = self._services.get(name)
            if svc is not None:
                return svc
        return self.service_in(name, self.partition(account_id, region))

    def service_in(self, name: str, partition: Partition):
        """The service object for ``name`` in ``partition``, built on first use."""
        if partition is self.default_partition or partition == self.default_partition:
            svc = self._services.get(name)
            if svc is None:
                svc = self._services.setdefault(name, self._build(name, partition))
            return svc
        key = (name, partition)
        svc = self._partition_services.get(key)
        if svc is None:
            svc = self._partition_services.setdefault(key, self._build(name, partition))
        return svc

    def _build(self, name: str, partition: Partition):
        module_name, class_name = SERVICES[name]
        import importlib

        cls = getattr(importlib.import_module(module_name), class_name)
        return cls(self, partition)

    def services(self) -> list[Any]:
        """Every service object built so far, in every partition."""
        return [*self._services.values(), *self._partition_services.values()]

    def shared(self, key: str, factory: Callable[[], Any]) -> Any:
        """A world-wide object that all partitions share (built by ``factory`` on first use)."""
        obj = self._shared.get(key)
        if obj is None:
            obj = self._shared.setdefault(key, factory())
        return obj

    @overload
    def client(
        self, name: Literal["dynamodb"], region_name: str | None = None, account_id: str | None = None
    ) -> NativeDynamoDBClient: ...

    @overload
    def client(
        self, name: Literal["dynamodbstreams"], region_name: str | None = None, account_id: str | None = None
    ) -> NativeDynamoDBStreamsClient: ...

    @overload
    def client(
        self, name: Literal["stepfunctions"], region_name: str | None = None, account_id: str | None = None
    ) -> NativeStepFunctionsClient: ...

    @overload
    def client(
        self, name: Literal["s3"], region_name: str | None = None, account_id: str | None = None
    ) -> NativeS3Client: ...

    @overload
    def client(self, name: str, region_name: str | None = None, account_id: str | None = None) -> Any: ...

    def client(self, name: str, region_name: str | None = None, account_id: str | None = None) -> Any:
        """The native (boto3-shaped) client of a service in one partition.

        ``aws.client("dynamodb", region_name="eu-west-1")`` is a client of eu-west-1 in the
        default account, shaped like ``boto3.client("dynamodb", region_name="eu-west-1")``.
        """
        if region_name is None and account_id is None:
            c = self._default_clients.get(name)
            if c is not None:
                return c
        partition = self.partition(account_id, region_name)
        key = (name, partition)
        c = self._clients.get(key)
        if c is None:
            svc = self.service_in(name, partition)
            c = self._clients.setdefault(key, svc.client_class(svc))
            if partition == self.default_partition:
                self._default_clients[name] = c
        return c

    @property
    def dynamodb(self) -> NativeDynamoDBClient:
        """Native DynamoDB client: boto3's method names, parameters and response shapes."""
        return self.client("dynamodb")

    @property
    def dynamodbstreams(self) -> NativeDynamoDBStreamsClient:
        """Native DynamoDB Streams client."""
        return self.client("dynamodbstreams")

    @property
    def stepfunctions(self) -> NativeStepFunctionsClient:
        """Native Step Functions client, plus ``task()`` to register Python callables."""
        return self.client("stepfunctions")

    @property
    def s3(self) -> NativeS3Client:
        """Native S3 client: the world's buckets (global names), which Distributed Map reads."""
        return self.client("s3")

    def reset(self, service: str | None = None) -> list[str]:
        """Empty every service (or the one named: ``"dynamodb"``, ``"dynamodbstreams"``,
        ``"stepfunctions"``, ``"s3"``) in every partition, keeping the options, the clock, the
        registered task code and the native clients handed out (emulator/reset.py). Returns the
        services emptied (DynamoDB's reset takes its Streams along)."""
        from .reset import reset_world

        if self.journal is None:
            return reset_world(self, SERVICES, service)
        # a data_dir world: the reset is logged (a restart replays it), then compacted if it can be
        emptied = self.journal.reset(lambda: reset_world(self, SERVICES, service), service)
        self.journal.checkpoint()
        return emptied

    def load_seed(self, directory: str | PathLike[str]) -> dict[str, int]:
        """Load tables, state machines and S3 objects from a seed directory (emulator/seed.py);
        idempotent. Returns how many of each were loaded; ``SeedError`` names a bad file."""
        from .seed import load_seed

        return load_seed(self, directory)

    def info(self) -> dict[str, Any]:
        """Version, services, clock, regions, and the counts of tables, state machines and
        executions per partition (emulator/world_info.py; ``GET /_emulator/info`` answers it)."""
        from .world_info import describe

        return describe(self, SERVICES)

    def close(self) -> None:
        """Stop background work (system-clock schedulers) and close the durable store."""
        if self.journal is not None:
            self.journal.close()
        for svc in self.services():
            close = getattr(svc, "close", None)
            if close is not None:
                close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Emulator(region={self.region!r}, clock={self.clock!r})"
