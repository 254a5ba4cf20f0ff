"""The functions Step Functions adds to JSONata: ``$partition``, ``$range``, ``$hash``, ``$random``,
``$uuid`` and ``$parse`` (reference §3 JA-09), plus ``$eval`` taken away (JA-10).

:data:`FUNCTIONS` is the registry; :mod:`.jsonata` registers each entry on every compiled
expression once (passing host functions as per-call bindings costs the engine ~16 µs each per
evaluation; registered ones cost nothing). What varies per evaluation — the RNG and the array
limit — is read from the :data:`CURRENT` context variable, which the adapter sets around each call
(context variables are per thread, so concurrent evaluations do not mix). The engine passes the
call's arguments as Python JSON values (exactly the ones given: no padding) and reads a ``None``
result as JSONata *undefined*. A failure raises :class:`FunctionError`, whose ``code`` and
message end up in the ``States.QueryEvaluationError`` cause as ``<code>: <message>``.

Behaviour follows what AWS answers, as measured against the real service and published with the
floci emulator (floci-io/floci #2662/#2676, #2737), where the AWS documentation is silent:

* Arguments are checked in Python, not by a JSONata signature, because AWS's texts are its own:
  a wrong type is ``T0410: Argument <n> of function "<name>" does not match function signature``;
  one argument too many is the same error naming the first surplus argument.
* Numeric arguments (sizes, bounds, seeds) are truncated towards zero (AWS: ``-1.7`` → ``-1``).
* ``$random(seed)`` is ``java.util.Random(seed).nextDouble()`` bit for bit
  (``$random(42)`` = ``0.7275636800328681`` on AWS); an unseeded ``$random()`` and ``$uuid()`` draw
  from the execution's seeded RNG (EMU-02), so runs are reproducible.
* ``$parse`` is strict JSON (no trailing data, no duplicate keys, no ``NaN``; otherwise
  ``D3137: Invalid JSON``) and reads numbers the way AWS does: an integer stays exact while it fits
  in a Java ``long``; an integral double below 2^63 becomes an integer (``1.0`` → ``1``,
  ``1e2`` → ``100``).
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import math
import random as _random
import uuid as _uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import messages as M

__all__ = [
    "FunctionError",
    "MemoryLimitExceeded",
    "FUNCTIONS",
    "EvaluationState",
    "CURRENT",
    "JavaRandom",
    "HASH_ALGORITHMS",
    "JSON_NULL",
]

HASH_ALGORITHMS: dict[str, str] = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}
# AWS lists them in this (unsorted) order in its message.
_HASH_LIST_TEXT = "SHA-1, SHA-384, SHA-256, SHA-512, MD5"
_LONG_MAX = 2**63 - 1
_LONG_MIN = -(2**63)

# The engine turns a non-finite number returned by a host function into JSONata ``null`` (a real
# null: ``$type`` says "null", ``$exists`` is true), while ``None`` means *undefined*. A function
# that must return JSON null (``$parse("null")``) returns this. tests/stepfunctions pin it.
JSON_NULL = float("nan")


class FunctionError(Exception):
    """A failure inside an AWS-added function: a JSONata-style ``code`` and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class MemoryLimitExceeded(Exception):
    """A function was asked to build a value past AWS's evaluation memory limit."""


def _signature_error(name: str, argument_number: int) -> FunctionError:
    return FunctionError("T0410", M.jsonata_signature(name, argument_number))


def _arg(args: tuple, index: int) -> Any:
    return args[index] if index < len(args) else None


def _reject_surplus(args: tuple, name: str, arity: int) -> None:
    """AWS refuses one argument too many, naming the first surplus one (absent ones don't count)."""
    for index in range(arity, len(args)):
        if args[index] is not None:
            raise _signature_error(name, index + 1)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _towards_zero(value: Any, name: str, argument_number: int) -> int:
    """A numeric argument as a Java ``long`` cast would read it (truncation, saturation)."""
    if not _is_number(value):
        raise _signature_error(name, argument_number)
    if isinstance(value, float):
        if math.isnan(value):
            return 0
        if math.isinf(value):
            return _LONG_MAX if value > 0 else _LONG_MIN
    return max(_LONG_MIN, min(_LONG_MAX, int(value)))


# --------------------------------------------------------------------------------------------------
# $partition, $range, $hash, $parse: pure
# --------------------------------------------------------------------------------------------------


def partition(*args: Any) -> Any:
    """``$partition(array, size)``: consecutive chunks of ``size`` items, the last one shorter.

    Missing or empty array → undefined; missing size → the whole array as one chunk; size that
    truncates to 0 → undefined; below 0 → ``D3137``; non-array → ``T0412`` (AWS's odd text, sic).
    """
    _reject_surplus(args, "partition", 2)
    array = _arg(args, 0)
    if array is None:
        return None
    if not isinstance(array, list):
        raise FunctionError("T0412", M.PARTITION_NOT_ARRAY)
    if not array:
        return None
    size_arg = _arg(args, 1)
    if size_arg is None:
        return [list(array)]
    size = _towards_zero(size_arg, "partition", 2)
    if size < 0:
        raise FunctionError("D3137", M.NOT_NEGATIVE)
    if size == 0:
        return None
    return [array[i : i + size] for i in range(0, len(array), size)]


def range_(*args: Any) -> Any:
    """``$range(start, end, step)``: integers from ``start`` towards ``end``, ``end`` included when hit.

    Missing step, step 0 or a step pointing away from ``end`` → undefined; ``start == end`` → the
    bare number (AWS collapses the singleton); a missing/non-numeric bound → ``T0410``; more items
    than the evaluation's array limit → the memory-limit failure.
    """
    _reject_surplus(args, "range", 3)
    start = _towards_zero(_arg(args, 0), "range", 1)
    end = _towards_zero(_arg(args, 1), "range", 2)
    step_arg = _arg(args, 2)
    if step_arg is None:
        return None
    step = _towards_zero(step_arg, "range", 3)
    if step == 0 or (step > 0 and start > end) or (step < 0 and start < end):
        return None
    if start == end:
        return start
    count = (end - start) // step + 1
    if count > _state().max_items:
        raise MemoryLimitExceeded()
    return list(range(start, start + count * step, step))


def hash_(*args: Any) -> Any:
    """``$hash(data, algorithm)``: lowercase hex digest of the UTF-8 bytes of ``data``.

    Algorithm names are case-sensitive (MD5, SHA-1, SHA-256, SHA-384, SHA-512); an unknown name
    is ``D3137``, a non-string ``T0410``; a missing algorithm → undefined.
    """
    _reject_surplus(args, "hash", 2)
    data = _arg(args, 0)
    if not isinstance(data, str):
        raise _signature_error("hash", 1)
    algorithm = _arg(args, 1)
    if algorithm is None:
        return None
    if not isinstance(algorithm, str):
        raise _signature_error("hash", 2)
    if algorithm not in HASH_ALGORITHMS:
        raise FunctionError("D3137", M.hash_algorithm_unknown(algorithm, _HASH_LIST_TEXT))
    digest = hashlib.new(HASH_ALGORITHMS[algorithm], data.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _aws_int(text: str) -> int | float:
    value = int(text)
    return value if _LONG_MIN <= value <= _LONG_MAX else float(value)


def _aws_float(text: str) -> int | float:
    value = float(text)
    if math.isinf(value):
        raise ValueError("number out of range")
    if value == math.floor(value) and abs(value) < 2**63:
        return int(value)
    return value


def _nulls_for_engine(value: Any) -> Any:
    """Top-level JSON null must reach the engine as :data:`JSON_NULL` (``None`` is undefined)."""
    return JSON_NULL if value is None else value


def parse(*args: Any) -> Any:
    """``$parse(jsonString)``: the JSON value the string holds (AWS's replacement for ``$eval``).

    Missing argument → undefined; non-string → ``T0410``; anything but exactly one strict JSON
    document → ``D3137: Invalid JSON``.
    """
    _reject_surplus(args, "parse", 1)
    text = _arg(args, 0)
    if text is None:
        return None
    if not isinstance(text, str):
        raise _signature_error("parse", 1)
    try:
        value = json.loads(
            text,
            parse_int=_aws_int,
            parse_float=_aws_float,
            parse_constant=_reject_constant,
            object_pairs_hook=_reject_duplicates,
        )
    except (ValueError, RecursionError) as exc:
        raise FunctionError("D3137", M.INVALID_JSON) from exc
    return _nulls_for_engine(value)


# --------------------------------------------------------------------------------------------------
# $random, $uuid: drawn from the execution's RNG
# --------------------------------------------------------------------------------------------------


class JavaRandom:
    """``java.util.Random``'s 48-bit linear congruential generator (only what ``nextDouble`` needs)."""

    _MULTIPLIER = 0x5DEECE66D
    _MASK = (1 << 48) - 1

    __slots__ = ("_seed",)

    def __init__(self, seed: int) -> None:
        self._seed = (seed ^ self._MULTIPLIER) & self._MASK

    def _next(self, bits: int) -> int:
        self._seed = (self._seed * self._MULTIPLIER + 0xB) & self._MASK
        return self._seed >> (48 - bits)

    def next_double(self) -> float:
        return ((self._next(26) << 27) + self._next(27)) * (1.0 / (1 << 53))


def random_(*args: Any) -> Any:
    """``$random([seed])``: 0 ≤ n < 1; with a seed, ``java.util.Random(seed).nextDouble()``."""
    _reject_surplus(args, "random", 1)
    seed = _arg(args, 0)
    if seed is None:
        return _state().rng.random()
    return JavaRandom(_towards_zero(seed, "random", 1)).next_double()


def uuid_(*args: Any) -> Any:
    """``$uuid()``: a version-4 UUID string from the evaluation's RNG; takes no argument."""
    _reject_surplus(args, "uuid", 0)
    return str(_uuid.UUID(int=_state().rng.getrandbits(128), version=4))


# --------------------------------------------------------------------------------------------------
# Per-evaluation state and the registry
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvaluationState:
    """What the functions need from the evaluation in progress."""

    rng: _random.Random
    max_items: int


CURRENT: contextvars.ContextVar[EvaluationState | None] = contextvars.ContextVar(
    "jsonata_evaluation", default=None
)
_OUTSIDE = EvaluationState(_random.Random(), 873_782)  # a function called outside an evaluation


def _state() -> EvaluationState:
    return CURRENT.get() or _OUTSIDE


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "partition": partition,
    "range": range_,
    "hash": hash_,
    "random": random_,
    "uuid": uuid_,
    "parse": parse,
}
