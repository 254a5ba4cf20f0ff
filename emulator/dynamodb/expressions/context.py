"""Per-request binding of ExpressionAttributeNames / ExpressionAttributeValues.

One :class:`ExpressionContext` serves every expression of one request, so "unused" (E4) is judged
across all of them. Construction checks, in DynamoDB's order (E14 step 3): empty maps (E2), then
per entry the key length (L3: a ``#name`` key of at most 255 bytes; no such limit is applied to
``:value`` keys, which DynamoDB Local accepts at any length [3P]), the key syntax (E1), for names
the name (not the empty string, V15) and, for values, the value itself (V17 wording). Values are validated
eagerly, as DynamoDB does before it parses any expression.

Resolution of an undefined placeholder does not raise here: the checkers collect it and report it
at its place in the per-expression error priority (E5 comes after syntax, function and reserved
word errors).
"""

from __future__ import annotations

import re
from typing import Any

from ...wellformed import is_well_formed
from .. import messages as M
from ..errors import SerializationException, ValidationException
from ..values import AttributeValue, check_name_bytes, ill_formed_text, in_expression_values, validate_value

_KEY = re.compile(r"[0-9A-Za-z_]+\Z")
MAX_KEY_BYTES = 255  # L3: an ExpressionAttributeNames key ("#name" itself, not the name it stands for)


class ExpressionContext:
    """The names and values of one request, and which of them the request's expressions used."""

    __slots__ = ("names", "values", "used_names", "used_values")

    def __init__(self, names: dict[str, str] | None = None, values: dict[str, Any] | None = None) -> None:
        if names is not None:
            if not names:
                raise ValidationException(M.EAN_EMPTY)
            for key, name in names.items():
                if isinstance(key, str) and len(key) > MAX_KEY_BYTES // 4:
                    size = len(key.encode("utf-8", "surrogatepass"))
                    if size > MAX_KEY_BYTES:
                        raise ValidationException(
                            M.placeholder_key_too_long("ExpressionAttributeNames", size)
                        )
                if not (isinstance(key, str) and key[:1] == "#" and _KEY.match(key, 1)):
                    raise ValidationException(M.invalid_placeholder_key("ExpressionAttributeNames", key))
                if type(name) is not str:
                    raise SerializationException(
                        M.WRONG_JSON_TYPE.format(
                            json="NUMBER_VALUE" if isinstance(name, (int, float)) else "START_OBJECT",
                            target="String",
                        )
                    )
                if not name:
                    raise ValidationException(M.ean_empty_name(key))
                if not name.isascii() and not is_well_formed(name):
                    raise ill_formed_text()  # an attribute name no encoder takes (wellformed.py)
                check_name_bytes(name)  # V15 through a placeholder (issue 11 rule 10)
        checked: dict[str, AttributeValue] = {}
        if values is not None:
            if not values:
                raise ValidationException(M.EAV_EMPTY)
            for key, av in values.items():
                if not (isinstance(key, str) and key[:1] == ":" and _KEY.match(key, 1)):
                    raise ValidationException(M.invalid_placeholder_key("ExpressionAttributeValues", key))
                checked[key] = validate_value(av, where=in_expression_values(key))
        self.names: dict[str, str] = dict(names) if names else {}
        self.values: dict[str, AttributeValue] = checked
        self.used_names: set[str] = set()
        self.used_values: set[str] = set()

    def name(self, ref: str) -> str | None:
        """The attribute name for ``#ref`` (marking it used), or None if undefined."""
        name = self.names.get(ref)
        if name is not None:
            self.used_names.add(ref)
        return name

    def value(self, ref: str) -> AttributeValue | None:
        """The validated value for ``:ref`` (marking it used), or None if undefined."""
        av = self.values.get(ref)
        if av is not None:
            self.used_values.add(ref)
        return av

    def check_unused(self) -> None:
        """E4: every name and value must be used by some expression of the request."""
        unused = [k for k in self.names if k not in self.used_names]
        if unused:
            raise ValidationException(M.unused_placeholders("ExpressionAttributeNames", unused))
        unused = [k for k in self.values if k not in self.used_values]
        if unused:
            raise ValidationException(M.unused_placeholders("ExpressionAttributeValues", unused))
