"""What the native clients take from botocore's models: parameter names, paginators and waiters.

A native client (``aws.dynamodb``) promises boto3's shape, so it must be as strict as a boto3 client
and offer the same helpers. None of that is written by hand here; it is read from the very files
boto3 uses:

* **Parameter names.** boto3 refuses an unknown parameter name on the client side, before any
  request, with ``botocore.exceptions.ParamValidationError`` (``put_item(ConditonExpression=...)``
  never reaches AWS). :func:`input_members` gives each operation's top-level member names from the
  ``service-2`` model (read once per process by :mod:`emulator.wire.models`, which the HTTP door
  shares), and :func:`unknown_parameters` raises botocore's own error with botocore's report text
  (``botocore/validate.py``). Only the *names* are checked on the client side: types, required
  members and values are the service's server-side validation, which answers as AWS does (and
  through every door alike). Nested member names are not checked by the native client.
* **Paginators** are ``botocore.paginate.Paginator`` over the client's own method, configured by
  the service's ``paginators-1`` model, as ``BaseClient.get_paginator`` builds them.
* **Waiters** are built by ``botocore.waiter.create_waiter_with_client`` from the ``waiters-2``
  model. One difference, on purpose: between attempts a native waiter waits on the *world's*
  clock, not the wall clock. On a virtual clock the delay advances the clock (what happens during
  a 20 s delay on AWS happens here too, at once); on the system clock it is a real sleep. botocore's
  waiter is driven with ``Delay`` 0 and the delay is spent before each further attempt instead.

botocore's loader, model and waiter/paginator modules are imported on first use only, so a test
that never asks for a paginator never pays for them. The check itself costs one subset test per
call (see ``benchmarks/suite_dynamodb.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from .models import service_model


@cache
def input_members(service: str, operation: str) -> tuple[str, ...] | None:
    """The operation's top-level input member names in model order (``None``: no input shape, or an
    operation the model does not have; then botocore checks nothing either)."""
    model = service_model(service)
    spec = model.raw_operations.get(operation)
    if spec is None or "input" not in spec:
        return None
    return tuple(model.raw_shapes[spec["input"]["shape"]].get("members", {}))


def unknown_parameters(params: dict[str, Any], valid: tuple[str, ...]) -> Exception:
    """botocore's ``ParamValidationError`` for the names in ``params`` that are not in ``valid``.

    One report line per unknown name, in the order given, exactly as ``botocore.validate`` writes
    them (``Unknown parameter in input: "X", must be one of: A, B``).
    """
    from botocore.exceptions import ParamValidationError

    names = ", ".join(valid)
    report = "\n".join(
        f'Unknown parameter in input: "{name}", must be one of: {names}'
        for name in params
        if name not in valid
    )
    return ParamValidationError(report=report)


# --- botocore's own model objects, for paginators and waiters ------------------------------------


@cache
def _loader() -> Any:
    from botocore.loaders import create_loader

    return create_loader()


@cache
def botocore_service_model(service: str) -> Any:
    """botocore's ``ServiceModel`` of a service, over the raw model already read by the wire layer."""
    from botocore.model import ServiceModel

    raw = service_model(service)
    return ServiceModel(
        {
            "metadata": raw.metadata,
            "operations": raw.raw_operations,
            "shapes": raw.raw_shapes,
            "version": "2.0",
        },
        service_name=service,
    )


def _extra_model(service: str, kind: str) -> dict[str, Any]:
    from botocore.exceptions import DataNotFoundError

    model = botocore_service_model(service)
    try:
        return _loader().load_service_model(service, kind, model.api_version)
    except DataNotFoundError:
        return {}


@cache
def pagination_config(service: str) -> dict[str, Any]:
    """``{OperationName: config}`` from the service's ``paginators-1`` model (``{}`` if none)."""
    return _extra_model(service, "paginators-1").get("pagination", {})


@cache
def _waiter_model(service: str) -> Any:
    from botocore.waiter import WaiterModel

    config = _extra_model(service, "waiters-2")
    return WaiterModel(config) if config else None


def waiter_names(service: str) -> list[str]:
    """boto3's ``client.waiter_names``: the snake_case names of the service's waiters."""
    from botocore import xform_name

    model = _waiter_model(service)
    return [] if model is None else [xform_name(name) for name in model.waiter_names]


@cache
def _paginator_class(service: str, operation: str) -> type:
    """A ``Paginator`` subclass named as boto3 names it (``DynamoDB.Paginator.Query``)."""
    from botocore.paginate import Paginator
    from botocore.utils import get_service_module_name

    name = f"{get_service_module_name(botocore_service_model(service))}.Paginator.{operation}"
    return type(name, (Paginator,), {})


def paginator(service: str, operation: str, method: Callable[..., Any]) -> Any:
    """A ``botocore.paginate.Paginator`` for ``operation`` over the native ``method``."""
    model = botocore_service_model(service)
    cls = _paginator_class(service, operation)
    return cls(method, pagination_config(service)[operation], model.operation_model(operation))


class _WaiterMeta:
    """The two ``client.meta`` attributes botocore's waiter factory reads (for docstrings)."""

    def __init__(self, service: str) -> None:
        from botocore.hooks import HierarchicalEmitter

        self.service_model = botocore_service_model(service)
        self.events = HierarchicalEmitter()


class _ClockPacedClient:
    """What a native waiter calls: the client's method, after the delay spent on the world's clock."""

    def __init__(self, client: Any, service: str, clock: Any) -> None:
        self._client = client
        self._clock = clock
        self.meta = _WaiterMeta(service)
        self.delay = 0.0
        self.calls = 0

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def paced(**kwargs: Any) -> Any:
            if self.calls:
                _wait_on(self._clock, self.delay)
            self.calls += 1
            return method(**kwargs)

        return paced


def _wait_on(clock: Any, seconds: float) -> None:
    if seconds <= 0:
        return
    if getattr(clock, "virtual", False):
        clock.advance(seconds)
    else:
        clock.sleep(seconds)


def waiter(service: str, name: str, client: Any, clock: Any) -> Any:
    """botocore's waiter ``name`` (snake_case, as ``client.get_waiter`` takes it) over ``client``,
    waiting between attempts on ``clock``. ``ValueError`` for a waiter the service lacks, as boto3."""
    from botocore import xform_name
    from botocore.waiter import Waiter, create_waiter_with_client

    model = _waiter_model(service)
    mapping = {} if model is None else {xform_name(n): n for n in model.waiter_names}
    if name not in mapping:
        raise ValueError(f"Waiter does not exist: {name}")
    paced = _ClockPacedClient(client, service, clock)
    botocore_waiter = create_waiter_with_client(mapping[name], model, paced)
    base_wait = type(botocore_waiter).wait

    def wait(**kwargs: Any) -> None:
        config = dict(kwargs.pop("WaiterConfig", None) or {})
        paced.delay = float(config.get("Delay", botocore_waiter.config.delay))
        paced.calls = 0
        config["Delay"] = 0  # botocore's own sleep is skipped; the delay is spent on the clock
        base_wait(botocore_waiter, WaiterConfig=config, **kwargs)

    wait.__doc__ = Waiter.wait.__doc__
    botocore_waiter.wait = wait
    return botocore_waiter
