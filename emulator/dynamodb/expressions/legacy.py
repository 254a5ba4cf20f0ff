"""The legacy parameters (§5.6) converted to the same objects the expression compilers produce.

``Expected`` / ``QueryFilter`` / ``ScanFilter`` -> :class:`Condition`; ``KeyConditions`` ->
:class:`KeyCondition` (through the same schema matching as KeyConditionExpression);
``AttributeUpdates`` -> an update with the same ``apply``/``top_level_names``/``paths`` interface as
:class:`Update`; ``AttributesToGet`` -> :class:`Projection`.

ComparisonOperators are a table (arity, allowed value types, predicate builder), not an if-chain.
Attribute names are literal here: a dot is part of the name, never a path step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...errors import AWSError
from ...wellformed import is_well_formed
from .. import messages as M
from ..errors import ValidationException
from ..keys import SortCondition
from ..multikey import multi_key_condition
from ..values import (
    AttributeValue,
    add_numbers,
    check_name_bytes,
    compare,
    copy_value,
    ill_formed_text,
    type_of,
    validate_value,
    values_equal,
)
from .condition import Condition
from .functions import begins_with_value, contains_value
from .key_condition import KeyCondition, key_condition_from_conditions
from .projection import attributes_to_get_projection

Item = dict[str, AttributeValue]
Predicate = Callable[[Item], bool]
Test = Callable[["AttributeValue | None", "tuple[AttributeValue, ...]"], bool]

__all__ = [
    "LegacyUpdate",
    "attribute_updates_to_update",
    "attributes_to_get_projection",
    "expected_to_condition",
    "filter_to_condition",
    "key_conditions_to_key_condition",
]

_SCALARS = frozenset(("S", "N", "B"))
_ANY = frozenset(("S", "N", "B", "SS", "NS", "BS", "L", "M", "NULL", "BOOL"))


def _ordered(test: Callable[[int], bool]) -> Test:
    def run(av: AttributeValue | None, values: tuple[AttributeValue, ...]) -> bool:
        if av is None:
            return False
        c = compare(av, values[0])
        return c is not None and test(c)

    return run


def _between(av: AttributeValue | None, values: tuple[AttributeValue, ...]) -> bool:
    if av is None:
        return False
    lo, hi = compare(av, values[0]), compare(av, values[1])
    return lo is not None and hi is not None and lo >= 0 and hi <= 0


@dataclass(frozen=True, slots=True)
class _Operator:
    min_args: int
    max_args: int | None
    types: frozenset[str]
    test: Test


OPERATORS: dict[str, _Operator] = {
    "EQ": _Operator(1, 1, _ANY, lambda av, v: av is not None and values_equal(av, v[0])),
    "NE": _Operator(1, 1, _ANY, lambda av, v: av is None or not values_equal(av, v[0])),
    "LE": _Operator(1, 1, _SCALARS, _ordered(lambda c: c <= 0)),
    "LT": _Operator(1, 1, _SCALARS, _ordered(lambda c: c < 0)),
    "GE": _Operator(1, 1, _SCALARS, _ordered(lambda c: c >= 0)),
    "GT": _Operator(1, 1, _SCALARS, _ordered(lambda c: c > 0)),
    "NOT_NULL": _Operator(0, 0, _ANY, lambda av, v: av is not None),
    "NULL": _Operator(0, 0, _ANY, lambda av, v: av is None),
    "CONTAINS": _Operator(1, 1, _SCALARS, lambda av, v: contains_value(av, v[0])),
    "NOT_CONTAINS": _Operator(1, 1, _SCALARS, lambda av, v: av is not None and not contains_value(av, v[0])),
    "BEGINS_WITH": _Operator(1, 1, frozenset(("S", "B")), lambda av, v: begins_with_value(av, v[0])),
    "IN": _Operator(1, None, _SCALARS, lambda av, v: av is not None and any(values_equal(av, x) for x in v)),
    "BETWEEN": _Operator(2, 2, _SCALARS, _between),
}

_KEY_OPS = {
    "EQ": "=",
    "LT": "<",
    "LE": "<=",
    "GT": ">",
    "GE": ">=",
    "BETWEEN": "BETWEEN",
    "BEGINS_WITH": "BEGINS_WITH",
}


def _fail(message: str) -> AWSError:
    return ValidationException(message)


def _enum_error(value: Any, where: str) -> AWSError:
    allowed = "[" + ", ".join(OPERATORS) + "]"
    return _fail(
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy constraint: "
        f"Member must satisfy enum value set: {allowed}"
    )


def _check_operator(op: Any, values: list[Any], where: str) -> tuple[_Operator, tuple[AttributeValue, ...]]:
    """LG2: arity, one type for all values, allowed types, BETWEEN order; returns validated values."""
    spec = OPERATORS.get(op) if isinstance(op, str) else None
    if spec is None:
        raise _enum_error(op, where)
    checked = tuple(validate_value(v) for v in values)
    if len(checked) < spec.min_args or (spec.max_args is not None and len(checked) > spec.max_args):
        raise _fail(M.legacy_arity(op))
    types = {type_of(v) for v in checked}
    if len(types) > 1:
        raise _fail(M.LEGACY_SAME_TYPE)
    for type_ in types:
        if type_ not in spec.types:
            raise _fail(M.legacy_operator_type(op, type_))
    if op == "BETWEEN" and (compare(checked[0], checked[1]) or 0) > 0:
        raise _fail(M.LEGACY_BETWEEN_ORDER)
    return spec, checked


def _combine(tests: list[Predicate], conditional_operator: str | None) -> Predicate:
    if not tests:
        return lambda item: True
    if conditional_operator == "OR":
        return lambda item: any(t(item) for t in tests)
    return lambda item: all(t(item) for t in tests)


def _check_conditional_operator(conditional_operator: Any) -> None:
    if conditional_operator is not None and conditional_operator not in ("AND", "OR"):
        raise _fail(
            f"1 validation error detected: Value '{conditional_operator}' at 'conditionalOperator' "
            "failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]"
        )


def _predicate(name: str, spec: _Operator, values: tuple[AttributeValue, ...]) -> Predicate:
    test = spec.test
    return lambda item: test(item.get(name), values)


def expected_to_condition(
    expected: Mapping[str, Mapping[str, Any]] | None, conditional_operator: str | None = None
) -> Condition:
    """LG1: ``Expected`` (+ ``ConditionalOperator``) as a Condition; ``{}`` means no condition."""
    _check_conditional_operator(conditional_operator)
    if not expected:  # None or {}: no condition, so no ConditionalOperator (issue 11 rule 10)
        if conditional_operator is not None:
            raise _fail(M.CONDITIONAL_OPERATOR_WITHOUT_CONDITIONS)
        expected = {}
    tests: list[Predicate] = []
    for name, cond in expected.items():
        has_value = cond.get("Value") is not None
        has_list = cond.get("AttributeValueList") is not None
        if has_value and has_list:
            raise _fail(M.legacy_value_and_list(name))
        op = cond.get("ComparisonOperator")
        if op is not None:
            if cond.get("Exists") is not None:
                raise _fail(M.legacy_exists_with_operator(name))
            values = list(cond["AttributeValueList"]) if has_list else ([cond["Value"]] if has_value else [])
            spec = OPERATORS.get(op) if isinstance(op, str) else None
            if spec is not None and not values and spec.min_args > 0:
                raise _fail(M.legacy_operator_needs_values(op, name))
            spec, checked = _check_operator(op, values, f"expected.{name}.member.comparisonOperator")
            tests.append(_predicate(name, spec, checked))
            continue
        if has_list:
            raise _fail(M.legacy_list_without_operator(name))
        exists = cond.get("Exists")
        if exists is None or exists:
            if not has_value:
                raise _fail(M.legacy_value_required(name, "null" if exists is None else "true"))
            tests.append(_predicate(name, OPERATORS["EQ"], (validate_value(cond["Value"]),)))
        else:
            if has_value:
                raise _fail(M.legacy_value_with_exists_false(name))
            tests.append(_predicate(name, OPERATORS["NULL"], ()))
    return Condition(_combine(tests, conditional_operator), frozenset(expected))


def filter_to_condition(
    conditions: Mapping[str, Mapping[str, Any]] | None,
    conditional_operator: str | None = None,
    *,
    member: str = "ScanFilter",
) -> Condition:
    """LG4: ``QueryFilter`` / ``ScanFilter`` (named by ``member``) + ``ConditionalOperator``."""
    _check_conditional_operator(conditional_operator)
    if not conditions:  # None or {}, as for Expected
        if conditional_operator is not None:
            raise _fail(M.CONDITIONAL_OPERATOR_WITHOUT_CONDITIONS)
        conditions = {}
    where = member[:1].lower() + member[1:]
    tests: list[Predicate] = []
    for name, cond in conditions.items():
        spec, checked = _check_operator(
            cond.get("ComparisonOperator"),
            list(cond.get("AttributeValueList") or []),
            f"{where}.{name}.member.comparisonOperator",
        )
        tests.append(_predicate(name, spec, checked))
    return Condition(_combine(tests, conditional_operator), frozenset(conditions))


def check_key_conditions_shape(key_conditions: Mapping[str, Mapping[str, Any]]) -> None:
    """The checks of ``KeyConditions`` that need no key schema (operators, arity, value types, at
    most two conditions), for a Query on a missing table (issue 11 rule 1)."""
    converted = _key_conditions(key_conditions)
    if len(converted) > 2:
        raise _fail(M.KEY_CONDITION_LENGTH)


def key_conditions_to_key_condition(
    key_conditions: Mapping[str, Mapping[str, Any]],
    hash_name: str,
    range_name: str | None,
    *,
    hash_type: str | None = None,
    range_type: str | None = None,
) -> KeyCondition:
    """LG4/KC11: ``KeyConditions`` matched against the key schema like a KeyConditionExpression."""
    return key_condition_from_conditions(
        _key_conditions(key_conditions),
        hash_name=hash_name,
        range_name=range_name,
        hash_type=hash_type,
        range_type=range_type,
    )


def key_conditions_to_multi(key_conditions: Mapping[str, Mapping[str, Any]], schema: Any) -> Any:
    """``KeyConditions`` matched against a multi-attribute GSI key (``multikey.MultiKeySchema``)."""
    return multi_key_condition(_key_conditions(key_conditions), schema)


def _key_conditions(key_conditions: Mapping[str, Mapping[str, Any]]) -> dict[str, SortCondition]:
    """Each KeyConditions entry checked (LG2) and turned into a key operator."""
    converted: dict[str, SortCondition] = {}
    for name, cond in key_conditions.items():
        op = cond.get("ComparisonOperator")
        _, checked = _check_operator(
            op, list(cond.get("AttributeValueList") or []), f"keyConditions.{name}.member.comparisonOperator"
        )
        key_op = _KEY_OPS.get(str(op))
        if key_op is None:
            raise _fail(M.KEY_CONDITION_NOT_INDEXABLE)
        converted[name] = SortCondition(key_op, checked)
    return converted


# --- AttributeUpdates ----------------------------------------------------------------------------

_SET_TYPES = frozenset(("SS", "NS", "BS"))


def _union(have: AttributeValue, extra: AttributeValue) -> AttributeValue:
    tag = type_of(have)
    out = list(have[tag])
    if tag == "NS":
        known = {Decimal(x) for x in out}
        out += [x for x in extra[tag] if Decimal(x) not in known]
    else:
        known_s = set(out)
        out += [x for x in extra[tag] if x not in known_s]
    return {tag: out}


def _minus(have: AttributeValue, drop: AttributeValue) -> AttributeValue | None:
    tag = type_of(have)
    if tag == "NS":
        gone = {Decimal(x) for x in drop[tag]}
        out = [x for x in have[tag] if Decimal(x) not in gone]
    else:
        gone_s = set(drop[tag])
        out = [x for x in have[tag] if x not in gone_s]
    return {tag: out} if out else None


@dataclass(frozen=True, slots=True)
class _Action:
    name: str
    action: str
    value: AttributeValue | None


class LegacyUpdate:
    """``AttributeUpdates`` compiled; same interface as :class:`~.update.Update`."""

    __slots__ = ("_actions", "paths", "top_level_names", "constant_types")

    #: AttributeUpdates values are all constants: no run-time index-key type error (K10).
    runtime_set_names: frozenset[str] = frozenset()

    def __init__(self, actions: list[_Action]) -> None:
        self._actions = actions
        self.paths = tuple((a.name,) for a in actions)
        self.top_level_names = frozenset(a.name for a in actions)
        #: (attribute, type of its Value), checked against index key types up front (K7).
        self.constant_types = tuple((a.name, type_of(a.value)) for a in actions if a.value is not None)

    def apply(self, item: Item | None, *, missing: bool = False) -> Item:
        new: Item = dict(item) if item is not None else {}
        for act in self._actions:
            name, value, have = act.name, act.value, new.get(act.name)
            if act.action == "PUT":
                assert value is not None
                new[name] = copy_value(value)
            elif act.action == "DELETE":
                if value is None:
                    new.pop(name, None)
                elif have is not None:
                    if type_of(have) != type_of(value):
                        raise _fail(M.LEGACY_UPDATE_TYPE_MISMATCH)
                    rest = _minus(have, value)
                    if rest is None:
                        del new[name]
                    else:
                        new[name] = rest
            else:  # ADD
                assert value is not None
                if have is None:
                    new[name] = {"N": add_numbers("0", value["N"])} if "N" in value else copy_value(value)
                elif type_of(have) != type_of(value):
                    raise _fail(M.LEGACY_UPDATE_TYPE_MISMATCH)
                elif "N" in value:
                    new[name] = {"N": add_numbers(have["N"], value["N"])}
                elif "L" in value:
                    new[name] = {
                        "L": [copy_value(v) for v in have["L"]] + [copy_value(v) for v in value["L"]]
                    }
                else:
                    new[name] = _union(have, value)
        return new


def attribute_updates_to_update(attribute_updates: Mapping[str, Mapping[str, Any]]) -> LegacyUpdate:
    """LG3: ``{attr: {Action: PUT|DELETE|ADD, Value}}``; an empty map is allowed."""
    actions: list[_Action] = []
    for name, spec in attribute_updates.items():
        if type(name) is str:
            if not is_well_formed(name):
                raise ill_formed_text()  # would be stored as an attribute name (wellformed.py)
            check_name_bytes(name)  # V15 (issue 11 rule 10)
        action = spec.get("Action") or "PUT"
        if action not in ("PUT", "DELETE", "ADD"):
            raise _fail(
                f"1 validation error detected: Value '{action}' at 'attributeUpdates.{name}.member.action' "
                "failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"
            )
        raw = spec.get("Value")
        value = validate_value(raw) if raw is not None else None
        if value is None:
            if action != "DELETE":
                raise _fail(M.LEGACY_NO_VALUE_NO_DELETE)
        else:
            type_ = type_of(value)
            if action == "DELETE" and type_ not in _SET_TYPES:
                raise _fail(M.legacy_delete_unsupported(type_))
            if action == "ADD" and type_ not in _SET_TYPES and type_ not in ("N", "L"):
                raise _fail(M.legacy_add_unsupported(type_))
        actions.append(_Action(name, action, value))
    return LegacyUpdate(actions)
