"""Shared fixtures.

``aws`` is a fresh :class:`emulator.Emulator` per test. ``ddb`` and ``sfn`` are *door clients*:
boto3-shaped clients bound to that same Emulator, parametrized over the three doors:

* ``native`` — ``aws.dynamodb`` / ``aws.stepfunctions`` themselves;
* ``boto3`` — a real boto3 client answered in-process by ``emulator.mock_aws(aws)``;
* ``http`` — a real boto3 client whose ``endpoint_url`` is a session-wide ``emulator serve``
  server, pointed at this test's ``aws`` for the duration of the test.

A test written against ``ddb``/``sfn`` therefore runs three times (ids ``[native]``, ``[boto3]``,
``[http]``). Write such tests door-agnostically: check errors with :func:`error_of`, which reads
``.response["Error"]`` — the same on our native exceptions and on botocore's ``ClientError``.
Door clients return responses without ``ResponseMetadata`` (botocore's transport details), so
whole responses compare equal across doors; ``client.exceptions.<Code>`` works on every door, and
attributes only the native client has (``sfn.task(...)``) are forwarded to it.

The boto3 clients of both wire doors skip botocore's client-side parameter validation and retries,
so that what is tested is the emulator's own validation and the first answer. The native door
keeps its client-side check of parameter *names* (as strict as a default boto3 client); it checks
nothing else, so the service's own validation is tested through it too. A test that sends an
unknown parameter name to reach the server's answer must therefore be limited to the wire doors
(``@pytest.mark.doors("boto3", "http")``).

Opting out: ``@pytest.mark.native_only`` (or ``@pytest.mark.doors("native", "boto3")``) limits a
test to some doors. The environment variable ``EMULATOR_DOORS=native`` (comma-separated) limits
the whole run, e.g. for a quick local loop.

A fourth door, ``remote``, is parametrized only when ``EMULATOR_REMOTE_ENDPOINT`` names an endpoint
(``aws``, or a URL such as DynamoDB Local's): the same bodies run against that service, through a
client that waits for its asynchronous control plane and deletes what the test created (see
``tests/remote_door.py``). A test cannot go through it, and its remote case is skipped with the
reason, when it uses the in-process world — the ``aws`` fixture (clock control, task
registration, replica lag, inspection), directly or through another fixture — or is marked
``@pytest.mark.no_remote("why")``; a test that reaches for a native-only extra (``sfn.task``) is
skipped at that point. Every remote case carries the ``remote`` marker: ``-m remote`` runs only them. Door fixtures therefore take ``aws`` lazily (``_door_client``), so that
only tests that really use the world depend on it.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

import emulator
from emulator.pytest_plugin import emulator_options, inject_marked_faults

try:
    from . import remote_door
except ImportError:  # conftest imported as a top-level module (no tests/__init__.py)
    import remote_door  # type: ignore[no-redef]

DOORS = ("native", "boto3", "http", "remote")
IN_PROCESS_WORLD = (
    "uses the in-process world (the aws fixture: clock control, task registration, "
    "replica lag or inspection), which a remote service does not have"
)


def error_of(excinfo) -> tuple[str, str]:
    """(code, message) of an AWS error raised by any door."""
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def wait_until(condition, *, what: str = "the condition") -> None:
    """Wait for ``condition()`` to hold, for work a background thread does in real time (the system
    clock's scheduler, its TTL sweeper). This is synchronisation, not a measurement: the guard is a
    minute, far beyond any honest run, only so that a hang fails instead of stalling the suite."""
    pause = threading.Event()
    for _ in range(60_000):
        if condition():
            return
        pause.wait(0.001)
    raise AssertionError(f"{what} never held")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "native_only: run this ddb/sfn test through the native door only")
    config.addinivalue_line("markers", "doors(*names): run this ddb/sfn test through these doors only")
    config.addinivalue_line("markers", "no_remote(reason): the remote door cannot run this ddb/sfn test")
    config.addinivalue_line(
        "markers", "remote: a ddb/sfn test's remote-door case (select them with -m remote)"
    )


def _doors_for(metafunc) -> list[str]:
    allowed = [d.strip() for d in os.environ.get("EMULATOR_DOORS", ",".join(DOORS)).split(",") if d.strip()]
    if not remote_door.enabled():  # the remote door exists only when an endpoint is named
        allowed = [d for d in allowed if d != "remote"]
    if metafunc.definition.get_closest_marker("native_only") is not None:
        allowed = [d for d in allowed if d == "native"]
    marker = metafunc.definition.get_closest_marker("doors")
    if marker is not None:
        allowed = [d for d in allowed if d in marker.args]
    return [d for d in DOORS if d in allowed]


def _remote_skip_reason(metafunc) -> str | None:
    """Why the remote door cannot run this test, or None."""
    marker = metafunc.definition.get_closest_marker("no_remote")
    if marker is not None:
        return "no remote door: " + (
            marker.args[0] if marker.args else marker.kwargs.get("reason", "marked no_remote")
        )
    if "aws" in metafunc.fixturenames:
        return "no remote door: " + IN_PROCESS_WORLD
    return None


def pytest_generate_tests(metafunc) -> None:
    if "door" in metafunc.fixturenames:
        params: list[Any] = []
        for d in _doors_for(metafunc):
            if d != "remote":
                params.append(d)
                continue
            reason = _remote_skip_reason(metafunc)
            marks = [pytest.mark.remote] + ([pytest.mark.skip(reason=reason)] if reason else [])
            params.append(pytest.param(d, marks=marks))
        metafunc.parametrize("door", params, indirect=True, scope="function")


@pytest.fixture
def door(request) -> str:
    """Which door ``ddb``/``sfn`` go through (parametrized by ``pytest_generate_tests``; ``remote``
    only when ``EMULATOR_REMOTE_ENDPOINT`` is set)."""
    return getattr(request, "param", "native")


@pytest.fixture
def aws(request):
    """A fresh Emulator, with the options of the test's ``@pytest.mark.emulator(...)`` and the faults
    of its ``@pytest.mark.emulator_faults(...)`` (the plugin's)."""
    world = emulator.Emulator(**emulator_options(request))
    inject_marked_faults(request, world)
    yield world
    world.close()


# --- door clients ---------------------------------------------------------------------------------

_BOTO3_CLIENTS: dict[tuple[str, str, str | None, str], Any] = {}


def _boto3_client(service: str, region: str, endpoint_url: str | None, access_key: str = "testing"):
    """A cached real boto3 client (creating one costs milliseconds; tests make thousands of calls).
    ``access_key``: a 12-digit key id names the account the emulator answers in."""
    key = (service, region, endpoint_url, access_key)
    client = _BOTO3_CLIENTS.get(key)
    if client is None:
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(
            aws_access_key_id=access_key, aws_secret_access_key="testing", region_name=region
        )
        config = Config(
            parameter_validation=False,
            retries={"total_max_attempts": 1},
            inject_host_prefix=endpoint_url is None,
        )
        client = session.client(service, endpoint_url=endpoint_url, config=config)
        _BOTO3_CLIENTS[key] = client
    return client


class DoorClient:
    """A boto3 client seen through a door: metadata-free responses, native extras forwarded.

    ``remote`` (the remote door's :class:`remote_door.RemoteCalls`) sees every call; a remote
    client has no native client, so reaching for a native extra skips the test.
    """

    def __init__(self, client: Any, native: Any, door: str, remote: Any = None) -> None:
        self._client = client
        self._native = native
        self.door = door
        self.exceptions = client.exceptions
        self.meta = client.meta
        self._remote = remote

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name, None)
        if attr is None:
            if self._native is None and not name.startswith("__"):
                pytest.skip(
                    f"no remote door: uses {self.meta.service_model.service_name}.{name}, "
                    "a native-only extra of the emulator"
                )
            return getattr(self._native, name)
        if (
            name.startswith("_")
            or not callable(attr)
            or name in ("get_paginator", "get_waiter", "can_paginate", "close")
        ):
            return attr

        remote = self._remote
        service = self.meta.service_model.service_name

        def call(*args: Any, **kwargs: Any) -> Any:
            if remote is None:
                response = attr(*args, **kwargs)
            else:
                response = remote.invoke(service, self._client, name, attr, args, kwargs)
            if isinstance(response, dict):
                response.pop("ResponseMetadata", None)
            return response

        call.__name__ = name
        self.__dict__[name] = call
        return call

    def __repr__(self) -> str:
        return f"DoorClient({self.door}, {self._client.meta.service_model.service_name})"


def _remote_client(service: str, request):
    """``service`` at its remote endpoint; the test's created resources are removed afterwards."""
    if remote_door.endpoint_for(service) is None:
        pytest.skip(f"no remote door: {remote_door.ENV}_{service.upper()} is off")
    calls = getattr(request.node, "_remote_calls", None)
    if calls is None:
        calls = request.node._remote_calls = remote_door.RemoteCalls()
        request.addfinalizer(calls.cleanup)
    return DoorClient(remote_door.raw_client(service), None, "remote", calls)


def _door_client(
    service: str, aws, door: str, request, region: str | None = None, account_id: str | None = None
):
    """``service`` through ``door``, in the partition of ``region`` and ``account_id`` (default: the
    Emulator's): natively ``aws.client(service, region_name=, account_id=)``; over the wire a boto3
    client of that region whose access key id is the account. ``aws`` may be None, and is then the
    test's ``aws`` fixture, asked for only by the doors that need it (so remote-door tests do not
    depend on it)."""
    if door == "remote":
        return _remote_client(service, request)
    if aws is None:
        aws = request.getfixturevalue("aws")
    native = aws.client(service, region_name=region, account_id=account_id)
    region = region or aws.region
    access_key = account_id or "testing"
    if door == "native":
        return native
    if door == "boto3":
        from emulator.wire.boto import MockAWS

        mock = MockAWS(aws)
        mock.start()
        request.addfinalizer(mock.stop)
        return DoorClient(_boto3_client(service, region, None, access_key), native, door)
    if door == "http":
        from emulator.pytest_plugin import shared_server

        server = shared_server()
        previous = server.world
        server.world = aws

        def detach() -> None:
            server.world = previous

        request.addfinalizer(detach)
        return DoorClient(_boto3_client(service, region, server.endpoint_url, access_key), native, door)
    raise ValueError(f"unknown door {door!r}")


@pytest.fixture
def ddb(door, request):
    """DynamoDB through the door of this parametrization (native, boto3, http or remote)."""
    return _door_client("dynamodb", None, door, request)


@pytest.fixture
def sfn(door, request):
    """Step Functions through the door of this parametrization (native, boto3, http or remote)."""
    return _door_client("stepfunctions", None, door, request)


@pytest.fixture
def door_client(aws, door, request):
    """``door_client(service, region_name=None, account_id=None)``: a client of another
    (account, region) partition of ``aws`` through this test's door (no remote door: it uses ``aws``)."""

    def make(service: str, region_name: str | None = None, account_id: str | None = None):
        return _door_client(service, aws, door, request, region_name, account_id)

    return make


def world_with_table(seed: int) -> emulator.Emulator:
    """A seeded Emulator holding one on-demand table ``tbl`` keyed by the string ``id``."""
    world = emulator.Emulator(seed=seed)
    world.dynamodb.create_table(
        TableName="tbl",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return world
