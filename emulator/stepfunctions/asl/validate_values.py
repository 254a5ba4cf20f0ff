"""Typed value checks shared by every validator: type, range, emptiness, enum.

Each check appends AWS's schema diagnostic (``Expected value of type [STRING]``, ``Minimum value is
0``, ``Value cannot be empty``, ``Value should be one of the following: [...]``) and returns whether
the value is usable, so callers can skip deeper checks of a value of the wrong shape.

JSON types follow Jackson: ``true``/``false`` are not numbers (Python's ``bool`` is an ``int``),
``5.0`` is not an integer.
"""

from __future__ import annotations

from typing import Any

from . import validate_messages as msg
from .choice import parse_timestamp
from .validate_report import Loc, Report


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def refuse(report: Report, loc: Loc, message: str) -> bool:
    """Report the schema error ``message`` at ``loc``; False, for a checker to return."""
    report.schema(message, loc)
    return False


def expect(report: Report, loc: Loc, type_name: str) -> bool:
    return refuse(report, loc, msg.EXPECTED_TYPE.format(type=type_name))


def check_string(value: Any, loc: Loc, report: Report, *, nonempty: bool = False) -> bool:
    if not isinstance(value, str):
        return expect(report, loc, "STRING")
    if nonempty and not value:
        return refuse(report, loc, msg.EMPTY)
    return True


def check_bool(value: Any, loc: Loc, report: Report) -> bool:
    return True if isinstance(value, bool) else expect(report, loc, "BOOLEAN")


def check_object(value: Any, loc: Loc, report: Report) -> bool:
    return True if isinstance(value, dict) else expect(report, loc, "OBJECT")


def check_array(value: Any, loc: Loc, report: Report, *, nonempty: bool = False) -> bool:
    if not isinstance(value, list):
        return expect(report, loc, "ARRAY")
    if nonempty and not value:
        return refuse(report, loc, msg.EMPTY)
    return True


def _fmt(bound: int | float) -> str:
    return repr(float(bound)) if isinstance(bound, float) else str(bound)


def check_range(
    value: int | float, loc: Loc, report: Report, minimum: int | float | None, maximum: int | float | None
) -> bool:
    if minimum is not None and value < minimum:
        return refuse(report, loc, msg.MINIMUM.format(value=_fmt(minimum)))
    if maximum is not None and value > maximum:
        return refuse(report, loc, msg.MAXIMUM.format(value=_fmt(maximum)))
    return True


def check_int(
    value: Any, loc: Loc, report: Report, *, minimum: int | None = None, maximum: int | None = None
) -> bool:
    if not is_int(value):
        return expect(report, loc, "INTEGER")
    return check_range(value, loc, report, minimum, maximum)


def check_number(
    value: Any, loc: Loc, report: Report, *, minimum: float | None = None, maximum: float | None = None
) -> bool:
    if not is_number(value):
        return expect(report, loc, "NUMBER")
    return check_range(value, loc, report, minimum, maximum)


def check_enum(value: Any, loc: Loc, report: Report, allowed: tuple[str, ...]) -> bool:
    if not isinstance(value, str):
        return expect(report, loc, "STRING")
    if value not in allowed:
        return refuse(report, loc, msg.ENUM.format(values=", ".join(allowed)))
    return True


def check_fields(
    obj: dict, loc: Loc, report: Report, allowed: frozenset[str], required: tuple[str, ...] = ()
) -> None:
    """Object-level checks: missing required members, then members not in ``allowed``."""
    missing = [name for name in required if name not in obj]
    if missing:
        report.schema(msg.REQUIRED.format(fields=", ".join(missing)), loc)
    for name in obj:
        if name not in allowed:
            report.schema(msg.NOT_SUPPORTED.format(field=name), loc)


def is_timestamp(value: Any) -> bool:
    """ASL-ST-07: RFC3339 with uppercase ``T`` and ``Z`` (or a numeric offset) — the same rule the
    runtime applies (``choice.parse_timestamp``), so what validates also runs."""
    return parse_timestamp(value) is not None


def check_timestamp(value: Any, loc: Loc, report: Report) -> bool:
    if not isinstance(value, str):
        return expect(report, loc, "STRING")
    if not is_timestamp(value):
        return refuse(report, loc, msg.TIMESTAMP)
    return True
