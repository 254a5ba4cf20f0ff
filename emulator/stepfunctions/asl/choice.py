"""Choice rules of JSONPath states (reference §6, CH-01..CH-12).

A rule is either a boolean expression (``And``/``Or``: non-empty lists, short-circuit; ``Not``: one
rule) or a data test: ``Variable`` (a Path: ``$…``, ``$$…`` or ``$var…``) plus exactly one comparison
operator. The operators are a table (:data:`OPERATORS`): name → (operand kind, test). ``…Path``
twins read their operand from the input/context/variables with the same path machinery.

Type mismatches are *false*, never errors (spec; CH-05 AWS observed: ``StringEquals`` on a number,
``BooleanEquals`` on ``0``/``1``, ``TimestampEquals`` on a non-timestamp string). A ``Variable`` that
matches nothing is a ``States.Runtime`` path error (CH-12), except for ``IsPresent`` which is then
false (CH-10).

Comparisons (spec): strings by UTF-16 code units, no normalisation (CH-06, Java ``compareTo``);
numbers by value with int == float (CH-07); timestamps as instants after RFC3339 parsing (CH-08,
ST-07: uppercase ``T`` and ``Z``, fractional seconds of any length, numeric offsets). JSON ``true`` is
never a number (Python's ``bool`` is an ``int``: excluded explicitly).

:func:`parse_timestamp` is public: the Wait state (``TimestampPath``) uses the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from ...caches import memoize
from .. import messages as M
from .dataflow import error_prefix
from .failures import RUNTIME, StatesFailure
from .jsonpath import InvalidPath, PathNotFound, read_path

__all__ = [
    "OPERATORS",
    "evaluate_rule",
    "find_match",
    "operator_of",
    "parse_timestamp",
    "string_matches",
]

Variables = Mapping[str, Any] | None


# ----------------------------------------------------------------------------------------- timestamps

_TS_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})\Z")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def parse_timestamp(text: object) -> int | None:
    """Nanoseconds since the epoch of an RFC3339 timestamp (ST-07), or None if ``text`` is not one.

    ``2016-03-14T01:59:00Z``, ``…00.000000Z``, ``…00+01:00`` parse; a missing ``T``/``Z``/offset,
    lowercase ``t``/``z``, month 13 or hour 25 do not. Fractional digits beyond nanoseconds are
    truncated."""
    if not isinstance(text, str):
        return None
    return _parse_timestamp(text)


@memoize(1024)
def _parse_timestamp(text: str) -> int | None:
    m = _TS_RE.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    frac, zone = m.group(7), m.group(8)
    try:
        if zone == "Z":
            tz = timezone.utc
        else:
            sign = 1 if zone[0] == "+" else -1
            oh, om = int(zone[1:3]), int(zone[4:6])
            if oh > 23 or om > 59:
                return None
            tz = timezone(sign * timedelta(hours=oh, minutes=om))
        dt = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None
    delta = dt - _EPOCH
    nanos = (delta.days * 86_400 + delta.seconds) * 1_000_000_000
    if frac:
        nanos += int(frac[:9].ljust(9, "0"))
    return nanos


# ------------------------------------------------------------------------------------- StringMatches


@memoize(1024)
def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 >= len(pattern):
                raise ValueError(M.open_escape(pattern))
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def string_matches(value: str, pattern: str) -> bool:
    """CH-09: ``*`` matches zero or more characters; ``\\*`` is a literal ``*`` and ``\\\\`` a
    literal backslash. Raises ValueError for an open trailing backslash."""
    return _wildcard_regex(pattern).fullmatch(value) is not None


# ---------------------------------------------------------------------------------- operator table


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _u16(s: str) -> str | bytes:
    """Key ordering strings by UTF-16 code units (Java), differing from code points only above BMP."""
    return s.encode("utf-16-be", "surrogatepass") if any(ord(c) > 0xFFFF for c in s) else s


def _cmp_strings(a: str, b: str) -> int:
    ka, kb = _u16(a), _u16(b)
    if type(ka) is not type(kb):
        ka, kb = a.encode("utf-16-be", "surrogatepass"), b.encode("utf-16-be", "surrogatepass")
    return (ka > kb) - (ka < kb)  # type: ignore[operator]


def _cmp_numbers(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def _cmp_timestamps(a: int, b: int) -> int:
    return (a > b) - (a < b)


_RELATIONS: dict[str, Callable[[int], bool]] = {
    "Equals": lambda c: c == 0,
    "LessThan": lambda c: c < 0,
    "GreaterThan": lambda c: c > 0,
    "LessThanEquals": lambda c: c <= 0,
    "GreaterThanEquals": lambda c: c >= 0,
}

Test = Callable[[Any, Any], bool]


def _comparison(kind: str, relation: Callable[[int], bool]) -> Test:
    if kind == "String":

        def test(v: Any, operand: Any) -> bool:
            return isinstance(v, str) and isinstance(operand, str) and relation(_cmp_strings(v, operand))
    elif kind == "Numeric":

        def test(v: Any, operand: Any) -> bool:
            return _is_number(v) and _is_number(operand) and relation(_cmp_numbers(v, operand))
    elif kind == "Timestamp":

        def test(v: Any, operand: Any) -> bool:
            a, b = parse_timestamp(v), parse_timestamp(operand)
            return a is not None and b is not None and relation(_cmp_timestamps(a, b))
    else:  # Boolean: Equals only

        def test(v: Any, operand: Any) -> bool:
            return isinstance(v, bool) and isinstance(operand, bool) and v == operand

    return test


def _type_test(predicate: Callable[[Any], bool]) -> Test:
    # "IsX": true means "is X", false means "is not X" (CH-11).
    def test(v: Any, operand: Any) -> bool:
        return predicate(v) if operand is True else (not predicate(v) if operand is False else False)

    return test


def _string_matches_test(v: Any, operand: Any) -> bool:
    return isinstance(v, str) and isinstance(operand, str) and string_matches(v, operand)


#: name → (operand is a path?, test(value, operand) -> bool)
OPERATORS: dict[str, tuple[bool, Test]] = {}
for _kind in ("String", "Numeric", "Timestamp"):
    for _rel, _fn in _RELATIONS.items():
        OPERATORS[f"{_kind}{_rel}"] = (False, _comparison(_kind, _fn))
        OPERATORS[f"{_kind}{_rel}Path"] = (True, _comparison(_kind, _fn))
OPERATORS["BooleanEquals"] = (False, _comparison("Boolean", _RELATIONS["Equals"]))
OPERATORS["BooleanEqualsPath"] = (True, _comparison("Boolean", _RELATIONS["Equals"]))
OPERATORS["StringMatches"] = (False, _string_matches_test)
OPERATORS["IsNull"] = (False, _type_test(lambda v: v is None))
OPERATORS["IsNumeric"] = (False, _type_test(_is_number))
OPERATORS["IsString"] = (False, _type_test(lambda v: isinstance(v, str)))
OPERATORS["IsBoolean"] = (False, _type_test(lambda v: isinstance(v, bool)))
OPERATORS["IsTimestamp"] = (False, _type_test(lambda v: parse_timestamp(v) is not None))
# IsPresent is special-cased: it tests the path, not a value.
OPERATORS["IsPresent"] = (False, _type_test(lambda present: bool(present)))


def operator_of(rule: Mapping[str, Any]) -> str | None:
    """The comparison operator named in a data-test rule (None if there is none)."""
    for key in rule:
        if key in OPERATORS:
            return key
    return None


# ------------------------------------------------------------------------------------------- rules


def _runtime(state_name: str, entered_event_id: int | None, message: str) -> StatesFailure:
    # Without a state name the cause is left bare, for a caller that adds the prefix itself.
    if not state_name:
        return StatesFailure(RUNTIME, message)
    return StatesFailure(RUNTIME, error_prefix(state_name, entered_event_id) + message)


def _read(
    path: str, input: Any, context: Any, variables: Variables, state_name: str, entered_event_id: int | None
) -> Any:
    try:
        return read_path(input, path, context=context, variables=variables)
    except PathNotFound as exc:
        # CH-12 (INF: same text as an InputPath miss, JP-03).
        raise _runtime(state_name, entered_event_id, M.invalid_path(path, exc.message)) from None
    except InvalidPath as exc:
        raise _runtime(state_name, entered_event_id, M.invalid_path(path, str(exc))) from None


def evaluate_rule(
    rule: Mapping[str, Any],
    input: Any,
    context: Any,
    variables: Variables,
    *,
    state_name: str = "",
    entered_event_id: int | None = None,
) -> bool:
    """Truth of one Choice rule (CH-02..CH-12) against the Choice state's effective input.

    Pass ``state_name`` and ``entered_event_id`` to get complete AWS causes; without a state name
    a ``States.Runtime`` cause is the bare detail (``Invalid path '$.x' : …``)."""
    if "And" in rule:
        return all(
            evaluate_rule(
                r, input, context, variables, state_name=state_name, entered_event_id=entered_event_id
            )
            for r in rule["And"]
        )
    if "Or" in rule:
        return any(
            evaluate_rule(
                r, input, context, variables, state_name=state_name, entered_event_id=entered_event_id
            )
            for r in rule["Or"]
        )
    if "Not" in rule:
        return not evaluate_rule(
            rule["Not"], input, context, variables, state_name=state_name, entered_event_id=entered_event_id
        )
    op = operator_of(rule)
    variable = rule.get("Variable")
    if op is None or not isinstance(variable, str):
        raise _runtime(state_name, entered_event_id, M.INVALID_CHOICE_RULE)
    operand = rule[op]
    if op == "IsPresent":
        try:
            read_path(input, variable, context=context, variables=variables)
            present = True
        except (PathNotFound, InvalidPath):
            present = False
        return OPERATORS[op][1](present, operand)
    value = _read(variable, input, context, variables, state_name, entered_event_id)
    is_path, test = OPERATORS[op]
    if is_path:
        operand = _read(operand, input, context, variables, state_name, entered_event_id)
    try:
        return test(value, operand)
    except ValueError as exc:  # StringMatches open escape (CH-09: a runtime error)
        raise _runtime(state_name, entered_event_id, str(exc)) from None


def find_match(
    choices: list[Mapping[str, Any]],
    input: Any,
    context: Any,
    variables: Variables,
    *,
    state_name: str = "",
    entered_event_id: int | None = None,
) -> int | None:
    """Index of the first top-level rule that is true (CH-01), or None. The interpreter uses the index
    to run that rule's ``Assign`` (VAR-04)."""
    for i, rule in enumerate(choices):
        if evaluate_rule(
            rule, input, context, variables, state_name=state_name, entered_event_id=entered_event_id
        ):
            return i
    return None
