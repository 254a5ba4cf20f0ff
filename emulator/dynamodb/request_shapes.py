"""The request shapes of the DynamoDB operations: one tuple of :class:`~.validation.Field` per
operation, which the operation registry carries (``@registry("PutItem", shape=shapes.PUT_ITEM)``)
and ``Service.call`` checks before the handler runs.

The checking itself (types, enums, lengths, patterns, Coral's ``N validation errors detected``
list) is :mod:`.validation`; this module only states what each request may hold.
"""

from __future__ import annotations

from .validation import (
    BILLING_MODES,
    CONDITIONAL_OPERATOR,
    KEY_TYPES,
    RETURN_CONSUMED_CAPACITY,
    RETURN_ITEM_COLLECTION_METRICS,
    RETURN_VALUES,
    RETURN_VALUES_ON_CCF,
    SCALAR_TYPES,
    SELECT,
    STREAM_VIEW_TYPES,
    TABLE_CLASSES,
    TABLE_NAME_PATTERN,
    Field,
    table_name,
)

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
# The operator and action enums are here too, so that their violations are counted and listed with
# the request's others (Coral, issue 11 rule 2); a Condition's ComparisonOperator is required.
COMPARISON_OPERATORS = (
    "EQ", "NE", "LE", "LT", "GE", "GT", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH", "IN", "BETWEEN",
)  # fmt: skip
_CONDITION = (
    Field("AttributeValueList", "attributeValueList", kind="list"),
    Field("ComparisonOperator", "comparisonOperator", not_null=True, enum=COMPARISON_OPERATORS),
)
_EXPECTED = (
    Field("Value", "value", kind="map"),
    Field("Exists", "exists", kind="bool"),
    Field("AttributeValueList", "attributeValueList", kind="list"),
    Field("ComparisonOperator", "comparisonOperator", enum=COMPARISON_OPERATORS),
)
_UPDATE_VALUE = (
    Field("Value", "value", kind="map"),
    Field("Action", "action", enum=("ADD", "PUT", "DELETE")),
)
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
_KEYS_AND_ATTRIBUTES = (
    Field("Keys", "keys", kind="list", not_null=True, min_len=1, max_len=100),
    Field("AttributesToGet", "attributesToGet", kind="list", min_len=1, element="str"),
    Field("ConsistentRead", "consistentRead", kind="bool"),
    Field("ProjectionExpression", "projectionExpression"),
    Field("ExpressionAttributeNames", "expressionAttributeNames", kind="map"),
)
BATCH_GET_ITEM = (
    Field(
        "RequestItems",
        "requestItems",
        kind="map",
        not_null=True,
        min_len=1,
        max_len=100,
        table_name_keys=True,
        map_values=_KEYS_AND_ATTRIBUTES,
    ),
    RCC,
)
BATCH_WRITE_ITEM = (
    Field(
        "RequestItems",
        "requestItems",
        kind="map",
        not_null=True,
        min_len=1,
        max_len=25,
        table_name_keys=True,
        map_value_len=(1, 25),
    ),
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
_GSI = (  # a GSI key may have up to 4 HASH + 4 RANGE attributes (multikey.py checks them)
    _LSI[0],
    Field("KeySchema", "keySchema", kind="list", not_null=True, min_len=1, items=_KEY_SCHEMA),
    _LSI[2],
    Field("ProvisionedThroughput", "provisionedThroughput", kind="struct", items=_THROUGHPUT),
)

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
    Field("ResourcePolicy", "resourcePolicy"),
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

# --- resource-based policies (RP1-RP5) -----------------------------------------------------------
_EXPECTED_REVISION = Field("ExpectedRevisionId", "expectedRevisionId", min_len=1, max_len=255)
PUT_RESOURCE_POLICY = (
    _ARN,
    Field("Policy", "policy", not_null=True),
    _EXPECTED_REVISION,
    Field("ConfirmRemoveSelfResourceAccess", "confirmRemoveSelfResourceAccess", kind="bool"),
)
GET_RESOURCE_POLICY = (_ARN,)
DELETE_RESOURCE_POLICY = (_ARN, _EXPECTED_REVISION)

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

# --- backups and point-in-time recovery (botocore's model: lengths, patterns, enums) ----------
_BACKUP_ARN = Field("BackupArn", "backupArn", not_null=True, min_len=37, max_len=1024)
CREATE_BACKUP = (
    TABLE,
    Field("BackupName", "backupName", not_null=True, pattern=TABLE_NAME_PATTERN, min_len=3, max_len=255),
)
DESCRIBE_BACKUP = (_BACKUP_ARN,)
DELETE_BACKUP = (_BACKUP_ARN,)
LIST_BACKUPS = (
    table_name(not_null=False, arn_ok=True),
    Field("Limit", "limit", kind="int", min_value=1, max_value=100),
    Field("ExclusiveStartBackupArn", "exclusiveStartBackupArn", min_len=37, max_len=1024),
    Field("BackupType", "backupType", enum=("USER", "SYSTEM", "AWS_BACKUP", "ALL")),
)
_RESTORE_OVERRIDES = (
    Field("BillingModeOverride", "billingModeOverride", enum=BILLING_MODES),
    Field("GlobalSecondaryIndexOverride", "globalSecondaryIndexOverride", kind="list", items=_GSI),
    Field("LocalSecondaryIndexOverride", "localSecondaryIndexOverride", kind="list", items=_LSI),
    Field("ProvisionedThroughputOverride", "provisionedThroughputOverride", kind="struct", items=_THROUGHPUT),
    Field("SSESpecificationOverride", "sSESpecificationOverride", kind="struct"),
)
RESTORE_TABLE_FROM_BACKUP = (
    table_name("TargetTableName", "targetTableName"),
    _BACKUP_ARN,
) + _RESTORE_OVERRIDES
RESTORE_TABLE_TO_POINT_IN_TIME = (
    Field("SourceTableArn", "sourceTableArn", min_len=1, max_len=1024),
    table_name("SourceTableName", "sourceTableName", not_null=False),
    table_name("TargetTableName", "targetTableName"),
    Field("UseLatestRestorableTime", "useLatestRestorableTime", kind="bool"),
) + _RESTORE_OVERRIDES
UPDATE_CONTINUOUS_BACKUPS = (
    TABLE,
    Field(
        "PointInTimeRecoverySpecification",
        "pointInTimeRecoverySpecification",
        kind="struct",
        not_null=True,
        items=(
            Field("PointInTimeRecoveryEnabled", "pointInTimeRecoveryEnabled", kind="bool", not_null=True),
            Field("RecoveryPeriodInDays", "recoveryPeriodInDays", kind="int", min_value=1, max_value=35),
        ),
    ),
)
DESCRIBE_CONTINUOUS_BACKUPS = (TABLE,)

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

# --- PartiQL (botocore's ExecuteStatement, BatchExecuteStatement, ExecuteTransaction) ----------
_STATEMENT = Field("Statement", "statement", not_null=True, min_len=1, max_len=8192)
_PARAMETERS = Field("Parameters", "parameters", kind="list", min_len=1)
EXECUTE_STATEMENT = (
    _STATEMENT,
    _PARAMETERS,
    Field("ConsistentRead", "consistentRead", kind="bool"),
    Field("NextToken", "nextToken", min_len=1, max_len=32768),
    RCC,
    Field("Limit", "limit", kind="int", min_value=1),
    RVOCCF,
)
BATCH_EXECUTE_STATEMENT = (
    Field(
        "Statements",
        "statements",
        kind="list",
        not_null=True,
        min_len=1,
        max_len=25,
        items=(_STATEMENT, _PARAMETERS, Field("ConsistentRead", "consistentRead", kind="bool"), RVOCCF),
    ),
    RCC,
)
EXECUTE_TRANSACTION = (
    Field(
        "TransactStatements",
        "transactStatements",
        kind="list",
        not_null=True,
        min_len=1,
        max_len=100,
        items=(_STATEMENT, _PARAMETERS, RVOCCF),
    ),
    Field("ClientRequestToken", "clientRequestToken", min_len=1, max_len=36),
    RCC,
)

# --- exports to and imports from S3 (botocore's model: lengths, patterns, enums) ---------------
_S3_BUCKET = Field(
    "S3Bucket", "s3Bucket", not_null=True, max_len=255, pattern=r"^[a-z0-9A-Z]+[\.\-\w]*[a-z0-9A-Z]+$"
)
_S3_OWNER = Field("S3BucketOwner", "s3BucketOwner", pattern="[0-9]{12}")
_CLIENT_TOKEN = Field("ClientToken", "clientToken", pattern=r"^[^\$]+$")
EXPORT_TABLE_TO_POINT_IN_TIME = (
    Field("TableArn", "tableArn", not_null=True, min_len=1, max_len=1024),
    _CLIENT_TOKEN,
    _S3_BUCKET,
    _S3_OWNER,
    Field("S3Prefix", "s3Prefix", max_len=1024),
    Field("S3SseAlgorithm", "s3SseAlgorithm", enum=("AES256", "KMS")),
    Field("S3SseKmsKeyId", "s3SseKmsKeyId", min_len=1, max_len=2048),
    Field("ExportFormat", "exportFormat", enum=("DYNAMODB_JSON", "ION")),
    Field("ExportType", "exportType", enum=("FULL_EXPORT", "INCREMENTAL_EXPORT")),
    Field(
        "IncrementalExportSpecification",
        "incrementalExportSpecification",
        kind="struct",
        items=(Field("ExportViewType", "exportViewType", enum=("NEW_IMAGE", "NEW_AND_OLD_IMAGES")),),
    ),
)
DESCRIBE_EXPORT = (Field("ExportArn", "exportArn", not_null=True, min_len=37, max_len=1024),)
LIST_EXPORTS = (
    Field("TableArn", "tableArn", min_len=1, max_len=1024),
    Field("MaxResults", "maxResults", kind="int", min_value=1, max_value=25),
)
_IMPORT_TABLE_PARAMETERS = (
    table_name(),
    Field(
        "AttributeDefinitions",
        "attributeDefinitions",
        kind="list",
        not_null=True,
        items=_ATTRIBUTE_DEFINITIONS,
    ),
    Field("KeySchema", "keySchema", kind="list", not_null=True, min_len=1, max_len=2, items=_KEY_SCHEMA),
    Field("BillingMode", "billingMode", enum=BILLING_MODES),
    Field("ProvisionedThroughput", "provisionedThroughput", kind="struct", items=_THROUGHPUT),
    Field("SSESpecification", "sSESpecification", kind="struct"),
    Field("GlobalSecondaryIndexes", "globalSecondaryIndexes", kind="list", items=_GSI),
)
IMPORT_TABLE = (
    _CLIENT_TOKEN,
    Field(
        "S3BucketSource",
        "s3BucketSource",
        kind="struct",
        not_null=True,
        items=(_S3_OWNER, _S3_BUCKET, Field("S3KeyPrefix", "s3KeyPrefix", max_len=1024)),
    ),
    Field("InputFormat", "inputFormat", not_null=True, enum=("DYNAMODB_JSON", "ION", "CSV")),
    Field(
        "InputFormatOptions",
        "inputFormatOptions",
        kind="struct",
        items=(
            Field(
                "Csv",
                "csv",
                kind="struct",
                items=(
                    Field("Delimiter", "delimiter", min_len=1, max_len=1, pattern="[,;:|\\t ]"),
                    Field("HeaderList", "headerList", kind="list", min_len=1, element="str"),
                ),
            ),
        ),
    ),
    Field("InputCompressionType", "inputCompressionType", enum=("GZIP", "ZSTD", "NONE")),
    Field(
        "TableCreationParameters",
        "tableCreationParameters",
        kind="struct",
        not_null=True,
        items=_IMPORT_TABLE_PARAMETERS,
    ),
)
DESCRIBE_IMPORT = (Field("ImportArn", "importArn", not_null=True, min_len=37, max_len=1024),)
LIST_IMPORTS = (
    Field("TableArn", "tableArn", min_len=1, max_len=1024),
    Field("PageSize", "pageSize", kind="int", min_value=1, max_value=25),
    Field("NextToken", "nextToken", min_len=112, max_len=1024, pattern="([0-9a-f]{16})+"),
)
