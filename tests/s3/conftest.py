"""``s3``: the S3 service through each door (native, boto3 hook, HTTP), like ``ddb`` and ``sfn``."""

from __future__ import annotations

import pytest

try:
    from ..conftest import _door_client
except ImportError:  # conftest imported as a top-level module
    from conftest import _door_client  # type: ignore[no-redef]


@pytest.fixture
def s3(door, request):
    """S3 through the door of this parametrization."""
    if door == "remote":
        pytest.skip("no remote door for S3")
    return _door_client("s3", None, door, request)
