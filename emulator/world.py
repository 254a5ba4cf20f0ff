"""The Emulator: one world with a region, an account, a clock, a seed, and both services.

Services are built lazily on first use so that ``Emulator()`` costs almost nothing: a test that
only touches DynamoDB never imports the Step Functions interpreter.
"""

from __future__ import annotations

import difflib
import inspect
import random
from typing import TYPE_CHECKING, Any

from .clock import Clock, SystemClock, VirtualClock

if TYPE_CHECKING:  # boto3's client types plus the native extras (``emulator[typing]``)
    from .client_types import NativeDynamoDBClient, NativeDynamoDBStreamsClient, NativeStepFunctionsClient

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"

# botocore service name → (module, class). The wire layer resolves X-Amz-Target through this too.
SERVICES: dict[str, tuple[str, str]] = {
    "dynamodb": ("emulator.dynamodb.service", "DynamoDB"),
    "dynamodbstreams": ("emulator.dynamodb.streams_service", "DynamoDBStreams"),
    "stepfunctions": ("emulator.stepfunctions.service", "StepFunctions"),
}


#: Options passed through ``**options`` and read from ``world.options`` by the service that uses
#: them (``ttl_sweep_delay``: ``dynamodb/ttl.py``). Any other name is refused (a misspelt option
#: must not be silently ignored).
EXTRA_OPTIONS: frozenset[str] = frozenset({"ttl_sweep_delay"})


def refuse_unknown_options(options: dict[str, Any]) -> None:
    """``TypeError`` for an option ``Emulator()`` does not have, naming the nearest valid one."""
    for name in options:
        if name not in EXTRA_OPTIONS:
            params = inspect.signature(Emulator.__init__).parameters
            valid = sorted({p for p, spec in params.items() if spec.kind is spec.KEYWORD_ONLY} | EXTRA_OPTIONS)
            close = difflib.get_close_matches(name, valid, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise TypeError(f"Emulator() got an unexpected keyword argument {name!r}.{hint} "
                            f"Valid options: {', '.join(valid)}.")


class Emulator:
    """One emulated AWS account in one region.

    Parameters:
        region, account_id: used in ARNs and descriptions.
        clock: ``"virtual"`` (default), ``"system"``, or a :class:`~emulator.clock.Clock`.
        replica_lag: seconds an eventually consistent DynamoDB read may lag the leader (0 =
            behaves strongly consistent; the default).
        seed: seeds every random choice (replica choice, retry jitter, ``$random``) for
            reproducible runs. ``None`` picks a fresh seed.
    """

    def __init__(self, *, region: str = DEFAULT_REGION, account_id: str = DEFAULT_ACCOUNT,
                 clock: Clock | str | None = None, replica_lag: float = 0.0,
                 seed: int | None = None, **options: Any) -> None:
        refuse_unknown_options(options)
        if clock is None or clock == "virtual":
            clock = VirtualClock()
        elif clock == "system":
            clock = SystemClock()
        elif isinstance(clock, str):
            raise ValueError(f"unknown clock {clock!r}: use 'virtual', 'system' or a Clock")
        self.clock: Clock = clock
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
