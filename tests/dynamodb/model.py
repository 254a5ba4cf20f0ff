"""A tiny, obviously correct reference model of one DynamoDB table, for the differential test.

The table has a string partition key ``p`` and a number sort key ``s``; items may carry a number
attribute ``x`` and a string attribute ``y``. The model is a dict from ``(p, s)`` to the item, and
every read is a full scan plus ``sorted()``. Operations are described by small tuples (not by
expression text), so the model never parses anything: the test renders the same tuples into
requests for the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Item = dict[str, Any]

CCF = ("ConditionalCheckFailedException", "The conditional request failed")
MISSING_ATTRIBUTE = (
    "ValidationException",
    "The provided expression refers to an attribute that does not exist in the item",
)


class ModelError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def num(av: dict[str, str] | None) -> int | None:
    return None if av is None else int(av["N"])


def holds(cond: tuple | None, item: Item | None) -> bool:
    """Conditions: ('exists',), ('not_exists',), ('x_eq', n), ('x_lt', n), ('y_eq', s)."""
    if cond is None:
        return True
    kind = cond[0]
    if kind == "exists":
        return item is not None
    if kind == "not_exists":
        return item is None
    if item is None:
        return False
    if kind == "x_eq":
        return "x" in item and num(item["x"]) == cond[1]
    if kind == "x_lt":
        return "x" in item and num(item["x"]) < cond[1]
    if kind == "y_eq":
        return item.get("y") == {"S": cond[1]}
    raise AssertionError(kind)


def sort_matches(sort: tuple | None, s: int) -> bool:
    """Sort conditions: ('eq', n), ('lt', n), ('ge', n), ('between', lo, hi)."""
    if sort is None:
        return True
    kind = sort[0]
    if kind == "eq":
        return s == sort[1]
    if kind == "lt":
        return s < sort[1]
    if kind == "ge":
        return s >= sort[1]
    return sort[1] <= s <= sort[2]


def project(item: Item, names: tuple[str, ...] | None) -> Item:
    if names is None:
        return dict(item)
    return {n: item[n] for n in names if n in item}


@dataclass
class Page:
    items: list[Item] | None
    count: int
    scanned: int
    last_key: Item | None


@dataclass
class Model:
    rows: dict[tuple[str, int], Item] = field(default_factory=dict)

    @staticmethod
    def key(p: str, s: int) -> Item:
        return {"p": {"S": p}, "s": {"N": str(s)}}

    def put(self, item: Item, cond: tuple | None) -> Item | None:
        k = (item["p"]["S"], num(item["s"]))
        old = self.rows.get(k)
        if not holds(cond, old):
            raise ModelError(*CCF)
        self.rows[k] = dict(item)
        return old

    def delete(self, p: str, s: int, cond: tuple | None) -> Item | None:
        old = self.rows.get((p, s))
        if not holds(cond, old):
            raise ModelError(*CCF)
        self.rows.pop((p, s), None)
        return old

    def update(
        self, p: str, s: int, action: tuple, cond: tuple | None
    ) -> tuple[Item | None, Item | None, str]:
        """Actions: ('set_x', n), ('add_x', n) = SET x = x + :n, ('remove_y',), ('set_y', s).
        Returns (old, new, touched attribute)."""
        old = self.rows.get((p, s))
        if not holds(cond, old):
            raise ModelError(*CCF)
        new = dict(old) if old is not None else self.key(p, s)
        kind = action[0]
        if kind == "set_x":
            new["x"] = {"N": str(action[1])}
        elif kind == "add_x":
            if "x" not in new:
                raise ModelError(*MISSING_ATTRIBUTE)
            new["x"] = {"N": str(num(new["x"]) + action[1])}
        elif kind == "remove_y":
            new.pop("y", None)
            if old is None:
                return None, None, "y"
        elif kind == "set_y":
            new["y"] = {"S": action[1]}
        self.rows[(p, s)] = new
        return old, new, "y" if kind in ("remove_y", "set_y") else "x"

    def get(self, p: str, s: int, names: tuple[str, ...] | None) -> Item | None:
        item = self.rows.get((p, s))
        return None if item is None else project(item, names)

    def _pages(
        self,
        rows: list[Item],
        limit: int | None,
        filt: tuple | None,
        names: tuple[str, ...] | None,
        count_only: bool,
    ) -> list[Page]:
        pages = []
        i = 0
        while True:
            chunk = rows[i : i + limit] if limit else rows[i:]
            i += len(chunk)
            kept = [r for r in chunk if holds(filt, r)]
            full = limit is not None and len(chunk) == limit
            last = {"p": chunk[-1]["p"], "s": chunk[-1]["s"]} if full else None
            pages.append(
                Page(None if count_only else [project(r, names) for r in kept], len(kept), len(chunk), last)
            )
            if not full:
                return pages

    def query(
        self,
        p: str,
        sort: tuple | None,
        forward: bool,
        filt: tuple | None,
        limit: int | None,
        names: tuple[str, ...] | None,
        count_only: bool = False,
    ) -> list[Page]:
        rows = sorted(
            (r for (pp, s), r in self.rows.items() if pp == p and sort_matches(sort, s)),
            key=lambda r: num(r["s"]),
            reverse=not forward,
        )
        return self._pages(rows, limit, filt, names, count_only)

    def index_query(self, y: str, forward: bool, limit: int | None) -> list[Page]:
        """The GSI ``by_y`` (hash y, range s, ALL): items with that y, by (s, then table key)."""
        rows = sorted(
            (r for r in self.rows.values() if r.get("y") == {"S": y}),
            key=lambda r: (num(r["s"]), r["p"]["S"]),
            reverse=not forward,
        )
        pages = self._pages(rows, limit, None, None, False)
        for page in pages:
            if page.last_key is not None:
                page.last_key = {**page.last_key, "y": {"S": y}}
        return pages

    def scan_all(self) -> list[Item]:
        return list(self.rows.values())
