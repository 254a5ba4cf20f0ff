"""Reading the definition text the way AWS's (Jackson-based) service does.

``ASL-VAL-01``: a definition that is not JSON gets ``INVALID_JSON_DESCRIPTION`` with Jackson's
parser message, e.g. ``Unrecognized token 'not': was expecting (JSON String, Number, Array, Object
or token 'null', 'true' or 'false')\\n at [Source: (String)"not a definition"; line: 1, column: 4]``
and, as location, the ``[Source: ...]`` part. Python's ``json`` finds the same errors; this module
only translates its reason and position into Jackson's words (``INF``: the translation covers the
common Jackson messages; rarer ones fall back to the closest wording).

Jackson behaviours copied on purpose:

* trailing content after the first JSON value is ignored (``FAIL_ON_TRAILING_TOKENS`` is off by
  default), so ``{"StartAt": ...} junk`` parses;
* ``NaN``/``Infinity`` are not JSON;
* duplicate object keys keep the last value; we also remember them (:class:`JsonObject.duplicates`)
  so a state name declared twice in one ``States`` object is reported as ``DUPLICATE_STATE_NAME``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_SOURCE_LIMIT = 500
_VALUE_EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


class JsonObject(dict):
    """A parsed JSON object that remembers keys it saw more than once."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__()
        seen: list[str] = []
        for key, value in pairs:
            if key in self:
                seen.append(key)
            self[key] = value
        self.duplicates: tuple[str, ...] = tuple(seen)


def _no_constants(name: str) -> Any:
    raise ValueError(f"non-standard token {name}")


_DECODER = json.JSONDecoder(object_pairs_hook=JsonObject, parse_constant=_no_constants)


@dataclass(frozen=True, slots=True)
class JsonFailure:
    """Jackson's view of a parse failure: ``message`` (with the ``at [Source...]`` tail) and ``source``."""

    message: str
    source: str


def loads(text: str) -> Any:
    """Parse ``text`` like Jackson's ``readTree``; raise :class:`ValueError` carrying a
    :class:`JsonFailure` as ``args[0]`` when it is not JSON."""
    start = _skip_ws(text, 0)
    try:
        value, _end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise ValueError(_jackson(text, exc.msg, exc.pos)) from None
    except ValueError as exc:  # NaN / Infinity
        raise ValueError(_jackson(text, str(exc), start)) from None
    except RecursionError:
        raise ValueError(_jackson(text, "nesting", start)) from None
    return value


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _source(text: str, pos: int) -> str:
    line, col = _line_col(text, pos)
    if len(text) > _SOURCE_LIMIT:
        shown = f'(String)"{text[:_SOURCE_LIMIT]}"[truncated {len(text) - _SOURCE_LIMIT} chars]'
    else:
        shown = f'(String)"{text}"'
    return f"[Source: {shown}; line: {line}, column: {col}]"


def _char(c: str) -> str:
    code = ord(c)
    if code < 32:
        return f"(CTRL-CHAR, code {code})"
    return f"('{c}' (code {code}))"


def _token_end(text: str, pos: int) -> int:
    end = pos
    while end < len(text) and (text[end].isalnum() or text[end] in "_-+.$"):
        end += 1
    return max(end, pos + 1)


def _open_container(text: str, pos: int) -> tuple[str, int] | None:
    """The innermost object/array still open at ``pos`` (kind, start index)."""
    stack: list[tuple[str, int]] = []
    in_string = escaped = False
    for i in range(min(pos, len(text))):
        c = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "{[":
            stack.append(("Object" if c == "{" else "Array", i))
        elif c in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _jackson(text: str, reason: str, pos: int) -> JsonFailure:
    at_end = pos >= len(text)
    c = "" if at_end else text[pos]
    report_pos = pos
    if reason.startswith("Unterminated string"):
        message = "Unexpected end-of-input: was expecting closing quote for a string value"
        report_pos = len(text)
    elif reason.startswith("Invalid control character"):
        message = (
            f"Illegal unquoted character ({_char(c)[1:-1]}): has to be escaped using backslash "
            f"to be included in string value"
        )
    elif reason.startswith("Invalid \\escape") or reason.startswith("Invalid \\u"):
        message = f"Unrecognized character escape {_char(c)}"
    elif at_end:
        opened = _open_container(text, pos)
        if opened is None:
            message = "No content to map due to end-of-input"
        else:
            kind, start = opened
            message = (
                f"Unexpected end-of-input: expected close marker for {kind} "
                f"(start marker at {_source(text, start)})"
            )
    elif reason.startswith("Expecting property name"):
        message = f"Unexpected character {_char(c)}: was expecting double-quote to start field name"
    elif reason.startswith("Expecting ':'"):
        message = f"Unexpected character {_char(c)}: was expecting a colon to separate field name and value"
    elif reason.startswith("Expecting ','"):
        opened = _open_container(text, pos)
        kind = opened[0] if opened else "Object"
        message = f"Unexpected character {_char(c)}: was expecting comma to separate {kind} entries"
    elif c.isalpha():
        end = _token_end(text, pos)
        message = f"Unrecognized token '{text[pos:end]}': was expecting {_VALUE_EXPECTED}"
        report_pos = end
    else:
        message = f"Unexpected character {_char(c)}: expected a valid value {_VALUE_EXPECTED}"
        report_pos = pos + 1
    source = _source(text, report_pos)
    return JsonFailure(f"{message}\n at {source}", source)
