"""Translate a key condition on the sort key (:class:`~emulator.dynamodb.keys.SortCondition`) into
a range of encoded sort keys, so that Query is a bisect plus a slice and never a filter.

``BEGINS_WITH p`` becomes the half-open range ``[p, successor(p))`` where the successor increments
the last code point (S) or byte (B) that can be incremented, dropping maximal ones; every key in
that range starts with ``p`` and every key starting with ``p`` is in it, because ordering is
lexicographic. A condition whose value has the wrong type for the schema matches nothing (the
operations layer rejects such requests before they reach the engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..keys import ENCODERS, SortCondition

_MAX_CODE_POINT = 0x10FFFF


@dataclass(frozen=True, slots=True)
class SortRange:
    """Bounds on encoded sort keys; ``None`` means unbounded on that side. ``empty``: matches nothing."""

    lo: Any = None
    lo_inclusive: bool = True
    hi: Any = None
    hi_inclusive: bool = True
    empty: bool = False


EMPTY = SortRange(empty=True)


def _successor_str(p: str) -> str | None:
    while p:
        last = ord(p[-1])
        if last < _MAX_CODE_POINT:
            return p[:-1] + chr(last + 1)
        p = p[:-1]
    return None


def _successor_bytes(p: bytes) -> bytes | None:
    while p:
        last = p[-1]
        if last < 0xFF:
            return p[:-1] + bytes([last + 1])
        p = p[:-1]
    return None


def sort_range(cond: SortCondition | None, range_type: str | None) -> SortRange | None:
    """Bounds for ``cond`` on a sort key of type ``range_type``; None when unrestricted.

    Runtime complexity: O(1), or O(len) of the prefix for BEGINS_WITH."""
    if cond is None:
        return None
    if range_type is None:
        return EMPTY
    try:
        enc = [ENCODERS[range_type](v[range_type]) for v in cond.values]
    except (KeyError, TypeError, ArithmeticError, ValueError):
        return EMPTY
    op = cond.op
    if op == "=":
        return SortRange(enc[0], True, enc[0], True)
    if op == "<":
        return SortRange(hi=enc[0], hi_inclusive=False)
    if op == "<=":
        return SortRange(hi=enc[0], hi_inclusive=True)
    if op == ">":
        return SortRange(lo=enc[0], lo_inclusive=False)
    if op == ">=":
        return SortRange(lo=enc[0], lo_inclusive=True)
    if op == "BETWEEN":
        if enc[0] > enc[1]:
            return EMPTY
        return SortRange(enc[0], True, enc[1], True)
    if op == "BEGINS_WITH":
        prefix = enc[0]
        if range_type == "S":
            succ: Any = _successor_str(prefix)
        elif range_type == "B":
            succ = _successor_bytes(prefix)
        else:
            return EMPTY
        return SortRange(lo=prefix, lo_inclusive=True, hi=succ, hi_inclusive=False)
    return EMPTY


def contains(bounds: SortRange | None, sk: Any) -> bool:
    """Whether encoded sort key ``sk`` lies within ``bounds``.

    Runtime complexity: O(1) comparisons."""
    if bounds is None:
        return True
    if bounds.empty:
        return False
    if bounds.lo is not None and (sk < bounds.lo if bounds.lo_inclusive else sk <= bounds.lo):
        return False
    if bounds.hi is not None and (sk > bounds.hi if bounds.hi_inclusive else sk >= bounds.hi):
        return False
    return True
