"""Every DynamoDB message text, as constants or small formatting functions.

One place to fix wording; tests import these. Texts come from docs/rules/dynamodb.md and are AWS's
verbatim, oddities included (``of2048``, the double space in ``An string set  may not be empty``).
Sections: values, expressions, keys/engine, operations.
"""

from __future__ import annotations

# --- values ---------------------------------------------------------------------------------

INVALID = "One or more parameter values were invalid: "
#: Coral's one-error envelope, which current AWS puts before some custom texts too (issue 11 rule 3;
#: see ``wrapped`` and docs/dynamodb-conformance.md for which ones and the evidence).
ONE_ERROR = "1 validation error detected: "


def wrapped(message: str) -> str:
    """``message`` in Coral's one-error envelope (``1 validation error detected: ...``)."""
    return ONE_ERROR + message


AV_EMPTY = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
AV_MULTIPLE = (
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes"
)
NULL_NOT_TRUE = INVALID + "Null attribute value types must have the value of true"
NUMBER_EMPTY = "The parameter cannot be converted to a numeric value"
NUMBER_OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
NUMBER_UNDERFLOW = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)
NUMBER_PRECISION = "Attempting to store more than 38 significant digits in a Number"
SS_EMPTY = INVALID + "An string set  may not be empty"  # sic: two spaces
NS_EMPTY = INVALID + "An number set  may not be empty"  # sic: two spaces
BS_EMPTY = INVALID + "Binary sets should not be empty"
#: The empty-set texts that an item (PutItem's Item, a Key) answers in the one-error envelope
#: (issue 11 rule 3, AWS-checked external suite); ExpressionAttributeValues and
#: ExclusiveStartKey keep their own V17 wording around the bare text.
EMPTY_SETS = frozenset((SS_EMPTY, NS_EMPTY, BS_EMPTY))
NS_DUPLICATES = "Input collection contains duplicates"  # sic: no prefix
NESTING_TOO_DEEP = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit"
)
ATTRIBUTE_NAME_EMPTY = INVALID + "Empty attribute name"  # [INF] exact AWS wording unverified (V15)
ATTRIBUTE_NAME_TOO_LONG = (
    INVALID + "Attribute name exceeds the maximum allowed length of 65535 bytes"
)  # [INF] exact AWS wording unverified (V15)
WRONG_JSON_TYPE = "{json} cannot be converted to {target}"  # SerializationException shape


def number_invalid(text: str) -> str:
    return f"The parameter cannot be converted to a numeric value: {text}"


def ss_duplicates(shown: str) -> str:
    return f"{INVALID}Input collection {shown} contains duplicates."


def bs_duplicates(shown: str) -> str:
    return f"{INVALID}Input collection {shown}of type BS contains duplicates."  # sic: no space


def in_expression_values(message: str, key: str) -> str:
    return f"ExpressionAttributeValues contains invalid value: {message} for key {key}"


def in_start_key(message: str) -> str:
    return f"The provided starting key is invalid: {message}"


# --- expressions ----------------------------------------------------------------------------


def expression_invalid(kind: str, message: str) -> str:
    """E9: ``Invalid ConditionExpression: <message>``."""
    return f"Invalid {kind}: {message}"


def invalid_placeholder_key(parameter: str, key: str) -> str:
    """E1."""
    return f'{parameter} contains invalid key: Syntax error; key: "{key}"'


def ean_empty_name(key: str) -> str:
    """V15 in ExpressionAttributeNames: a ``#name`` standing for the empty attribute name (text seen
    from AWS by applications [3P] and from DynamoDB Local)."""
    return f"ExpressionAttributeNames contains invalid value: Empty attribute name for key {key}"


def placeholder_key_too_long(parameter: str, size: int) -> str:
    """L3: an ExpressionAttributeNames key longer than 255 bytes [3P: DynamoDB Local probe, emulator code]."""
    return (
        f"{parameter} contains invalid key: The expression attribute map contains a key that is too long; "
        f"size of key: {size}"
    )


def unused_placeholders(parameter: str, keys: list[str]) -> str:
    """E4."""
    return wrapped(f"Value provided in {parameter} unused in expressions: keys: {{{', '.join(keys)}}}")


EXPRESSION_EMPTY = "The expression can not be empty;"
REDUNDANT_PARENTHESES = "The expression has redundant parentheses;"
INVALID_OPERATOR_IN_KEY_CONDITION = "Invalid operator used in KeyConditionExpression: {op}"
KEY_CONDITION_NESTED_OPERATIONS = "KeyConditionExpressions cannot contain nested operations"
KEY_CONDITION_ONE_PER_KEY = "KeyConditionExpressions must only contain one condition per key"
KEY_CONDITION_NESTED_ATTRIBUTES = "KeyConditionExpressions cannot have conditions on nested attributes"
KEY_CONDITION_MULTIPLE_NAMES = (
    "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"
)
KEY_CONDITION_NO_KEY = "Invalid condition in KeyConditionExpression: No key attribute specified"
KEY_CONDITION_FIRST_OPERAND = (
    "Invalid condition in KeyConditionExpression: {op} operator must have the key "
    "attribute as its first operand"
)
KEY_CONDITION_LENGTH = "Conditions can be of length 1 or 2 only"
KEY_CONDITION_NOT_SUPPORTED = "Query key condition not supported"
KEY_CONDITION_TYPE_MISMATCH = INVALID + "Condition parameter type does not match schema type"
KEY_CONDITION_NOT_INDEXABLE = "Attempted conditional constraint is not an indexable operation"
UPDATE_MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item"
UPDATE_OPERAND_TYPE = "An operand in the update expression has an incorrect data type"
UPDATE_INVALID_PATH = "The document path provided in the update expression is invalid for update"


def key_condition_missed(name: str) -> str:
    return f"Query condition missed key schema element: {name}"


def range_equality_required(prior: str, later: str) -> str:
    """Multi-attribute GSI keys: a RANGE attribute before one with a condition lacks an equality."""
    return (
        f"RANGE key attributes {prior} must have equality conditions specified in the query "
        f"because a condition is present on key attribute {later}"
    )


def reserved_keyword(name: str) -> str:
    return f"Attribute name is a reserved keyword; reserved keyword: {name}"


def undefined_name(ref: str) -> str:
    return f"An expression attribute name used in the document path is not defined; attribute name: {ref}"


def undefined_value(ref: str) -> str:
    return f"An expression attribute value used in expression is not defined; attribute value: {ref}"


def unknown_function(name: str) -> str:
    return f"Invalid function name; function: {name}"


def misused_function(name: str) -> str:
    return f"The function is not allowed to be used this way in an expression; function: {name}"


def function_not_in_condition(name: str) -> str:
    """C3: an UpdateExpression function (if_not_exists, list_append) in a condition-grammar expression."""
    return f"The function is not allowed in a condition expression; function: {name}"


def function_not_in_update(name: str) -> str:
    """U8: a condition function (size, attribute_exists, ...) in an UpdateExpression."""
    return f"The function is not allowed in an update expression; function: {name}"


def operand_count(name: str, count: int) -> str:
    return (
        f"Incorrect number of operands for operator or function; operator or function: {name}, "
        f"number of operands: {count}"
    )


def requires_path(name: str) -> str:
    return f"Operator or function requires a document path; operator or function: {name}"


def operand_type(name: str, type_: str) -> str:
    return f"Incorrect operand type for operator or function; operator or function: {name}, operand type: {type_}"


def update_operand_type(operator: str, type_name: str) -> str:
    """U12/U13: ADD/DELETE with a constant of the wrong type (type names STRING, NUMBER, ...)."""
    return f"Incorrect operand type for operator or function; operator: {operator}, operand type: {type_name}"


def attribute_type_name_invalid(name: str) -> str:
    return f"Invalid attribute type name found; type: {name}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}"


def operands_not_distinct(operator: str, path: str) -> str:
    return (
        "The first operand must be distinct from the remaining operands for this operator or function; "
        f"operator: {operator}, first operand: {path}"
    )


def between_types(low: str, high: str) -> str:
    return (
        "The BETWEEN operator requires same data type for lower and upper bounds; "
        f"lower bound operand: AttributeValue: {low}, upper bound operand: AttributeValue: {high}"
    )


def between_order(low: str, high: str) -> str:
    return (
        "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
        f"lower bound operand: AttributeValue: {low}, upper bound operand: AttributeValue: {high}"
    )


def in_too_many(count: int) -> str:
    return f"The IN operator is provided with too many operands; number of operands: {count}"  # [INF]


def paths_overlap(one: str, two: str) -> str:
    return (
        "Two document paths overlap with each other; must remove or rewrite one of these paths; "
        f"path one: {one}, path two: {two}"
    )


def paths_conflict(one: str, two: str) -> str:
    return (
        "Two document paths conflict with each other; must remove or rewrite one of these paths; "
        f"path one: {one}, path two: {two}"
    )


def section_once(section: str) -> str:
    return f'The "{section}" section can only be used once in an update expression;'


def expression_too_large(size: int) -> str:
    return f"Expression size has exceeded the maximum allowed size; expression size: {size}"


def too_many_operators(count: int) -> str:
    return f"The expression contains too many operators; operator count: {count}"


def path_too_deep(levels: int) -> str:
    """P5: a document path deeper than the 32-level nesting limit."""
    return f"The document path has too many nesting levels; nesting levels: {levels}"


# Legacy parameters (§5.6)
def legacy_arity(operator: str) -> str:
    return INVALID + f"Invalid number of argument(s) for the {operator} ComparisonOperator"


LEGACY_SAME_TYPE = INVALID + "AttributeValues inside AttributeValueList must be of same type"
LEGACY_BETWEEN_ORDER = (
    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
)
LEGACY_NO_VALUE_NO_DELETE = INVALID + "Only DELETE action is allowed when no attribute value is specified"
LEGACY_UPDATE_TYPE_MISMATCH = "Type mismatch for attribute to update"


def legacy_operator_type(operator: str, type_: str) -> str:
    return INVALID + f"ComparisonOperator {operator} is not valid for {type_} AttributeValue type"


def legacy_value_required(attribute: str, exists: str) -> str:
    """``exists`` is ``true`` or ``null``."""
    return INVALID + f"Value must be provided when Exists is {exists} for Attribute: {attribute}"


def legacy_value_with_exists_false(attribute: str) -> str:
    return INVALID + f"Value cannot be used when Exists is false for Attribute: {attribute}"


def legacy_exists_with_operator(attribute: str) -> str:
    return INVALID + f"Exists and ComparisonOperator cannot be used together for Attribute: {attribute}"


def legacy_value_and_list(attribute: str) -> str:
    return INVALID + f"Value and AttributeValueList cannot be used together for Attribute: {attribute}"


def legacy_list_without_operator(attribute: str) -> str:
    return (
        INVALID + f"AttributeValueList can only be used with a ComparisonOperator for Attribute: {attribute}"
    )


def legacy_operator_needs_values(operator: str, attribute: str) -> str:
    return (
        INVALID + f"Value or AttributeValueList must be used with ComparisonOperator: {operator} "
        f"for Attribute: {attribute}"
    )


def legacy_delete_unsupported(type_: str) -> str:
    return INVALID + f"DELETE action with value is not supported for the type {type_}"


def legacy_add_unsupported(type_: str) -> str:
    return INVALID + f"ADD action is not supported for the type {type_}"


def legacy_duplicate_attribute(name: str) -> str:
    return INVALID + f"Duplicate value in attribute name: {name}"


# --- keys and engine ------------------------------------------------------------------------

KEY_SCHEMA_MISMATCH = "The provided key element does not match the schema"
HASH_KEY_TOO_LARGE = (
    INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"
)  # sic: of2048
RANGE_KEY_TOO_LARGE = INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"


def key_param_empty(kind: str, name: str) -> str:
    """K4, ``Key`` parameter wording; ``kind`` is ``string`` or ``binary``."""
    return (
        INVALID + f"The AttributeValue for a key attribute cannot contain an empty {kind} value. Key: {name}"
    )


def item_key_empty(kind: str, name: str) -> str:
    """K4, PutItem wording ("are not valid." — a different prefix from the Key parameter's)."""
    return (
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        f"contain an empty {kind} value. Key: {name}"
    )


def item_missing_key(name: str) -> str:
    """K5: the item lacks a table key attribute."""
    return INVALID + f"Missing the key {name} in the item"


def item_key_type_mismatch(name: str, expected: str, actual: str) -> str:
    """K5: a key attribute of the wrong type."""
    return INVALID + f"Type mismatch for key {name} expected: {expected} actual: {actual}"


# --- operations -----------------------------------------------------------------------------

RESOURCE_NOT_FOUND = "Requested resource not found"


def table_not_found(name: str) -> str:
    """Control-plane ResourceNotFoundException text (§17)."""
    return f"Requested resource not found: Table: {name} not found"


def table_exists(name: str) -> str:
    """CT1."""
    return f"Table already exists: {name}"


# CreateTable (CT2-CT5, TH1)
FIRST_KEY_NOT_HASH = "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
SECOND_KEY_NOT_RANGE = "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"
KEYS_SAME_NAME = "Both the Hash Key and the Range Key element in the KeySchema have the same name"
# multi-attribute GSI keys (up to 4 HASH + 4 RANGE attributes)
HASH_AFTER_RANGE = INVALID + "All HASH key attributes must precede RANGE key attributes in the KeySchema"
KEY_SCHEMA_SAME_NAMES = "The KeySchema contains multiple key attributes with the same name"


def too_many_key_attributes(key_type: str) -> str:
    """More than four HASH (or RANGE) attributes in a GSI's KeySchema."""
    return INVALID + f"The KeySchema exceeds the maximum allowed number of {key_type} key attributes"


ATTRIBUTE_COUNT_MISMATCH = (
    INVALID + "Number of attributes in KeySchema does not exactly match number of "
    "attributes defined in AttributeDefinitions"
)
THROUGHPUT_REQUIRED = (
    INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
    "BillingMode is PROVISIONED"
)
THROUGHPUT_FORBIDDEN = (
    INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
    "BillingMode is PAY_PER_REQUEST"
)
STREAM_VIEW_TYPE_REQUIRED = (
    INVALID + "Table is being created with a stream enabled, UpdateViewType is required"
)  # [3P] unverified (CT5)
DELETION_PROTECTED = (
    "Resource cannot be deleted as it is currently protected against deletion. Disable "
    "deletion protection first."
)


def attribute_duplicated(name: str) -> str:
    return f"Attribute Name is duplicated: {name}"


def keys_not_defined(keys: list[str], definitions: list[str]) -> str:
    return (
        INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
        f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(definitions)}]"
    )


def throughput_out_of_bounds(value: int, member: str) -> str:
    return f"Given value {value} for {member} is out of bounds"


def indexes_empty(member: str) -> str:
    """CT4: an empty LocalSecondaryIndexes / GlobalSecondaryIndexes list."""
    return INVALID + f"List of {member} is empty"


def unsupported_by_emulator(member: str) -> str:
    """Not an AWS text: a parameter this emulator does not implement (said plainly, never ignored)."""
    return INVALID + f"{member} is not supported by this emulator"


def duplicate_projected_attribute(name: str) -> str:
    """X4: a NonKeyAttributes list naming one attribute twice (issue 11 rule 10) [INF] wording."""
    return INVALID + f"Duplicate projected attribute: {name}"


def gsi_create_without_definitions(index: str) -> str:
    """X2: a GSI Create in an UpdateTable without AttributeDefinitions (ack-api-quirks
    DDB-TABLE-162, verified against AWS 2026-10-08)."""
    return f"AttributeDefinitions is not specified for index: {index}"


# UpdateTable (UT1, TH2)
UPDATE_TABLE_NOTHING = (
    "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
    "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
    "MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
    "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is "
    "required"
)


def throughput_unchanged(rcu: int, wcu: int) -> str:
    return (
        "The provisioned throughput for the table will not change. The requested value equals the "
        f"current value. Current ReadCapacityUnits provisioned for the table: {rcu}. Requested "
        f"ReadCapacityUnits: {rcu}. Current WriteCapacityUnits provisioned for the table: {wcu}. "
        f"Requested WriteCapacityUnits: {wcu}. Refer to the Amazon DynamoDB Developer Guide for "
        "current limits and how to request higher limits."
    )


def stream_already_enabled(name: str) -> str:
    return f"Table already has an enabled stream: TableName: {name}"


def stream_not_enabled(name: str) -> str:
    return f"Table has no stream to disable: TableName: {name}"


# --- global tables, version 2019.11.21 (UpdateTable ReplicaUpdates; docs/dynamodb-conformance.md) ---

REPLICA_UPDATE_ONLY = INVALID + "Replica modification must be the only operation in the request"
REPLICA_NO_ACTION = "There are no actions specified in the Replica Update Action of the request."
REPLICA_MIXED_ACTIONS = "Update table operation with more than one type of replica actions not allowed."
REPLICA_SEVERAL_ACTIONS = "Update table operation with more than one create or delete replica actions not allowed"  # [INF] final punctuation: captured without context
REPLICA_LOCAL_REGION = (
    "Cannot add or delete the local region through ReplicaUpdates. "
    "Use CreateTable, DeleteTable, or UpdateTable as required."
)
REPLICA_WRITE_CAPACITY = "Table write capacity should either be Pay-Per-Request or AutoScaled."
REPLICA_STREAM_DISABLE = INVALID + "Disabling Stream is not allowed for a Global Table replica."


def replica_exists(table: str) -> str:
    """Create of a member region, or of a region holding a table of that name (sic: 'a the', and
    AWS's typographic quotes)."""
    return (
        f"Failed to create a the new replica of table with name: \u2018{table}\u2019 because one or "
        "more replicas already existed as tables."
    )


def replica_not_member(regions: list[str]) -> str:
    """Update or Delete of a region that is not a member of the global table."""
    return (
        "Update global table operation failed because one or more replicas were not part of the "
        f"global table. Please retry the request without these replicas: [{', '.join(regions)}]."
    )


def replica_region_unsupported(region: str, supported: list[str]) -> str:
    """A RegionName that is no AWS region of DynamoDB (the list: botocore's, [INF] order)."""
    return (
        f"Region {region} is not supported. The latest version of global tables are only supported "
        f"in the following regions: [{', '.join(supported)}]"
    )


def replica_deletion_protected(table: str, region: str) -> str:
    """ReplicaUpdates Delete of a replica whose own deletion protection is on."""
    return (
        f"Cannot delete table {table} in region {region} because it has deletion protection "
        "enabled. Disable deletion protection first."
    )


# Tags (TG1)
TAGS_EMPTY = "Atleast one Tag needs to be provided as Input."  # sic
TAG_KEYS_EMPTY = "Atleast one Tag Key needs to be provided as Input."  # sic
TAGS_TOO_MANY = "Number of Tags exceed the current limit for the provided ResourceArn"
INVALID_ARN = "Invalid TableArn"


def arn_not_found(arn: str) -> str:
    return f"Requested resource not found: ResourcArn: {arn} not found"  # sic: ResourcArn


def invalid_resource_arn(arn: str) -> str:
    """The 2022 text (ALT test_tag.py quotes it for an index ARN); kept for stream ARNs, which the
    newer text below names as accepted [INF]."""
    return f"Invalid TableArn: Invalid ResourceArn provided as input {arn}"


#: A ResourceArn that does not start with ``arn:`` (ALT test_tag.py, newest: "newer [DynamoDB]
#: returns ValidationException saying \"ARNs must start with 'arn:'\""; the full text is [INF]).
ARN_PREFIX_REQUIRED = "ARNs must start with 'arn:'"

#: TG1: a tag key or value outside AWS's tag alphabet (Coral's pattern form [INF]).
TAG_PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"


def not_table_or_stream_arn(arn: str) -> str:
    """An ARN that names neither a table nor a stream (an index ARN, another service's, a
    malformed one): the 2026 text quoted by ALT test_tag.py::test_tag_lsi_gsi."""
    return (
        "One or more parameter values were invalid: Invalid resource arn provided, only table or stream is "
        f"accepted. Provided resource arn: {arn}"
    )


def tag_access_denied(caller_account: str, action: str, arn: str) -> str:
    """A table ARN of another account: IAM's cross-account denial, as AWS words it for other
    actions [INF: the caller is shown as the account root]."""
    return (
        f"User: arn:aws:iam::{caller_account}:root is not authorized to perform: dynamodb:{action} on resource: "
        f"{arn} because no resource-based policy allows the dynamodb:{action} action"
    )


# Items (I5, I7, E2, E3, E6, S2)
RETURN_VALUES_PUT_DELETE = "ReturnValues can only be ALL_OLD or NONE"
CONDITIONAL_CHECK_FAILED = "The conditional request failed"
ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size"
UPDATE_ITEM_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"
EAN_EMPTY = "ExpressionAttributeNames must not be empty"
EAV_EMPTY = wrapped("ExpressionAttributeValues must not be empty")  # issue 11 rule 3
EAN_WITHOUT_EXPRESSIONS = "ExpressionAttributeNames can only be specified when using expressions"
CONDITIONAL_OPERATOR_WITHOUT_CONDITIONS = (
    INVALID + "ConditionalOperator can only be used when Filter or Expected conditions have been specified"
)  # [INF] dynalite text


def eav_without_expressions(null_expressions: list[str]) -> str:
    """E3: ``...: UpdateExpression and ConditionExpression are null``."""
    joined = " and ".join(null_expressions)
    verb = "is" if len(null_expressions) == 1 else "are"
    return f"ExpressionAttributeValues can only be specified when using expressions: {joined} {verb} null"


def mixed_parameters(legacy: list[str], expression: list[str]) -> str:
    """E6."""
    return (
        "Can not use both expression and non-expression parameters in the same request: "
        f"Non-expression parameters: {{{', '.join(legacy)}}} "
        f"Expression parameters: {{{', '.join(expression)}}}"
    )


def cannot_update_key(name: str) -> str:
    """K9."""
    return INVALID + f"Cannot update attribute {name}. This attribute is part of the key"


# Batches (B1, B2, B4)
BATCH_DUPLICATES = "Provided list of item keys contains duplicates"
BATCH_GET_TOO_MANY = "Too many items requested for the BatchGetItem call"
BATCH_WRITE_TOO_MANY = "Too many items requested for the BatchWriteItem call"

# Query and Scan (Q5-Q11, KC1, C16)
KEY_CONDITION_REQUIRED = (
    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
)
START_KEY_INVALID = "The provided starting key is invalid"
START_KEY_SCHEMA = "The provided starting key is invalid: The provided key element does not match the schema"
START_KEY_OUTSIDE = "The provided starting key is outside query boundaries based on provided conditions"
START_KEY_RANGE = "The provided starting key does not match the range key predicate"
SEGMENT_WITHOUT_TOTAL = (
    "The TotalSegments parameter is required but was not present in the request when "
    "Segment parameter is present"
)
TOTAL_WITHOUT_SEGMENT = (
    "The Segment parameter is required but was not present in the request when parameter "
    "TotalSegments is present"
)
# Q7: the Select texts. Query answers them in the one-error envelope, Scan bare (moto's
# AWS-verified tests/test_dynamodb/test_dynamodb_select.py); ``select_message`` applies it.
ALL_PROJECTED_ON_TABLE = "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
SPECIFIC_WITHOUT_PROJECTION = (
    "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
)


def select_message(message: str, *, query: bool) -> str:
    """A Select/projection text as Query (wrapped) or Scan (bare) answers it."""
    return wrapped(message) if query else message


def segment_not_less(segment: int, total: int) -> str:
    return (
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        f"Segment: {segment} is not less than TotalSegments: {total}"
    )


def start_key_wrong_segment(total: int, segment: int) -> str:
    return (
        "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey "
        f"with correct Segment. TotalSegments: {total} Segment: {segment}"
    )


def start_key_hash_only(shown: str) -> str:
    return f"The provided exclusive start key is invalid: ExclusiveStartKey: {shown}"


def projection_with_select(select: str, member: str = "ProjectionExpression") -> str:
    what = {
        "ALL_ATTRIBUTES": "get ALL_ATTRIBUTES",
        "ALL_PROJECTED_ATTRIBUTES": "get ALL_PROJECTED_ATTRIBUTES",
        "COUNT": "get only the Count",
    }[select]
    return f"Cannot specify the {member} when choosing to {what}"


def key_path_not_scalar(kind: str, name: str) -> str:
    """K8: ``kind`` is ``Key`` (a table key attribute) or ``IndexKey`` (an index key attribute)."""
    return (
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
        f"{kind}: {name}"
    )


def filter_on_key(name: str, legacy: bool = False) -> str:
    if legacy:
        return f"QueryFilter can only contain non-primary key attributes: Primary key attribute: {name}"
    return f"Filter Expression can only contain non-primary key attributes: Primary key attribute: {name}"


def no_such_index(name: str) -> str:
    return f"The table does not have the specified index: {name}"


# Secondary indexes (X1-X4, K7, K10, Q7, Q8, CT4, TH1) — operations section, continued
INDEX_KEY_UNSUPPORTED_TYPE = (
    "The update expression attempted to update the secondary index key to unsupported type"
)
GSI_CONSISTENT_READ = "Consistent reads are not supported on global secondary indexes"
LSI_NEEDS_TABLE_RANGE = (
    INVALID + "Table KeySchema does not have a range key, which is required when specifying "
    "a LocalSecondaryIndex"
)
UNKNOWN_PROJECTION_TYPE = INVALID + "Unknown ProjectionType: null"


def index_key_type_mismatch(name: str, expected: str, actual: str, index: str) -> str:
    """K7."""
    return (
        INVALID
        + f"Type mismatch for Index Key {name} Expected: {expected} Actual: {actual} IndexName: {index}"
    )


def duplicate_index_name(name: str) -> str:
    return INVALID + f"Duplicate index name: {name}"


def lsi_hash_mismatch(index: str, index_hash: str, table_hash: str) -> str:
    return (
        INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema for index: "
        f"{index}. index hash key: {index_hash}, table hash key: {table_hash}"
    )


def lsi_without_range(index: str) -> str:
    return INVALID + f"Index KeySchema does not have a range key for index: {index}"


def too_many_lsis() -> str:
    return INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5"


def too_many_gsis() -> str:
    return INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20"


# L2: the text quoted by a [3P] CloudFormation linter; the "invalid:" prefix is assumed, as on its
# siblings above (a substring match on the quoted text still succeeds).
TOO_MANY_PROJECTED = INVALID + "Number of projected attributes in all indexes exceeds limit of 100"


def projection_non_key_forbidden(projection_type: str) -> str:
    return INVALID + f"ProjectionType is {projection_type}, but NonKeyAttributes is specified"


def projection_non_key_required() -> str:
    return INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"


def index_throughput_missing(index: str) -> str:
    return INVALID + f"ProvisionedThroughput is not specified for index: {index}"


def index_throughput_forbidden(index: str) -> str:
    return (
        INVALID
        + f"ProvisionedThroughput should not be specified for index: {index} when BillingMode is PAY_PER_REQUEST"
    )


def definitions_not_used(definitions: list[str], keys: list[str]) -> str:
    return (
        INVALID
        + f"Some AttributeDefinitions are not used. AttributeDefinitions: [{', '.join(definitions)}], "
        f"keys used: [{', '.join(keys)}]"
    )


def select_all_on_gsi(index: str) -> str:
    return (
        INVALID
        + f"Select type ALL_ATTRIBUTES is not supported for global secondary index {index} because its "
        "projection type is not ALL"
    )


def gsi_does_not_project(index: str, names: list[str]) -> str:
    """Q7: a projection asking a GSI for attributes it does not project (AWS text quoted in
    localstack#478; the joiner for several names is assumed to be ``", "``)."""
    return INVALID + f"Global secondary index {index} does not project [{', '.join(names)}]"


# UpdateTable GlobalSecondaryIndexUpdates (X2, X3, X10) — operations section, continued
ONE_ONLINE_INDEX = (
    "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"
)
INDEX_EXISTS = "Attempting to create an index which already exists"
GSI_UPDATE_ONE_ACTION = (
    INVALID + "One of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update or "
    "GlobalSecondaryIndexUpdate.Delete must be specified"
)  # [INF] wording unverified


def gsi_update_twice(index: str) -> str:
    return (
        INVALID
        + f"Only one global secondary index update per index is allowed simultaneously. Index: {index}"
    )


def attribute_redefined(name: str, old: str, new: str) -> str:
    return (
        INVALID + "Attributes cannot be redefined. Please check that your attribute has the same type as "
        f"previously defined. Existing schema: {{{name}={old}}} New schema: {{{name}={new}}}"
    )  # [INF] schema format


def index_throughput_must(index: str) -> str:
    return INVALID + f"ProvisionedThroughput must be specified for index: {index}"


def index_not_found(index: str) -> str:
    return f"Requested resource not found: Index: {index} not found"  # [INF] AWS names only the code


def not_a_gsi(index: str) -> str:
    return f"Cannot delete an index that is not a GlobalSecondaryIndex: {index}"


# --- injected faults (emulator/faults/; docs/dynamodb-conformance.md "Fault injection") -------
# Texts an injected error carries when the test gives no ``message=``. Sources: TH3 and §17 of the
# DynamoDB rules, DG Programming.Errors ("Error messages and codes").
# The texts the capacity model throttles with (TH3), also what an injected throttle says.
PROVISIONED_THROUGHPUT_EXCEEDED = (
    "The level of configured provisioned throughput for the table was exceeded. "
    "Consider increasing your provisioning level with the UpdateTable API."
)
INDEX_PROVISIONED_THROUGHPUT_EXCEEDED = (
    "The level of configured provisioned throughput for one or more global secondary indexes of the "
    "table was exceeded. Consider increasing your provisioning level for the under-provisioned global "
    "secondary indexes with the UpdateTable API"
)
THROTTLED_ON_DEMAND = (
    "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically "
    "scaling your table or index so please try again shortly. If exceptions persist, check if you "
    "have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
)
# [DG] for CreateTable, UpdateTable, DeleteTable called too rapidly:
THROTTLED_CONTROL = "Rate of requests exceeds the allowed throughput."
ACCOUNT_LIMIT_EXCEEDED = (
    "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at "
    "https://aws.amazon.com/support request a limit increase"
)  # §17; the part after "account." [INF]
TOO_MANY_OPERATIONS = "Too many operations for a given subscriber."  # §17 LimitExceededException
INTERNAL_SERVER_ERROR = "Internal server error"  # [INF] DG names only "Internal Server Error (HTTP 500)"
SERVICE_UNAVAILABLE = "Service unavailable"  # [INF] DG: "Service Unavailable (HTTP 503)"
TRANSACTION_IN_PROGRESS = "Transaction is in progress"  # [INF] T9: AWS's text unverified


# --- transactions (reference §10, T1-T12) ---------------------------------------------------

TRANSACT_ONE_ITEM = "Transaction request cannot include multiple operations on one item"  # T2
TRANSACT_ONE_ACTION = "TransactItems can only contain one of Check, Put, Update or Delete"  # [3P] moto asserts it for several members (T1); for none [INF] the same
TRANSACT_PAYLOAD_TOO_LARGE = "Transaction payload size cannot exceed 4 MB"  # [INF] T3: AWS's text contains "size cannot exceed" (ALT); rest unverified
IDEMPOTENT_MISMATCH = "The request uses the same client token as a previous, but non-identical request."  # [INF] T9: AWS's text for DynamoDB unverified
COLLECTION_SIZE_EXCEEDED = "Collection size exceeded."  # T5 ItemCollectionSizeLimitExceeded reason
TRANSACTION_CONFLICT = "Transaction is ongoing for the item"  # T5/T11 [INF]


def transaction_cancelled(codes: list[str]) -> str:
    """T5: TransactionCanceledException's message, listing every action's reason code in order."""
    return (
        f"Transaction cancelled, please refer cancellation reasons for specific reasons [{', '.join(codes)}]"
    )


# --- PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction; docs/dynamodb-conformance.md
# "PartiQL"). [DDBL]: DynamoDB Local's PartiQL message table (ValidationExceptionMessages), which
# mirrors the service's; [3P]: other emulators' tests recorded against AWS; [INF]: our wording.
PQL_NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "  # [DDBL]
PQL_EXPECTED_DML = "Expected data manipulation"  # [3P]
PQL_TOKEN_AFTER_EXPRESSION = "Unexpected token after expression"  # [3P]
PQL_UNEXPECTED_CHAR = "Unexpected character '{}'"  # [INF]
PQL_UNEXPECTED_END = "Unexpected end of statement"  # [INF]
PQL_UNEXPECTED_TOKEN = "Unexpected token '{}'"  # [INF]
PQL_EXPECTED = "Expected {}"  # [INF]
PQL_EXPECTED_IDENTIFIER = "Expected identifier"  # [INF]
PQL_UNEXPECTED_PATH = "Unexpected path component"  # [DDBL]
PQL_BOOLEAN_WHERE = "WHERE clause must contain an expression that resolves to a boolean"  # [DDBL]
PQL_ALIAS_UNSUPPORTED = "Aliasing is not supported"  # [DDBL]
PQL_INSERT_MULTIPLE = (
    "Unsupported operation: Inserting multiple items in a single statement is not supported, "
    'use "INSERT INTO tableName VALUE item" instead'
)  # [DDBL]
PQL_INSERT_NOT_STRUCT = (
    "Unsupported format in item expression. Please use struct format {...} to express item values "
    "for insert statement."
)  # [DDBL]
PQL_INCOMPLETE_KEY = "Where clause does not contain a mandatory equality on all key attributes"  # [DDBL][3P]
PQL_RETURNING_SYNTAX = "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"  # [DDBL]
PQL_IS_OPERAND = "The left hand side argument to IS must be a Variable Reference, Literal, or Path"  # [DDBL]
PQL_INVALID_IN = (
    "IN operator must have a left hand argument of type Variable Reference and right hand argument "
    "of type Seq with at least one member"
)  # [DDBL]
PQL_MISSING_LITERAL = "MISSING must be compared using IS operator"  # [DDBL]
PQL_PARAMETER_COUNT = "Number of parameters in request and statement don't match."  # [DDBL]
PQL_DUPLICATE_ITEM = "Duplicate primary key exists in table"  # AWS CLI output in AWS's docs; [DDBL]
PQL_EMPTY_BAG = "Empty bags are not supported"  # [DDBL]
PQL_BAG_TYPE = (
    "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"  # [DDBL]
)
PQL_INDEX_WRITE = "This operation is not supported on an index"  # [DDBL]
PQL_GSI_CONSISTENT_READ = "Strongly consistent read is not supported on Global Secondary Indexes"  # [DDBL]
PQL_INVALID_NEXT_TOKEN = "Invalid NextToken"  # [DDBL]
PQL_NEXT_TOKEN_MISMATCH = "NextToken does not match request"  # [DDBL]
PQL_ORDER_BY_NO_WHERE = "Must have WHERE clause in the statement when using ORDER BY clause."  # [DDBL]
PQL_ORDER_BY_NO_HASH = "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."  # [DDBL]
PQL_TX_READ_KEYS = (
    "Select statements within ExecuteTransaction must specify the primary key in the where clause."  # [DDBL]
)
PQL_TX_INDEX = "Reads on indices are not supported within transactions."  # [DDBL]
PQL_EXISTS_OUTSIDE_TX = "EXISTS can only be used in ExecuteTransaction write requests."  # [DDBL]
PQL_EXISTS_KEYS = "EXISTS() must contain a single item read with additional condition"  # [DDBL]
PQL_TX_MIXED = "Unsupported operation: a transaction must contain only reads or only writes"  # [INF]
PQL_BATCH_MIXED = "Unsupported operation: a batch must contain only reads or only writes"  # [INF]
PQL_STAR_AND_OTHERS = "Other attributes should not be present in the projection when '*' is used."  # [DDBL]
PQL_INVALID_TABLE_NAME = "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'."  # [DDBL]
PQL_BATCH_READ_KEYS = "Batch read statements must specify the full primary key in the where clause"  # [INF]


def partiql_syntax(what: str, line: int, column: int) -> str:
    """A syntax error: AWS's prefix, the reason, and where (the position's wording is [INF]; the
    reasons [3P] captured without one keep their exact text)."""
    if what in (PQL_EXPECTED_DML, PQL_TOKEN_AFTER_EXPRESSION):
        return PQL_NOT_WELL_FORMED + what
    return f"{PQL_NOT_WELL_FORMED}{what} at line {line}, column {column}"


def pql_delete_returning(return_values: str) -> str:
    words = return_values.replace("UPDATED", "MODIFIED").replace("_", " ")
    return (
        f"Invalid returning clause: RETURNING {words} *. Only RETURNING ALL OLD * is allowed in "
        "DELETE statements."
    )  # [DDBL]


def pql_unsupported_is(word: str) -> str:
    return (
        f"Unsupported data type for IS operator: {word}. Supported data types are [MISSING, NULL, "
        "BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"
    )  # [DDBL]


def pql_unrecognized_function(name: str) -> str:
    return f"Unrecognized function: {name}"  # [DDBL]


def pql_tuple_key_type(found: str) -> str:
    return f"Tuple keys must be of type String. Actual type: {found}"  # [DDBL], without its "under" part


def pql_order_by_not_key(name: str) -> str:
    return f"Variable reference {name} in ORDER BY clause must be part of the primary key"  # [DDBL]


def pql_multiple_key_conditions(name: str) -> str:
    return f"Multiple conditions on same key {name}. Only single item Update/Insert/Delete are supported"  # [DDBL]


def pql_in_batch(index: int, message: str) -> str:
    return f"Validation failed in statements[{index}]: {message}"  # [DDBL]


# --- DynamoDB Streams (reference §14, ST1-ST11) ---------------------------------------------

ITERATOR_EXPIRED = "The provided iterator exceeds the maximum age allowed."  # ST7
DATA_TRIMMED = "The data you are trying to access has been trimmed"  # ST7
INVALID_SHARD_ITERATOR = "Invalid ShardIterator"  # [INF] AWS's text unverified
INVALID_SHARD_ID_IN_ITERATOR = "Invalid ShardId in ShardIterator"  # [3P] DynamoDB Local / SDK logs
SHARD_FILTER_NEEDS_SHARD_ID = "ShardFilter must specify a ShardId for type CHILD_SHARDS"  # [INF]


def stream_not_found(arn: str) -> str:
    """ResourceNotFoundException for a well-formed StreamArn that names no stream (ST10) [INF text]."""
    return f"Requested resource not found: Stream: {arn} not found"


def invalid_stream_arn(arn: str) -> str:
    """ValidationException for a malformed StreamArn (ST10; the code is [ALT], the text [INF])."""
    return f"Invalid StreamArn: {arn}"


def shard_not_found(shard_id: str, arn: str) -> str:
    """ResourceNotFoundException for a ShardId the stream does not have [INF text]."""
    return f"Requested resource not found: Shard: {shard_id} in Stream: {arn} not found"


def sequence_number_required(iterator_type: str) -> str:
    """AT_/AFTER_SEQUENCE_NUMBER without a SequenceNumber [INF text]."""
    return f"SequenceNumber is required for ShardIteratorType: {iterator_type}"


def invalid_sequence_number(seq: str, shard_id: str) -> str:
    """A SequenceNumber that is not a number of this shard [INF text]."""
    return f"Invalid SequenceNumber: {seq} for shard: {shard_id}"


# --- backups and point-in-time recovery (docs/dynamodb-conformance.md, "Backups and PITR") -----
#: [3P] moto's texts for these modelled errors; AWS's own are not captured [INF].


def backup_not_found(arn: str) -> str:
    """BackupNotFoundException (DescribeBackup, DeleteBackup, RestoreTableFromBackup) [3P moto]."""
    return f"Backup not found: {arn}"


def backup_table_not_found(name: str) -> str:
    """TableNotFoundException of the backup and PITR operations [3P moto]."""
    return f"Table not found: {name}"


def restore_target_exists(name: str) -> str:
    """TableAlreadyExistsException for a restore's TargetTableName [3P moto]."""
    return f"Table already exists: {name}"


def pitr_not_enabled(name: str) -> str:
    """PointInTimeRecoveryUnavailableException: the source table has no PITR [INF]."""
    return f"Point in time recovery is not enabled for table '{name}'"


def invalid_restore_time(when: str, earliest: str, latest: str) -> str:
    """InvalidRestoreTimeException: outside the recovery window [INF; the model's doc string says
    'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime']."""
    return (
        f"Invalid RestoreDateTime {when}: RestoreDateTime must be between "
        f"EarliestRestorableDateTime {earliest} and LatestRestorableDateTime {latest}"
    )


RESTORE_TIME_REQUIRED = (
    INVALID + "Either RestoreDateTime or UseLatestRestorableTime must be specified"
)  # [INF]
RESTORE_TIME_BOTH = (
    INVALID + "RestoreDateTime cannot be specified when UseLatestRestorableTime is set to true"
)  # [INF]
RESTORE_SOURCE_REQUIRED = INVALID + "Either SourceTableArn or SourceTableName must be specified"  # [INF]
RESTORE_SOURCE_BOTH = INVALID + "Only one of SourceTableArn or SourceTableName can be specified"  # [INF]


def index_override_unknown(name: str) -> str:
    """An index override naming an index the source table does not have [INF]."""
    return INVALID + f"Index {name} does not exist on the source table"


# --- time to live (reference §13.3 TTL1) ------------------------------------------------------
TTL_ALREADY_ENABLED = "TimeToLive is already enabled"  # [3P]
TTL_ALREADY_DISABLED = "TimeToLive is already disabled"  # [ALT] mentions "disabled"; wording [3P]
TTL_MODIFIED_TOO_OFTEN = "Time to live has been modified multiple times within a fixed interval"


def ttl_different_attribute(current: str) -> str:
    """Disabling TTL with another AttributeName than the enabled one (TTL1, [3P])."""
    return f"TimeToLive is active on a different AttributeName: current AttributeName is {current}"


# Resource-based policies (RP1-RP4, docs/dynamodb-conformance.md "Resource policies and the table
# lifecycle"): moto's AWS-verified tests and the ack-api-quirks findings DDB-TABLE-211/212.
INVALID_PARAMETERS = "One or more parameter values were invalid: "
POLICY_TOO_LARGE = INVALID_PARAMETERS + "Maximum policy size of 20480 bytes exceeded"
POLICY_INVALID_JSON = INVALID_PARAMETERS + "Invalid policy document: This policy contains invalid Json"
POLICY_EMPTY_STATEMENT = (
    INVALID_PARAMETERS + "Invalid policy document: Could not parse the policy: Statement is empty!"
)
POLICY_MISSING_RESOURCE = INVALID_PARAMETERS + "Invalid policy document: Missing required field Resource"
POLICY_OTHER_ACCOUNT = (
    "This action is only supported by accounts that match the resource owner\u2019s account."
)


def policy_arn_prefix_required(arn: str) -> str:
    return f"{INVALID_PARAMETERS}ARNs must start with 'arn:': {arn}"


def policy_invalid_arn(arn: str) -> str:
    """Another region's or partition's ARN."""
    return f"{INVALID_PARAMETERS}Invalid resource Arn: {arn}"


def policy_not_a_resource(arn: str) -> str:
    """A DynamoDB ARN that names no table or stream (a backup's, say)."""
    return f"{INVALID_PARAMETERS}Provided Arn is not a DynamoDB resource arn: {arn}"


def policy_not_found(arn: str) -> str:
    return f"Resource-based policy not found for the provided ResourceArn: {arn}"


def policy_revision_mismatch(expected: str, table: str, current: str) -> str:
    return (
        "Resource-based policy not found for the provided ResourceArn: Requested update for policy with "
        f"revision id {expected}, but the policy associated to target table {table} has revision id {current}."
    )


def policy_expected_none(table: str, current: str) -> str:
    return (
        "Resource-based policy not found for the provided ResourceArn: Requested policy update expecting "
        f"none to be present for table {table}, but a policy exists with revision id {current}."
    )


def policy_stream_not_found(label: str, table: str) -> str:
    return f"Requested resource not found: Stream: {label} not found for Table: {table}"


# The table lifecycle (LC1-LC4): a table that is not ACTIVE refuses changes.
def table_in_use(status: str, name: str) -> str:
    """ResourceInUseException for a change to a CREATING, UPDATING or DELETING table."""
    doing = {"CREATING": "created", "UPDATING": "updated", "DELETING": "deleted"}[status]
    return f"Attempt to change a resource which is still in use: Table is being {doing}: {name}"


# --- stream consumers (Lambda's CreateEventSourceMapping answers; docs/dynamodb-conformance.md) -
def consumer_constraint(value: object, member: str, constraint: str) -> str:
    """Lambda's ValidationException for a setting out of its modelled range (Coral's wording)."""
    return f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"


CONSUMER_BAD_FILTER = "Invalid filter pattern definition."  # [3P] Lambda's text; the reason follows [INF]
CONSUMER_AT_TIMESTAMP = "Unsupported starting position for DynamoDB Streams: AT_TIMESTAMP"  # [INF]


def consumer_no_stream(table: str) -> str:
    """The table has no enabled stream to read (CreateEventSourceMapping's EventSourceArn) [INF]."""
    return f"Stream not found: table {table} has no enabled stream (set StreamSpecification first)"


def consumer_no_table(table: str) -> str:
    """No such table (or stream ARN) in this account and region [INF]."""
    return f"Stream not found: no table or stream {table}"


# --- exports to and imports from S3 (docs/dynamodb-conformance.md, "Exports and imports") -------
#: The errors' texts are not captured from AWS [INF] except where a docstring says otherwise.

#: InvalidExportTimeException: the service model's documentation of the error shape.
EXPORT_TIME_OUTSIDE_WINDOW = "The specified ExportTime is outside of the point in time recovery window."
INCREMENTAL_SPEC_REQUIRED = "IncrementalExportSpecification is required for an INCREMENTAL_EXPORT"
INCREMENTAL_NO_EXPORT_TIME = "ExportTime cannot be specified for an INCREMENTAL_EXPORT"
INCREMENTAL_PERIOD = "The incremental export period must be at least 15 minutes and at most 24 hours"
INCREMENTAL_FROM_REQUIRED = "ExportFromTime is required for an INCREMENTAL_EXPORT"


def export_not_found(arn: str) -> str:
    """ExportNotFoundException (DescribeExport) [INF]."""
    return f"Export not found: {arn}"


def import_not_found(arn: str) -> str:
    """ImportNotFoundException (DescribeImport) [INF]."""
    return f"Import not found: {arn}"


def client_token_conflict(kind: str) -> str:
    """Export/ImportConflictException: a ClientToken reused with other parameters [INF]."""
    return (
        f"There was a conflict when attempting to {kind}: the ClientToken was used with different parameters"
    )


# --- the capacity model (Emulator(capacity="enforce"); its throttling texts are with the faults' above) ---


def _utc_long(epoch: float) -> str:
    """AWS's long UTC time in LimitExceeded texts: ``Thursday, October 8, 2026 at 11:20:48 PM
    Coordinated Universal Time``."""
    import datetime as _dt

    d = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    hour = d.hour % 12 or 12
    return (
        f"{d:%A}, {d:%B} {d.day}, {d.year} at {hour}:{d:%M:%S} {'AM' if d.hour < 12 else 'PM'} "
        "Coordinated Universal Time"
    )


def decreases_limited(count: int, last: float, next_allowed: float) -> str:
    """UpdateTable's fifth decrease within an hour of a UTC day (TH2; ack-api-quirks DDB-TABLE-184,
    verified 2026-10-09)."""
    return (
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. "
        "After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most "
        f"once every 3600 seconds. Number of decreases today: {count}. Last decrease at {_utc_long(last)}. "
        f"Next decrease can be made at {_utc_long(next_allowed)}."
    )
