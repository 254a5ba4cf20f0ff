"""The JSONata adapter: Step Functions' JSONata query language over the ``jlens`` engine (§3).

What it gives the interpreter and the validator:

* :func:`is_expression` — a JSON string that starts with ``{%`` and ends with ``%}`` (JA-01;
  AWS: no surrounding whitespace, so ``" {% x %} "`` is a literal).
* :func:`compile` — parse once, cache by text; a syntax error is :class:`JsonataSyntaxError`
  (a ``ValueError``, for the ``INVALID_JSONATA_EXPRESSION`` diagnostic at definition time).
* :func:`evaluate` — one expression (the text inside ``{% %}``) against ``bindings``
  (``{"states": {"input", "context", "result"?, "errorOutput"?}, "<variable>": value, ...}``);
  returns Python JSON values or :data:`UNDEFINED`.
* :func:`evaluate_template` — walks a JSON value (Arguments, Output, Assign, Items, Condition,
  Seconds, ...) and replaces every expression string by its value; an undefined result, an
  evaluation error or a function value is a :class:`QueryEvaluationError`
  (``States.QueryEvaluationError``, a :class:`StatesFailure`) whose ``cause`` is AWS's sentence
  *without* the ``An error occurred while executing the state '<S>' (entered at the event id #<N>). ``
  prefix, which only the interpreter knows; ``location`` is the field path for the
  ``EvaluationFailed`` event (``Output/result``, ``Arguments/FunctionName``, ``Items[0]``).
* :func:`unexpected_type` — the "returned an unexpected result type" failure for fields that need
  a given JSON type (Items → array, Condition → boolean, Seconds → number, ...).
* :func:`references` — what an expression reads of the (forbidden) implicit input document and
  of ``$states``, for ``UNSUPPORTED_JSONATA_EXPRESSION`` (ASL-VAL-16, JA-03).

Choice of engine (issue 4, recorded by ``benchmarks/jsonata_choice.py``; 2026-11-29, CPython 3.11,
this 2-core machine)::

                                  jsonata-python 0.7.1         jlens 0.25.0
    JSONata reference suite       1227/1276 (96.2 %)           1272/1276 (99.7 %)
      (jsonata-js test-suite, groups/*/case*.json; 49 vs 4 failures; 20 of jsonata-python's
      failures are raw Python exceptions: ValueError, ZeroDivisionError, TypeError, ...; on a
      loaded machine jsonata-python drops to 1226, one case having a 1 s time limit)
    µs per evaluation, compiled once, $states bindings (20-item input):
      $states.input.orderId                 22                  15
      items[price > 10].name               385                  21
      $sum(values)                         147                  17
      'Order ' & id & ...                   59                  16
      {id, total: $sum(...), count}        682                  23
      a >= 20 and a < 30 and t = '..'       87                  15
    compile, µs per expression             145                   4
    licence / wheel                 Apache-2.0, pure Python,     MIT, abi3 wheels (Rust inside,
                                    370 kB installed             3.3 MB; manylinux x86_64 here,
                                                                 macOS, Windows), no compiler
    releases (pip index versions)   14 since 0.1.0, 0.7.1 2026-10  12 (0.17 → 0.25), first 2026-10

The Java port (jsonata-python) would be the natural pick *if* AWS behaved like jsonata-java, but
where AWS's behaviour has been measured it matches jlens, not the port: ``$formatNumber(1,"x")``
is ``D3086`` on AWS and jlens (the port says ``D3085``); ``$string(1e20)`` is the 21 digits on AWS
and jlens (the port: ``1e+20``); AWS's messages are jsonata-js's (``Argument 1 of function "sum"
...``), the port's read ``Argument 1 of Object sum``; and the AWS depth ceiling (an evaluation at
depth 100 passes, 101 fails: a chain of 100 additions passes, 101 fails; non-tail ``$f(31)`` passes,
``$f(32)`` fails) is what jlens's ``max_depth=100`` gives exactly. jlens is also 10-30x faster on
anything beyond a field read, compiles 35x faster, has built-in bounds (time, depth, array length,
string length) that raise errors instead of hanging or overflowing the C stack, and is thread-safe
(server mode). Its risk is youth (beta, first released 2026-10); the adapter keeps every engine
call in this module so a swap touches nothing else. Pinned to ``jlens>=0.25,<0.26``.

Design decisions:

* Undefined vs null: the engine's ``evaluate_json`` returns ``None`` for undefined and ``"null"``
  for null; we parse the JSON text (which also normalises numbers the way AWS writes them:
  ``1.0`` → ``1``). ``None`` results are re-checked with ``$type(...)`` only on that (error) path,
  to tell a function value ("unsupported result type") from undefined.
* The AWS-added functions live in :mod:`.jsonata_functions` and are registered on each compiled
  expression once (a workflow variable of the same name would shadow one — INF for AWS);
  ``$random()``/``$uuid()`` use the ``rng`` argument (the execution's seeded RNG) through a
  context variable; ``$eval`` is bound to nothing → ``T1006``.
* Guards: every evaluation runs with the engine's limits (:class:`Limits`: 2 s wall time, depth
  100, 873,782 array items, 6,990,256 string bytes — AWS's measured memory bound — and the same
  bound on the JSON text of the whole result, checked before it is parsed) and any
  exception is turned into a ``QueryEvaluationError``; nothing escapes as a Python error.
  Limit failures carry AWS's uncoded texts (``... threw an error during evaluation: Stack overflow
  error: ...``), coded JSONata errors ``... threw an error during evaluation. T1006: ...``.
* ``$now()``/``$millis()`` follow the emulator's clock when the caller passes ``now`` (epoch s).
"""

from __future__ import annotations

import json
import random as _random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jlens

from ...caches import memoize
from .. import messages as M
from . import jsonata_functions as _fn
from .failures import QUERY_EVALUATION_ERROR, StatesFailure

__all__ = [
    "UNDEFINED",
    "QUERY_EVALUATION_ERROR",
    "JsonataSyntaxError",
    "QueryEvaluationError",
    "Limits",
    "DEFAULT_LIMITS",
    "CompiledExpression",
    "is_expression",
    "inner_text",
    "compile",
    "evaluate",
    "evaluate_template",
    "unexpected_type",
    "json_type_name",
    "References",
    "references",
]


class _Undefined:
    """JSONata's *undefined* (no value at all), distinct from JSON ``null`` (``None``)."""

    __slots__ = ()
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Any = _Undefined()


class JsonataSyntaxError(ValueError):
    """An expression that does not parse (definition time: ``INVALID_JSONATA_EXPRESSION``).

    ``str()`` is ``"<code>: <message>"`` (e.g. ``S0203: Expected ")" before end of expression``).
    """

    def __init__(self, expression: str, code: str, message: str, position: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.expression = expression
        self.code = code
        self.message = message
        self.position = position


class QueryEvaluationError(StatesFailure):
    """``States.QueryEvaluationError`` with AWS's cause sentence and the field path (``location``)."""

    def __init__(self, cause: str, *, expression: str, location: str) -> None:
        super().__init__(QUERY_EVALUATION_ERROR, cause, expression=expression, location=location)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on one evaluation (AWS's measured bounds, plus a wall-time guard of our own)."""

    timeout_seconds: float = 2.0
    max_depth: int = 100
    max_array_length: int = 873_782
    max_string_length: int = 6_990_256
    # The JSON text of a whole result. The engine bounds each array and string, not what an
    # evaluation builds in total (``$map([1..800000], function($v){[1..40]})`` makes 32 million
    # numbers out of arrays within bounds), and turning such a result into Python values took
    # gigabytes. AWS's evaluator runs in a memory bound of the same size as its string bound
    # (above), so a result whose JSON text is longer answers AWS's memory-limit text, before it is
    # parsed. [INF: the exact bound on AWS is unmeasured; any such result also exceeds every
    # payload and variable limit of Step Functions.]
    max_result_bytes: int = 6_990_256


DEFAULT_LIMITS = Limits()


# --------------------------------------------------------------------------------------------------
# Recognising and compiling
# --------------------------------------------------------------------------------------------------


def is_expression(value: Any) -> bool:
    """True for a string that starts with ``{%`` and ends with ``%}`` (JA-01: no outer whitespace)."""
    return isinstance(value, str) and len(value) >= 4 and value.startswith("{%") and value.endswith("%}")


def inner_text(value: str) -> str:
    """The expression inside ``{% ... %}``."""
    return value[2:-2]


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    """A parsed expression (immutable and shareable between threads)."""

    text: str
    engine: Any  # jlens.Expression


@memoize(4096)
def compile(expr_text: str) -> CompiledExpression:  # noqa: A001 - the contract's name
    """Parse ``expr_text`` (the text inside ``{% %}``) once; cached by text.

    Raises :class:`JsonataSyntaxError` when it does not parse.
    """
    if not expr_text.strip():
        raise JsonataSyntaxError(expr_text, "S0207", M.JSONATA_UNEXPECTED_END, 0)
    try:
        engine = jlens.Expression(expr_text)
    except jlens.JlensError as exc:
        raise JsonataSyntaxError(expr_text, exc.code or "S0500", _message(exc), exc.position) from None
    except Exception as exc:  # noqa: BLE001 - whatever the engine raises is a syntax problem
        raise JsonataSyntaxError(expr_text, "S0500", str(exc)) from None
    for name, function in _fn.FUNCTIONS.items():
        engine.register_function(name, function)
    return CompiledExpression(expr_text, engine)


@memoize(1024)
def _type_probe(expr_text: str) -> CompiledExpression | None:
    """``$type((expr))``, to tell a function result from undefined (error path only)."""
    try:
        return compile(f"$type(({expr_text}\n))")
    except JsonataSyntaxError:
        return None


# --------------------------------------------------------------------------------------------------
# Evaluating
# --------------------------------------------------------------------------------------------------

_DEFAULT_RNG = _random.Random()


def evaluate(
    expr_text: str,
    bindings: Mapping[str, Any],
    *,
    rng: _random.Random | None = None,
    now: float | None = None,
    field: str = "",
    limits: Limits = DEFAULT_LIMITS,
    document: Any = UNDEFINED,
) -> Any:
    """Evaluate one expression (the text inside ``{% %}``); returns JSON values or :data:`UNDEFINED`.

    ``bindings`` maps variable names (without ``$``) to values; ``rng`` feeds ``$random()`` and
    ``$uuid()``; ``now`` (epoch seconds) fixes ``$now()``/``$millis()``; ``field`` is the field path
    used in error causes. Errors (syntax included) raise :class:`QueryEvaluationError`; a function
    value raises the "unsupported result type" one. ``document`` is an implicit input document
    (``$``); Step Functions has none, so only tests and tools pass it.
    """
    try:
        compiled = compile(expr_text)
    except JsonataSyntaxError as exc:
        raise _threw(expr_text, field, f"{exc.code}: {exc.message}", coded=True) from None
    env = dict(bindings)
    # AWS takes $eval away: calling it is T1006 "Attempted to invoke a non-function".
    env["eval"] = None
    doc = None if document is UNDEFINED else json.dumps(document)
    token = _fn.CURRENT.set(
        _fn.EvaluationState(rng if rng is not None else _DEFAULT_RNG, limits.max_array_length)
    )
    try:
        out = _run(compiled, env, now, field, limits, doc)
        if out is not None:
            return json.loads(out)
        probe = _type_probe(expr_text)
        if probe is not None:
            try:
                kind = _run(probe, env, now, field, limits, doc)
            except QueryEvaluationError:
                kind = None
            if kind == '"function"':
                raise QueryEvaluationError(
                    M.jsonata_unsupported_result(expr_text, field),
                    expression=expr_text.strip(),
                    location=field,
                )
        return UNDEFINED
    finally:
        _fn.CURRENT.reset(token)


def _run(
    compiled: CompiledExpression,
    env: dict,
    now: float | None,
    field: str,
    limits: Limits,
    document: str | None = None,
) -> str | None:
    """The engine call, with every failure turned into a :class:`QueryEvaluationError`."""
    text = compiled.text
    try:
        result: str | None = compiled.engine.evaluate_json(
            document,
            env,
            timeout=limits.timeout_seconds,
            max_depth=limits.max_depth,
            max_array_length=limits.max_array_length,
            max_string_length=limits.max_string_length,
            now=None if now is None else now * 1000.0,
        )
    except jlens.JlensError as exc:
        raise _from_engine(text, field, exc) from None
    except _fn.FunctionError as exc:
        raise _threw(text, field, f"{exc.code}: {exc.message}", coded=True) from None
    except _fn.MemoryLimitExceeded:
        raise _threw(text, field, M.MEMORY_LIMIT, coded=False) from None
    except RecursionError:
        raise _threw(text, field, M.STACK_OVERFLOW, coded=False) from None
    except MemoryError:
        raise _threw(text, field, M.MEMORY_LIMIT, coded=False) from None
    except Exception as exc:  # noqa: BLE001 - nothing may escape as a Python error
        raise _threw(text, field, str(exc) or type(exc).__name__, coded=False) from None
    if result is not None and len(result) > limits.max_result_bytes:
        raise _threw(text, field, M.MEMORY_LIMIT, coded=False)
    return result


def _message(exc: BaseException) -> str:
    return getattr(exc, "message", None) or (exc.args[0] if exc.args else str(exc))


def _from_engine(text: str, field: str, exc: Any) -> QueryEvaluationError:
    code = getattr(exc, "code", None)
    message = str(exc)
    if code == "D1011":
        return _threw(text, field, M.STACK_OVERFLOW, coded=False)
    if code == "D1012":
        return _threw(text, field, M.EVALUATION_TIMEOUT, coded=False)
    if code == "U1001" and "size limit" in message:
        return _threw(text, field, M.MEMORY_LIMIT, coded=False)
    if code:
        return _threw(text, field, f"{code}: {message}", coded=True)
    return _threw(text, field, message, coded=False)


def _threw(expr_text: str, field: str, detail: str, *, coded: bool) -> QueryEvaluationError:
    return QueryEvaluationError(
        M.jsonata_threw(expr_text, field, detail, coded=coded),
        expression=expr_text.strip(),
        location=field,
    )


def _undefined(expr_text: str, field: str) -> QueryEvaluationError:
    return QueryEvaluationError(
        M.jsonata_undefined(expr_text, field),
        expression=expr_text.strip(),
        location=field,
    )


# --------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------


def evaluate_template(
    value: Any,
    bindings: Mapping[str, Any],
    *,
    rng: _random.Random | None = None,
    now: float | None = None,
    field: str = "",
    limits: Limits = DEFAULT_LIMITS,
) -> Any:
    """Copy a JSON value, replacing every ``{% %}`` string (at any depth) by its value.

    ``field`` names the ASL field (``"Output"``, ``"Arguments"``, ``"Assign"``,
    ``"Choices[1]/Condition"``); nested positions extend it as AWS does: ``Output/a/b``,
    ``Items[0]``. Any failure, including an undefined result, is a :class:`QueryEvaluationError`.
    """
    if isinstance(value, str):
        if is_expression(value):
            text = inner_text(value)
            result = evaluate(text, bindings, rng=rng, now=now, field=field, limits=limits)
            if result is UNDEFINED:
                raise _undefined(text, field)
            return result
        return value
    if isinstance(value, dict):
        return {
            key: evaluate_template(
                item, bindings, rng=rng, now=now, field=f"{field}/{key}" if field else key, limits=limits
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            evaluate_template(item, bindings, rng=rng, now=now, field=f"{field}[{index}]", limits=limits)
            for index, item in enumerate(value)
        ]
    return value


# --------------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------------

_TYPE_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "number"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def json_type_name(value: Any) -> str:
    """The JSON type name AWS uses in its causes: string, number, boolean, array, object, null."""
    if value is None:
        return "null"
    for kind, name in _TYPE_NAMES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


def unexpected_type(expression: str, field: str, expected: str, value: Any) -> QueryEvaluationError:
    """AWS's failure for a result of the wrong type (JA-08), e.g. for ``Items`` ``Expected 'array',
    but was 'number' for value: 1``. ``expression`` is the text inside ``{% %}``."""
    rendered = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return QueryEvaluationError(
        M.unexpected_result_type(
            f" '{expression.strip()}'", field, expected, json_type_name(value), rendered
        ),
        expression=expression.strip(),
        location=field,
    )


# --------------------------------------------------------------------------------------------------
# Static analysis for the validator
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class References:
    """What an expression reads besides its own local variables (from the engine's ``reads()``).

    ``input_fields``: field names read from the implicit input document at the top level
    (``phone`` in ``"a" & phone``); ``whole_input``: the input document is read whole (``$``,
    ``$$`` or an unknown function given the context); ``dollar_dollar``: the text has a ``$$``
    token; ``states_fields``: the fields of ``$states`` read (``None`` when ``$states`` is read
    whole). Field names inside predicates/filters of a variable path
    (``$states.input.items[price > 10]``) belong to that path, not to the input. Conservative:
    an expression that needs the input without naming a field (``$count($)``) is not flagged.
    """

    input_fields: tuple[str, ...]
    whole_input: bool
    dollar_dollar: bool
    states_fields: frozenset[str] | None


def references(expr_text: str) -> References:
    """Analyse ``expr_text`` for the validator (ASL-VAL-16, JA-03, JA-06).

    Raises :class:`JsonataSyntaxError` for an expression that does not parse.
    """
    compiled = compile(expr_text)
    try:
        reads = compiled.engine.reads()
    except Exception:  # noqa: BLE001 - analysis is best effort
        reads = {}
    read = reads.get("input")
    states = (reads.get("bindings") or {}).get("states")
    return References(
        input_fields=tuple(read) if isinstance(read, dict) else (),
        whole_input=read is True,
        dollar_dollar=_has_dollar_dollar(expr_text),
        states_fields=None if states is True else frozenset(states or ()),
    )


def _has_dollar_dollar(text: str) -> bool:
    """A ``$$`` token outside string literals, backtick names and comments."""
    n = len(text)
    for start, end in code_spans(text):
        i = text.find("$$", start, end)
        while i >= 0:
            if not (i + 2 < n and (text[i + 2].isalnum() or text[i + 2] == "_")):
                return True
            i = text.find("$$", i + 1, end)
    return False


def code_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the runs of ``text`` outside string literals, backtick names and
    comments (possibly empty), in order: what the ``$`` / ``$$`` scanners of this module and of
    ``validate_jsonata`` look at."""
    i, n, start = 0, len(text), 0
    while i < n:
        ch = text[i]
        if ch in "\"'`":
            yield start, i
            i += 1
            while i < n and text[i] != ch:
                i += 2 if text[i] == "\\" and ch != "`" else 1
            start = i = i + 1
        elif text.startswith("/*", i):
            yield start, i
            end = text.find("*/", i + 2)
            start = i = n if end < 0 else end + 2
        else:
            i += 1
    yield start, n
