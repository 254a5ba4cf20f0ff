"""The S3 operation registry: ``@registry("PutObject")`` registers a handler (see emulator/service.py).

Handlers take and return boto3's native shapes (``Body`` as ``bytes`` on the way out; the native
client wraps it in a streaming body, as boto3 does). S3's requests are checked by the handlers
themselves: the operations are few and their rules are S3's, not a shape language's.
"""

from __future__ import annotations

from ..service import OperationRegistry

registry = OperationRegistry()
