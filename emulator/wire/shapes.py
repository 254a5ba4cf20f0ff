"""JSON ↔ native shapes, compiled once per operation from botocore's models.

Requests (JSON → native). A compiled *reader* per operation walks the decoded JSON against the
input shape, in place (``json.loads`` hands us fresh objects, so nothing is copied):

* it type-checks every value the way AWS's Coral/Jackson front end does and raises
  :class:`TypeProblem` with AWS's SerializationException text (docs/rules/dynamodb.md W5), e.g.
  ``{"N": 123}`` → ``NUMBER_VALUE cannot be converted to String``;
* it turns base64 text into ``bytes`` for blob shapes (``B``, ``BS``) with AWS's base64 checks, and
  epoch seconds into aware UTC ``datetime`` for timestamp shapes;
* it drops ``null`` members and members the model does not have (Jackson ignores them too).

Each shape compiles to one closure, cached by (shape, context) — the context matters because AWS
words a misplaced scalar differently for a structure *field* ("Unexpected field type") and a
structure *value* inside a list or map ("Unexpected value type in payload"). Recursive shapes
(``AttributeValue`` → ``M``/``L`` → ``AttributeValue``) compile through a forward reference. A
member whose JSON type already matches and needs no conversion (every string, integer and boolean)
is checked inline with one ``type(x) is T`` test and no call, so a typical request costs a few
microseconds.

Responses (native → JSON) need no per-shape walk at all: in a native response the only values JSON
cannot encode are exactly the blobs (``bytes``) and the timestamps (``datetime``), and every shape
of these services uses JSON 1.0's defaults for both (base64, epoch seconds; no ``timestampFormat``
overrides — ``tests/wire`` checks this against the models). So :func:`encode_json` hands them to
the C JSON encoder's ``default`` hook, which is called only when such a value is met: shapes without
blobs or timestamps cost nothing beyond ``json.dumps`` itself. This is cheaper than the per-path
walker the design first suggested, and it cannot miss a path.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import json
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..clock import UTC
from ..jsonvalues import json_value
from ..wellformed import lone_surrogate_in
from . import messages as m
from .models import operation_model

if TYPE_CHECKING:
    from .models import Shape

Reader = Callable[[Any], Any]

# Java package of each service's model classes, as Jackson names them in its messages.
JAVA_PACKAGES = {
    "dynamodb": "com.amazonaws.dynamodb.v20120810",
    "dynamodbstreams": "com.amazonaws.dynamodb.v20120810",
    "stepfunctions": "com.amazonaws.swf.service.v2.model",
}

_SCALAR_JAVA = {
    "string": "java.lang.String",
    "integer": "java.lang.Integer",
    "long": "java.lang.Long",
    "boolean": "java.lang.Boolean",
    "double": "java.lang.Double",
    "float": "java.lang.Float",
    "blob": "java.nio.ByteBuffer",
    "timestamp": "java.util.Date",
}


class TypeProblem(Exception):
    """A JSON value of the wrong type: becomes a SerializationException with this text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedRequest(Exception):
    """The body is not a JSON object at all: a SerializationException without a message."""


# --- Jackson's view of a JSON value -------------------------------------------------------------


def _token(v: Any) -> str:
    if v is True:
        return "TRUE_VALUE"
    if v is False:
        return "FALSE_VALUE"
    if isinstance(v, int):
        return "NUMBER_VALUE"
    if isinstance(v, float):
        return "DECIMAL_VALUE"
    return "STRING_VALUE"


def _scalar_problem(v: Any, short: str, java: str) -> TypeProblem:
    if isinstance(v, dict):
        return TypeProblem(m.MAP_NOT_EXPECTED)
    if isinstance(v, list):
        return TypeProblem(m.COLLECTION_TYPE_CLASS.format(java=java))
    return TypeProblem(m.SCALAR_NOT_CONVERTIBLE.format(kind=_token(v), java=short))


# --- scalar readers -------------------------------------------------------------------------------


def _read_string(v: Any) -> str:
    if type(v) is str:
        return v
    raise _scalar_problem(v, "String", "java.lang.String")


def _read_boolean(v: Any) -> bool:
    if type(v) is bool:
        return v
    if isinstance(v, str):
        raise TypeProblem(m.STRING_TO_BOOLEAN)
    raise _scalar_problem(v, "Boolean", "java.lang.Boolean")


_INTEGER_RANGES = {"Integer": ("int", -(2**31), 2**31 - 1), "Long": ("long", -(2**63), 2**63 - 1)}


def _integer_reader(short: str) -> Reader:
    java = f"java.lang.{short}"
    primitive, low, high = _INTEGER_RANGES[short]

    def read(v: Any) -> int:
        t = type(v)
        if t is int:
            return v
        if t is float:  # Jackson truncates a decimal given for an integer and goes on ...
            if low <= v <= high:
                return int(v)
            # ... unless it is out of the type's range (1e999 is infinite for Python): Jackson's
            # InputCoercionException text. [INF] Jackson quotes the number as sent; the parsed
            # float is all that is left here, printed as Java prints a double.
            shown = ("-Infinity" if v < 0 else "Infinity") if v in (_INF, -_INF) else repr(v)
            raise TypeProblem(m.NUMBER_OUT_OF_RANGE.format(value=shown, type=primitive, low=low, high=high))
        raise _scalar_problem(v, short, java)

    return read


_INF = float("inf")


def _decimal_reader(short: str) -> Reader:
    java = f"java.lang.{short}"

    def read(v: Any) -> float:
        t = type(v)
        if t is float or t is int:
            return v
        raise _scalar_problem(v, short, java)

    return read


_B64_ALPHABET = re.compile(rb"[A-Za-z0-9+/]*={0,2}")
_B64_VALUES = {
    c: i for i, c in enumerate(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
}


def decode_base64(text: str) -> bytes:
    """Strict base64 with AWS's error texts (W5): length a multiple of 4, canonical last character."""
    if len(text) % 4:
        raise TypeProblem(m.BASE64_LENGTH.format(length=len(text)))
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        bad = next(c for c in text if ord(c) > 127)
        raise TypeProblem(m.BASE64_ILLEGAL_CHARACTER.format(char=bad)) from None
    if not _B64_ALPHABET.fullmatch(raw):
        body = raw.rstrip(b"=")
        for ch in body:
            if ch not in _B64_VALUES:
                if ch == ord("="):  # padding inside the text: AWS blames the last character
                    raise TypeProblem(m.BASE64_LAST_CHARACTER)
                raise TypeProblem(m.BASE64_ILLEGAL_CHARACTER.format(char=chr(ch)))
        raise TypeProblem(m.BASE64_LAST_CHARACTER)  # three or more pad characters
    pad = len(raw) - len(raw.rstrip(b"="))
    if pad:
        last = _B64_VALUES[raw[-pad - 1]]
        if last & (0b1111 if pad == 2 else 0b11):  # non-zero bits past the end of the data
            raise TypeProblem(m.BASE64_LAST_CHARACTER)
    try:
        return base64.b64decode(raw, validate=True)
    except binascii.Error:  # pragma: no cover - the checks above are stricter
        raise TypeProblem(m.BASE64_LAST_CHARACTER) from None


def _read_blob(v: Any) -> bytes:
    if type(v) is str:
        return decode_base64(v)
    if isinstance(v, dict):
        raise TypeProblem(m.MAP_NOT_EXPECTED)
    if isinstance(v, list):
        raise TypeProblem(m.COLLECTION_TYPE_CLASS.format(java="java.nio.ByteBuffer"))
    raise TypeProblem(m.BLOB_NOT_STRING)


def _read_timestamp(v: Any) -> _dt.datetime:
    t = type(v)
    if t is int or t is float:
        return _dt.datetime.fromtimestamp(v, UTC)
    if t is str:
        try:
            return _dt.datetime.fromtimestamp(float(v), UTC)
        except ValueError:
            pass
        try:
            parsed = _dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            raise TypeProblem(m.TIMESTAMP_NOT_NUMBER.format(kind="STRING_VALUE")) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(v, dict):
        raise TypeProblem(m.MAP_NOT_EXPECTED)
    if isinstance(v, list):
        raise TypeProblem(m.COLLECTION_TYPE_CLASS.format(java="java.util.Date"))
    raise TypeProblem(m.TIMESTAMP_NOT_NUMBER.format(kind=_token(v)))


# --- the compiler ----------------------------------------------------------------------------------

# How a value of each scalar type is read, and the Python type that needs no conversion at all.
_SCALARS: dict[str, tuple[Reader, type | None]] = {
    "string": (_read_string, str),
    "boolean": (_read_boolean, bool),
    "integer": (_integer_reader("Integer"), int),
    "long": (_integer_reader("Long"), int),
    "double": (_decimal_reader("Double"), None),
    "float": (_decimal_reader("Float"), None),
    "blob": (_read_blob, None),
    "timestamp": (_read_timestamp, None),
}

FIELD, VALUE = "field", "value"


class _Compiler:
    """Compiles shapes of one service into readers; one instance per service, shared, locked."""

    def __init__(self, service: str) -> None:
        self.package = JAVA_PACKAGES.get(service, "com.amazonaws")
        self.cache: dict[tuple[str, str], Reader] = {}

    def java(self, shape: Shape) -> str:
        t = shape.type_name
        if t == "structure":
            return f"{self.package}.{shape.name}"
        if t == "list":
            return f"java.util.List<{self.java(shape.member)}>"
        if t == "map":
            return f"java.util.Map<java.lang.String, {self.java(shape.value)}>"
        return _SCALAR_JAVA.get(t, "java.lang.Object")

    def reader(self, shape: Shape, context: str) -> Reader:
        t = shape.type_name
        if t in _SCALARS:
            return _SCALARS[t][0]
        key = (shape.name, context if t == "structure" else "")
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        cell: list[Reader] = []

        def forward(v: Any) -> Any:  # used only while a recursive shape is being compiled
            return cell[0](v)

        self.cache[key] = forward
        if t == "structure":
            built = self._structure(shape, context)
        elif t == "list":
            built = self._list(shape)
        elif t == "map":
            built = self._map(shape)
        else:
            built = _passthrough
        cell.append(built)
        self.cache[key] = built
        return built

    def _member_spec(self, shape: Shape, context: str) -> tuple[type | None, Reader]:
        t = shape.type_name
        if t in _SCALARS:
            reader, exact = _SCALARS[t]
            return exact, reader
        return None, self.reader(shape, context)

    def _structure(self, shape: Shape, context: str) -> Reader:
        specs = {name: self._member_spec(member, FIELD) for name, member in shape.members.items()}
        java = self.java(shape)
        scalar_text = m.UNEXPECTED_VALUE_TYPE if context == VALUE else m.UNEXPECTED_FIELD_TYPE
        get = specs.get

        def read(v: Any) -> dict[str, Any]:
            if type(v) is not dict:
                if isinstance(v, list):
                    raise TypeProblem(m.COLLECTION_TYPE_CLASS.format(java=java))
                raise TypeProblem(scalar_text)
            drop = None
            for k, x in v.items():
                spec = get(k)
                if spec is None or x is None:
                    if drop is None:
                        drop = [k]
                    else:
                        drop.append(k)
                    continue
                if type(x) is not spec[0]:
                    v[k] = spec[1](x)
            if drop is not None:
                for k in drop:
                    del v[k]
            return v

        read.specs = specs  # type: ignore[attr-defined] # for the inline check of lists and maps
        return read

    def _list(self, shape: Shape) -> Reader:
        member = shape.member
        exact, elem = self._member_spec(member, VALUE)
        empty_struct = member.type_name == "structure"

        def read(v: Any) -> list[Any]:
            if type(v) is not list:
                if isinstance(v, dict):
                    raise TypeProblem(m.MAP_NOT_EXPECTED)
                raise TypeProblem(m.UNEXPECTED_FIELD_TYPE)
            for i, x in enumerate(v):
                if type(x) is not exact:
                    if x is None:
                        if empty_struct:
                            v[i] = {}
                        continue
                    v[i] = elem(x)
            return v

        return read

    def _map(self, shape: Shape) -> Reader:
        value = shape.value
        exact, elem = self._member_spec(value, VALUE)
        java = self.java(shape)
        if value.type_name == "structure":
            return self._map_of_structures(java, elem)

        def read(v: Any) -> dict[str, Any]:
            if type(v) is not dict:
                if isinstance(v, list):
                    raise TypeProblem(m.COLLECTION_TYPE_MAP.format(java=java))
                raise TypeProblem(m.UNEXPECTED_FIELD_TYPE)
            for k, x in v.items():
                if type(x) is not exact and x is not None:
                    v[k] = elem(x)
            return v

        return read

    def _map_of_structures(self, java: str, elem: Reader) -> Reader:
        """A map of structures (``Item``, ``Key``, ...): each value whose members are all known,
        non-null and of their exact JSON type needs nothing done, and is checked inline here;
        any other value goes through the structure's reader (which converts, drops or raises)."""
        cell: list[Any] = []

        def read(v: Any) -> dict[str, Any]:
            if type(v) is not dict:
                if isinstance(v, list):
                    raise TypeProblem(m.COLLECTION_TYPE_MAP.format(java=java))
                raise TypeProblem(m.UNEXPECTED_FIELD_TYPE)
            if not cell:  # the structure's specs (a forward reference while compiling recursion)
                specs = getattr(elem, "specs", None)
                if specs is None:
                    for k, x in v.items():
                        v[k] = {} if x is None else elem(x)
                    return v
                cell.append(specs.get)
            get = cell[0]
            for k, x in v.items():
                if type(x) is dict:
                    for member, value in x.items():
                        spec = get(member)
                        if spec is None or type(value) is not spec[0]:
                            break
                    else:
                        continue
                v[k] = {} if x is None else elem(x)
            return v

        return read


def _passthrough(v: Any) -> Any:
    return v


def _empty_input(v: Any) -> dict[str, Any]:
    return {}


class Codec:
    """What the wire needs to know about one operation: how to read its input, and whether its
    output is modelled at all (operations without an output shape answer with an empty body)."""

    __slots__ = ("read", "empty_output")

    def __init__(self, read: Reader, empty_output: bool) -> None:
        self.read = read
        self.empty_output = empty_output


_compilers: dict[str, _Compiler] = {}
_codecs: dict[tuple[str, str], Codec] = {}
_lock = threading.Lock()


def codec(service: str, operation: str) -> Codec | None:
    """The compiled codec of an operation, or ``None`` if the service has no such operation."""
    key = (service, operation)
    try:
        return _codecs[key]
    except KeyError:
        pass
    with _lock:
        if key not in _codecs:
            op = operation_model(service, operation)
            if op is None:
                return None  # not cached: unknown names must not grow the cache
            compiler = _compilers.get(service)
            if compiler is None:
                compiler = _compilers[service] = _Compiler(service)
            read = compiler.reader(op.input_shape, FIELD) if op.input_shape is not None else _empty_input
            _codecs[key] = Codec(read, op.output_shape is None)
    return _codecs[key]


def parse_json(body: bytes) -> dict[str, Any]:
    """The body as a JSON object; :class:`MalformedRequest` if it is not one.

    Calls the decoder's scanner directly (what ``JSONDecoder.decode`` does, minus two Python
    frames and a regex match on the common body with no surrounding whitespace). A body whose
    ``\\uD800``-``\\uDFFF`` escapes leave a surrogate unpaired is not readable either (issue 9;
    :mod:`emulator.wellformed`): only a body that spells such an escape at all is walked.
    """
    try:
        text = body.decode("utf-8")
        start = 0
        if text[:1] in _SPACE:
            start = _space_end(text, 0)
        data, end = _scan(text, start)
        if end != len(text) and _space_end(text, end) != len(text):
            raise MalformedRequest()
    except (ValueError, StopIteration, RecursionError):
        raise MalformedRequest() from None
    if type(data) is not dict:
        raise MalformedRequest()
    if (b"\\ud" in body or b"\\uD" in body) and lone_surrogate_in(data):
        raise MalformedRequest()  # [INF] text no encoder takes: refused at the door (wellformed.py)
    return data


def read_request(codec: Codec, data: dict[str, Any]) -> dict[str, Any]:
    """Type-check and convert a parsed body into the native request (:class:`TypeProblem`)."""
    try:
        return codec.read(data)
    except RecursionError:
        raise MalformedRequest() from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_decoder = json.JSONDecoder(parse_constant=_reject_constant)
_scan: Callable[[str, int], tuple[Any, int]] = _decoder.scan_once  # type: ignore[attr-defined]
# (the C scanner where there is one; it clears its memo after each call)
_SPACE = frozenset(" \t\n\r")
_SPACE_RUN = re.compile(r"[ \t\n\r]*")


def _space_end(text: str, pos: int) -> int:
    """Where the run of JSON whitespace starting at ``pos`` ends."""
    return _SPACE_RUN.match(text, pos).end()  # type: ignore[union-attr] # always matches


# --- responses --------------------------------------------------------------------------------

# Values JSON cannot hold (blobs, timestamps) in their JSON form: the one mapping, shared with
# the Step Functions runtime (emulator/jsonvalues.py). Called by the C encoder only for those.
_encode_default = json_value


def _make_encode() -> Callable[[Any], str]:
    """The C encoder called directly (``JSONEncoder.encode`` adds two Python frames per call)."""
    from json import encoder as _json_encoder

    make = getattr(_json_encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - pure-Python json
        return json.JSONEncoder(
            ensure_ascii=False, separators=(",", ":"), default=_encode_default, allow_nan=False
        ).encode
    iterencode = make(
        None, _encode_default, _json_encoder.encode_basestring, None, ":", ",", False, False, False
    )

    def encode(value: Any) -> str:
        return "".join(iterencode(value, 0))

    return encode


_encode = _make_encode()


def encode_json(value: Any) -> bytes:
    """Native shape → compact UTF-8 JSON bytes (blobs as base64, timestamps as epoch seconds).

    A string no UTF-8 encoder takes (a lone surrogate, which the doors refuse but a Python task
    may still return) is written as a ``\\uDFFF`` escape: the answer stays valid JSON, and
    json.loads in the client gives the same string back. Only text that fails pays for this.
    """
    text = _encode(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _encode_ascii(value).encode("ascii")


def _encode_ascii(value: Any) -> str:
    return json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), default=_encode_default).encode(value)
