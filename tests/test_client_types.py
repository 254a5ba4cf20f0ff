"""A type checker sees the native clients as boto3's client types, plus the native extras.

These run mypy on a snippet, as a user's CI would. They need mypy and the ``typing`` extra
(``pip install -e ".[typing,dev]"``; ``.ci/run`` installs both) and are skipped without them.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

import emulator

STUBS = ("types_boto3_dynamodb", "types_boto3_dynamodbstreams", "types_boto3_stepfunctions", "types_boto3_s3")
CHECKOUT = pathlib.Path(emulator.__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("mypy") is None, reason="mypy is not installed (the dev extra)"
    ),
    pytest.mark.skipif(
        any(importlib.util.find_spec(s) is None for s in STUBS),
        reason='the boto3 client stubs are not installed (pip install -e ".[typing]")',
    ),
]

SNIPPET = """\
import emulator

aws = emulator.Emulator()
aws.dynamodb.put_item(TableName="t", Item={"id": {"S": "a"}}, ConditionExpression="attribute_not_exists(id)")
aws.dynamodb.put_item(TableName="t", Itme={"id": {"S": "a"}})
aws.stepfunctions.start_execution(stateMachineArn="arn", inputs="{}")
aws.dynamodbstreams.list_streams(TableName="t")
item = aws.dynamodb.get_item(TableName="t", Key={"id": {"S": "a"}}).get("Item")
expired: int = aws.dynamodb.expire_ttl_now()
aws.stepfunctions.run_until_idle(include_timeouts=True)
pages = aws.dynamodb.get_paginator("query")
aws.client("dynamodb", region_name="eu-west-1").put_item(TableName="t", Itme={})


@aws.stepfunctions.task("arn:aws:lambda:us-east-1:123456789012:function:f")
def handler(event: dict, context: object) -> dict:
    return event


reveal_type(aws.dynamodb)
reveal_type(handler)
aws.s3.put_object(Bucket="b", Key="k", Bodyy=b"")
reveal_type(aws.client("s3"))
"""


def run_mypy(tmp_path: pathlib.Path, source: str, *, mypypath: pathlib.Path | None) -> list[str]:
    """mypy's report lines about ``snippet.py`` (errors inside installed packages are not ours)."""
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent(source), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    if mypypath is not None:
        env["MYPYPATH"] = str(mypypath)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            "--hide-error-context",
            "snippet.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [line for line in out.stdout.splitlines() if line.startswith("snippet.py:")]


def test_mypy_sees_native_clients_as_boto3_clients(tmp_path):
    lines = run_mypy(tmp_path, SNIPPET, mypypath=CHECKOUT)  # this checkout's emulator, however installed
    errors = [line for line in lines if ": error:" in line]
    assert len(errors) == 4, lines  # mypy's wording varies by version; the substance does not
    assert errors[0].startswith('snippet.py:5: error: Unexpected keyword argument "Itme" for "put_item"'), (
        lines
    )
    assert errors[1].startswith(
        'snippet.py:6: error: Unexpected keyword argument "inputs" for "start_execution"'
    )
    assert errors[2].startswith('snippet.py:12: error: Unexpected keyword argument "Itme" for "put_item"'), (
        lines
    )
    assert errors[3].startswith(
        'snippet.py:22: error: Unexpected keyword argument "Bodyy" for "put_object"'
    ), lines
    notes = [line for line in lines if "Revealed type" in line]
    assert len(notes) == 3, lines
    assert notes[2] == 'snippet.py:23: note: Revealed type is "emulator.client_types.NativeS3Client"', lines
    assert notes[0] == 'snippet.py:20: note: Revealed type is "emulator.client_types.NativeDynamoDBClient"'
    assert notes[1].startswith('snippet.py:21: note: Revealed type is "def (event:'), (
        lines
    )  # task() keeps the type


def test_mypy_finds_the_installed_package(tmp_path):
    """After ``pip install -e .`` (the README's command) mypy finds ``emulator`` with no MYPYPATH."""
    where = subprocess.run(
        [sys.executable, "-c", "import emulator; print(emulator.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    if not where or pathlib.Path(where).resolve().parent.parent != CHECKOUT:
        pytest.skip(f"the installed emulator is another checkout ({where or 'none'}), not {CHECKOUT}")
    lines = run_mypy(
        tmp_path, "import emulator\nemulator.Emulator().dynamodb.get_item(Tablename='t')\n", mypypath=None
    )
    assert any('Unexpected keyword argument "Tablename"' in line for line in lines), lines
    assert not any("Cannot find implementation or library stub" in line for line in lines), lines
