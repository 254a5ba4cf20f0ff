"""The JSON form of native values: blobs as base64 text, timestamps as epoch seconds.

A native request or response (what a boto3 client takes and returns) holds ``bytes`` for blobs
(an AttributeValue's ``B`` and ``BS``) and aware ``datetime`` objects for timestamps; their JSON
form (awsJson1.0, and the JSON a Step Functions task sees) holds base64 text and epoch seconds.
This module is that one mapping, for the places that need it:

* ``wire/shapes.py`` encodes every response body with :func:`json_value` as the C encoder's
  ``default`` (and reads request blobs through its model-driven codec, strictly, with AWS's
  error texts);
* the Step Functions runtime's DynamoDB integration (``stepfunctions/runtime/tasks.py``) hands a
  task's JSON ``Parameters`` to the in-process DynamoDB (:func:`attribute_value_from_json`) and
  its response back as JSON (:func:`json_tree`);
* DynamoDB's table exports (``dynamodb/exports.py``) write their JSON lines with :func:`json_value`
  as the encoder's ``default``, as the wire does.

It lives at the top of the package, below both, because the core must not import ``wire/``.
"""

from __future__ import annotations

import base64
import datetime as _dt
from typing import Any

from .clock import UTC


def json_value(o: Any) -> Any:
    """The JSON form of one native value that JSON cannot hold: a blob (or a boto3 ``Binary``) as
    base64 text, a timestamp as epoch seconds (naive ones read as UTC), a set as a list.
    ``TypeError`` for anything else (the signature of ``json``'s ``default`` hook)."""
    if isinstance(o, (bytes, bytearray, memoryview)):
        return base64.b64encode(o).decode("ascii")
    if isinstance(o, _dt.datetime):
        if o.tzinfo is None:
            o = o.replace(tzinfo=UTC)
        return o.timestamp()
    if isinstance(o, (set, frozenset)):
        return list(o)
    raw = getattr(o, "value", None)  # boto3.dynamodb.types.Binary, if a native caller stored one
    if isinstance(raw, (bytes, bytearray)):
        return base64.b64encode(raw).decode("ascii")
    raise TypeError(f"{type(o).__name__} is not a wire value")


def json_tree(value: Any, drop: str = "ResponseMetadata") -> Any:
    """A native response as a JSON-compatible tree (dicts, lists, str, numbers, bool, None): blobs
    and timestamps by :func:`json_value`, a ``Decimal`` as an int or float, the member ``drop``
    left out of every dict; any other value as it is."""
    if isinstance(value, dict):
        return {k: json_tree(v, drop) for k, v in value.items() if k != drop}
    if isinstance(value, list):
        return [json_tree(v, drop) for v in value]
    if isinstance(value, (bytes, bytearray, _dt.datetime)):
        return json_value(value)
    if hasattr(value, "as_tuple") and hasattr(value, "quantize"):  # Decimal
        return float(value) if value % 1 else int(value)
    return value


def attribute_value_from_json(av: Any) -> Any:
    """An AttributeValue in JSON form as a native one: ``B`` and ``BS`` base64 text decoded, ``M``
    and ``L`` converted member by member; anything not in JSON form is left as it is."""
    if not isinstance(av, dict):
        return av
    out: dict[str, Any] = {}
    for t, v in av.items():
        if t == "B" and isinstance(v, str):
            out[t] = base64.b64decode(v)
        elif t == "BS" and isinstance(v, list):
            out[t] = [base64.b64decode(x) if isinstance(x, str) else x for x in v]
        elif t == "M" and isinstance(v, dict):
            out[t] = {k: attribute_value_from_json(x) for k, x in v.items()}
        elif t == "L" and isinstance(v, list):
            out[t] = [attribute_value_from_json(x) for x in v]
        else:
            out[t] = v
    return out
