"""Fixtures of the console tests: a world on a virtual clock that only the test moves, served on a
free port."""

from __future__ import annotations

import pytest

from emulator import Emulator
from emulator.wire.server import EmulatorServer
from tests.console.console_world import Console


@pytest.fixture
def aws():
    return Emulator(auto_advance=False)


@pytest.fixture
def console(aws):
    with EmulatorServer(aws, port=0) as server:
        yield Console(server)
