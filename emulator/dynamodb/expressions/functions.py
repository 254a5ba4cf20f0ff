"""The condition/filter functions: one registry entry per function (arity, type check, evaluator).

``attribute_exists``, ``attribute_not_exists``, ``attribute_type``, ``begins_with``, ``contains``
and ``size``. Names are case-sensitive (E10). Type checks reproduce DynamoDB's parse-time errors
(C5-C7, C10); anything only known from the item makes the condition false, never an error.

``size`` of a string counts UTF-8 bytes ([INF], C10: AWS is unverified on non-ASCII strings).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .. import messages as M
from ..values import AttributeValue, values_equal
from .binding import BCall, Binder, Bound, BPath, BValue, FunctionSpec, static_type

Item = dict[str, AttributeValue]
Getter = Callable[[Item], "AttributeValue | None"]
Predicate = Callable[[Item], bool]

ATTRIBUTE_TYPES = ("S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M")


# --- parse-time checks -----------------------------------------------------------------------

def _check_exists(binder: Binder, name: str, args: tuple[Bound, ...]) -> str | None:
    binder.distinct(name, args)
    if not isinstance(args[0], BPath):
        binder.error("function", M.requires_path(name))
        return None
    return "BOOL"


def _check_begins_with(binder: Binder, name: str, args: tuple[Bound, ...]) -> str | None:
    binder.distinct(name, args)
    for arg in args:
        type_ = static_type(arg)
        if type_ is not None and type_ not in ("S", "B"):
            binder.error("function", M.operand_type(name, type_))
            return None
    return "BOOL"


def _check_attribute_type(binder: Binder, name: str, args: tuple[Bound, ...]) -> str | None:
    binder.distinct(name, args)
    second = args[1]
    type_ = static_type(second)
    if type_ != "S":
        binder.error("function", M.operand_type(name, type_ or "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"))
        return None
    if isinstance(second, BValue) and second.av["S"] not in ATTRIBUTE_TYPES:
        binder.error("function", M.attribute_type_name_invalid(second.av["S"]))
        return None
    return "BOOL"


def _check_size(binder: Binder, name: str, args: tuple[Bound, ...]) -> str | None:
    type_ = static_type(args[0])
    if type_ in ("N", "BOOL", "NULL"):
        binder.error("function", M.operand_type(name, type_))
        return None
    return "N"


def _check_contains(binder: Binder, name: str, args: tuple[Bound, ...]) -> str | None:
    binder.distinct(name, args)
    return "BOOL"


CONDITION_FUNCTIONS: dict[str, FunctionSpec] = {
    "attribute_exists": FunctionSpec(1, _check_exists),
    "attribute_not_exists": FunctionSpec(1, _check_exists),
    "attribute_type": FunctionSpec(2, _check_attribute_type),
    "begins_with": FunctionSpec(2, _check_begins_with),
    "contains": FunctionSpec(2, _check_contains),
    "size": FunctionSpec(1, _check_size),
}

BOOLEAN_FUNCTIONS = frozenset(CONDITION_FUNCTIONS) - {"size"}


# --- evaluation ------------------------------------------------------------------------------

def _utf8_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


_SIZE_OF: dict[str, Callable[[Any], int]] = {
    "S": _utf8_len, "B": len, "SS": len, "NS": len, "BS": len, "L": len, "M": len,
}


def size_of(av: AttributeValue | None) -> AttributeValue | None:
    """C10: size() as an N value, or None (no value) for N/BOOL/NULL or a missing attribute."""
    if av is None:
        return None
    for tag, val in av.items():
        fn = _SIZE_OF.get(tag)
        return None if fn is None else {"N": str(fn(val))}
    return None


def begins_with_value(a: AttributeValue | None, b: AttributeValue | None) -> bool:
    if a is None or b is None:
        return False
    if "S" in a and "S" in b:
        return bool(a["S"].startswith(b["S"]))
    if "B" in a and "B" in b:
        return bool(a["B"].startswith(b["B"]))
    return False


_ELEMENT_TAG = {"SS": "S", "NS": "N", "BS": "B"}


def contains_value(a: AttributeValue | None, b: AttributeValue | None) -> bool:
    """C8."""
    if a is None or b is None:
        return False
    for tag, val in a.items():
        if tag == "S":
            return "S" in b and b["S"] in val
        if tag == "B":
            return "B" in b and b["B"] in val
        if tag in _ELEMENT_TAG:
            element = _ELEMENT_TAG[tag]
            if element not in b:
                return False
            if tag == "NS":
                target = Decimal(b["N"])
                return any(Decimal(x) == target for x in val)
            return bool(b[element] in val)
        if tag == "L":
            return any(values_equal(x, b) for x in val)
        return False
    return False


def build_predicate(call: BCall, operand: Callable[[Bound], Getter]) -> Predicate:
    """The evaluator of a boolean function call; ``operand`` builds getters for its arguments."""
    getters = [operand(a) for a in call.args]
    name = call.name
    if name == "attribute_exists":
        g0 = getters[0]
        return lambda item: g0(item) is not None
    if name == "attribute_not_exists":
        g0 = getters[0]
        return lambda item: g0(item) is None
    if name == "attribute_type":
        g0, g1 = getters

        def attribute_type(item: Item) -> bool:
            av, want = g0(item), g1(item)
            return av is not None and want is not None and "S" in want and want["S"] in av
        return attribute_type
    if name == "begins_with":
        g0, g1 = getters
        return lambda item: begins_with_value(g0(item), g1(item))
    if name == "contains":
        g0, g1 = getters
        return lambda item: contains_value(g0(item), g1(item))
    raise AssertionError(f"not a boolean function: {name}")  # unreachable: checked at bind time


def build_size(call: BCall, operand: Callable[[Bound], Getter]) -> Getter:
    g0 = operand(call.args[0])
    return lambda item: size_of(g0(item))
