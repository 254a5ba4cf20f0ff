"""DynamoDB AttributeValues: validation, canonical numbers, copies, equality and ordering.

Sizes (S1 exact size, the S2 ceiling of 400 KB and the one cheap upper bound) are in ``sizes.py``;
this module re-exports them for its many importers.

Native shapes are boto3's: ``{"S": str}``, ``{"N": str}``, ``{"B": bytes}``, ``{"SS": [str]}``,
``{"NS": [str]}``, ``{"BS": [bytes]}``, ``{"M": {name: AV}}``, ``{"L": [AV]}``, ``{"NULL": True}``,
``{"BOOL": bool}``. Rules are docs/rules/dynamodb.md §3 (V1-V17, O1-O4) and S1 (item size).

Design decisions:

* Validation and copying are one pass: :func:`validate_value` returns a fresh, normalised deep copy
  (numbers in canonical text, V9), so the store never shares a mutable container with a caller.
  Strings and bytes are immutable and shared.
* Dispatch is a dict keyed by the type tag, not an if-chain; scalars take the shortest path.
* Errors inside the validator are a private exception carrying a *kind* (``value``, ``number`` or
  ``set``) so a caller can re-word them per V17 (``where=``): ExpressionAttributeValues wrap every
  message, ExclusiveStartKey wraps all but number and set messages.
* Numbers: the accepted syntax is checked by a regex before :class:`decimal.Decimal` sees the text
  (Decimal alone would accept ``NaN``, ``Infinity``, ``1_0`` and surrounding spaces). Magnitude is
  judged on Decimal's adjusted exponent, which also reproduces the AWS quirk of rejecting ``0e126``
  while accepting ``0.0e126`` (V8). Arithmetic runs in a wide context, so sums are exact before the
  38-digit check (V11).
* Nesting (V14): DynamoDB's 32 levels count the attribute itself as level 1, so one attribute
  value holds at most 31 M/L containers (31 wraps around a leaf put it at level 32; 32 wraps are
  rejected, as measured against AWS by public conformance suites and Alternator's
  ``test_almost_exceed_nested_level``: 30 added levels + top level + the item = 32).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from ..errors import AWSError
from ..wellformed import is_well_formed
from . import messages as M
from .errors import SerializationException, ValidationException
from .sizes import (  # noqa: F401 - the size rules (S1, S2) live in sizes.py; re-exported here
    MAX_ITEM_BYTES,
    item_size,
    number_size,
    scalar_size_ceiling,
    value_size,
)

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]

#: Type tags in the order DynamoDB documents them.
TYPES = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")
SCALAR_TYPES = frozenset(("S", "N", "B", "NULL", "BOOL"))
SET_TYPES = frozenset(("SS", "NS", "BS"))
MAX_NESTING = 31  # M/L containers inside one attribute value (V14: 32 levels with the attribute)
MAX_NAME_BYTES = 65535
MAX_DIGITS = 38
MAX_EXPONENT = 125  # largest adjusted exponent: 9.99...E+125
MIN_EXPONENT = -130  # smallest adjusted exponent: 1E-130

#: ``where`` callbacks: (message, kind) -> message; kind is "value", "number" or "set".
Where = Callable[[str, str], str]


class _Invalid(Exception):
    """Internal: one invalid value, with the kind of rule broken (for V17 wording)."""

    def __init__(self, message: str, kind: str = "value") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


def in_expression_values(key: str) -> Where:
    """V17: ``ExpressionAttributeValues contains invalid value: <msg> for key <:k>``."""
    return lambda message, kind: M.in_expression_values(message, key)


def in_start_key(message: str, kind: str) -> str:
    """V17: ExclusiveStartKey prefixes every message except number and set ones."""
    return message if kind in ("number", "set") else M.in_start_key(message)


# --- numbers ---------------------------------------------------------------------------------

#: An integer already in canonical form (at most 38 digits): validation returns it unchanged.
#: The one fast-path test for numbers (``validate_item``, ``storage_form.plain_item``, keys).
SIMPLE_INT = re.compile(r"-?[1-9][0-9]{0,37}\Z|0\Z")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_ARITHMETIC = Context(prec=1000, Emax=10**9, Emin=-(10**9))


def _canonical(text: str) -> str:
    if type(text) is not str:
        raise _serialization(_json_type(text), "String")
    if SIMPLE_INT.match(text) is not None:
        return text
    if not text:
        raise _Invalid(M.NUMBER_EMPTY, "number")
    if _NUMBER.match(text) is None:
        raise _Invalid(M.number_invalid(text), "number")
    try:
        dec = Decimal(text)
    except InvalidOperation:  # exponent beyond Decimal's own range
        exp_text = text.lower().rpartition("e")[2]
        raise _Invalid(
            M.NUMBER_UNDERFLOW if exp_text.startswith("-") else M.NUMBER_OVERFLOW, "number"
        ) from None
    return _from_decimal(dec, arithmetic=False)


def _from_decimal(dec: Decimal, *, arithmetic: bool) -> str:
    sign, digits, exp = dec.as_tuple()
    assert isinstance(exp, int)
    n = len(digits)
    if n == 1 and digits[0] == 0:
        # Zero: AWS still judges the written exponent (V8 quirk: 0e126 rejected, 0.0e126 accepted).
        if not arithmetic:
            adjusted = exp
            if adjusted > MAX_EXPONENT:
                raise _Invalid(M.NUMBER_OVERFLOW, "number")
            if adjusted < MIN_EXPONENT:
                raise _Invalid(M.NUMBER_UNDERFLOW, "number")
        return "0"
    while digits[n - 1] == 0:
        n -= 1
    exp += len(digits) - n
    adjusted = exp + n - 1
    if adjusted > MAX_EXPONENT:
        raise _Invalid(M.NUMBER_OVERFLOW, "number")
    if adjusted < MIN_EXPONENT:
        raise _Invalid(M.NUMBER_UNDERFLOW, "number")
    if n > MAX_DIGITS:
        # V11: an arithmetic result that loses precision is reported as an overflow (sic).
        raise _Invalid(M.NUMBER_OVERFLOW if arithmetic else M.NUMBER_PRECISION, "number")
    body = "".join(map(str, digits[:n]))
    if exp >= 0:
        body += "0" * exp
    elif -exp >= n:
        body = "0." + "0" * (-exp - n) + body
    else:
        body = body[:exp] + "." + body[exp:]
    return "-" + body if sign else body


def canonical_number(text: str) -> str:
    """V6-V9: validate a number's text and return its canonical form (``1.0`` -> ``1``).

    The canonical form has no exponent, no leading or trailing zeros and no sign on zero:

    >>> [canonical_number(t) for t in ("1.0", "0001.50", "1e3", "1E-3", "-0.00", "+5")]
    ['1', '1.5', '1000', '0.001', '0', '5']

    At most 38 significant digits, and a magnitude from 1E-130 to below 1E+126 (V7, V8):

    >>> canonical_number("1.23456789012345678901234567890123456789")
    Traceback (most recent call last):
    ...
    emulator.errors.ValidationException: ...Attempting to store more than 38 significant digits in a Number
    >>> canonical_number("1e126")
    Traceback (most recent call last):
    ...
    emulator.errors.ValidationException: ...Number overflow. Attempting to store a number with magnitude...
    >>> canonical_number("1e-131")
    Traceback (most recent call last):
    ...
    emulator.errors.ValidationException: ...Number underflow. Attempting to store a number with magnitude...
    >>> canonical_number("abc")
    Traceback (most recent call last):
    ...
    emulator.errors.ValidationException: ...The parameter cannot be converted to a numeric value: abc
    """
    try:
        return _canonical(text)
    except _Invalid as bad:
        raise ValidationException(bad.message) from None


def _arith(result: Decimal) -> str:
    try:
        return _from_decimal(result, arithmetic=True)
    except _Invalid as bad:
        raise ValidationException(bad.message) from None


def add_numbers(a: str, b: str) -> str:
    """``a + b`` in canonical text; V11 range and precision enforced on the result.

    Exact decimal arithmetic, as DynamoDB's (no binary floating point):

    >>> add_numbers("0.1", "0.2")
    '0.3'
    """
    return _arith(_ARITHMETIC.add(Decimal(a), Decimal(b)))


def subtract_numbers(a: str, b: str) -> str:
    """``a - b`` in canonical text; V11 range and precision enforced on the result.

    >>> subtract_numbers("1", "1.5")
    '-0.5'
    """
    return _arith(_ARITHMETIC.subtract(Decimal(a), Decimal(b)))


# --- validation ------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _serialization(json_type: str, target: str) -> AWSError:
    return SerializationException(M.WRONG_JSON_TYPE.format(json=json_type, target=target))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "BOOLEAN_VALUE"
    if isinstance(value, (int, float, Decimal)):
        return "NUMBER_VALUE"
    if isinstance(value, (list, tuple)):
        return "START_ARRAY"
    if isinstance(value, dict):
        return "START_OBJECT"
    if value is None:
        return "VALUE_NULL"
    return "VALUE_STRING"


def ill_formed_text() -> AWSError:
    """A string holding a lone surrogate: refused like a body the front end cannot read
    ([INF] SerializationException without a message; see emulator/wellformed.py)."""
    return SerializationException("")


def _text(val: Any) -> str:
    if type(val) is not str:
        raise _serialization(_json_type(val), "String")
    if not val.isascii() and not is_well_formed(val):
        raise ill_formed_text()
    return val


def _v_s(val: Any, depth: int) -> AttributeValue:
    return {"S": _text(val)}


def _v_n(val: Any, depth: int) -> AttributeValue:
    if type(val) is not str:
        raise _serialization(_json_type(val), "String")
    return {"N": _canonical(val)}


def _as_bytes(val: Any) -> bytes:
    if type(val) is bytes:
        return val
    if isinstance(val, (bytearray, memoryview)):
        return bytes(val)
    if isinstance(val, str):  # boto3 encodes str blobs as UTF-8; so do we
        if not is_well_formed(val):
            raise ill_formed_text()
        return val.encode("utf-8")
    raise _serialization(_json_type(val), "Blob")


def _v_b(val: Any, depth: int) -> AttributeValue:
    return {"B": _as_bytes(val)}


def _v_bool(val: Any, depth: int) -> AttributeValue:
    if type(val) is not bool:
        raise _serialization(_json_type(val), "Boolean")
    return {"BOOL": val}


def _v_null(val: Any, depth: int) -> AttributeValue:
    if val is not True:
        if val is False or val is None:
            raise _Invalid(M.NULL_NOT_TRUE)
        raise _serialization(_json_type(val), "Boolean")
    return {"NULL": True}


def _list_of(val: Any) -> list:
    if not isinstance(val, (list, tuple)):
        raise _serialization(_json_type(val), "List")
    return list(val)


def _v_ss(val: Any, depth: int) -> AttributeValue:
    items = _list_of(val)
    if not items:
        raise _Invalid(M.SS_EMPTY, "set")
    for s in items:
        _text(s)
    if len(set(items)) != len(items):
        raise _Invalid(M.ss_duplicates("[" + ", ".join(items) + "]"), "set")
    return {"SS": items}


def _v_ns(val: Any, depth: int) -> AttributeValue:
    items = _list_of(val)
    if not items:
        raise _Invalid(M.NS_EMPTY, "set")
    out = []
    for s in items:
        if type(s) is not str:
            raise _serialization(_json_type(s), "String")
        out.append(_canonical(s))
    if len(set(out)) != len(out):
        raise _Invalid(M.NS_DUPLICATES, "set")
    return {"NS": out}


def _v_bs(val: Any, depth: int) -> AttributeValue:
    items = [_as_bytes(b) for b in _list_of(val)]
    if not items:
        raise _Invalid(M.BS_EMPTY, "set")
    if len(set(items)) != len(items):
        raise _Invalid(M.bs_duplicates("[" + ", ".join(_b64(b) for b in items) + "]"), "set")
    return {"BS": items}


def _v_m(val: Any, depth: int) -> AttributeValue:
    if depth >= MAX_NESTING:
        raise _Invalid(M.NESTING_TOO_DEEP)
    if not isinstance(val, dict):
        raise _serialization(_json_type(val), "Map")
    out: dict[str, AttributeValue] = {}
    for k, v in val.items():
        if type(k) is str and not k.isascii() and not is_well_formed(k):
            raise ill_formed_text()
        out[k] = _validate(v, depth + 1)
    return {"M": out}


def _v_l(val: Any, depth: int) -> AttributeValue:
    if depth >= MAX_NESTING:
        raise _Invalid(M.NESTING_TOO_DEEP)
    items = _list_of(val)
    return {"L": [_validate(v, depth + 1) for v in items]}


_VALIDATORS: dict[str, Callable[[Any, int], AttributeValue]] = {
    "S": _v_s,
    "N": _v_n,
    "B": _v_b,
    "BOOL": _v_bool,
    "NULL": _v_null,
    "SS": _v_ss,
    "NS": _v_ns,
    "BS": _v_bs,
    "M": _v_m,
    "L": _v_l,
}


def _validate(av: Any, depth: int) -> AttributeValue:
    if type(av) is not dict:
        raise _serialization(_json_type(av), "AttributeValue")
    if len(av) == 1:
        for tag, val in av.items():
            fn = _VALIDATORS.get(tag)
            if fn is not None:
                return fn(val, depth)
        raise _Invalid(M.AV_EMPTY)
    # Several (or no) members: like DynamoDB, check each member's value first, then the count.
    result: AttributeValue | None = None
    count = 0
    for tag, val in av.items():
        fn = _VALIDATORS.get(tag)
        if fn is not None and val is not None:
            result = fn(val, depth)
            count += 1
    if count == 0:
        raise _Invalid(M.AV_EMPTY)
    if count > 1:
        raise _Invalid(M.AV_MULTIPLE)
    assert result is not None
    return result


def validate_value(av: Any, *, where: Where | None = None) -> AttributeValue:
    """Validate one AttributeValue (V1-V8, V12-V14); return a normalised deep copy.

    ``where`` re-words messages for the place the value came from (V17), e.g.
    ``where=in_expression_values(":v")`` or ``where=in_start_key``.
    """
    try:
        return _validate(av, 0)
    except _Invalid as bad:
        message = where(bad.message, bad.kind) if where is not None else bad.message
        raise ValidationException(message) from None


def check_attribute_name(name: Any) -> None:
    """V15: attribute names are 1..65535 UTF-8 bytes."""
    if type(name) is not str:
        raise _serialization(_json_type(name), "String")
    if not name:
        raise ValidationException(M.ATTRIBUTE_NAME_EMPTY)
    if not is_well_formed(name):
        raise ill_formed_text()
    if len(name) > MAX_NAME_BYTES // 4 and len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise ValidationException(M.ATTRIBUTE_NAME_TOO_LONG)


def check_name_bytes(name: str) -> None:
    """V15's length rule alone, for names that arrive outside an item (ExpressionAttributeNames,
    AttributesToGet, AttributeUpdates): 65536 bytes (64 KiB) and more are refused."""
    if len(name) > MAX_NAME_BYTES // 4 and len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise ValidationException(M.ATTRIBUTE_NAME_TOO_LONG)


def validate_item(item: Any) -> Item:
    """Validate every attribute of an item (names V15, values, nesting); return the copy."""
    if type(item) is not dict:
        raise _serialization(_json_type(item), "Map")
    out: Item = {}
    simple_int = SIMPLE_INT.match
    try:
        for name, av in item.items():
            if type(name) is not str or not name or len(name) > MAX_NAME_BYTES // 4 or not name.isascii():
                check_attribute_name(name)
            if type(av) is dict and len(av) == 1:
                # Fast path for the common scalars; everything else takes the registry.
                if "S" in av:
                    val = av["S"]
                    if type(val) is str and val.isascii():
                        out[name] = {"S": val}
                        continue
                elif "N" in av:
                    val = av["N"]
                    if type(val) is str and simple_int(val) is not None:
                        out[name] = {"N": val}
                        continue
            out[name] = _validate(av, 0)
    except _Invalid as bad:
        message = bad.message
        raise ValidationException(M.wrapped(message) if message in M.EMPTY_SETS else message) from None
    return out


# --- copies ----------------------------------------------------------------------------------


def container_depth(av: AttributeValue) -> int:
    """How many M/L levels ``av`` holds (0 for a scalar or set); V14 allows at most MAX_NESTING."""
    m = av.get("M")
    if m is not None:
        return 1 + max((container_depth(v) for v in m.values()), default=0)
    lst = av.get("L")
    if lst is not None:
        return 1 + max((container_depth(v) for v in lst), default=0)
    return 0


def copy_value(av: AttributeValue) -> AttributeValue:
    """A deep copy of a (valid) AttributeValue; str and bytes are shared (immutable)."""
    for tag, val in av.items():
        if tag in SCALAR_TYPES:
            return {tag: val}
        if tag == "M":
            return {"M": {k: copy_value(v) for k, v in val.items()}}
        if tag == "L":
            return {"L": [copy_value(v) for v in val]}
        return {tag: list(val)}
    return {}


def copy_item(item: Item) -> Item:
    """A deep copy of a (valid) item. Scalars are copied with ``dict.copy`` (their str, bytes and
    bool payloads are immutable and shared); sets, lists and maps are copied deeply."""
    out: Item = {}
    scalar = SCALAR_TYPES
    for name, av in item.items():
        for tag in av:
            out[name] = av.copy() if tag in scalar else copy_value(av)
    return out


def copy_scalar_item(item: Item) -> Item:
    """:func:`copy_item` for an item known to hold only scalar values (S, N, B, BOOL, NULL): one
    ``dict.copy`` per attribute, no per-value type test (about 1.5x faster than ``copy_item``).

    The caller must know the item is all-scalar (e.g. ``Table.all_scalar``, which
    :func:`scalar_size_ceiling` maintains); given a set, list or map it would share the container.
    """
    return {name: av.copy() for name, av in item.items()}


def copy_scalar_items(items: list[Item]) -> list[Item]:
    """:func:`copy_scalar_item` over a page of items, as one plain loop (in Python 3.11 a nested
    comprehension costs a function object per item; this is the fastest form measured)."""
    out: list[Item] = []
    append = out.append
    for item in items:
        copy: Item = {}
        for name, av in item.items():
            copy[name] = av.copy()
        append(copy)
    return out


# --- type ----------------------------------------------------------------------------------


def type_of(av: AttributeValue) -> str:
    """The type tag of a (valid) AttributeValue."""
    for tag in av:
        return tag
    raise ValidationException(M.AV_EMPTY)


# --- equality and ordering -------------------------------------------------------------------


def _eq_n(a: Any, b: Any) -> bool:
    return a == b or Decimal(a) == Decimal(b)


def _eq_ns(a: Any, b: Any) -> bool:
    return len(a) == len(b) and {Decimal(x) for x in a} == {Decimal(x) for x in b}


def _eq_set(a: Any, b: Any) -> bool:
    return len(a) == len(b) and set(a) == set(b)


def _eq_m(a: Any, b: Any) -> bool:
    if len(a) != len(b):
        return False
    for k, v in a.items():
        w = b.get(k)
        if w is None or not values_equal(v, w):
            return False
    return True


def _eq_l(a: Any, b: Any) -> bool:
    return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b))


def _eq_plain(a: Any, b: Any) -> bool:
    return a == b


_EQUALS: dict[str, Callable[[Any, Any], bool]] = {
    "S": _eq_plain,
    "B": _eq_plain,
    "BOOL": _eq_plain,
    "NULL": _eq_plain,
    "N": _eq_n,
    "SS": _eq_set,
    "BS": _eq_set,
    "NS": _eq_ns,
    "M": _eq_m,
    "L": _eq_l,
}


def values_equal(a: AttributeValue, b: AttributeValue) -> bool:
    """O3: same type and equal value; numbers by value, sets order-free, L/M deep."""
    for ta, va in a.items():
        for tb, vb in b.items():
            return ta == tb and _EQUALS[ta](va, vb)
    return False


def _cmp(x: Any, y: Any) -> int:
    return (x > y) - (x < y)


def compare(a: AttributeValue, b: AttributeValue) -> int | None:
    """O1/O2: -1, 0 or 1 for two N, S or B values of the same type; None if not comparable.

    S orders by code point, which is UTF-8 byte order; B by unsigned bytes (Python's bytes order).
    """
    for ta, va in a.items():
        for tb, vb in b.items():
            if ta != tb:
                return None
            if ta == "N":
                return 0 if va == vb else _cmp(Decimal(va), Decimal(vb))
            if ta == "S" or ta == "B":
                return _cmp(va, vb)
            return None
    return None
