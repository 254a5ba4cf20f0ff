"""``s3``: the S3 service through each door (native, boto3 hook, HTTP), like ``ddb`` and ``sfn``."""

from __future__ import annotations

import pytest


@pytest.fixture
def s3(door_client):
    """S3 of the test's Emulator through the door of this parametrization."""
    return door_client("s3")
