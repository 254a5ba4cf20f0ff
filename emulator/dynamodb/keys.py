"""Key schema, key validation, key encoding for ordering, and key conditions handed to the engine.

(Owned by the engine work; ``SortCondition`` is the contract between the key-condition compiler
in ``expressions/`` and ``engine.Table.query``.)

Design decisions:

* A key value is *encoded* into a plain Python object whose natural ordering is DynamoDB's
  (docs/rules/dynamodb.md O1): ``N`` → ``int`` when written as an integer, else
  :class:`decimal.Decimal` (both compare and hash by value, across the two types, so ``1000`` and
  ``1e3`` are the same key, V10), ``S`` → the ``str`` itself
  (code-point order equals UTF-8 byte order, and the object is shared with the item, so it costs
  no memory), ``B`` → ``bytes`` (Python compares bytes unsigned: ``0x80`` sorts after ``0x7f``).
  Within one key attribute every value has the schema's type, so encodings never mix types.
* The *partition hash* is DynamoDB's MD5 placement. We use dynalite's reconstruction
  (``md5("Outliers" + serialized key)``: UTF-8 for S, raw bytes for B, DynamoDB's base-100 number
  encoding for N), which reproduces live DynamoDB's Scan order for string keys (Q10).
* Validation functions raise the exact ValidationException texts of K2–K6; the texts live in
  ``messages.py`` ("keys and engine" section). CreateTable validation is the ops layer's business:
  :meth:`KeySchema.from_definitions` only builds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from . import messages as msg
from .errors import ValidationException

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]

SORT_OPS = ("=", "<", "<=", ">", ">=", "BETWEEN", "BEGINS_WITH")

KEY_TYPES = ("S", "N", "B")
HASH_KEY_MAX_BYTES = 2048
RANGE_KEY_MAX_BYTES = 1024

_HASH_SALT = b"Outliers"


@dataclass(frozen=True, slots=True)
class SortCondition:
    """A condition on the sort key: ``op`` in SORT_OPS, ``values`` one AttributeValue (two for BETWEEN)."""

    op: str
    values: tuple[AttributeValue, ...]


# --- encoding -------------------------------------------------------------------------------


def _encode_n(text: str) -> int | Decimal:
    # Integral numbers (most numeric keys) become ints: 28 bytes or a shared small int instead of a
    # 104-byte Decimal. Python compares and hashes int and Decimal exactly across the two types
    # (Decimal("1E+3") == 1000, same hash), so mixed encodings of one value are the same key.
    if text.isascii() and (text.isdigit() or (text[:1] == "-" and text[1:].isdigit())):
        return int(text)
    return Decimal(text)


def _encode_s(text: str) -> str:
    return text


def _encode_b(data: bytes | bytearray | memoryview) -> bytes:
    return bytes(data)


# type → function from the raw value (``av[type]``) to its ordered, hashable encoding
ENCODERS: dict[str, Any] = {"N": _encode_n, "S": _encode_s, "B": _encode_b}


def encode_value(key_type: str, av: AttributeValue) -> Any:
    """The ordered, hashable encoding of one key AttributeValue of type ``key_type``. O(len).

    Numbers compare and hash by value across their two encodings (V10), strings in code-point
    (= UTF-8 byte) order, binaries as unsigned bytes (O1):

    >>> encode_value("N", {"N": "1000"}), encode_value("N", {"N": "1e3"})
    (1000, Decimal('1E+3'))
    >>> encode_value("N", {"N": "1e3"}) == encode_value("N", {"N": "1000"})
    True
    >>> encode_value("S", {"S": "Z"}) < encode_value("S", {"S": "a"})
    True
    >>> encode_value("B", {"B": b"\\x80"}) > encode_value("B", {"B": b"\\x7f"})
    True
    """
    return ENCODERS[key_type](av[key_type])


def number_hash_bytes(value: Decimal | int) -> bytes:
    """DynamoDB's internal byte form of a number, as reconstructed by dynalite (used for placement).

    Base-100 digits after an excess-64 exponent byte; negatives are complemented and, when short,
    terminated by 102. Zero is the single byte 0x80.

    >>> number_hash_bytes(0), number_hash_bytes(1), number_hash_bytes(100), number_hash_bytes(-1)
    (b'\\x80', b'\\xc1\\x02', b'\\xc2\\x02', b'>df')
    """
    if value == 0:
        return b"\x80"
    sign, digits, exp = Decimal(value).normalize().as_tuple()
    assert isinstance(exp, int)
    ds = list(digits)
    exponent = len(ds) + exp  # position of the decimal point relative to the first digit
    pad = exponent % 2
    if pad:
        ds.insert(0, 0)
    out = [((exponent + pad) // 2 - 64) & 0xFF]
    for i in range(0, len(ds), 2):
        pair = ds[i] * 10 + (ds[i + 1] if i + 1 < len(ds) else 0)
        out.append((101 - pair) if sign else (pair + 1))
    if sign:
        out[0] = 0xFF - out[0]
        if len(out) - 1 < 20:
            out.append(102)
    return bytes(b & 0xFF for b in out)


def hash_bytes(key_type: str, encoded: Any) -> bytes:
    """The serialized partition-key value that is hashed for placement."""
    if key_type == "S":
        return encoded.encode("utf-8", "surrogatepass")
    if key_type == "B":
        return encoded
    return number_hash_bytes(encoded)


_SALTED = hashlib.md5(_HASH_SALT)


def salted_digest(data: bytes) -> bytes:
    """``md5("Outliers" + data)``, continuing a pre-salted hash object."""
    h = _SALTED.copy()
    h.update(data)
    return h.digest()


def partition_hash(key_type: str, encoded: Any) -> bytes:
    """MD5 placement digest (16 bytes) of an encoded partition-key value. O(len).

    >>> partition_hash("S", "a").hex()
    'f6558e516275dee248591cc7cee85dae'
    """
    return salted_digest(hash_bytes(key_type, encoded))


def key_value_size(key_type: str, av: AttributeValue) -> int:
    """Bytes counted against the K2/K3 key limits (UTF-8 for S, raw for B; N is not limited).

    >>> key_value_size("S", {"S": "é"}), key_value_size("B", {"B": b"ab"}), key_value_size("N", {"N": "123"})
    (2, 2, 0)
    """
    value = av[key_type]
    if key_type == "S":
        return len(value.encode("utf-8", "surrogatepass"))
    if key_type == "B":
        return len(value)
    return 0


# --- schema ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeySchema:
    """A table's (or index's) primary key: the partition key and the optional sort key."""

    hash_name: str
    hash_type: str
    range_name: str | None = None
    range_type: str | None = None
    multi: ClassVar[bool] = False  # True for multikey.MultiKeySchema (multi-attribute GSI keys)

    @classmethod
    def from_definitions(
        cls, key_schema: list[dict[str, Any]], attribute_definitions: list[dict[str, Any]]
    ) -> KeySchema:
        """Build from CreateTable's KeySchema + AttributeDefinitions (assumed already validated)."""
        types = {d["AttributeName"]: d["AttributeType"] for d in attribute_definitions}
        hash_name = range_name = None
        for element in key_schema:
            if element["KeyType"] == "HASH":
                hash_name = element["AttributeName"]
            else:
                range_name = element["AttributeName"]
        if hash_name is None:
            raise ValueError("key schema has no HASH element")
        return cls(
            hash_name, types[hash_name], range_name, types[range_name] if range_name is not None else None
        )

    @property
    def key_names(self) -> tuple[str, ...]:
        if self.range_name is None:
            return (self.hash_name,)
        return (self.hash_name, self.range_name)

    def types(self) -> dict[str, str]:
        """Attribute type of every key attribute."""
        if self.range_name is None or self.range_type is None:
            return {self.hash_name: self.hash_type}
        return {self.hash_name: self.hash_type, self.range_name: self.range_type}

    @property
    def has_range(self) -> bool:
        return self.range_name is not None

    def extract_key(self, item: Item) -> Item:
        """The key attributes of ``item`` (references to the same AttributeValues). O(1)."""
        if self.range_name is None:
            return {self.hash_name: item[self.hash_name]}
        return {self.hash_name: item[self.hash_name], self.range_name: item[self.range_name]}

    def encode_hash(self, key_or_item: Item) -> Any:
        return ENCODERS[self.hash_type](key_or_item[self.hash_name][self.hash_type])

    def encode_range(self, key_or_item: Item) -> Any:
        assert self.range_name is not None and self.range_type is not None
        return ENCODERS[self.range_type](key_or_item[self.range_name][self.range_type])

    def encode(self, key_or_item: Item) -> tuple[Any, ...]:
        """Hashable key whose ordering is DynamoDB's: ``(hash,)`` or ``(hash, range)``."""
        if self.range_name is None:
            return (self.encode_hash(key_or_item),)
        return (self.encode_hash(key_or_item), self.encode_range(key_or_item))


# --- validation -----------------------------------------------------------------------------


def _value_type(av: Any) -> str | None:
    if isinstance(av, dict) and len(av) == 1:
        return next(iter(av))
    return None


def _check_sizes(schema: KeySchema, key: Item) -> None:
    if key_value_size(schema.hash_type, key[schema.hash_name]) > HASH_KEY_MAX_BYTES:
        raise ValidationException(msg.HASH_KEY_TOO_LARGE)
    if schema.range_name is not None and schema.range_type is not None:
        if key_value_size(schema.range_type, key[schema.range_name]) > RANGE_KEY_MAX_BYTES:
            raise ValidationException(msg.RANGE_KEY_TOO_LARGE)


def _is_empty(av: Any) -> str | None:
    """'string' / 'binary' when ``av`` is an empty S / B value, else None."""
    if isinstance(av, dict):
        s = av.get("S")
        if s is not None and len(av) == 1 and s == "":
            return "string"
        b = av.get("B")
        if b is not None and len(av) == 1 and len(b) == 0:
            return "binary"
    return None


def validate_key(schema: KeySchema, key: Item) -> None:
    """Check a ``Key`` parameter (Get/Delete/Update/Batch*/Transact*).

    Order: empty S/B values (K4, checked on every attribute of the Key map, as the request
    validator does before the schema is consulted), then exact attribute names and types (K6),
    then key sizes (K2, K3).
    """
    for name, av in key.items():
        kind = _is_empty(av)
        if kind is not None:
            raise ValidationException(msg.key_param_empty(kind, name))
    names = schema.key_names
    if len(key) != len(names):
        raise ValidationException(msg.KEY_SCHEMA_MISMATCH)
    types = (schema.hash_type, schema.range_type)
    for name, key_type in zip(names, types):
        part = key.get(name)
        if part is None or _value_type(part) != key_type:
            raise ValidationException(msg.KEY_SCHEMA_MISMATCH)
    _check_sizes(schema, key)


def check_empty_key_values(schema: KeySchema | None, values: Item) -> None:
    """K4 as a transaction checks it up front: an empty S/B value of a key attribute of ``values``
    (an item's table key with ``schema``; every attribute of a ``Key`` map without), in the
    PutItem wording for both. A top-level ValidationException there, not a cancellation reason."""
    names = values if schema is None else [n for n in schema.key_names if n in values]
    for name in names:
        kind = _is_empty(values[name])
        if kind is not None:
            raise ValidationException(msg.item_key_empty(kind, name))


def validate_item_keys(schema: KeySchema, item: Item) -> None:
    """Check that an item to be written carries the table key (PutItem, BatchWrite Put).

    For each key attribute in schema order (hash, then range): missing (K5), type mismatch (K5),
    empty S/B (K4, Put wording); then the key sizes (K2, K3).
    """
    for name, key_type in ((schema.hash_name, schema.hash_type), (schema.range_name, schema.range_type)):
        if name is None or key_type is None:
            continue
        value = item.get(name)
        if value is None:
            raise ValidationException(msg.item_missing_key(name))
        actual = _value_type(value)
        if actual != key_type:
            raise ValidationException(msg.item_key_type_mismatch(name, key_type, str(actual)))
        kind = _is_empty(value)
        if kind is not None:
            raise ValidationException(msg.item_key_empty(kind, name))
    _check_sizes(schema, item)
