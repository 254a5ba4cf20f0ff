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
        for element in value:
            if not _type_ok(field.element, element):
                raise type_error(Field(field.key, field.path, kind=field.element), element)
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


# --- specs shared by several operations ------------------------------------------------------

RCC = Field("ReturnConsumedCapacity", "returnConsumedCapacity", enum=RETURN_CONSUMED_CAPACITY)
RICM = Field(
    "ReturnItemCollectionMetrics", "returnItemCollectionMetrics", enum=RETURN_ITEM_COLLECTION_METRICS
)
COND_OP = Field("ConditionalOperator", "conditionalOperator", enum=CONDITIONAL_OPERATOR)
RV = Field("ReturnValues", "returnValues", enum=RETURN_VALUES)
RVOCCF = Field(
    "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", enum=RETURN_VALUES_ON_CCF
)
# Legacy condition maps (reference §5.6): only the JSON shape is checked here; operators, arity and
# value types are the legacy converters' business (expressions/legacy.py), with their own texts.
_CONDITION = (
    Field("AttributeValueList", "attributeValueList", kind="list"),
    Field("ComparisonOperator", "comparisonOperator"),
)
_EXPECTED = (Field("Value", "value", kind="map"), Field("Exists", "exists", kind="bool")) + _CONDITION
_UPDATE_VALUE = (Field("Value", "value", kind="map"), Field("Action", "action"))
EXPECTED = Field("Expected", "expected", kind="map", map_values=_EXPECTED)
EAN = Field("ExpressionAttributeNames", "expressionAttributeNames", kind="map")
EAV = Field("ExpressionAttributeValues", "expressionAttributeValues", kind="map")
ATG = Field("AttributesToGet", "attributesToGet", kind="list", min_len=1, element="str")
TABLE = table_name(arn_ok=True)
EXPRESSION_FIELDS = {
    "ConditionExpression": Field("ConditionExpression", "conditionExpression"),
    "UpdateExpression": Field("UpdateExpression", "updateExpression"),
    "ProjectionExpression": Field("ProjectionExpression", "projectionExpression"),
    "FilterExpression": Field("FilterExpression", "filterExpression"),
    "KeyConditionExpression": Field("KeyConditionExpression", "keyConditionExpression"),
}

PUT_ITEM = (
    TABLE,
    Field("Item", "item", kind="map", not_null=True),
    EXPECTED,
    RV,
    RCC,
    RICM,
    COND_OP,
    EXPRESSION_FIELDS["ConditionExpression"],
    EAN,
    EAV,
    RVOCCF,
)
GET_ITEM = (
    TABLE,
    Field("Key", "key", kind="map", not_null=True),
    ATG,
    Field("ConsistentRead", "consistentRead", kind="bool"),
    RCC,
    EXPRESSION_FIELDS["ProjectionExpression"],
    EAN,
)
UPDATE_ITEM = (
    TABLE,
    Field("Key", "key", kind="map", not_null=True),
    Field("AttributeUpdates", "attributeUpdates", kind="map", map_values=_UPDATE_VALUE),
    EXPECTED,
    COND_OP,
    RV,
    RCC,
    RICM,
    EXPRESSION_FIELDS["UpdateExpression"],
    EXPRESSION_FIELDS["ConditionExpression"],
    EAN,
    EAV,
    RVOCCF,
)
DELETE_ITEM = (
    TABLE,
    Field("Key", "key", kind="map", not_null=True),
    EXPECTED,
    COND_OP,
    RV,
    RCC,
    RICM,
    EXPRESSION_FIELDS["ConditionExpression"],
    EAN,
    EAV,
    RVOCCF,
)
_INDEX_NAME = Field("IndexName", "indexName", pattern=TABLE_NAME_PATTERN, min_len=3, max_len=255)
QUERY = (
    TABLE,
    _INDEX_NAME,
    Field("Select", "select", enum=SELECT),
    ATG,
    Field("Limit", "limit", kind="int", min_value=1),
    Field("ConsistentRead", "consistentRead", kind="bool"),
    Field("KeyConditions", "keyConditions", kind="map", map_values=_CONDITION),
    Field("QueryFilter", "queryFilter", kind="map", map_values=_CONDITION),
    COND_OP,
    Field("ScanIndexForward", "scanIndexForward", kind="bool"),
    Field("ExclusiveStartKey", "exclusiveStartKey", kind="map"),
    RCC,
    EXPRESSION_FIELDS["ProjectionExpression"],
    EXPRESSION_FIELDS["FilterExpression"],
    EXPRESSION_FIELDS["KeyConditionExpression"],
    EAN,
    EAV,
)
SCAN = (
    TABLE,
    _INDEX_NAME,
    ATG,
    Field("Limit", "limit", kind="int", min_value=1),
    Field("Select", "select", enum=SELECT),
    Field("ScanFilter", "scanFilter", kind="map", map_values=_CONDITION),
    COND_OP,
    Field("ExclusiveStartKey", "exclusiveStartKey", kind="map"),
    RCC,
    Field("TotalSegments", "totalSegments", kind="int", min_value=1, max_value=1000000),
    Field("Segment", "segment", kind="int", min_value=0, max_value=999999),
    EXPRESSION_FIELDS["ProjectionExpression"],
    EXPRESSION_FIELDS["FilterExpression"],
    EAN,
    EAV,
    Field("ConsistentRead", "consistentRead", kind="bool"),
)
BATCH_GET_ITEM = (
    Field("RequestItems", "requestItems", kind="map", not_null=True, min_len=1, max_len=100),
    RCC,
)
BATCH_WRITE_ITEM = (
    Field("RequestItems", "requestItems", kind="map", not_null=True, min_len=1, max_len=25),
    RCC,
    RICM,
)

_ATTRIBUTE_DEFINITIONS = (
    Field("AttributeName", "attributeName", not_null=True, min_len=1, max_len=255),
    Field("AttributeType", "attributeType", not_null=True, enum=SCALAR_TYPES),
)
_KEY_SCHEMA = (
    Field("AttributeName", "attributeName", not_null=True, min_len=1, max_len=255),
    Field("KeyType", "keyType", not_null=True, enum=KEY_TYPES),
)
_THROUGHPUT = (
    Field("ReadCapacityUnits", "readCapacityUnits", kind="int", not_null=True, min_value=1),
    Field("WriteCapacityUnits", "writeCapacityUnits", kind="int", not_null=True, min_value=1),
)
_STREAM = (
    Field("StreamEnabled", "streamEnabled", kind="bool", not_null=True),
    Field("StreamViewType", "streamViewType", enum=STREAM_VIEW_TYPES),
)
_TAGS = (
    Field("Key", "key", not_null=True, min_len=1, max_len=128),
    Field("Value", "value", not_null=True, min_len=0, max_len=256),
)

_PROJECTION = (
    Field("ProjectionType", "projectionType", enum=("ALL", "KEYS_ONLY", "INCLUDE")),
    Field(
        "NonKeyAttributes",
        "nonKeyAttributes",
        kind="list",
        min_len=1,
        max_len=20,
        element="str",
        element_max_len=255,
    ),
)  # V16
_LSI = (
    table_name("IndexName", "indexName"),
    Field("KeySchema", "keySchema", kind="list", not_null=True, min_len=1, max_len=2, items=_KEY_SCHEMA),
    Field("Projection", "projection", kind="struct", not_null=True, items=_PROJECTION),
)
_GSI = _LSI + (Field("ProvisionedThroughput", "provisionedThroughput", kind="struct", items=_THROUGHPUT),)

CREATE_TABLE = (
    Field(
        "AttributeDefinitions",
        "attributeDefinitions",
        kind="list",
        not_null=True,
        items=_ATTRIBUTE_DEFINITIONS,
    ),
    table_name(),
    Field("KeySchema", "keySchema", kind="list", not_null=True, min_len=1, max_len=2, items=_KEY_SCHEMA),
    Field("LocalSecondaryIndexes", "localSecondaryIndexes", kind="list", items=_LSI),
    Field("GlobalSecondaryIndexes", "globalSecondaryIndexes", kind="list", items=_GSI),
    Field("BillingMode", "billingMode", enum=BILLING_MODES),
    Field("ProvisionedThroughput", "provisionedThroughput", kind="struct", items=_THROUGHPUT),
    Field("StreamSpecification", "streamSpecification", kind="struct", items=_STREAM),
    Field("SSESpecification", "sSESpecification", kind="struct"),
    Field("Tags", "tags", kind="list", items=_TAGS),
    Field("TableClass", "tableClass", enum=TABLE_CLASSES),
    Field("DeletionProtectionEnabled", "deletionProtectionEnabled", kind="bool"),
)
DESCRIBE_TABLE = (TABLE,)
DELETE_TABLE = (TABLE,)
LIST_TABLES = (
    table_name("ExclusiveStartTableName", "exclusiveStartTableName", not_null=False),
    Field("Limit", "limit", kind="int", min_value=1, max_value=100),
)
UPDATE_TABLE = (
    Field("AttributeDefinitions", "attributeDefinitions", kind="list", items=_ATTRIBUTE_DEFINITIONS),
    TABLE,
    Field("BillingMode", "billingMode", enum=BILLING_MODES),
    Field("ProvisionedThroughput", "provisionedThroughput", kind="struct", items=_THROUGHPUT),
    Field(
        "GlobalSecondaryIndexUpdates",
        "globalSecondaryIndexUpdates",
        kind="list",
        items=(
            Field(
                "Update",
                "update",
                kind="struct",
                items=(
                    table_name("IndexName", "indexName"),
                    Field("ProvisionedThroughput", "provisionedThroughput", kind="struct", items=_THROUGHPUT),
                ),
            ),
            Field("Create", "create", kind="struct", items=_GSI),
            Field("Delete", "delete", kind="struct", items=(table_name("IndexName", "indexName"),)),
        ),
    ),
    Field("StreamSpecification", "streamSpecification", kind="struct", items=_STREAM),
    Field("SSESpecification", "sSESpecification", kind="struct"),
    Field("ReplicaUpdates", "replicaUpdates", kind="list"),
    Field("TableClass", "tableClass", enum=TABLE_CLASSES),
    Field("DeletionProtectionEnabled", "deletionProtectionEnabled", kind="bool"),
)
_ARN = Field("ResourceArn", "resourceArn", not_null=True, min_len=1, max_len=1283)
TAG_RESOURCE = (_ARN, Field("Tags", "tags", kind="list", not_null=True, items=_TAGS))
UNTAG_RESOURCE = (_ARN, Field("TagKeys", "tagKeys", kind="list", not_null=True, element="str"))
LIST_TAGS_OF_RESOURCE = (_ARN, Field("NextToken", "nextToken"))

# --- time to live (reference §13.3 TTL1) ------------------------------------------------------
_TTL_SPEC = (
    Field("Enabled", "enabled", kind="bool", not_null=True),
    Field("AttributeName", "attributeName", not_null=True, min_len=1, max_len=255),
)
UPDATE_TIME_TO_LIVE = (
    TABLE,
    Field(
        "TimeToLiveSpecification", "timeToLiveSpecification", kind="struct", not_null=True, items=_TTL_SPEC
    ),
)
DESCRIBE_TIME_TO_LIVE = (TABLE,)

# --- transactions (reference §10 T1, T7, T9, T10) --------------------------------------------
# Member order as in the service model (botocore TransactWriteItem: ConditionCheck, Put, Delete,
# Update); ConditionCheck's ConditionExpression and Update's UpdateExpression are required (T7).
_TX_TABLE = table_name(arn_ok=True)
_TX_KEY = Field("Key", "key", kind="map", not_null=True)
_TX_TAIL = (EAN, EAV, RVOCCF)
_TX_CONDITION = Field("ConditionExpression", "conditionExpression")
_TX_CONDITION_CHECK = (
    _TX_KEY,
    _TX_TABLE,
    Field("ConditionExpression", "conditionExpression", not_null=True),
) + _TX_TAIL
_TX_PUT = (Field("Item", "item", kind="map", not_null=True), _TX_TABLE, _TX_CONDITION) + _TX_TAIL
_TX_DELETE = (_TX_KEY, _TX_TABLE, _TX_CONDITION) + _TX_TAIL
_TX_UPDATE = (
    _TX_KEY,
    Field("UpdateExpression", "updateExpression", not_null=True),
    _TX_TABLE,
    _TX_CONDITION,
) + _TX_TAIL
TRANSACT_WRITE_ACTIONS = ("ConditionCheck", "Put", "Delete", "Update")
TRANSACT_WRITE_ITEMS = (
    Field(
        "TransactItems",
        "transactItems",
        kind="list",
        not_null=True,
        min_len=1,
        max_len=100,
        items=(
            Field("ConditionCheck", "conditionCheck", kind="struct", items=_TX_CONDITION_CHECK),
            Field("Put", "put", kind="struct", items=_TX_PUT),
            Field("Delete", "delete", kind="struct", items=_TX_DELETE),
            Field("Update", "update", kind="struct", items=_TX_UPDATE),
        ),
    ),
    RCC,
    RICM,
    Field("ClientRequestToken", "clientRequestToken", min_len=1, max_len=36),
)
TRANSACT_GET_ITEMS = (
    Field(
        "TransactItems",
        "transactItems",
        kind="list",
        not_null=True,
        min_len=1,
        max_len=100,
        items=(
            Field(
                "Get",
                "get",
                kind="struct",
                not_null=True,
                items=(_TX_KEY, _TX_TABLE, Field("ProjectionExpression", "projectionExpression"), EAN),
            ),
        ),
    ),
    RCC,
)
