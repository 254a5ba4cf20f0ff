"""Native requests of the wrong Python type answer what the service answers, never a 500.

The wire doors type-check JSON against botocore's model (``wire/shapes.py``) and answer a value of
the wrong type with AWS's SerializationException. This module does the same for the native door,
where a Python list given for ``PutRequest`` used to reach a handler and come out as
``InternalServerError`` (issue 9, item 8). (A boto3 client with its parameter validation on would
refuse such a request client-side with ``ParamValidationError``; the native door answers what the
service itself answers, as the test suite's boto3 doors, which turn that validation off, see it,
and as the DynamoDB service layer already did for many members.)

Design decisions:

* **A compiled predicate; the wire's words.** Per operation, the input shape compiles once (from
  the same ``wire.models`` the wire reads) into one closure that answers *is every known member of
  the right Python type, and every string well-formed?* with ``type(x) is T`` tests. Only when it
  says no is the request examined further (:func:`native_request_problem`): it is answered as the
  service answers the same request over the wire (SerializationException with Jackson's text,
  which the DynamoDB service layer already gave natively for many members), and only a value no
  JSON can carry gets botocore's own ``ParamValidationError`` text. If neither finds a problem
  (botocore accepts, e.g., an ISO string for a timestamp), the call goes on. Unknown member names
  are not this module's concern (the client rejects them); they are skipped.
* **Where it runs.** The native clients call :meth:`Service.native_call`, which runs it before
  the handler, for every operation except those the service lists in ``checked_after_crash``
  (DynamoDB's item operations: GetItem, PutItem, ...). Their hot path already type-checks what it
  reads (``dynamodb/validation.py``, ``dynamodb/values.py``, with the service's
  SerializationException), and a walk of every request would cost them several percent; for them
  (and for any caller of ``Service.call``) it runs only when a handler crashes, so a mistyped
  request that still reaches a crash is answered as above, never with a 500. The wire doors
  never get there: their requests were read against the same model.
* **Lone surrogates.** The same walk finds strings that hold an unpaired surrogate: such a request
  is answered with the service's ``SerializationException`` (:mod:`emulator.wellformed`).
"""

from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .wellformed import is_well_formed

Check = Callable[[Any], bool]


def _string(v: Any) -> bool:
    return type(v) is str and (v.isascii() or is_well_formed(v))


def _integer(v: Any) -> bool:
    return isinstance(v, int)


def _boolean(v: Any) -> bool:
    return type(v) is bool


def _decimal(v: Any) -> bool:
    return isinstance(v, (float, int, Decimal))


def _blob(v: Any) -> bool:
    if isinstance(v, (bytes, bytearray)):
        return True
    if type(v) is str:
        return is_well_formed(v)
    return hasattr(v, "read")


def _timestamp(v: Any) -> bool:
    return isinstance(v, _dt.datetime)  # anything else: botocore decides (it parses strings, numbers)


_SCALARS: dict[str, Check] = {
    "string": _string,
    "integer": _integer,
    "long": _integer,
    "boolean": _boolean,
    "double": _decimal,
    "float": _decimal,
    "blob": _blob,
    "timestamp": _timestamp,
}


class _Compiler:
    """Shape → predicate, cached by shape name (recursive shapes through a forward reference)."""

    def __init__(self) -> None:
        self.cache: dict[str, Check] = {}

    def check(self, shape: Any) -> Check:
        t = shape.type_name
        if t in _SCALARS:
            return _SCALARS[t]
        cached = self.cache.get(shape.name)
        if cached is not None:
            return cached
        cell: list[Check] = []

        def forward(v: Any) -> bool:
            return cell[0](v)

        self.cache[shape.name] = forward
        if t == "structure":
            built = self._structure(shape)
        elif t == "list":
            built = self._list(shape)
        elif t == "map":
            built = self._map(shape)
        else:
            built = _anything
        cell.append(built)
        self.cache[shape.name] = built
        return built

    def _structure(self, shape: Any) -> Check:
        members = {name: self.check(m) for name, m in shape.members.items()}
        get = members.get

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return False
            for k, x in v.items():
                ok = get(k)
                if ok is not None and not ok(x):
                    return False
            return True

        return check

    def _list(self, shape: Any) -> Check:
        elem = self.check(shape.member)

        def check(v: Any) -> bool:
            if not isinstance(v, (list, tuple)):
                return False
            for x in v:
                if not elem(x):
                    return False
            return True

        return check

    def _map(self, shape: Any) -> Check:
        value = self.check(shape.value)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return False
            for k, x in v.items():
                if not _string(k) or not value(x):
                    return False
            return True

        return check


def _anything(v: Any) -> bool:
    return True


_compilers: dict[str, _Compiler] = {}
_checks: dict[tuple[str, str], Check] = {}
_lock = threading.Lock()


def request_check(service: str, operation: str) -> Check:
    """The compiled predicate of an operation's request (always true for an unmodelled one)."""
    key = (service, operation)
    found = _checks.get(key)
    if found is not None:
        return found
    from .wire.models import operation_model

    with _lock:
        if key not in _checks:
            try:
                op = operation_model(service, operation)
            except (ImportError, OSError, KeyError, ValueError):
                op = None
            if op is None or op.input_shape is None:
                _checks[key] = _anything
            else:
                compiler = _compilers.setdefault(service, _Compiler())
                _checks[key] = compiler.check(op.input_shape)
    return _checks[key]


def botocore_type_error(service: str, operation: str, request: dict[str, Any]) -> Exception | None:
    """botocore's ``ParamValidationError`` for ``request`` if botocore finds a wrong *type* in it
    (its report then names every problem botocore finds, as boto3 prints it); else ``None``."""
    try:
        from botocore.exceptions import ParamValidationError
        from botocore.validate import ParamValidator
    except ImportError:  # pragma: no cover - botocore is a dependency
        return None
    shape = _botocore_input_shape(service, operation)
    if shape is None:
        return None
    try:
        report = ParamValidator().validate(request, shape)
    except RecursionError:
        return None
    except Exception as exc:  # botocore itself fails on the value (a timestamp of inf); so would boto3
        return ParamValidationError(report=f"{type(exc).__name__}: {exc}")
    errors = getattr(report, "_errors", [])
    if not any(e and e[0] == "invalid type" for e in errors):
        return None
    try:
        text = report.generate_report()
    except RecursionError:  # botocore repr()s each value; one nested past Python's limit cannot be
        text = "\n".join(  # printed, so name it without printing it
            f"Invalid type for parameter {e[1]}, value: <nested too deeply to print>, "
            f"type: {type(e[2]['param'])}, valid types: {', '.join(e[2]['valid_types'])}"
            for e in errors
            if e and e[0] == "invalid type"
        )
    return ParamValidationError(report=text)


_botocore_models: dict[str, Any] = {}


def _botocore_input_shape(service: str, operation: str) -> Any:
    model = _botocore_models.get(service)
    if model is None:
        import botocore.session

        with _lock:
            model = _botocore_models.get(service)
            if model is None:
                model = _botocore_models[service] = botocore.session.get_session().get_service_model(service)
    try:
        return model.operation_model(operation).input_shape
    except Exception:  # an operation botocore does not know
        return None


def native_request_problem(service: Any, operation: str, request: dict[str, Any]) -> Exception | None:
    """The error a mistyped or ill-formed native request must be answered with, or ``None``.

    ``service`` is the :class:`~emulator.service.Service` (for its ``name`` and error table).
    Cheap when the request is well typed: one compiled predicate. Otherwise, in this order:

    1. a string with a lone surrogate → the service's ``SerializationException`` without a message
       (what the wire answers for the same text, :mod:`emulator.wellformed`);
    2. a value of the wrong JSON type → the service's ``SerializationException`` with the very text
       the wire doors answer for the same request (``wire/shapes.py``, AWS's Jackson wording):
       the native door answers as the service does, like the three doors of the test suite;
    3. a value JSON cannot hold at all (a set, an arbitrary object) → botocore's
       ``ParamValidationError``, as a boto3 client raises it before sending.
    """
    try:
        if request_check(service.name, operation)(request):
            return None
    except RecursionError:
        pass  # nested past Python's limit: certainly not a request of the model's shapes
    from .wellformed import lone_surrogate_in

    serialization = service.errors.get("SerializationException")
    if serialization is not None and lone_surrogate_in(request):
        return serialization("")  # [INF] like an unreadable body: the code, no message (wellformed.py)
    text = _wire_type_problem(service.name, operation, request)
    if text is not None and serialization is not None:
        return serialization(text)
    return botocore_type_error(service.name, operation, request)


def _wire_type_problem(service: str, operation: str, request: dict[str, Any]) -> str | None:
    """What the wire's reader says of this request sent as JSON (None: it reads, or cannot be sent)."""
    import json

    from .wire import shapes

    codec = shapes.codec(service, operation)
    if codec is None:
        return None
    try:
        data = json.loads(shapes.encode_json(request))
    except (TypeError, ValueError, RecursionError):
        return None
    try:
        codec.read(data)
    except shapes.TypeProblem as problem:
        return problem.message
    except (RecursionError, shapes.MalformedRequest):
        return None
    return None
