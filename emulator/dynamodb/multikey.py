"""Multi-attribute keys of global secondary indexes (AWS, November 2025): the key schema, its
CreateTable/UpdateTable checks, and the matching of a Query's key condition against it.

A GSI's KeySchema may list up to four HASH attributes followed by up to four RANGE attributes
(tables and LSIs keep one of each). The index partition is the combination of all HASH values;
within it, entries are ordered by the RANGE attributes left to right, each by its own type's order
(docs/dynamodb-conformance.md, "Multi-attribute GSI keys"). A Query must give ``=`` on every HASH
attribute; on the RANGE attributes it gives equalities on a prefix and optionally one condition
(``=``, ``<``, ``<=``, ``>``, ``>=``, BETWEEN, begins_with) on the attribute right after it.

Why a schema class of its own rather than a generalised :class:`~emulator.dynamodb.keys.KeySchema`:
the one-HASH/one-RANGE schema is on every table's hot path (encode, extract, validate); keeping
it untouched keeps those paths as fast as before, and only indexes declared with more than one
HASH or RANGE attribute use this class (``indexes_multi.MultiAttributeIndex``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from . import messages as M
from .errors import ValidationException
from .keys import SortCondition

AttributeValue = dict[str, Any]

MAX_HASH_ATTRIBUTES = 4
MAX_RANGE_ATTRIBUTES = 4


def is_multi_attribute(key_schema: list[dict[str, Any]]) -> bool:
    """Whether a (validated) GSI KeySchema has more than one HASH or more than one RANGE attribute.

    Runtime complexity: O(k) for k key elements (at most 8)."""
    hashes = sum(1 for k in key_schema if k["KeyType"] == "HASH")
    return hashes > 1 or len(key_schema) - hashes > 1


def check_gsi_key_schema(key_schema: list[dict[str, Any]]) -> None:
    """A GSI KeySchema: HASH first, all HASH before all RANGE, at most 4 of each, distinct names.

    A two-element [HASH, RANGE] schema keeps its old same-name text.

    Runtime complexity: O(k) for k key elements."""
    if key_schema[0]["KeyType"] != "HASH":
        raise ValidationException(M.FIRST_KEY_NOT_HASH)
    names = [k["AttributeName"] for k in key_schema]
    if len(key_schema) == 2 and key_schema[1]["KeyType"] == "RANGE" and names[0] == names[1]:
        raise ValidationException(M.KEYS_SAME_NAME)
    hashes = ranges = 0
    for element in key_schema:
        if element["KeyType"] == "HASH":
            if ranges:
                raise ValidationException(M.HASH_AFTER_RANGE)
            hashes += 1
        else:
            ranges += 1
    if hashes > MAX_HASH_ATTRIBUTES:
        raise ValidationException(M.too_many_key_attributes("HASH"))
    if ranges > MAX_RANGE_ATTRIBUTES:
        raise ValidationException(M.too_many_key_attributes("RANGE"))
    if len(set(names)) != len(names):
        raise ValidationException(M.KEY_SCHEMA_SAME_NAMES)


@dataclass(frozen=True, slots=True)
class MultiKeySchema:
    """An index key of several HASH and/or RANGE attributes: ``(name, type)`` pairs in schema order."""

    hashes: tuple[tuple[str, str], ...]
    ranges: tuple[tuple[str, str], ...]
    multi: ClassVar[bool] = True

    @classmethod
    def from_definitions(
        cls, key_schema: list[dict[str, Any]], attribute_definitions: list[dict[str, Any]]
    ) -> MultiKeySchema:
        """Build from a validated KeySchema and the AttributeDefinitions naming its types."""
        types = {d["AttributeName"]: d["AttributeType"] for d in attribute_definitions}
        pairs = [(k["AttributeName"], types[k["AttributeName"]], k["KeyType"]) for k in key_schema]
        return cls(
            tuple((n, t) for n, t, kt in pairs if kt == "HASH"),
            tuple((n, t) for n, t, kt in pairs if kt != "HASH"),
        )

    @property
    def key_names(self) -> tuple[str, ...]:
        """The HASH attributes, then the RANGE attributes, in schema order."""
        return tuple(n for n, _ in self.hashes) + tuple(n for n, _ in self.ranges)

    def types(self) -> dict[str, str]:
        """Attribute type of every key attribute."""
        return dict(self.hashes + self.ranges)


@dataclass(frozen=True, slots=True)
class MultiSort:
    """The RANGE part of a key condition: equalities on the first ``len(prefix)`` RANGE attributes,
    then ``last`` (any sort operator) on the next one, or None."""

    prefix: tuple[AttributeValue, ...]
    last: SortCondition | None


@dataclass(frozen=True, slots=True)
class MultiKeyCondition:
    """A key condition on a multi-attribute index: ``hash_value`` holds the HASH values in schema
    order (the same two fields as ``expressions.KeyCondition``, read by ``operations/reads.py``)."""

    hash_value: tuple[AttributeValue, ...]
    sort: MultiSort


def _check_types(cond: SortCondition, key_type: str) -> None:
    for av in cond.values:
        if len(av) != 1 or key_type not in av:
            raise ValidationException(M.KEY_CONDITION_TYPE_MISMATCH)
    if cond.op == "BEGINS_WITH" and key_type == "N":
        raise ValidationException(M.KEY_CONDITION_TYPE_MISMATCH)


def _range_part(conditions: dict[str, SortCondition], schema: MultiKeySchema) -> MultiSort:
    """RANGE attributes left to right: every attribute before one with a condition needs ``=``."""
    ranges = schema.ranges
    for later in range(1, len(ranges)):
        if ranges[later][0] not in conditions:
            continue
        for prior in range(later):
            cond = conditions.get(ranges[prior][0])
            if cond is None or cond.op != "=":
                raise ValidationException(M.range_equality_required(ranges[prior][0], ranges[later][0]))
    prefix: list[AttributeValue] = []
    for name, key_type in ranges:
        cond = conditions.get(name)
        if cond is None:
            break
        _check_types(cond, key_type)
        if cond.op != "=":
            return MultiSort(tuple(prefix), cond)
        prefix.append(cond.values[0])
    return MultiSort(tuple(prefix), None)


def multi_key_condition(conditions: dict[str, SortCondition], schema: MultiKeySchema) -> MultiKeyCondition:
    """Match per-attribute key conditions (from a KeyConditionExpression or KeyConditions) against
    a multi-attribute index key: a missing HASH attribute (the first, in schema order), then a
    condition on a non-key attribute, then a non-equality on a HASH attribute, then value types,
    then the RANGE attributes' left-to-right rule.

    Runtime complexity: O(k^2) for k <= 8 key attributes (once per expression text: cached)."""
    for name, _ in schema.hashes:
        if name not in conditions:
            raise ValidationException(M.key_condition_missed(name))
    known = set(schema.key_names)
    if any(name not in known for name in conditions):
        raise ValidationException(M.KEY_CONDITION_NOT_SUPPORTED)
    values = []
    for name, key_type in schema.hashes:
        cond = conditions[name]
        if cond.op != "=":
            raise ValidationException(M.KEY_CONDITION_NOT_SUPPORTED)
        _check_types(cond, key_type)
        values.append(cond.values[0])
    return MultiKeyCondition(tuple(values), _range_part(conditions, schema))
