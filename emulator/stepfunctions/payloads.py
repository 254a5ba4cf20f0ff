"""JSON texts that enter Step Functions in string members: parsed with a depth bound, refused
when they spell a lone surrogate.

An execution input (``StartExecution``/``StartSyncExecution``), a task output
(``SendTaskSuccess``) and a definition are JSON *texts* inside the request. Two kinds of valid
JSON text would break the runtime later (issue 9, items 5 and 6; see :mod:`emulator.wellformed`):

* text nested deeper than :data:`MAX_DEPTH`: AWS parses with Jackson, whose
  ``StreamReadConstraints`` refuse a document nested deeper than their limit with "Depth (N)
  exceeds the maximum allowed nesting depth (L)". [INF] Jackson 2.15-2.x's default limit is
  1000 (jackson-core#943, #1233); the emulator's limit is lower, :data:`MAX_DEPTH`, because
  its runtime walks values recursively (``copy.deepcopy``, the C JSON encoder, the intrinsics)
  under Python's recursion limit of about 1000 frames, a few per level. No real workflow nests
  its data 200 levels deep; a value that grows deeper while the execution runs (a loop that
  wraps its input) fails the execution with ``States.Runtime`` and the same words, never with an
  internal error (``runtime/execution.py``).
* text whose ``\\uD800``-``\\uDFFF`` escapes leave a surrogate unpaired: refused with the member's
  own error. [INF] AWS's answer is not recorded; the text here says what is wrong.

The checks cost two C-speed substring counts for ordinary text: only text that opens more than
:data:`MAX_DEPTH` containers at all is scanned for its real depth, and only text that spells a
``\\uD...`` escape is walked for surrogates.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..wellformed import depth_over, lone_surrogate_in, may_escape_surrogate, may_nest_over

MAX_DEPTH = 200

DEPTH_TEXT = "Depth ({depth}) exceeds the maximum allowed nesting depth ({limit})"
SURROGATE_TEXT = "Invalid UTF-16 surrogate: the JSON text holds an unpaired surrogate escape"

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class PayloadProblem(ValueError):
    """A JSON text that parses, but that the service refuses (too deep, or a lone surrogate)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text_depth(text: str, stop_above: int) -> int:
    """The nesting depth of a JSON text, scanned without recursion (stops once past ``stop_above``)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        c = match.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    return deepest
        elif c == "]" or c == "}":
            depth -= 1
    return deepest


def loads(text: str) -> Any:
    """``json.loads(text)``, refusing text nested deeper than :data:`MAX_DEPTH` before parsing it
    (:class:`PayloadProblem`) and text that decodes to a lone surrogate after; ``ValueError`` for
    text that is not JSON, as ``json.loads`` raises it."""
    if may_nest_over(text, MAX_DEPTH):
        depth = text_depth(text, MAX_DEPTH)
        if depth > MAX_DEPTH:
            raise PayloadProblem(DEPTH_TEXT.format(depth=depth, limit=MAX_DEPTH))
    try:
        value = json.loads(text)
    except RecursionError:  # pragma: no cover - the depth is bounded above
        raise PayloadProblem(DEPTH_TEXT.format(depth=MAX_DEPTH + 1, limit=MAX_DEPTH)) from None
    if may_escape_surrogate(text) and lone_surrogate_in(value):
        raise PayloadProblem(SURROGATE_TEXT)
    return value


def value_problem(value: Any) -> str | None:
    """Why a parsed value (a definition, a task result) may not enter the runtime, or ``None``."""
    if depth_over(value, MAX_DEPTH):
        return DEPTH_TEXT.format(depth=MAX_DEPTH + 1, limit=MAX_DEPTH)
    if lone_surrogate_in(value):
        return SURROGATE_TEXT
    return None
