"""Input that no encoder can take: lone surrogates and unbounded nesting, found without recursion.

Two kinds of input are valid for Python and for JSON's grammar, yet break whatever later encodes
or walks them, so each door refuses them before anything is stored (issue 9, items 5 and 6):

* **Lone surrogates.** ``"\\udfff"`` is a legal JSON escape and a legal Python ``str``, but no
  UTF-8 encoder takes an unpaired UTF-16 surrogate (U+D800..U+DFFF). AWS's front ends are Java;
  [INF] a body holding one is answered like any body the front end cannot read
  (``SerializationException`` without a message, as for malformed JSON): no evidence of AWS's
  exact answer exists in the references. A JSON *text* carried in a string member (a Step Functions
  execution input, a task output, a definition) is checked by the service that parses it and
  answered with that member's own error (``InvalidExecutionInput``, ``InvalidOutput``, ...).
* **Deep nesting.** A value nested a thousand levels deep is two kilobytes of JSON, but every
  recursive walker (the C JSON scanner and encoder, ``copy.deepcopy``, ``repr``) stops at Python's
  recursion limit. The checks here are iterative, so no input reaches that limit through them.

Costs: :func:`is_well_formed` is ``str.isascii()`` (a flag test in CPython) for ASCII text and one
UTF-8 encode otherwise; :func:`may_escape_surrogate` is two substring searches, so a JSON text is
walked only when it spells a ``\\uD...`` escape at all.
"""

from __future__ import annotations

from typing import Any


def is_well_formed(s: str) -> bool:
    """Whether ``s`` encodes as UTF-8 (holds no unpaired surrogate)."""
    if s.isascii():
        return True
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def lone_surrogate_in(value: Any) -> bool:
    """Whether any string in ``value`` (dict keys included, at any depth) holds a lone surrogate."""
    stack = [value]
    pop, push = stack.pop, stack.append
    while stack:
        v = pop()
        t = type(v)
        if t is str:
            if not v.isascii() and not is_well_formed(v):
                return True
        elif t is dict or isinstance(v, dict):
            for k, x in v.items():
                if type(k) is str and not k.isascii() and not is_well_formed(k):
                    return True
                push(x)
        elif t is list or t is tuple or isinstance(v, (list, tuple, set, frozenset)):
            stack.extend(v)
    return False


def depth_over(value: Any, limit: int) -> bool:
    """Whether ``value`` nests containers (dicts, lists) more than ``limit`` levels deep.

    A scalar is depth 0; ``[]`` and ``{}`` are depth 1.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        v, d = pop()
        if isinstance(v, dict):
            d += 1
            if d > limit:
                return True
            for x in v.values():
                if isinstance(x, (dict, list, tuple)):
                    push((x, d))
        elif isinstance(v, (list, tuple)):
            d += 1
            if d > limit:
                return True
            for x in v:
                if isinstance(x, (dict, list, tuple)):
                    push((x, d))
    return False


def may_escape_surrogate(text: str) -> bool:
    """Whether a JSON text may decode to a surrogate (it spells a ``\\uD800``-``\\uDFFF`` escape;
    a well-formed pair decodes to one character and passes :func:`lone_surrogate_in`)."""
    return "\\ud" in text or "\\uD" in text


def may_nest_over(text: str, limit: int) -> bool:
    """Whether a JSON text may nest more than ``limit`` levels: it opens more than ``limit``
    containers at all (two C-speed counts; the exact check walks only such text)."""
    return text.count("[") + text.count("{") > limit
