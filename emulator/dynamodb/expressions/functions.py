"""The condition/filter functions: one registry entry per function (arity, type check, evaluator).

Each entry of :data:`CONDITION_FUNCTIONS` carries all three, so adding a function is one row
(and its two small functions), not a new branch in an if-chain.

``attribute_exists``, ``attribute_not_exists``, ``attribute_type``, ``begins_with``, ``contains``
and ``size``. Names are case-sensitive (E10). Type checks reproduce DynamoDB's parse-time errors
(C5-C7, C10); anything only known from the item makes the condition false, never an error.

``size`` of a string counts UTF-8 bytes ([INF], C10: AWS is unverified on non-ASCII strings).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


# --- evaluation: values ----------------------------------------------------------------------


def _utf8_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


_SIZE_OF: dict[str, Callable[[Any], int]] = {
    "S": _utf8_len,
    "B": len,
    "SS": len,
    "NS": len,
    "BS": len,
    "L": len,
    "M": len,
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


# --- evaluation: the closures each function compiles to ---------------------------------------


def _exists(g0: Getter) -> Predicate:
    return lambda item: g0(item) is not None


def _not_exists(g0: Getter) -> Predicate:
    return lambda item: g0(item) is None


def _attribute_type(g0: Getter, g1: Getter) -> Predicate:
    def attribute_type(item: Item) -> bool:
        av, want = g0(item), g1(item)
        return av is not None and want is not None and "S" in want and want["S"] in av

    return attribute_type


def _begins_with(g0: Getter, g1: Getter) -> Predicate:
    return lambda item: begins_with_value(g0(item), g1(item))


def _contains(g0: Getter, g1: Getter) -> Predicate:
    return lambda item: contains_value(g0(item), g1(item))


def _size(g0: Getter) -> Getter:
    return lambda item: size_of(g0(item))


# --- the registry ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConditionFunction(FunctionSpec):
    """A condition function's spec: arity and parse-time type check (:class:`FunctionSpec`), and
    ``evaluator``, which builds the compiled closure from its arguments' getters: a predicate
    for the boolean functions, a getter (of an N value) for ``size``."""

    evaluator: Callable[..., Any]
    boolean: bool = True


CONDITION_FUNCTIONS: dict[str, ConditionFunction] = {
    "attribute_exists": ConditionFunction(1, _check_exists, _exists),
    "attribute_not_exists": ConditionFunction(1, _check_exists, _not_exists),
    "attribute_type": ConditionFunction(2, _check_attribute_type, _attribute_type),
    "begins_with": ConditionFunction(2, _check_begins_with, _begins_with),
    "contains": ConditionFunction(2, _check_contains, _contains),
    "size": ConditionFunction(1, _check_size, _size, boolean=False),
}

BOOLEAN_FUNCTIONS = frozenset(name for name, spec in CONDITION_FUNCTIONS.items() if spec.boolean)


def build_predicate(call: BCall, operand: Callable[[Bound], Getter]) -> Predicate:
    """The evaluator of a boolean function call; ``operand`` builds getters for its arguments."""
    spec = CONDITION_FUNCTIONS[call.name]
    assert spec.boolean, f"not a boolean function: {call.name}"  # checked at bind time
    predicate: Predicate = spec.evaluator(*(operand(a) for a in call.args))
    return predicate


def build_size(call: BCall, operand: Callable[[Bound], Getter]) -> Getter:
    """The evaluator of ``size(path)``: a getter of its N value (None where size has none)."""
    return _size(operand(call.args[0]))
