"""Items as DynamoDB JSON text: the form of table exports and of DYNAMODB_JSON imports in S3.

The form is the wire's (``{"S": "x"}``, ``{"N": "1.5"}``, ``{"B": "<base64>"}``, sets as lists,
``{"NULL": true}``); the native shapes carry ``bytes`` for B and BS, as boto3 does. This module is
the reader of imports (``imports.py``): strict, unlike ``jsonvalues.attribute_value_from_json``,
since a malformed line is an import error. Exports write JSON lines with ``jsonvalues.json_value``
(blobs as base64), as the wire does; the Ion writer and reader are here too.
"""

from __future__ import annotations

import base64
import binascii
import json
from decimal import Decimal
from typing import Any

Item = dict[str, Any]


class BadItem(ValueError):
    """A value that is not a well-formed DynamoDB JSON attribute value."""


def from_json(value: Any) -> dict[str, Any]:
    """A DynamoDB JSON attribute value as the native shape; :class:`BadItem` when malformed."""
    if not isinstance(value, dict) or len(value) != 1:
        raise BadItem("an attribute value must be an object with one type key")
    (kind, inner), *_ = value.items()
    try:
        if kind in ("S", "N") and isinstance(inner, str):
            return {kind: inner}
        if kind == "B" and isinstance(inner, str):
            return {"B": base64.b64decode(inner, validate=True)}
        if kind in ("SS", "NS") and _strings(inner):
            return {kind: list(inner)}
        if kind == "BS" and _strings(inner):
            return {"BS": [base64.b64decode(b, validate=True) for b in inner]}
        if kind in ("BOOL", "NULL") and isinstance(inner, bool):
            return {kind: inner}
        if kind == "L" and isinstance(inner, list):
            return {"L": [from_json(v) for v in inner]}
        if kind == "M" and isinstance(inner, dict):
            return {"M": item_from_json(inner)}
    except binascii.Error as error:
        raise BadItem(f"invalid base64 in {kind}") from error
    raise BadItem(f"unknown or malformed attribute type {kind!r}")


def item_from_json(item: Any) -> Item:
    if not isinstance(item, dict):
        raise BadItem("an item must be an object")
    return {str(name): from_json(value) for name, value in item.items()}


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# --- Amazon Ion text (ExportFormat ION) ---------------------------------------------------------
# The DG's ION export example: ``$ion_1_0 {Item:{Authors:$dynamodb_SS::["A","B"],Id:103.,...}}``:
# S is an Ion string, N an Ion decimal (never an Ion integer: ``103.``, ``6d2``), B a blob
# ``{{base64}}``, sets a list annotated ``$dynamodb_SS`` / ``$dynamodb_NS`` / ``$dynamodb_BS``,
# BOOL a bool, NULL ``null``, L a list and M a struct.

_SET_ANNOTATION = {"SS": "$dynamodb_SS", "NS": "$dynamodb_NS", "BS": "$dynamodb_BS"}


def _ion_number(text: str) -> str:
    """N as the Ion decimal AWS writes: the digits without trailing zeros, which become the
    exponent (``600`` → ``6d2``, ``2000`` → ``2d3``), an integer value with a closing point
    (``103.``), a fraction as written (``1.5``): the DG's example writes ``Id:103.``,
    ``PageCount:6d2`` and ``Price:2d3``."""
    number = Decimal(text)
    if not number:
        return "0."
    sign, digits, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)  # N is finite
    coefficient = ("-" if sign else "") + "".join(map(str, digits))
    if exponent > 0:
        return f"{coefficient}d{exponent}"
    if exponent == 0:
        return coefficient + "."
    return format(number.normalize(), "f")


def _ion_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _ion_field(name: str) -> str:
    if name.isidentifier() and name.isascii() and not name.startswith("$"):
        return name
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def to_ion(value: dict[str, Any]) -> str:
    (kind, inner), *_ = value.items()
    if kind == "S":
        return _ion_string(inner)
    if kind == "N":
        return _ion_number(inner)
    if kind == "B":
        return "{{" + base64.b64encode(inner).decode("ascii") + "}}"
    if kind in _SET_ANNOTATION:
        single = {"SS": "S", "NS": "N", "BS": "B"}[kind]
        return _SET_ANNOTATION[kind] + "::[" + ",".join(to_ion({single: v}) for v in inner) + "]"
    if kind == "BOOL":
        return "true" if inner else "false"
    if kind == "NULL":
        return "null"
    if kind == "L":
        return "[" + ",".join(to_ion(v) for v in inner) + "]"
    return item_to_ion(inner)


def item_to_ion(item: Item) -> str:
    return "{" + ",".join(f"{_ion_field(n)}:{to_ion(v)}" for n, v in item.items()) + "}"


# --- reading Amazon Ion (ImportTable InputFormat ION) --------------------------------------------
# The inverse of :func:`to_ion`, over the values the ``amazon.ion`` package (the ``ion`` extra)
# reads: Ion's own reader rather than a hand-written one, since Ion text has far more forms
# (symbols, s-expressions, long strings, timestamps, comments) than exports write.

_SET_KINDS = {annotation: kind for kind, annotation in _SET_ANNOTATION.items()}


def from_ion(value: Any) -> dict[str, Any]:
    """One Ion value (as ``amazon.ion.simpleion`` reads it) as a DynamoDB attribute value;
    BadItem for a type DynamoDB has no counterpart of (a timestamp, a symbol, an s-expression)."""
    from amazon.ion.core import IonType

    kind = value.ion_type
    annotations = [a.text for a in getattr(value, "ion_annotations", ())]
    if kind is IonType.LIST and annotations and annotations[0] in _SET_KINDS:
        set_kind = _SET_KINDS[annotations[0]]
        return {set_kind: [from_ion(v)[set_kind[0]] for v in value]}
    if kind is IonType.NULL or type(value).__name__ == "IonPyNull":  # null, or a typed null
        return {"NULL": True}
    reader = _ION_READERS.get(kind.name)
    if reader is None:
        raise BadItem(f"an Ion {kind.name.lower()} has no DynamoDB type")
    return reader(value)


_ION_READERS: dict[str, Any] = {
    "BOOL": lambda v: {"BOOL": bool(v)},
    "INT": lambda v: {"N": str(int(v))},
    "DECIMAL": lambda v: {"N": str(Decimal(v))},
    "FLOAT": lambda v: {"N": repr(float(v))},
    "STRING": lambda v: {"S": str(v)},
    "BLOB": lambda v: {"B": bytes(v)},
    "CLOB": lambda v: {"B": bytes(v)},
    "LIST": lambda v: {"L": [from_ion(x) for x in v]},
    "STRUCT": lambda v: {"M": {str(k): from_ion(x) for k, x in v.items()}},
}
