"""Item sizes: S1's exact byte count, S2's 400 KB limit, and the one cheap upper bound.

Rules are reference/dynamodb.md S1 (an item's size is the sum of its attribute names' UTF-8 lengths
and its values' sizes) and S2 (an item is at most 400 KB = 409,600 bytes).

Design decisions:

* The exact size dispatches on the type tag through a table (:data:`_SIZERS`), not an if-chain.
* Most items are far below the limit, and the exact size of a number needs work. So there is one
  cheap *upper bound*, :func:`scalar_size_ceiling`: :data:`CEILING_BYTES_PER_CHAR` bytes per
  character of every name, string, number text and binary, and of BOOL/NULL counted as one
  character. Every place that bounds an item's size uses this one formula: the write funnel
  (``engine/table.py``), the Query/Scan page (``operations/reads.py``) and the validating copies
  of a put (``operations/storage_form.py``, whose hot-path loop computes the same number inline
  and is tested equal to it). The exact size is computed only when the bound does not settle it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]

#: S2: the largest item, in bytes (400 KB).
MAX_ITEM_BYTES = 409_600

#: S1: the largest size of a number (38 significant digits, an even exponent and a sign), which
#: the bound below never undercharges (4 bytes per character of its text).
MAX_NUMBER_BYTES = 22

#: The upper bound's price of one character (of a name, string, number text or binary; BOOL and
#: NULL count one character): UTF-8 takes at most 4 bytes per code point; a number of ``d``
#: digits takes at most ``1 + ceil(d/2) + 1 + sign`` bytes, at most 4 per character of its text;
#: a binary's size is its length.
CEILING_BYTES_PER_CHAR = 4


def _utf8_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


def number_size(text: str) -> int:
    """S1 (dynalite exact): 1 + ceil(d/2) + (d odd or exp odd ? 0 : 1) + (negative ? 1 : 0); zero = 1.

    ``d`` counts significant digits and ``exp`` is the exponent of the leading digit. Works on the
    canonical text without building a Decimal (stored numbers are canonical).

    >>> [number_size(t) for t in ("0", "1", "12", "123", "100", "-1", "0.01", "1.5")]
    [1, 2, 2, 3, 2, 3, 2, 3]
    >>> number_size("0"), number_size("12"), number_size("-123"), number_size("1E+2")
    (1, 2, 4, 2)
    >>> number_size("-1.2345678901234567890123456789012345678") == MAX_NUMBER_BYTES
    True
    """
    negative = text[0] == "-"
    body = text[1:] if negative or text[0] == "+" else text
    if "e" in body or "E" in body:
        return _number_size_decimal(text)
    whole, _, frac = body.partition(".")
    whole = whole.lstrip("0")
    if whole:
        adjusted = len(whole) - 1
        digits = (whole + frac).rstrip("0")
    else:
        stripped = frac.lstrip("0")
        adjusted = len(stripped) - len(frac) - 1
        digits = stripped.rstrip("0")
    n = len(digits)
    if n == 0:
        return 1
    return 1 + (n + 1) // 2 + (0 if (n % 2 or adjusted % 2) else 1) + (1 if negative else 0)


def _number_size_decimal(text: str) -> int:
    sign, digits, exp = Decimal(text).as_tuple()
    assert isinstance(exp, int)
    n = len(digits)
    if n == 1 and digits[0] == 0:
        return 1
    while digits[n - 1] == 0:
        n -= 1
    exp += len(digits) - n
    adjusted = exp + n - 1
    return 1 + (n + 1) // 2 + (0 if (n % 2 or adjusted % 2) else 1) + (1 if sign else 0)


def _size_s(val: Any) -> int:
    return _utf8_len(val)


def _size_b(val: Any) -> int:
    return len(val)


def _size_one(val: Any) -> int:
    return 1


def _size_ss(val: Any) -> int:
    return sum(_utf8_len(s) for s in val)


def _size_ns(val: Any) -> int:
    return sum(number_size(s) for s in val)


def _size_bs(val: Any) -> int:
    return sum(len(b) for b in val)


def _size_m(val: Any) -> int:
    return 3 + len(val) + sum(_utf8_len(k) + value_size(v) for k, v in val.items())


def _size_l(val: Any) -> int:
    return 3 + len(val) + sum(value_size(v) for v in val)


_SIZERS: dict[str, Callable[[Any], int]] = {
    "S": _size_s,
    "N": number_size,
    "B": _size_b,
    "BOOL": _size_one,
    "NULL": _size_one,
    "SS": _size_ss,
    "NS": _size_ns,
    "BS": _size_bs,
    "M": _size_m,
    "L": _size_l,
}


def value_size(av: AttributeValue) -> int:
    """S1: the size in bytes of one AttributeValue.

    Strings count their UTF-8 bytes, BOOL and NULL one byte, a set the sum of its elements, and a
    map or list 3 bytes plus 1 per element plus its elements (a map's names included):

    >>> value_size({"S": "é"}), value_size({"BOOL": True}), value_size({"SS": ["a", "bc"]})
    (2, 1, 3)
    >>> value_size({"L": []}), value_size({"M": {"a": {"N": "1"}}})
    (3, 7)
    """
    for tag, val in av.items():
        return _SIZERS[tag](val)
    return 0


def item_size(item: Item) -> int:
    """S1: Σ (UTF-8 name length + value size).

    >>> item_size({"id": {"S": "abc"}}), item_size({"é": {"S": "é"}})
    (5, 4)
    """
    total = 0
    for name, av in item.items():
        total += _utf8_len(name)
        for tag, val in av.items():
            total += _SIZERS[tag](val)
    return total


def scalar_size_ceiling(item: Item) -> int:
    """A cheap upper bound on :func:`item_size` (S1) of an all-scalar item; -1 when some value is a
    set, list or map (the caller then uses the exact size).

    :data:`CEILING_BYTES_PER_CHAR` bytes per character of every name, string, number text and
    binary; BOOL and NULL count one character. One loop, no dispatch: about a third of
    ``item_size`` for a small item, which is what lets the write funnel keep it per table.

    >>> scalar_size_ceiling({"id": {"N": "12"}, "ok": {"BOOL": True}})  # 4 * (2+2 + 2+1)
    28
    >>> scalar_size_ceiling({"tags": {"SS": ["a"]}})
    -1
    """
    total = 0
    for name, av in item.items():
        for raw in av.values():
            cls = raw.__class__
            if cls is str or cls is bytes:
                total += len(name) + len(raw)
            elif cls is bool:
                total += len(name) + 1
            else:
                return -1
    return CEILING_BYTES_PER_CHAR * total
