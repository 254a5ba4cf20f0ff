"""A usage report: rows of numbers per resource that print as a table and serialise to JSON.

``aws.dynamodb.usage()`` and ``aws.stepfunctions.usage()`` return one; ``emulator report`` prints
the reports of a running server (``GET /_emulator/usage``). The report is plain data: ``to_dict()``
is what the JSON holds, ``str()`` renders the chosen columns of the rows as an aligned text table,
so a benchmark script can print it and a test can read the numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class UsageReport:
    """``service``: botocore name; ``rows``: one dict per resource; ``columns``: (key, heading)
    of what the table shows; ``meta``: report-wide facts (the clock window, the prices' date)."""

    service: str
    rows: list[dict[str, Any]]
    columns: list[tuple[str, str]]
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            **self.meta,
            "columns": [list(column) for column in self.columns],
            "resources": self.rows,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UsageReport:
        """The report back from :meth:`to_dict`'s JSON (``emulator report`` prints a server's)."""
        rest = {k: v for k, v in data.items() if k not in ("service", "columns", "resources")}
        columns = [(str(key), str(heading)) for key, heading in data.get("columns", [])]
        return cls(str(data["service"]), list(data.get("resources", [])), columns, rest)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False, default=str)

    def __getitem__(self, name: str) -> dict[str, Any]:
        """The row of one resource by its ``name`` (a table, ``table/index``, a state machine)."""
        for row in self.rows:
            if row.get("name") == name:
                return row
        raise KeyError(name)

    def __str__(self) -> str:
        return render_table(self.service, self.rows, self.columns, self.meta)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 10 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value[:3])
    if isinstance(value, dict):
        return " ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def render_table(
    title: str, rows: list[dict[str, Any]], columns: list[tuple[str, str]], meta: dict[str, Any]
) -> str:
    """An aligned text table of ``rows`` under ``title`` and one line of ``meta``."""
    head = [heading for _key, heading in columns]
    body = [[_cell(row.get(key)) for key, _heading in columns] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(head)]
    lines = [
        f"{title} usage  " + "  ".join(f"{k}={_cell(v)}" for k, v in meta.items() if not isinstance(v, dict))
    ]
    lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths)))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in body)
    if not body:
        lines.append("(no resources)")
    return "\n".join(lines)
