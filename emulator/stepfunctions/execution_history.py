"""Every event of an execution, read through a Step Functions client's public API
(GetExecutionHistory, following ``nextToken``).

One pager for its three readers: ``emulator run``'s timeline (``run_command.py``), the picture
(``picture/source.py``) and the console's execution page. It lives outside ``picture/`` so that
printing a timeline does not import the picture package (its SVG writer pulls in
``xml.sax.saxutils`` and with it ``urllib.request``: tens of milliseconds at start-up).
"""

from __future__ import annotations

from typing import Any


def history(client: Any, execution_arn: str, most: int | None = None) -> list[dict]:
    """Every event of an execution, following ``nextToken`` (a page holds at most 1,000); with
    ``most``, no further page is asked for once that many events are read."""
    events: list[dict] = []
    kwargs: dict[str, Any] = {"executionArn": execution_arn, "maxResults": 1000}
    while True:
        page = client.get_execution_history(**kwargs)
        events.extend(page["events"])
        if not page.get("nextToken") or (most is not None and len(events) >= most):
            return events
        kwargs["nextToken"] = page["nextToken"]
