"""Services as registries of named operations, and the boto3-shaped facade over them.

Every door (native facade, boto3 hook, HTTP server) reaches a service through one method:
``service.call("PutItem", request) -> response``, where ``request`` and ``response`` are in the
*native* shape, i.e. exactly what a boto3 client takes as keyword arguments and returns (bytes for
blobs, aware datetimes for timestamps). Only ``wire/`` converts between that and JSON.

Operations register with the service class's registry, with the shape of their request::

    @operation("PutItem", shape=PUT_ITEM, fast=plain_put)
    def put_item(service, request): ...

``call`` validates the request against ``shape`` (with the registry's ``validate`` function,
e.g. DynamoDB's data-driven ``validation.check``) before the handler runs, so a handler starts
from a well-shaped request, as fakeredis's ``@command(signature)`` and jmespath's ``@signature``
do. ``fast`` is an explicit pre-hook for a hot path: it runs first and answers the request
itself, or returns None ("not mine", having touched nothing) and the validated path runs.

An operation name the real service has but we do not implement answers with
``UnknownOperationException``, the error AWS gives for an unknown target — never a traceback —
with a message saying that the emulator does not implement it (AWS's own answer has none).
Any non-AWS exception escaping a handler is a bug; ``call`` turns it into ``InternalServerError``
(HTTP 500) and chains the original so tests can see it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from .errors import AWSError, InternalServerError, error_class
from .param_types import native_request_problem

if TYPE_CHECKING:
    from .partition import Partition
    from .world import Emulator

Handler = Callable[["Service", dict[str, Any]], dict[str, Any]]
FastPath = Callable[["Service", dict[str, Any]], "dict[str, Any] | None"]
Validator = Callable[[Any, dict[str, Any]], None]

_FIRST_CAP = re.compile(r"(.)([A-Z][a-z]+)")
_ALL_CAP = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """``BatchGetItem`` → ``batch_get_item`` (botocore's ``xform_name`` for these services)."""
    return _ALL_CAP.sub(r"\1_\2", _FIRST_CAP.sub(r"\1_\2", name)).lower()


class Operation:
    """One registered operation: its handler, the shape its request is validated against before
    the handler runs (None: the handler takes any request), and an optional fast-path pre-hook."""

    __slots__ = ("name", "handler", "shape", "fast")

    def __init__(self, name: str, handler: Handler, shape: Any = None, fast: FastPath | None = None) -> None:
        self.name = name
        self.handler = handler
        self.shape = shape
        self.fast = fast


class OperationRegistry:
    """Operation name → :class:`Operation`. One registry per service class.

    ``validate(shape, request)``: how this service checks a request against a registered shape
    (raises the service's validation error); required to register an operation with a shape.
    """

    def __init__(self, validate: Validator | None = None) -> None:
        self.validate = validate
        self.operations: dict[str, Operation] = {}
        self.handlers: dict[str, Handler] = {}

    def __call__(
        self, name: str, *, shape: Any = None, fast: FastPath | None = None
    ) -> Callable[[Handler], Handler]:
        if shape is not None and self.validate is None:
            raise ValueError(f"operation {name} has a shape but its registry no validate function")

        def register(fn: Handler) -> Handler:
            if name in self.handlers:
                raise ValueError(f"operation {name} registered twice")
            self.handlers[name] = fn
            self.operations[name] = Operation(name, fn, shape, fast)
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
        self.lock: Any = threading.RLock()  # or a HandoffLock (Step Functions)

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
        """Run one operation on a native-shaped request and return the native-shaped response:
        the operation's fast pre-hook if it has one, else its shape check, then its handler.
        In a durable world (``data_dir``) the world's journal logs it before it is answered."""
        journal = self.world.journal
        if journal is not None:
            return journal.call(self, op_name, request)
        return self.apply(op_name, request)

    def apply(self, op_name: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
        """:meth:`call` without the durable log (the journal's and the replay's way in)."""
        registry = self.registry
        op = registry.operations.get(op_name)
        if op is None:
            unknown = self.unknown_operation(self.unknown_operation_message(op_name))
            unknown._operation_name = op_name
            raise unknown
        if request is None:
            request = {}
        try:
            if self.world._active_faults is not None:  # an injected fault (emulator/faults/)
                self.world._active_faults.on_call(self, op_name, request)
            with self.lock:
                if op.fast is not None:  # the hot path's pre-hook: its answer, or None (not mine)
                    answer = op.fast(self, request)
                    if answer is not None:
                        return answer
                if op.shape is not None:
                    registry.validate(op.shape, request)  # type: ignore[misc]
                return op.handler(self, request)
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

    def unknown_operation_message(self, op_name: str) -> str:
        """The text of ``UnknownOperationException``. AWS sends none, but for an operation of the
        real API an empty message left users guessing, so it says the emulator lacks it."""
        if op_name in self.api_operations:
            return f"The emulator does not implement the {self.name} operation {op_name}"
        return f"Unknown operation {op_name}"

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
    """``client.exceptions.<Code>``: the service's error classes, plus ``ClientError``: botocore's, as
    on a boto3 client (every :class:`AWSError` is one)."""

    def __init__(self, errors: dict[str, type[AWSError]]) -> None:
        self.__dict__.update(errors)
        self.ClientError = ClientError

    def from_code(self, code: str) -> type[ClientError]:
        return self.__dict__.get(code, ClientError)


class _AnyName(frozenset):
    """The valid names of an operation without an input shape: any (botocore checks none there)."""

    def issuperset(self, other: Any) -> bool:
        return True


ANY_NAME: frozenset[str] = _AnyName()


class Client:
    """The native door: a boto3-client-shaped facade whose methods dispatch to ``service.call``.

    ``client.put_item(TableName=..., Item=...)`` is ``service.call("PutItem", {...})``. As with
    boto3, parameters are keyword-only, and a parameter name the operation does not have is
    botocore's ``ParamValidationError`` before the call (names only; the service validates the
    rest). ``client.exceptions.<Code>`` holds the error classes; ``get_paginator``,
    ``can_paginate``, ``get_waiter`` and ``waiter_names`` are botocore's, built from its models
    (``wire/native_client.py``).
    """

    def __init__(self, service: Service) -> None:
        self._service = service
        self._methods = {snake_case(n): n for n in service.api_operation_names()}
        self.exceptions = _Exceptions(service.errors)

    @property
    def service(self) -> Service:
        return self._service

    def forget_methods(self) -> None:
        """Drop the cached operation methods (they hold the service's ``call`` of their time)."""
        for name in [n for n in self.__dict__ if n in self._methods]:
            del self.__dict__[name]

    def rebind(self, service: Service) -> None:
        """Point this client at ``service``, its partition's new service after a reset."""
        self.forget_methods()  # cached methods hold the old service's ``call``
        self._service = service
        self._enlist()

    def _enlist(self) -> None:
        """Join the service's ``native_clients`` if it keeps them (they forget their methods
        when the service's ``call`` is replaced)."""
        clients = getattr(self._service, "native_clients", None)
        if clients is not None:
            clients.add(self)

    def _operation(self, attr: str) -> tuple[str, frozenset[str], tuple[str, ...]]:
        """(operation name, valid parameter names, the same in model order) of a method name;
        ``AttributeError`` for a name the API does not have."""
        op = self.__dict__.get("_methods", {}).get(attr)
        if op is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")
        # The imports of wire.native_client in this module are lazy for import-time cost only (no
        # cycle): it reads botocore's service models (~10 ms), which `import emulator` does not need.
        from .wire.native_client import input_members

        members = input_members(self._service.name, op)
        if members is None:  # no input shape: botocore checks nothing either
            return op, ANY_NAME, ()
        return op, frozenset(members), members

    def __getattr__(self, attr: str) -> Callable[..., dict[str, Any]]:
        op, valid, order = self._operation(attr)
        service = self._service
        call = service.call if op in service.checked_after_crash else service.native_call

        def method(**kwargs: Any) -> dict[str, Any]:
            if not valid.issuperset(kwargs):  # boto3's client-side check of parameter names
                raise unknown_parameters(kwargs, order)
            return call(op, kwargs)

        method.__name__ = attr
        method.__doc__ = f"Call {self._service.name} {op} (native door)."
        self.__dict__[attr] = method  # cache: later lookups skip __getattr__
        return method

    # -- boto3's helpers, from botocore's paginator and waiter models ----------------------------
    def can_paginate(self, operation_name: str) -> bool:
        """Whether ``get_paginator(operation_name)`` works (``KeyError`` for a name the API lacks,
        as boto3)."""
        from .wire.native_client import pagination_config

        return self._methods[operation_name] in pagination_config(self._service.name)

    def get_paginator(self, operation_name: str) -> Any:
        """botocore's ``Paginator`` for a snake_case operation name, over this client."""
        from botocore.exceptions import OperationNotPageableError

        from .wire.native_client import paginator

        if not self.can_paginate(operation_name):
            raise OperationNotPageableError(operation_name=operation_name)
        return paginator(self._service.name, self._methods[operation_name], getattr(self, operation_name))

    def get_waiter(self, waiter_name: str) -> Any:
        """botocore's waiter of that name, waiting between attempts on the world's clock."""
        from .wire.native_client import waiter

        return waiter(self._service.name, waiter_name, self, self._service.clock)

    @property
    def waiter_names(self) -> list[str]:
        from .wire.native_client import waiter_names

        return waiter_names(self._service.name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._methods))


def unknown_parameters(params: dict[str, Any], valid: tuple[str, ...]) -> Exception:
    """botocore's ``ParamValidationError`` for the unknown names in ``params`` (cold path)."""
    from .wire.native_client import unknown_parameters as report

    return report(params, valid)


Service.client_class = Client  # type: ignore[attr-defined]
