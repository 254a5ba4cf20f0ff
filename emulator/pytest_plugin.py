"""pytest fixtures for users of the emulator (registered through the ``pytest11`` entry point).

Installing the package makes these fixtures available in every test suite, with no import:

* ``aws`` — a fresh :class:`emulator.Emulator` per test (virtual clock, deterministic), in the
  region ``AWS_DEFAULT_REGION`` (else ``AWS_REGION``) names, if set, like ``mock_aws()``: the
  ARNs it hands out name the region boto3 clients use (us-east-1 otherwise);
* ``@pytest.mark.emulator(**options)`` — the options of that test's ``aws`` Emulator, e.g.
  ``@pytest.mark.emulator(auto_advance=False)`` for a virtual clock only the test moves, or
  ``patch_time=True``, ``replica_lag=2``, ``seed=7``; on a class or module (``pytestmark``) it
  applies to every test in it, the closest marker winning;
* ``@pytest.mark.emulator_faults(dict(operation="PutItem", error="InternalServerError"), ...)`` —
  faults injected into that test's ``aws`` Emulator (``aws.faults.inject``'s keywords; one fault
  may be given as keywords), gone with the Emulator when the test ends;
* ``dynamodb`` / ``stepfunctions`` / ``s3`` — that Emulator's native clients (boto3's method names,
  parameters, responses and error codes, without botocore in between: the fastest door);
* ``mocked_aws`` — the boto3 hook active for the test, answering with ``aws``: any
  ``boto3.client("dynamodb")``/``resource``/``stepfunctions`` created by the code under test is
  served in-process; yields the Emulator;
* ``emulator_server`` — one HTTP server per test session on a free port of 127.0.0.1 (its
  ``endpoint_url`` goes to any SDK or the AWS CLI), serving a session-wide Emulator on the system
  clock. Assign ``emulator_server.world = aws`` to serve a test's own Emulator instead: the
  assignment lasts for that test (an autouse fixture puts the previous Emulator back after each
  test that changed it), so a test's tables never leak into the next test on the server.
  Each test that uses ``emulator_server`` starts with the session Emulator reset
  (``Emulator.reset()``: no tables, state machines, executions or buckets; registered task code
  kept), unless it is marked ``@pytest.mark.emulator_keep_state``: then it sees what the tests
  before it left (for tests that build on each other, or a session fixture that seeds the server).

A project's own ``conftest.py`` may define fixtures with the same names; pytest then uses the
project's (this is how the emulator's own test suite parametrizes ``aws`` further). Nothing here
imports boto3 or starts a thread until a fixture that needs it is used.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .world import Emulator

if TYPE_CHECKING:
    from .wire.server import EmulatorServer

_server_lock = threading.Lock()
_server: EmulatorServer | None = None
_session_world: Emulator | None = None  # the Emulator the shared server was started with


def shared_server() -> EmulatorServer:
    """The process-wide test server (started on first use on a free port, stopped at exit)."""
    global _server, _session_world
    with _server_lock:
        if _server is None:
            from .wire.server import EmulatorServer

            world = _session_world = Emulator(clock="system")
            _server = EmulatorServer(world, host="127.0.0.1", port=0).start()
            atexit.register(_stop_shared_server)
        return _server


def _stop_shared_server() -> None:
    global _server, _session_world
    with _server_lock:
        if _server is not None:
            world = _server.world
            _server.stop()
            if world is not None:
                world.close()
            if _session_world is not None and _session_world is not world:
                _session_world.close()
            _server = _session_world = None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "emulator(**options): options of the test's `aws` Emulator, "
        "e.g. emulator(auto_advance=False) for a clock only the test moves",
    )
    config.addinivalue_line(
        "markers",
        "emulator_faults(*faults, **fault): faults injected into the test's `aws` Emulator, each a dict "
        "of aws.faults.inject's keywords (or one fault as keywords)",
    )
    config.addinivalue_line(
        "markers",
        "emulator_keep_state: the emulator_server's Emulator is not reset before this test "
        "(it sees what earlier tests left there)",
    )


def emulator_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The ``Emulator`` options a test asks for with ``@pytest.mark.emulator(...)`` (closest wins)."""
    marker = request.node.get_closest_marker("emulator")
    if marker is None:
        return {}
    if marker.args:
        raise TypeError("@pytest.mark.emulator takes keyword options only, e.g. emulator(auto_advance=False)")
    return dict(marker.kwargs)


def inject_marked_faults(request: pytest.FixtureRequest, world: Emulator) -> None:
    """The faults of the test's ``@pytest.mark.emulator_faults(dict(...), ...)`` markers (every
    marker on the test, its class and module), injected for this test only (emulator/faults/)."""
    for marker in request.node.iter_markers("emulator_faults"):
        for spec in marker.args:
            world.faults.inject(**spec)
        if marker.kwargs:
            world.faults.inject(**marker.kwargs)


@pytest.fixture
def aws(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A fresh Emulator for one test, in the region the environment names for boto3 (if any),
    with the options of the test's ``@pytest.mark.emulator(...)``."""
    from .wire.environment import emulator_for_environment

    world = emulator_for_environment(**emulator_options(request))
    inject_marked_faults(request, world)
    yield world
    world.close()


@pytest.fixture
def dynamodb(aws: Emulator):
    """The native DynamoDB client of ``aws``."""
    return aws.dynamodb


@pytest.fixture
def stepfunctions(aws: Emulator):
    """The native Step Functions client of ``aws`` (with ``.task(arn)`` to register callables)."""
    return aws.stepfunctions


@pytest.fixture
def s3(aws: Emulator):
    """The native S3 client of ``aws`` (the buckets its Distributed Maps read)."""
    return aws.s3


@pytest.fixture
def mocked_aws(aws: Emulator) -> Iterator[Emulator]:
    """boto3/botocore clients of DynamoDB, Streams and Step Functions answered by ``aws``."""
    from .wire.boto import mock_aws

    with mock_aws(aws):
        yield aws


@pytest.fixture(autouse=True)
def _emulator_server_world_per_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Reset the server's Emulator before a test that uses ``emulator_server`` (unless marked
    ``emulator_keep_state``), and undo a test's ``emulator_server.world = ...`` when it ends.
    No server is started here; a test that does not use the server costs a few lookups."""
    server = _server
    before = server.world if server is not None else None
    if (
        before is not None
        and "emulator_server" in request.fixturenames
        and request.node.get_closest_marker("emulator_keep_state") is None
    ):
        before.reset()
    yield
    server = _server
    if server is None:
        return
    if before is None:
        before = _session_world
    if server.world is not before:
        server.world = before


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    """A session-wide HTTP server on a free port; ``.endpoint_url`` for clients."""
    server = shared_server()
    world = server.world
    yield server
    server.world = world
