"""Map ``ItemBatcher`` (MAP-10): group the Map's items into batches, one child per batch.

Each child's input is ``{"BatchInput": …, "Items": [...]}`` — ``BatchInput`` first, as the
recorded execution shows; without a ``BatchInput`` field only ``{"Items": [...]}`` (INF).

A batch takes items in order while it holds fewer than ``MaxItemsPerBatch`` items and its input
(the UTF-8 of the whole child input, BatchInput included, as ``history.dumps`` prints every
payload — INF on what AWS counts) stays within ``MaxInputBytesPerBatch``. An item that alone
exceeds the byte limit goes alone in its batch (INF). Absent limits do not limit.
"""

from __future__ import annotations

from typing import Any

from ..asl.model import MISSING
from .history import dumps


def _size(value: Any) -> int:
    return len(dumps(value).encode("utf-8", "surrogatepass"))


def _batch(items: list, batch_input: Any) -> dict:
    if batch_input is MISSING:
        return {"Items": items}
    return {"BatchInput": batch_input, "Items": items}


def batches(
    items: list, max_items: int | None, max_bytes: int | None, batch_input: Any = MISSING
) -> list[dict]:
    """Split ``items`` into child inputs (see module doc)."""
    out: list[dict] = []
    current: list = []
    # size of the batch document = base + items' sizes + separating commas
    base = _size(_batch([], batch_input))
    used = base
    for item in items:
        size = _size(item)
        extra = size + (1 if current else 0)
        full = bool(current) and (
            (max_items and len(current) >= max_items) or (max_bytes and used + extra > max_bytes)
        )
        if full:
            out.append(_batch(current, batch_input))
            current, used, extra = [], base, size
        current.append(item)
        used += extra
    if current:
        out.append(_batch(current, batch_input))
    return out
