"""DynamoDB values as the console shows and reads them: an AttributeValue as one line of text, a
key (``LastEvaluatedKey``) as a URL-safe token and back, and a typed key value from a form field.

Binary values travel as base64, as in DynamoDB's JSON (``jsonvalues.json_value``, the wire's
own form); the token is that JSON, so a "next page" link resumes the Scan exactly where DynamoDB
said (``ExclusiveStartKey``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from ..jsonvalues import json_value

__all__ = ["cell", "decode_key", "encode_key", "key_value"]


def cell(value: dict[str, Any]) -> str:
    """One AttributeValue as text: a string or number as itself, anything else as its JSON."""
    (kind, inner), *_ = value.items()
    if kind in ("S", "N"):
        return str(inner)
    if kind == "BOOL":
        return "true" if inner else "false"
    if kind == "NULL":
        return "null"
    return json.dumps({kind: inner}, ensure_ascii=False, separators=(",", ":"), default=json_value)


def encode_key(key: dict[str, Any]) -> str:
    """A key (``LastEvaluatedKey``) as a token for a link."""
    return json.dumps(key, separators=(",", ":"), sort_keys=True, default=json_value)


def decode_key(token: str) -> dict[str, Any]:
    """The key of :func:`encode_key`'s token (``ValueError`` for one that is not a key)."""
    try:
        key = json.loads(token)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a key token: {exc}") from None
    if not isinstance(key, dict) or not all(isinstance(v, dict) and len(v) == 1 for v in key.values()):
        raise ValueError("not a key token")
    return {name: key_value(*next(iter(av.items()))) for name, av in key.items()}


def key_value(kind: str, text: str) -> dict[str, Any]:
    """A key AttributeValue of type ``kind`` (S, N or B, as the key schema declares) from text."""
    if kind == "B":
        try:
            return {"B": base64.b64decode(text, validate=True)}
        except ValueError:
            raise ValueError(f"a binary key value is base64: {text!r}") from None
    if kind in ("S", "N"):
        return {kind: str(text)}
    raise ValueError(f"a key attribute is S, N or B, not {kind!r}")
