"""Request-shape validation for DynamoDB operations, data-driven, with AWS's exact texts.

botocore checks only ``required``, Python types and ``min`` on the client side (reference W8), and
the native door checks nothing, so every server-side shape rule lives here: enum sets, lengths,
the table-name pattern, numeric minimums. A violation reads exactly as AWS (Coral) writes it::

    1 validation error detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member
    must satisfy regular expression pattern: [a-zA-Z0-9_.-]+

Several violations are collected (at most 10) and joined with ``; `` behind ``N validation errors
detected:`` (W9). The order is the request members' order in the service model, and, within one
member, pattern → minimum length → maximum length → enum → value bounds (dynalite's order, which
its authors checked against AWS).

Design decisions:

* A spec is a tuple of frozen :class:`Field` rows per operation (a table, not code), built once.
  :func:`check` walks only that tuple; a valid request costs a handful of dict lookups. Table
  names already seen valid are remembered in a set, so the regex runs once per name.
* A wrong JSON type (a number where a string belongs) is a ``SerializationException`` on the wire
  (W5); the native door gets the same error for the same mistake in Python types.
* Members we do not know are ignored, as the real service ignores unknown JSON members.
* Semantic rules that depend on several members or on table metadata (billing mode, key schema)
  are not here: they live with their operation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import AWSError
from .errors import SerializationException, ValidationException

TABLE_NAME_PATTERN = "[a-zA-Z0-9_.-]+"
TABLE_NAME_RE = re.compile(TABLE_NAME_PATTERN)

MAX_ERRORS = 10

# Enum sets in the order DynamoDB prints them in its messages (reference W9, RC1, LG4).
RETURN_VALUES = ("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW")
RETURN_CONSUMED_CAPACITY = ("INDEXES", "TOTAL", "NONE")
RETURN_ITEM_COLLECTION_METRICS = ("SIZE", "NONE")
RETURN_VALUES_ON_CCF = ("ALL_OLD", "NONE")
CONDITIONAL_OPERATOR = ("OR", "AND")
SELECT = ("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES")
SCALAR_TYPES = ("B", "N", "S")
KEY_TYPES = ("HASH", "RANGE")
BILLING_MODES = ("PROVISIONED", "PAY_PER_REQUEST")
TABLE_CLASSES = ("STANDARD", "STANDARD_INFREQUENT_ACCESS")
STREAM_VIEW_TYPES = ("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")

# Python type → the JSON token name AWS's deserializer reports.
_JSON_KIND = {str: "STRING_VALUE", int: "NUMBER_VALUE", float: "NUMBER_VALUE", bool: "BOOLEAN_VALUE"}


@dataclass(frozen=True, slots=True)
class Field:
    """One member of a request shape and its constraints.

    ``kind``: ``str``, ``int``, ``bool``, ``list``, ``map`` or ``struct``. ``items``: the member
    fields of each element of a list of structures (paths ``<path>.<i>.member.<sub>``), or of a
    nested structure (paths ``<path>.<sub>``).
    """

    key: str
    path: str
    kind: str = "str"
    not_null: bool = False
    pattern: str | None = None
    min_len: int | None = None
    max_len: int | None = None
    enum: tuple[str, ...] | None = None
    min_value: int | None = None
    max_value: int | None = None
    items: tuple[Field, ...] = ()
    arn_ok: bool = False
    map_values: tuple[Field, ...] | None = None  # for a map of structures: the members of each value
    element: str | None = None  # for a list of scalars: the elements' kind
    element_max_len: int | None = None  # ... and their length limit (minimum 1)
    table_name_keys: bool = False  # a map keyed by table names (requestItems): Coral's "Map keys" rule
    map_value_len: tuple[int, int] | None = None  # a map of lists: each list's length bounds ("Map value")


def table_name(
    key: str = "TableName", path: str = "tableName", *, not_null: bool = True, arn_ok: bool = False
) -> Field:
    """A table-name member: pattern and 3..255 characters; where ``arn_ok``, a table ARN (W11)."""
    return Field(
        key, path, not_null=not_null, pattern=TABLE_NAME_PATTERN, min_len=3, max_len=255, arn_ok=arn_ok
    )


def _fmt(value: Any) -> str:
    """A value as AWS (Java) prints it inside ``Value '...'``.

    Iterative (a stack of pieces still to print), so a value nested beyond Python's recursion limit
    (an item in a request refused for its table name, issue 9 item 6) prints like any other.
    """
    out: list[str] = []
    todo: list[Any] = [_Value(value)]
    while todo:
        piece = todo.pop()
        if type(piece) is str:
            out.append(piece)
            continue
        v = piece.value
        if isinstance(v, bool):
            out.append("true" if v else "false")
        elif isinstance(v, (bytes, bytearray)):
            out.append(f"java.nio.HeapByteBuffer[pos=0 lim={len(v)} cap={len(v)}]")
        elif isinstance(v, list):
            pieces: list[Any] = ["["]
            for i, x in enumerate(v):
                if i:
                    pieces.append(", ")
                pieces.append(_Value(x))
            pieces.append("]")
            todo.extend(reversed(pieces))
        elif isinstance(v, Mapping):
            pieces = ["{"]
            for i, (k, x) in enumerate(v.items()):
                pieces.append(f"{', ' if i else ''}{k}=")
                pieces.append(_Value(x))
            pieces.append("}")
            todo.extend(reversed(pieces))
        else:
            out.append(str(v))
    return "".join(out)


class _Value:
    """A value still to print by :func:`_fmt` (as opposed to literal text)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _violation(value: Any, path: str, constraint: str) -> str:
    shown = "null" if value is None else f"'{_fmt(value)}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"


def type_error(field: Field, value: Any) -> AWSError:
    kind = field.kind
    if kind in ("str", "int", "bool"):
        if isinstance(value, Mapping):
            return SerializationException("Start of structure or map found where not expected.")
        if isinstance(value, (list, tuple)):
            return SerializationException("Start of list found where not expected")
        token = _JSON_KIND.get(type(value), "Unrecognized value")
        target = {
            "str": "cannot be converted to String",
            "int": "can not be converted to an Integer",
            "bool": "cannot be converted to Boolean",
        }[kind]
        return SerializationException(f"{token} {target}")
    if kind == "list":
        return SerializationException("Expected list or null")
    return SerializationException("Expected map or null")


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, (list, tuple))
    return isinstance(value, Mapping)


def check_field(field: Field, value: Any, path: str, errors: list[str]) -> None:
    if value is None:
        if field.not_null:
            errors.append(_violation(None, path, "Member must not be null"))
        return
    if not _type_ok(field.kind, value):
        raise type_error(field, value)
    pattern = field.pattern
    if pattern is not None:
        if field.arn_ok and value.startswith("arn:"):
            return  # a table ARN (W11): resolved, and judged, by the operation
        ok = TABLE_NAME_RE.fullmatch(value) if pattern is TABLE_NAME_PATTERN else re.fullmatch(pattern, value)
        if not ok:
            errors.append(
                _violation(value, path, f"Member must satisfy regular expression pattern: {pattern}")
            )
    if field.min_len is not None and len(value) < field.min_len:
        errors.append(
            _violation(value, path, f"Member must have length greater than or equal to {field.min_len}")
        )
    if field.max_len is not None and len(value) > field.max_len:
        errors.append(
            _violation(value, path, f"Member must have length less than or equal to {field.max_len}")
        )
    if field.enum is not None and value not in field.enum:
        errors.append(
            _violation(value, path, "Member must satisfy enum value set: [" + ", ".join(field.enum) + "]")
        )
    if field.min_value is not None and value < field.min_value:
        errors.append(
            _violation(value, path, f"Member must have value greater than or equal to {field.min_value}")
        )
    if field.max_value is not None and value > field.max_value:
        errors.append(
            _violation(value, path, f"Member must have value less than or equal to {field.max_value}")
        )
    if field.element is not None:
        _check_elements(field, value, path, errors)
    if field.map_values is not None or field.items or field.table_name_keys or field.map_value_len:
        _check_members(field, value, path, errors)


def _check_elements(field: Field, value: Any, path: str, errors: list[str]) -> None:
    """A list of scalars (``element``): each element's type, then their lengths."""
    kind = field.element or ""
    for element in value:
        if not _type_ok(kind, element):
            raise type_error(Field(field.key, field.path, kind=kind), element)
    limit = field.element_max_len
    if limit is not None and any(not 1 <= len(element) <= limit for element in value):
        errors.append(
            _violation(
                value,
                path,
                "Member must satisfy constraint: [Member must have length less "
                f"than or equal to {limit}, Member must have length greater than or equal to 1]",
            )
        )


_MAP_KEYS = (
    "Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have "
    f"length greater than or equal to 3, Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}]"
)


def _check_map(field: Field, value: Any, path: str, errors: list[str]) -> None:
    """A map's own constraints on its keys (table names, B1) and on its list values' lengths; one
    violation each at most, listed with the request's other violations (issue 11 rule 2)."""
    if field.table_name_keys:
        for key in value:
            if (
                isinstance(key, str)
                and not key.startswith("arn:")
                and (not 3 <= len(key) <= 255 or not TABLE_NAME_RE.fullmatch(key))
            ):
                errors.append(_violation(value, path, _MAP_KEYS))
                break
    bounds = field.map_value_len
    if bounds is not None:
        low, high = bounds
        for element in value.values():
            if isinstance(element, (list, tuple)) and not low <= len(element) <= high:
                errors.append(
                    _violation(
                        value,
                        path,
                        "Map value must satisfy constraint: [Member must have length less than or equal to "
                        f"{high}, Member must have length greater than or equal to {low}]",
                    )
                )
                break


def _check_members(field: Field, value: Any, path: str, errors: list[str]) -> None:
    """Nested structures: a map's values (``map_values``), a list's or a struct's members
    (``items``), each checked under its Coral path (``<path>.<key>.member.<sub>``)."""
    if field.table_name_keys or field.map_value_len is not None:
        _check_map(field, value, path, errors)
    if field.map_values is not None:
        for key, element in value.items():
            if not isinstance(element, Mapping):
                raise SerializationException("Unexpected value type in payload")
            for sub in field.map_values:
                check_field(sub, element.get(sub.key), f"{path}.{key}.member.{sub.path}", errors)
    if field.items:
        if field.kind == "list":
            for i, element in enumerate(value, 1):
                if not isinstance(element, Mapping):
                    raise SerializationException("Unexpected value type in payload")
                for sub in field.items:
                    check_field(sub, element.get(sub.key), f"{path}.{i}.member.{sub.path}", errors)
        else:
            for sub in field.items:
                check_field(sub, value.get(sub.key), f"{path}.{sub.path}", errors)


#: Table (and index) names already seen to satisfy the name constraints; checked once per name.
valid_names: set[str] = set()
_fast_specs: dict[int, tuple[tuple[str, ...], dict[str, Field]]] = {}


def _fast_ok(spec: tuple[Field, ...], request: Mapping[str, Any]) -> bool:
    """True when ``request`` certainly satisfies ``spec``; cheap, for the common valid request.

    Walks the request's members (usually two or three) instead of the spec's, and accepts only
    what needs no message: a table name already seen valid, an enum member, a value of the right
    type without other constraints. Anything else goes to the full, ordered check.
    """
    plan = _fast_specs.get(id(spec))
    if plan is None:
        plan = (tuple(f.key for f in spec if f.not_null), {f.key: f for f in spec})
        _fast_specs[id(spec)] = plan
    required, fields = plan
    for key in required:
        if request.get(key) is None:
            return False
    for key, value in request.items():
        field = fields.get(key)
        if field is None or value is None:
            continue
        if field.pattern is TABLE_NAME_PATTERN:
            if value.__class__ is not str or value not in valid_names:
                return False
        elif field.enum is not None:
            if value.__class__ is not str or value not in field.enum:
                return False
        elif field.kind == "map":
            if (
                not isinstance(value, Mapping)
                or field.min_len is not None
                or field.max_len is not None
                or field.map_values is not None
                or field.table_name_keys
            ):
                return False
        elif field.kind == "bool":
            if value.__class__ is not bool:
                return False
        elif field.kind == "int":
            if (
                value.__class__ is not int
                or (field.min_value is not None and value < field.min_value)
                or (field.max_value is not None and value > field.max_value)
            ):
                return False
        elif field.kind == "str" and field.min_len is None and field.max_len is None:
            if value.__class__ is not str:
                return False
        else:
            return False
    return True


def check(spec: tuple[Field, ...], request: Mapping[str, Any]) -> None:
    """Raise AWS's ValidationException (or SerializationException) if ``request`` breaks ``spec``."""
    if _fast_ok(spec, request):
        return
    errors: list[str] = []
    get = request.get
    for field in spec:
        value = get(field.key)
        if field.pattern is TABLE_NAME_PATTERN and value.__class__ is str:
            if value in valid_names:
                continue
            before = len(errors)
            check_field(field, value, field.path, errors)
            if len(errors) == before and not value.startswith("arn:") and len(valid_names) < 100_000:
                valid_names.add(value)
            continue
        check_field(field, value, field.path, errors)
    if errors:
        raise ValidationException(format_errors(errors))


def format_errors(errors: list[str]) -> str:
    """``N validation error(s) detected: a; b`` over at most :data:`MAX_ERRORS` violations."""
    errors = errors[:MAX_ERRORS]
    n = len(errors)
    return f"{n} validation error{'' if n == 1 else 's'} detected: " + "; ".join(errors)


def violation(value: Any, path: str, constraint: str) -> str:
    """One violation text, for operations that check shapes the table above cannot express."""
    return _violation(value, path, constraint)
