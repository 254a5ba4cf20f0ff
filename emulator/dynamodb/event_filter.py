"""Lambda's event filtering (``FilterCriteria``) for stream consumers: patterns compiled to predicates.

A stream consumer (``streams/consumer.py``) may carry ``FilterCriteria`` as Lambda's
CreateEventSourceMapping takes it: ``{"Filters": [{"Pattern": "<JSON text>"}, ...]}``. A record is
delivered when it matches at least one filter (filters are ORed); the others are dropped and the
consumer's position moves past them, as Lambda discards them
(https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html).

The syntax, matched against the record in the JSON form the consumer receives:

* a pattern is a JSON object; a key whose value is an object descends into the record's field of
  that name (which must be an object); a key whose value is an array is a *leaf*: it matches when
  the record's value (or, for an array value, any element) matches any rule of the array; all keys
  of one object must match (AND); ``"$or": [pattern, ...]`` inside an object matches when any of
  the sub-patterns does;
* rules: a string, number, boolean or ``null`` matches that exact value (numbers by value);
  ``{"prefix": s}``, ``{"suffix": s}``, ``{"equals-ignore-case": s}``; ``{"anything-but": v}``
  with ``v`` a value, a list of values, or ``{"prefix": s}`` / ``{"suffix": s}``;
  ``{"numeric": [op, n]}`` or ``{"numeric": [op, n, op, n]}`` with ``op`` among ``= < <= > >=``;
  ``{"exists": true|false}``.

Design decisions:

* **Compiled once.** :func:`compile_criteria` parses and checks every pattern when the consumer is
  registered (an invalid one is refused there, as CreateEventSourceMapping refuses it) and returns
  one closure; matching a record walks only the keys the patterns name.
* **exists only on leaves.** ``{"exists": true}`` matches a present value that is not an object
  (Lambda: "exists only works on leaf nodes"); a missing field matches only ``{"exists": false}``
  (and ``anything-but``, as in EventBridge, does not match a missing field).
* **Numeric rules need JSON numbers.** A DynamoDB number is a string in the record
  (``{"N": "5"}``), so a ``numeric`` rule never matches it; it matches record fields that are
  JSON numbers (``SizeBytes``, ``ApproximateCreationDateTime``) [INF: EventBridge's numeric
  matching, which Lambda's filtering shares].
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]

MAX_FILTERS = 5  # "up to five different filters for a single event source mapping"

_MISSING = object()


class FilterPatternError(ValueError):
    """A FilterCriteria that Lambda would refuse (the caller turns it into its AWS error)."""


def compile_criteria(criteria: Any) -> Callable[[dict[str, Any]], bool] | None:
    """One predicate over a record for ``{"Filters": [{"Pattern": text}, ...]}``; None (deliver
    everything) for None or an empty filter list. ``FilterPatternError`` when malformed.

    Runtime complexity: O(p) for patterns of total size p."""
    if criteria is None:
        return None
    if not isinstance(criteria, dict) or set(criteria) - {"Filters"}:
        raise FilterPatternError("FilterCriteria must be {'Filters': [{'Pattern': '...'}]}")
    filters = criteria.get("Filters") or []
    if not isinstance(filters, list) or len(filters) > MAX_FILTERS:
        raise FilterPatternError(f"FilterCriteria takes a list of at most {MAX_FILTERS} filters")
    predicates = [compile_pattern(_pattern_text(f)) for f in filters]
    if not predicates:
        return None
    if len(predicates) == 1:
        return predicates[0]
    return lambda record: any(p(record) for p in predicates)


def _pattern_text(entry: Any) -> Any:
    if not isinstance(entry, dict) or set(entry) != {"Pattern"} or not isinstance(entry["Pattern"], str):
        raise FilterPatternError("each filter is {'Pattern': '<JSON text>'}")
    try:
        return json.loads(entry["Pattern"])
    except ValueError as exc:
        raise FilterPatternError(f"a Pattern is not JSON: {exc}") from exc


def compile_pattern(pattern: Any) -> Predicate:
    """The predicate of one pattern object (an already parsed JSON value).

    Runtime complexity: O(p) for a pattern of size p."""
    if not isinstance(pattern, dict) or not pattern:
        raise FilterPatternError("a filter pattern is a non-empty JSON object")
    checks: list[Predicate] = []
    for key, sub in pattern.items():
        if key == "$or":
            checks.append(_compile_or(sub))
        elif isinstance(sub, dict):
            checks.append(_field(key, compile_pattern(sub), nested=True))
        elif isinstance(sub, list):
            checks.append(_field(key, _compile_leaf(sub), nested=False))
        else:
            raise FilterPatternError(f"the value of {key!r} must be an object or an array of rules")
    return lambda obj: all(check(obj) for check in checks)


def _compile_or(alternatives: Any) -> Predicate:
    if not isinstance(alternatives, list) or len(alternatives) < 2:
        raise FilterPatternError("$or takes an array of at least two patterns")
    subs = [compile_pattern(a) for a in alternatives]
    return lambda obj: any(p(obj) for p in subs)


def _field(key: str, match: Predicate, *, nested: bool) -> Predicate:
    """Apply ``match`` to ``obj[key]`` (``_MISSING`` when absent). A nested pattern over a missing
    or non-object value sees an empty object: only ``{"exists": false}`` leaves can match there."""

    def check(obj: Any) -> bool:
        value = obj.get(key, _MISSING) if isinstance(obj, dict) else _MISSING
        if nested:
            return match(value if isinstance(value, dict) else {})
        return match(value)

    return check


def _compile_leaf(rules: list[Any]) -> Predicate:
    """A leaf: the value (or any element of an array value) matches any of ``rules``."""
    if not rules:
        raise FilterPatternError("an array of rules must not be empty")
    compiled = [_compile_rule(rule) for rule in rules]
    on_missing = [r for r, missing_ok in compiled if missing_ok]

    def check(value: Any) -> bool:
        if value is _MISSING:
            return any(r(_MISSING) for r in on_missing)
        values = value if isinstance(value, list) else (value,)
        return any(r(v) for v in values for r, _ in compiled)

    return check


def _compile_rule(rule: Any) -> tuple[Predicate, bool]:
    """(predicate, whether it may match a missing field)."""
    if rule is None or isinstance(rule, (str, bool)):
        return _exactly(rule), False
    if isinstance(rule, (int, float)):
        return _number_equal(rule), False
    if isinstance(rule, dict) and len(rule) == 1:
        ((name, arg),) = rule.items()
        factory = RULES.get(name)
        if factory is not None:
            return factory(arg)
    raise FilterPatternError(f"unsupported filter rule {json.dumps(rule)}")


def _exactly(expected: Any) -> Predicate:
    kind = type(expected)
    return lambda v: type(v) is kind and v == expected


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _number_equal(expected: float) -> Predicate:
    return lambda v: _is_number(v) and v == expected


def _string_arg(name: str, arg: Any) -> str:
    if not isinstance(arg, str):
        raise FilterPatternError(f"{name} takes a string")
    return arg


def _prefix(arg: Any) -> tuple[Predicate, bool]:
    s = _string_arg("prefix", arg)
    return (lambda v: isinstance(v, str) and v.startswith(s)), False


def _suffix(arg: Any) -> tuple[Predicate, bool]:
    s = _string_arg("suffix", arg)
    return (lambda v: isinstance(v, str) and v.endswith(s)), False


def _equals_ignore_case(arg: Any) -> tuple[Predicate, bool]:
    s = _string_arg("equals-ignore-case", arg).casefold()
    return (lambda v: isinstance(v, str) and v.casefold() == s), False


def _anything_but(arg: Any) -> tuple[Predicate, bool]:
    if isinstance(arg, dict):
        inner, _ = _compile_rule(arg)
        if set(arg) - {"prefix", "suffix", "equals-ignore-case"}:
            raise FilterPatternError("anything-but takes values, prefix, suffix or equals-ignore-case")
    else:
        values = arg if isinstance(arg, list) else [arg]
        if not values or any(isinstance(v, (dict, list)) for v in values):
            raise FilterPatternError("anything-but takes a value or a non-empty list of values")
        excluded = [_compile_rule(v)[0] for v in values]

        def inner(v: Any) -> bool:
            return any(e(v) for e in excluded)

    return (lambda v: v is not _MISSING and not isinstance(v, dict) and not inner(v)), False


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _numeric(arg: Any) -> tuple[Predicate, bool]:
    if not isinstance(arg, list) or len(arg) not in (2, 4):
        raise FilterPatternError("numeric takes [op, number] or [op, number, op, number]")
    tests: list[tuple[Callable[[float, float], bool], float]] = []
    for op, bound in zip(arg[::2], arg[1::2]):
        if op not in _COMPARE or not _is_number(bound):
            raise FilterPatternError(f"numeric: bad comparison {op!r} {bound!r}")
        tests.append((_COMPARE[op], bound))
    return (lambda v: _is_number(v) and all(cmp(v, b) for cmp, b in tests)), False


def _exists(arg: Any) -> tuple[Predicate, bool]:
    if not isinstance(arg, bool):
        raise FilterPatternError("exists takes true or false")
    if arg:
        return (lambda v: v is not _MISSING and not isinstance(v, dict)), False
    return (lambda v: v is _MISSING), True


#: rule name → factory of (predicate, may match a missing field)
RULES: dict[str, Callable[[Any], tuple[Predicate, bool]]] = {
    "prefix": _prefix,
    "suffix": _suffix,
    "equals-ignore-case": _equals_ignore_case,
    "anything-but": _anything_but,
    "numeric": _numeric,
    "exists": _exists,
}
