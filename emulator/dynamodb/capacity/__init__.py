"""The capacity model: throughput limits, throttling and usage counts (``Emulator(capacity=...)``).

Modules: ``bucket`` (a token bucket on the world's clock), ``partitions`` (how many partitions a
table has), ``resource`` (the buckets and counters of a table or GSI), ``throttle`` (AWS's errors),
``model`` (admission per request, called by the item operations), ``usage`` (the report of
``aws.dynamodb.usage()``).
"""

from __future__ import annotations

from ...service import Operation, OperationRegistry
from .model import MODES, CapacityModel, check_mode

__all__ = ["MODES", "CapacityModel", "check_mode", "without_fast_paths"]


def without_fast_paths(registry: OperationRegistry) -> OperationRegistry:
    """A copy of ``registry`` whose operations have no fast pre-hook: the plain PutItem/GetItem
    paths skip what the capacity model must see, so a service with the model uses this copy and
    the shared registry's fast paths stay as they are (and cost nothing more)."""
    copy = OperationRegistry(registry.validate)
    copy.handlers = registry.handlers
    copy.operations = {
        name: Operation(op.name, op.handler, op.shape, None) for name, op in registry.operations.items()
    }
    return copy
