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
so that what is tested is the emulator's own validation and the first answer.

Opting out: ``@pytest.mark.native_only`` (or ``@pytest.mark.doors("native", "boto3")``) limits a
test to some doors. The environment variable ``EMULATOR_DOORS=native`` (comma-separated) limits
the whole run, e.g. for a quick local loop.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

import emulator
from emulator.pytest_plugin import emulator_options

DOORS = ("native", "boto3", "http")


def error_of(excinfo) -> tuple[str, str]:
    """(code, message) of an AWS error raised by any door."""
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "native_only: run this ddb/sfn test through the native door only")
    config.addinivalue_line("markers", "doors(*names): run this ddb/sfn test through these doors only")


def _doors_for(metafunc) -> list[str]:
    allowed = [d.strip() for d in os.environ.get("EMULATOR_DOORS", ",".join(DOORS)).split(",") if d.strip()]
    if metafunc.definition.get_closest_marker("native_only") is not None:
        allowed = [d for d in allowed if d == "native"]
    marker = metafunc.definition.get_closest_marker("doors")
    if marker is not None:
        allowed = [d for d in allowed if d in marker.args]
    return [d for d in DOORS if d in allowed]


def pytest_generate_tests(metafunc) -> None:
    if "door" in metafunc.fixturenames:
        metafunc.parametrize("door", _doors_for(metafunc), indirect=True, scope="function")


@pytest.fixture
def door(request) -> str:
    """Which door ``ddb``/``sfn`` go through (parametrized by ``pytest_generate_tests``)."""
    return getattr(request, "param", "native")


@pytest.fixture
def aws(request):
    """A fresh Emulator, with the options of the test's ``@pytest.mark.emulator(...)`` (the plugin's)."""
    world = emulator.Emulator(**emulator_options(request))
    yield world
    world.close()


# --- door clients ---------------------------------------------------------------------------------

_BOTO3_CLIENTS: dict[tuple[str, str, str | None], Any] = {}


def _boto3_client(service: str, region: str, endpoint_url: str | None):
    """A cached real boto3 client (creating one costs milliseconds; tests make thousands of calls)."""
    key = (service, region, endpoint_url)
    client = _BOTO3_CLIENTS.get(key)
    if client is None:
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                        region_name=region)
        config = Config(parameter_validation=False, retries={"total_max_attempts": 1},
                        inject_host_prefix=endpoint_url is None)
        client = session.client(service, endpoint_url=endpoint_url, config=config)
        _BOTO3_CLIENTS[key] = client
    return client


class DoorClient:
    """A boto3 client seen through a door: metadata-free responses, native extras forwarded."""

    def __init__(self, client: Any, native: Any, door: str) -> None:
        self._client = client
        self._native = native
        self.door = door
        self.exceptions = client.exceptions
        self.meta = client.meta

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name, None)
        if attr is None:
            return getattr(self._native, name)
        if name.startswith("_") or not callable(attr) or name in ("get_paginator", "get_waiter",
                                                                    "can_paginate", "close"):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            response = attr(*args, **kwargs)
            if isinstance(response, dict):
                response.pop("ResponseMetadata", None)
            return response

        call.__name__ = name
        self.__dict__[name] = call
        return call

    def __repr__(self) -> str:
        return f"DoorClient({self.door}, {self._client.meta.service_model.service_name})"


def _door_client(service: str, aws, door: str, request):
    native = aws.client(service)
    if door == "native":
        return native
    if door == "boto3":
        from emulator.wire.boto import MockAWS

        mock = MockAWS(aws)
        mock.start()
        request.addfinalizer(mock.stop)
        return DoorClient(_boto3_client(service, aws.region, None), native, door)
    if door == "http":
        from emulator.pytest_plugin import shared_server

        server = shared_server()
        previous = server.world
        server.world = aws

        def detach() -> None:
            server.world = previous

        request.addfinalizer(detach)
        return DoorClient(_boto3_client(service, aws.region, server.endpoint_url), native, door)
    raise ValueError(f"unknown door {door!r}")


@pytest.fixture
def ddb(aws, door, request):
    """DynamoDB through the door of this parametrization (native, boto3 or http)."""
    return _door_client("dynamodb", aws, door, request)


@pytest.fixture
def sfn(aws, door, request):
    """Step Functions through the door of this parametrization (native, boto3 or http)."""
    return _door_client("stepfunctions", aws, door, request)
