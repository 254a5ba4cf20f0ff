"""The form in which written items reach the engine: interned scalar values, and a cheap size bound.

**Interning.** Stored items are immutable (engine contract: a write builds a new item, never edits
one in place, and every item leaves the store as a copy or a projection). So identical short
scalar values can share one AttributeValue dict, as Python shares interned strings. Real tables
repeat such values constantly (status flags, types, counters, dates); each shared value saves a
~90-byte dict. Bounded: at most :data:`LIMIT` distinct values per type are remembered, each at
most :data:`MAX_CHARS` characters; past that, values are stored as given. Only top-level ``S`` and
``N`` values are interned; containers are left alone.

**Size bound.** The 400 KB item limit (S2) needs the exact S1 size only for big items. Both entry
points return the one upper bound of ``sizes.py`` (``scalar_size_ceiling``); :func:`plain_item`
computes it inside its copying loop (same formula, tested equal); when the bound is under the limit
the exact size is not needed. Containers make the bound unknown (None), and the caller computes
the exact size.
"""

from __future__ import annotations

from typing import Any

from ...wellformed import is_well_formed
from ..sizes import CEILING_BYTES_PER_CHAR, scalar_size_ceiling
from ..values import SIMPLE_INT

LIMIT = 1 << 14
MAX_CHARS = 48

_shared: dict[str, dict[str, dict[str, Any]]] = {"S": {}, "N": {}}


def prepare_item(item: dict[str, Any]) -> int | None:
    """Intern ``item``'s short S/N values in place; return an upper bound on its size (None: unknown,
    the item holds a set, list or map): ``sizes.scalar_size_ceiling``, the one bound."""
    _intern(item)
    bound = scalar_size_ceiling(item)
    return None if bound < 0 else bound


_SIMPLE_INT = SIMPLE_INT.match  # integers already in the form validation gives them
_MAX_PLAIN_NAME = 65535 // 4  # names this short are certainly within V15's byte limit


def plain_item(raw: dict[str, Any]) -> tuple[dict[str, Any], int] | None:
    """``validate_item`` + ``prepare_item`` in one pass, for the common item; None for any other.

    Accepts only items whose every attribute is a non-empty short-enough name with a single ``S``
    (a str) or ``N`` (an integer in canonical form) — values that ``validate_item`` copies
    unchanged, with no message possible. Returns the copy, interned exactly as
    :func:`prepare_item` would, and the same size bound. Anything else (None) takes the two-step
    path, which reports problems in AWS's order.
    """
    shared_s = _shared["S"]
    shared_n = _shared["N"]
    simple_int = _SIMPLE_INT
    out: dict[str, Any] = {}
    chars = 0  # characters of names and values: the bound is sizes.scalar_size_ceiling's formula
    for name, av in raw.items():
        if name.__class__ is not str or not name or len(name) > _MAX_PLAIN_NAME:
            return None
        if not name.isascii() and not is_well_formed(name):
            return None  # the two-step path refuses a lone surrogate (values.ill_formed_text)
        if av.__class__ is not dict or len(av) != 1:
            return None
        val = av.get("S")
        if val is not None:
            if val.__class__ is not str or not val.isascii() and not is_well_formed(val):
                return None
            chars += len(name) + len(val)
            table = shared_s
            tag = "S"
        else:
            val = av.get("N")
            if val.__class__ is not str or simple_int(val) is None:
                return None
            chars += len(name) + len(val)
            table = shared_n
            tag = "N"
        if len(val) > MAX_CHARS:
            out[name] = {tag: val}
            continue
        same = table.get(val)
        if same is None:
            same = {tag: val}
            if len(table) < LIMIT:
                table[val] = same
        out[name] = same
    return out, CEILING_BYTES_PER_CHAR * chars


def _intern(item: dict[str, Any]) -> None:
    """Intern the item's short top-level S and N values."""
    shared = _shared
    for name, av in item.items():
        for tag, raw in av.items():
            table = shared.get(tag)
            if table is not None and len(raw) <= MAX_CHARS:
                same = table.get(raw)
                if same is None:
                    if len(table) < LIMIT:
                        table[raw] = av
                elif same is not av:
                    item[name] = same
            break
