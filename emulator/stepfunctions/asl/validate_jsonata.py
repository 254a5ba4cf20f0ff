"""JSONata-mode values: every ``{% ... %}`` string must parse and may only read what AWS offers.

ASL-VAL-16 / JA-03 / JA-06, AWS measured (floci-io/floci #2670, #2745, #2786):

* an expression that does not parse → ``INVALID_JSONATA_EXPRESSION`` whose message is the parser's
  own (without its ``S0xxx:`` code), located at the string, e.g. ``/States/E/Output/v``;
* a reference to the (non-existent) input document at the top level of the expression — a bare
  field name ``phone``, ``$`` — → ``UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top
  level is not supported.``; ``$$`` → ``Reference to '$$' is not supported.``. Names inside
  predicates/filters, sort and group expressions, or after the first step of a path, are relative
  to that path and fine (``$states.input.items[price > 10]``);
* ``$states.errorOutput`` outside a catcher's ``Output``/``Assign`` → ``Field '$states.errorOutput'
  does not exist.``; likewise ``$states.result`` outside a Task/Map/Parallel's top-level
  ``Output``/``Assign`` (INF: by analogy).

Parsing and the read analysis belong to ``asl/jsonata.py`` (``is_expression``, ``references``:
which input fields, ``$$`` and ``$states`` fields an expression reads); this module decides which
of those AWS refuses where. A whole-input read is flagged only for an explicit top-level ``$``
(``$``, ``$.a``): the engine also reports whole-input reads for some function calls, and a false
refusal is worse than a missed one.
"""

from __future__ import annotations

import re
from typing import Any

from . import validate_messages as msg
from .validate_report import INVALID_JSONATA, UNSUPPORTED_JSONATA, Loc, Report

try:  # written in parallel by another package
    from . import jsonata as _jsonata
except ImportError:  # pragma: no cover - depends on the checkout
    _jsonata = None  # type: ignore[assignment]

STATES_ALWAYS = frozenset({"input", "context"})
WITH_RESULT = STATES_ALWAYS | {"result"}
WITH_ERROR_OUTPUT = STATES_ALWAYS | {"errorOutput"}

_CODE_PREFIX = re.compile(r"^[A-Z]\d{4}:\s*")


def is_expression(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if _jsonata is not None and hasattr(_jsonata, "is_expression"):
        return bool(_jsonata.is_expression(value))
    return value.startswith("{%") and value.endswith("%}")


def check_value(value: Any, loc: Loc, report: Report, *, states_fields: frozenset[str] = STATES_ALWAYS) -> None:
    """Check every JSONata expression inside ``value`` (a field that accepts JSONata)."""
    if _jsonata is None:
        return
    if isinstance(value, str):
        if is_expression(value):
            _check_expression(value[2:-2], loc, report, states_fields)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(item, loc.key(key), report, states_fields=states_fields)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_value(item, loc.index(i), report, states_fields=states_fields)


def _check_expression(text: str, loc: Loc, report: Report, states_fields: frozenset[str]) -> None:
    assert _jsonata is not None
    try:
        refs = _jsonata.references(text)
    except Exception as exc:  # JsonataSyntaxError; any other parser failure is a syntax error too
        message = getattr(exc, "message", None) or _CODE_PREFIX.sub("", str(exc))
        report.error(INVALID_JSONATA, message, loc)
        return
    for problem in _problems(text, refs, states_fields):
        report.error(UNSUPPORTED_JSONATA, problem, loc)


def _problems(text: str, refs: Any, states_fields: frozenset[str]) -> list[str]:
    out: list[str] = []
    if refs.dollar_dollar:
        out.append(msg.DOLLAR_DOLLAR)
    for name in refs.input_fields:
        out.append(msg.TOP_LEVEL_REFERENCE.format(name=name))
    stripped = text.strip()
    if refs.whole_input and not refs.dollar_dollar and (stripped == "$" or stripped.startswith(("$.", "$["))):
        out.append(msg.TOP_LEVEL_REFERENCE.format(name="$"))
    for field in ("result", "errorOutput"):
        if refs.states_fields is not None and field in refs.states_fields and field not in states_fields:
            out.append(msg.NO_SUCH_FIELD.format(name=f"$states.{field}"))
    return out
