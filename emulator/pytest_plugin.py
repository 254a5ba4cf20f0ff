"""pytest fixtures for users of the emulator (registered through the ``pytest11`` entry point).

Installing the package makes these fixtures available in every test suite, with no import:

* ``aws`` — a fresh :class:`emulator.Emulator` per test (virtual clock, deterministic);
* ``dynamodb`` / ``stepfunctions`` — that Emulator's native clients (boto3's method names,
  parameters, responses and error codes, without botocore in between: the fastest door);
* ``mocked_aws`` — the boto3 hook active for the test, answering with ``aws``: any
  ``boto3.client("dynamodb")``/``resource``/``stepfunctions`` created by the code under test is
  served in-process; yields the Emulator;
* ``emulator_server`` — one HTTP server per test session on a free port of 127.0.0.1 (its
  ``endpoint_url`` goes to any SDK or the AWS CLI), serving a session-wide Emulator on the system
  clock. Assign ``emulator_server.world = aws`` to serve a test's own Emulator instead.

A project's own ``conftest.py`` may define fixtures with the same names; pytest then uses the
project's (this is how the emulator's own test suite parametrizes ``aws`` further). Nothing here
imports boto3 or starts a thread until a fixture that needs it is used.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .world import Emulator

if TYPE_CHECKING:
    from .wire.server import EmulatorServer

_server_lock = threading.Lock()
_server: EmulatorServer | None = None


def shared_server() -> EmulatorServer:
    """The process-wide test server (started on first use on a free port, stopped at exit)."""
    global _server
    with _server_lock:
        if _server is None:
            from .wire.server import EmulatorServer

            world = Emulator(clock="system")
            _server = EmulatorServer(world, host="127.0.0.1", port=0).start()
            atexit.register(_stop_shared_server)
        return _server


def _stop_shared_server() -> None:
    global _server
    with _server_lock:
        if _server is not None:
            world = _server.world
            _server.stop()
            if world is not None:
                world.close()
            _server = None


@pytest.fixture
def aws() -> Iterator[Emulator]:
    """A fresh Emulator for one test."""
    world = Emulator()
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
def mocked_aws(aws: Emulator) -> Iterator[Emulator]:
    """boto3/botocore clients of DynamoDB, Streams and Step Functions answered by ``aws``."""
    from .wire.boto import mock_aws

    with mock_aws(aws):
        yield aws


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    """A session-wide HTTP server on a free port; ``.endpoint_url`` for clients."""
    server = shared_server()
    world = server.world
    yield server
    server.world = world
