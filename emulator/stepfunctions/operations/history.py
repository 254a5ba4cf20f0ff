"""GetExecutionHistory (API-11, HIS-07): ascending by default, ``reverseOrder``, pagination,
``includeExecutionData``."""

from __future__ import annotations

from typing import Any

from . import operation
from .executions import get_execution
from .requests import listing, page, required


@operation("GetExecutionHistory")
def get_execution_history(service: Any, request: dict) -> dict:
    ex = get_execution(service, required(request, "executionArn"))
    reverse = bool(request.get("reverseOrder", False))
    include = request.get("includeExecutionData", True)
    include = True if include is None else bool(include)
    n = len(ex.history)
    order = list(range(n - 1, -1, -1)) if reverse else list(range(n))
    chunk, nxt = page(order, request, f"GetExecutionHistory:{ex.arn}:{reverse}", key=int, descending=reverse)
    return listing("events", [ex.history.render(i, include_data=include) for i in chunk], nxt)
