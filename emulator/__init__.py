"""emulator: an in-process emulator of Amazon DynamoDB (with Streams) and AWS Step Functions.

The public face is small on purpose:

* :class:`Emulator` — one world (region, account, clock, seed) with ``.dynamodb``,
  ``.dynamodbstreams`` and ``.stepfunctions`` native clients shaped like boto3's;
* :func:`mock_aws` — answer boto3/botocore clients in-process (context manager or decorator);
* :mod:`emulator.errors` — the root error class;
* :func:`reset_caches` — empty the compile caches (tests that want a cold start);
* ``__version__``.
"""

from __future__ import annotations

from typing import Any

from . import errors
from .caches import reset_caches
from .world import Emulator

__version__ = "0.1.0"

__all__ = ["Emulator", "mock_aws", "errors", "reset_caches", "__version__"]


def mock_aws(*args: Any, **kwargs: Any) -> Any:
    """Answer boto3 clients for dynamodb, dynamodbstreams and stepfunctions in-process.

    Usable as ``with mock_aws() as aws:``, ``@mock_aws``, ``@mock_aws()`` or ``mock_aws(existing)``.
    See :mod:`emulator.wire.boto`.
    """
    from .wire.boto import mock_aws as _mock_aws

    return _mock_aws(*args, **kwargs)
