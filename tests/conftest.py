"""Shared fixtures.

``aws`` is a fresh :class:`emulator.Emulator` per test. ``ddb`` and ``sfn`` are *door clients*:
boto3-shaped clients bound to that same Emulator. Today they are the native clients; the wire work
parametrizes them over the three doors (native, boto3 in-process hook, HTTP server), so a test
written against ``ddb``/``sfn`` runs through every door. Write such tests door-agnostically:
check errors with :func:`error_of`, which reads ``.response["Error"]`` — the same on our native
exceptions and on botocore's ``ClientError``.
"""

from __future__ import annotations

import pytest

import emulator


def error_of(excinfo) -> tuple[str, str]:
    """(code, message) of an AWS error raised by any door."""
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


@pytest.fixture
def aws():
    world = emulator.Emulator()
    yield world
    world.close()


@pytest.fixture
def ddb(aws):
    return aws.dynamodb


@pytest.fixture
def sfn(aws):
    return aws.stepfunctions
