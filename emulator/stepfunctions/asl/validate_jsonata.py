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

Design: the JSONata library behind ``asl/jsonata.py`` exposes no syntax tree, so this module works
from the adapter's read analysis, ``references(text)`` (which input fields, whether the whole input,
``$$`` and which ``$states`` fields an expression reads), and decides which of those AWS refuses
where. The engine sees ``$`` and ``$$`` as the input document, so ``$.a`` and ``$$.Execution`` read
the input field ``a`` / ``Execution``; to tell those apart from a bare ``a`` the text is analysed
again with the ``$$`` (then also the ``$``) tokens renamed to an ordinary variable: input reads
that vanish came from the path under that token. So ``$$.Execution.Id`` is reported once, as
``$$``, and ``$.a`` as ``'$'`` (INF: AWS measured ``$`` and bare names, not ``$.a``). An
expression that needs the input without naming it (``$count($)``, some function calls given the
context) is not flagged: a false refusal is worse than a missed one.
"""

from __future__ import annotations

import re
from typing import Any

from . import jsonata as _jsonata
from . import validate_messages as msg
from .validate_report import INVALID_JSONATA, UNSUPPORTED_JSONATA, Loc, Report

STATES_ALWAYS = frozenset({"input", "context"})
WITH_RESULT = STATES_ALWAYS | {"result"}
WITH_ERROR_OUTPUT = STATES_ALWAYS | {"errorOutput"}

_CODE_PREFIX = re.compile(r"^[A-Z]\d{4}:\s*")
#: variables standing in for ``$$`` / ``$`` in the re-analysed text (never bound, never input)
_ROOT_STAND_IN = "$__asl_root"
_CONTEXT_STAND_IN = "$__asl_context"


def is_expression(value: Any) -> bool:
    return _jsonata.is_expression(value)


def check_value(
    value: Any, loc: Loc, report: Report, *, states_fields: frozenset[str] = STATES_ALWAYS
) -> None:
    """Check every JSONata expression inside ``value`` (a field that accepts JSONata)."""
    if isinstance(value, str):
        if is_expression(value):
            _check_expression(_jsonata.inner_text(value), loc, report, states_fields)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_value(item, loc.key(key), report, states_fields=states_fields)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_value(item, loc.index(i), report, states_fields=states_fields)


def _check_expression(text: str, loc: Loc, report: Report, states_fields: frozenset[str]) -> None:
    try:
        refs = _jsonata.references(text)
    except Exception as exc:  # JsonataSyntaxError; any other parser failure is a syntax error too
        message = getattr(exc, "message", None) or _CODE_PREFIX.sub("", str(exc))
        report.error(INVALID_JSONATA, message, loc)
        return
    for problem in _problems(text, refs, states_fields):
        report.error(UNSUPPORTED_JSONATA, problem, loc)


def _problems(text: str, refs: _jsonata.References, states_fields: frozenset[str]) -> list[str]:
    out: list[str] = []
    if refs.dollar_dollar:
        out.append(msg.DOLLAR_DOLLAR)
    without_root = _reanalysed(text, refs, root=True, context=False)
    bare = _reanalysed(text, without_root, root=True, context=True)
    for name in bare.input_fields:
        out.append(msg.TOP_LEVEL_REFERENCE.format(name=name))
    if _drops_input(without_root, bare):
        out.append(msg.TOP_LEVEL_REFERENCE.format(name="$"))
    for field in ("result", "errorOutput"):
        if refs.states_fields is not None and field in refs.states_fields and field not in states_fields:
            out.append(msg.NO_SUCH_FIELD.format(name=f"$states.{field}"))
    return out


def _drops_input(before: _jsonata.References, after: _jsonata.References) -> bool:
    """Whether an input read in ``before`` is gone in ``after`` (it came from the renamed token)."""
    return (before.whole_input and not after.whole_input) or not set(before.input_fields) <= set(
        after.input_fields
    )


def _reanalysed(text: str, refs: _jsonata.References, *, root: bool, context: bool) -> _jsonata.References:
    """``refs`` of ``text`` with its ``$$`` (``root``) and ``$`` (``context``) tokens renamed."""
    if not (refs.whole_input or refs.input_fields):
        return refs
    renamed = _rename_dollars(text, root=root, context=context)
    if renamed == text:
        return refs
    try:
        return _jsonata.references(renamed)
    except Exception:  # noqa: BLE001 - a rename the parser refuses (inside a regex): keep the original
        return refs


def _rename_dollars(text: str, *, root: bool, context: bool) -> str:
    """``text`` with the ``$$`` / ``$`` tokens outside literals, names and comments renamed."""
    stand_in = {"$$": _ROOT_STAND_IN if root else None, "$": _CONTEXT_STAND_IN if context else None}
    parts: list[str] = []
    last = 0
    for start, end in _jsonata.code_spans(text):
        i = text.find("$", start, end)
        while i >= 0:
            j = i + 1
            while j < end and (text[j].isalnum() or text[j] in "_$"):
                j += 1
            replacement = stand_in.get(text[i:j])
            if replacement is not None:
                parts.append(text[last:i])
                parts.append(replacement)
                last = j
            i = text.find("$", j, end)
    parts.append(text[last:])
    return "".join(parts)
