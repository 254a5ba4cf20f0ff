"""Services as registries of named operations, and the boto3-shaped facade over them.

Every door (native facade, boto3 hook, HTTP server) reaches a service through one method:
``service.call("PutItem", request) -> response``, where ``request`` and ``response`` are in the
*native* shape, i.e. exactly what a boto3 client takes as keyword arguments and returns (bytes for
blobs, aware datetimes for timestamps). Only ``wire/`` converts between that and JSON.

Operations register with the service class's registry::

    @operation("PutItem")
    def put_item(service, request): ...

An operation name the real service has but we do not implement answers with
``UnknownOperationException``, the error AWS gives for an unknown target — never a traceback.
Any non-AWS exception escaping a handler is a bug; ``call`` turns it into ``InternalServerError``
(HTTP 500) and chains the original so tests can see it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import AWSError, InternalServerError, error_class
from .param_types import native_request_problem

if TYPE_CHECKING:
    from .partition import Partition
    from .world import Emulator

Handler = Callable[["Service", dict[str, Any]], dict[str, Any]]

_FIRST_CAP = re.compile(r"(.)([A-Z][a-z]+)")
_ALL_CAP = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """``BatchGetItem`` → ``batch_get_item`` (botocore's ``xform_name`` for these services)."""
    return _ALL_CAP.sub(r"\1_\2", _FIRST_CAP.sub(r"\1_\2", name)).lower()


class OperationRegistry:
    """Operation name → handler. One registry per service class."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}

    def __call__(self, name: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            if name in self.handlers:
                raise ValueError(f"operation {name} registered twice")
            self.handlers[name] = fn
            return fn
        return register

    def names(self) -> list[str]:
        return sorted(self.handlers)


class Service:
    """Base class of a service: a registry, an error table, a lock, the world and the partition.

    One service object serves one (account, region) partition of the world
    (:mod:`emulator.partition`); ``region``, ``account_id`` and :meth:`arn` name it.

    Subclasses set ``name`` (the botocore service name), ``registry``, ``errors`` (code → class),
    and ``unknown_operation`` (the error class for an unknown operation name).
    ``lock``: operations run under one re-entrant lock per service, so concurrent callers never see
    a torn item or lose an update. Handlers that run user code for long (Step Functions tasks) may
    release it around that code.
    """

    name: str = ""
    api_operations: tuple[str, ...] = ()  # every operation of the real API (emulator/api_operations.py)
    registry: OperationRegistry
    errors: dict[str, type[AWSError]]
    unknown_operation: type[AWSError]
    # Operations whose native requests are type-checked only when a handler crashes, not up front
    # (hot paths that check their own input; see emulator/param_types.py).
    checked_after_crash: frozenset[str] = frozenset()

    def __init__(self, world: Emulator, partition: Partition | None = None) -> None:
        self.world = world
        self.partition = partition if partition is not None else world.default_partition
        self.region = self.partition.region
        self.account_id = self.partition.account_id
        self.lock = threading.RLock()

    @property
    def clock(self):
        return self.world.clock

    def arn(self, service: str, resource: str) -> str:
        """An ARN in this service's partition: ``arn:aws:<service>:<region>:<account>:<resource>``."""
        return self.partition.arn(service, resource)

    def rng(self, purpose: str):
        """The world's seeded RNG for ``purpose`` in this partition (see ``Partition.seed_purpose``)."""
        return self.world.rng(self.partition.seed_purpose(purpose, self.world.default_partition))

    def sibling(self, name: str) -> Service:
        """Another service of the same partition (Streams reads its DynamoDB; a Step Functions
        execution calls the DynamoDB of its own account and region)."""
        sibling: Service = self.world.service_in(name, self.partition)
        return sibling

    def operation_names(self) -> list[str]:
        """The operations this emulator implements."""
        return self.registry.names()

    def api_operation_names(self) -> list[str]:
        """Every operation of the real API: the implemented ones plus those that answer
        ``UnknownOperationException`` here, as AWS does for an operation it does not know."""
        return sorted(set(self.api_operations) | set(self.registry.handlers))

    def call(self, op_name: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one operation on a native-shaped request and return the native-shaped response."""
        handler = self.registry.handlers.get(op_name)
        if handler is None:
            unknown = self.unknown_operation(f"Unknown operation {op_name}")
            unknown._operation_name = op_name
            raise unknown
        try:
            with self.lock:
                return handler(self, request if request is not None else {})
        except AWSError as err:
            err._operation_name = op_name
            raise
        except Exception as exc:  # a bug: never let a Python traceback pass for an AWS answer
            # ... unless the request was of the wrong type (one only a native caller can send):
            # then it is answered as the service answers it over the wire (param_types.py).
            problem = native_request_problem(self, op_name, request) if request else None
            if problem is not None:
                if isinstance(problem, AWSError):
                    problem._operation_name = op_name
                raise problem from exc
            internal = self.internal_error(f"Internal server error ({type(exc).__name__}: {exc})")
            internal._operation_name = op_name
            raise internal from exc

    def native_call(self, op_name: str, request: dict[str, Any]) -> dict[str, Any]:
        """:meth:`call` for the native door, with the request's Python types checked first: a value
        of the wrong type, or a string with a lone surrogate, is answered as the service answers
        it over the wire (emulator/param_types.py). The native clients use this for every
        operation not in :attr:`checked_after_crash`."""
        problem = native_request_problem(self, op_name, request)
        if problem is not None:
            if isinstance(problem, AWSError):
                problem._operation_name = op_name
            raise problem
        return self.call(op_name, request)

    def internal_error(self, message: str) -> AWSError:
        cls = self.errors.get("InternalServerError") or InternalServerError
        return cls(message)


def error_table(namespace: str, *specs: str | tuple[str, dict[str, Any]]) -> dict[str, type[AWSError]]:
    """Build ``{code: class}`` for a service from codes (or ``(code, options)`` pairs)."""
    table: dict[str, type[AWSError]] = {}
    for spec in specs:
        if isinstance(spec, tuple):
            code, opts = spec
        else:
            code, opts = spec, {}
        opts = dict(opts)
        ns = opts.pop("namespace", namespace)
        table[code] = error_class(code, ns, **opts)
    return table


class _Exceptions:
    """``client.exceptions.<Code>``: the service's error classes, plus ``ClientError`` (the root)."""

    def __init__(self, errors: dict[str, type[AWSError]]) -> None:
        self.__dict__.update(errors)
        self.ClientError = AWSError

    def from_code(self, code: str) -> type[AWSError]:
        return self.__dict__.get(code, AWSError)


class Client:
    """The native door: a boto3-client-shaped facade whose methods dispatch to ``service.call``.

    ``client.put_item(TableName=..., Item=...)`` is ``service.call("PutItem", {...})``. As with
    boto3, parameters are keyword-only. ``client.exceptions.<Code>`` holds the error classes.
    """

    def __init__(self, service: Service) -> None:
        self._service = service
        self._methods = {snake_case(n): n for n in service.api_operation_names()}
        self.exceptions = _Exceptions(service.errors)

    @property
    def service(self) -> Service:
        return self._service

    def __getattr__(self, attr: str) -> Callable[..., dict[str, Any]]:
        op = self.__dict__.get("_methods", {}).get(attr)
        if op is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")
        service = self._service
        call = service.call if op in service.checked_after_crash else service.native_call

        def method(**kwargs: Any) -> dict[str, Any]:
            return call(op, kwargs)

        method.__name__ = attr
        method.__doc__ = f"Call {self._service.name} {op} (native door)."
        self.__dict__[attr] = method  # cache: later lookups skip __getattr__
        return method

    def can_paginate(self, operation_name: str) -> bool:
        return False

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._methods))


Service.client_class = Client  # type: ignore[attr-defined]
