"""The remote door, proved without AWS: ``emulator serve`` in a subprocess stands in for the real
service, and a pytest run in another subprocess sends a few door tests through it.

What is checked: with ``EMULATOR_REMOTE_ENDPOINT`` set the door tests gain a ``[remote]`` case
that passes against the endpoint; tests that need the in-process world or are marked
``no_remote`` are skipped with their reason; a leftover of an interrupted run (same name,
another shape) is cleared instead of failing the test; nothing the tests created is left behind.
Without the variable no ``[remote]`` case exists (the default run is unchanged).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import remote_door
from tests.remote_door import ENV

ROOT = Path(__file__).resolve().parents[1]
SELECTED = [
    "tests/dynamodb/test_ops_items.py::test_put_then_get",  # creates table "items"
    "tests/dynamodb/test_ops_indexes.py::test_describe_indexes",  # a table with GSIs and an LSI
    "tests/stepfunctions/test_api.py::test_create_and_describe",  # creates state machine "sm"
    "tests/stepfunctions/test_api.py::test_start_sync_express",  # no_remote: the virtual clock
    "tests/dynamodb/test_control_plane.py::test_create_table_returns_active_description",  # uses aws
]
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith((ENV, "EMULATOR_DOORS", "AWS_"))}
    env.update(CREDENTIALS, **extra)
    return env


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A fresh ``emulator serve`` on a free port; its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_environment(),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert match, f"emulator serve did not start: {line!r}"
        yield match.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _client(service: str, url: str):
    import boto3

    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _pytest(*args: str, **env: str) -> str:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:hypothesispytest",
            "-p",
            "no:benchmark",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_environment(**env),
        timeout=300,
    )
    return run.stdout + run.stderr


def _leave_leftovers(url: str) -> None:
    """What an interrupted run leaves: a table "items" and a state machine "sm" of other shapes."""
    ddb = _client("dynamodb", url)
    ddb.create_table(
        TableName="items",
        KeySchema=[{"AttributeName": "other", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )
    _client("stepfunctions", url).create_state_machine(
        name="sm",
        roleArn="arn:aws:iam::123456789012:role/r",
        definition=json.dumps({"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}),
    )


def test_remote_door_runs_door_tests_against_an_endpoint(endpoint):
    _leave_leftovers(endpoint)
    out = _pytest(*SELECTED, "-m", "remote", EMULATOR_REMOTE_ENDPOINT=endpoint)
    assert re.search(r"\b3 passed, 2 skipped, 15 deselected\b", out), out  # -m remote: only the remote cases
    assert (
        "test_api.py:" in out and "no remote door: the virtual clock: the 10 s Wait takes exactly 10 s" in out
    )
    assert "no remote door: uses the in-process world (the aws fixture" in out
    # everything the tests created (and the leftovers they replaced) is gone
    assert _client("dynamodb", endpoint).list_tables()["TableNames"] == []
    assert _client("stepfunctions", endpoint).list_state_machines()["stateMachines"] == []


def test_remote_door_of_a_service_that_is_off_is_skipped(monkeypatch, request):
    from tests.conftest import _door_client

    monkeypatch.setenv(ENV, "http://127.0.0.1:9")
    monkeypatch.setenv(f"{ENV}_STEPFUNCTIONS", "off")
    with pytest.raises(pytest.skip.Exception, match=f"no remote door: {ENV}_STEPFUNCTIONS is off"):
        _door_client("stepfunctions", None, "remote", request)


def test_the_variables_name_the_endpoint_of_each_service(monkeypatch):
    for name in [k for k in os.environ if k.startswith(ENV)]:
        monkeypatch.delenv(name)
    assert not remote_door.enabled()  # unset: no remote door is parametrized, the run is unchanged
    monkeypatch.setenv(ENV, "aws")
    monkeypatch.setenv(f"{ENV}_DYNAMODB", "http://localhost:8000")
    monkeypatch.setenv(f"{ENV}_STEPFUNCTIONS", "off")
    assert remote_door.enabled()
    assert remote_door.endpoint_for("dynamodb") == "http://localhost:8000"
    assert remote_door.endpoint_for("dynamodbstreams") == "aws"
    assert remote_door.endpoint_for("stepfunctions") is None
