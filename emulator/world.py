"""The Emulator: one world with a region, an account, a clock, a seed, and both services.

Services are built lazily on first use so that ``Emulator()`` costs almost nothing: a test that
only touches DynamoDB never imports the Step Functions interpreter.
"""

from __future__ import annotations

import random
from typing import Any

from .clock import Clock, SystemClock, VirtualClock

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"

# botocore service name → (module, class). The wire layer resolves X-Amz-Target through this too.
SERVICES: dict[str, tuple[str, str]] = {
    "dynamodb": ("emulator.dynamodb.service", "DynamoDB"),
    "dynamodbstreams": ("emulator.dynamodb.streams_service", "DynamoDBStreams"),
    "stepfunctions": ("emulator.stepfunctions.service", "StepFunctions"),
}


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
    """One emulated AWS account in one region.

    Parameters:
        region, account_id: used in ARNs and descriptions.
        clock: ``"virtual"`` (default), ``"system"``, or a :class:`~emulator.clock.Clock`.
        auto_advance: on the virtual clock, whether a workflow waiting on time jumps the clock
            to its next timer by itself (``True``, the default: StartExecution returns with the
            execution finished) or only the test moves time (``False``: ``aws.clock.advance``,
            ``aws.stepfunctions.run_until_idle()``). ``None``: the given clock's own setting.
        patch_time: make ``time.time()``, ``datetime.now()`` and friends inside Step Functions
            task callables read the virtual clock (needs the ``time`` extra, time-machine).
        replica_lag: seconds an eventually consistent DynamoDB read may lag the leader (0 =
            behaves strongly consistent; the default).
        seed: seeds every random choice (replica choice, retry jitter, ``$random``) for
            reproducible runs. ``None`` picks a fresh seed.
    """

    def __init__(self, *, region: str = DEFAULT_REGION, account_id: str = DEFAULT_ACCOUNT,
                 clock: Clock | str | None = None, auto_advance: bool | None = None,
                 patch_time: bool = False, replica_lag: float = 0.0,
                 seed: int | None = None, **options: Any) -> None:
        self.clock: Clock = _make_clock(clock, auto_advance)
        self.patch_time = bool(patch_time)
        if self.patch_time:
            if not self.clock.virtual:
                raise ValueError("patch_time follows a virtual clock; the system clock is real time already")
            from .timetravel import require_time_machine

            require_time_machine()
        self.region = region
        self.account_id = account_id
        if replica_lag < 0:
            raise ValueError("replica_lag must be >= 0")
        self.replica_lag = float(replica_lag)
        self.seed = seed if seed is not None else random.randrange(2**63)
        self.options = options
        self._services: dict[str, Any] = {}
        self._clients: dict[str, Any] = {}

    def rng(self, purpose: str) -> random.Random:
        """A deterministic RNG for one purpose, derived from the world seed."""
        return random.Random(f"{self.seed}:{purpose}")

    def service(self, name: str):
        """The service object for a botocore service name (``KeyError`` if unknown)."""
        svc = self._services.get(name)
        if svc is None:
            module_name, class_name = SERVICES[name]
            import importlib

            cls = getattr(importlib.import_module(module_name), class_name)
            svc = self._services.setdefault(name, cls(self))
        return svc

    def client(self, name: str):
        """The native (boto3-shaped) client of a service."""
        c = self._clients.get(name)
        if c is None:
            svc = self.service(name)
            c = self._clients.setdefault(name, svc.client_class(svc))
        return c

    @property
    def dynamodb(self):
        """Native DynamoDB client: boto3's method names, parameters and response shapes."""
        return self.client("dynamodb")

    @property
    def dynamodbstreams(self):
        """Native DynamoDB Streams client."""
        return self.client("dynamodbstreams")

    @property
    def stepfunctions(self):
        """Native Step Functions client, plus ``task()`` to register Python callables."""
        return self.client("stepfunctions")

    def close(self) -> None:
        """Stop background work (system-clock schedulers)."""
        for svc in list(self._services.values()):
            close = getattr(svc, "close", None)
            if close is not None:
                close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Emulator(region={self.region!r}, clock={self.clock!r})"
