"""Key schema, key encoding for ordering, and key conditions handed to the engine.

(Owned by the engine work; ``SortCondition`` is the contract between the key-condition compiler
in ``expressions/`` and ``engine.Table.query``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

AttributeValue = dict[str, Any]

SORT_OPS = ("=", "<", "<=", ">", ">=", "BETWEEN", "BEGINS_WITH")


@dataclass(frozen=True, slots=True)
class SortCondition:
    """A condition on the sort key: ``op`` in SORT_OPS, ``values`` one AttributeValue (two for BETWEEN)."""

    op: str
    values: tuple[AttributeValue, ...]
