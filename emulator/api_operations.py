"""Every operation name of each emulated AWS API (botocore 1.43.11 service models).

The native client offers a method for each of them, as boto3 does. An operation the emulator does
not implement yet then answers the way AWS answers an operation it does not know —
``UnknownOperationException`` — instead of an ``AttributeError``, so native code and boto3 code
see the same thing. The lists are data copied from botocore's models, kept here so the core never
imports botocore (only ``wire/`` may).
"""

from __future__ import annotations

#: ``dynamodb``: 57 operations.
DYNAMODB: tuple[str, ...] = (
    "BatchExecuteStatement", "BatchGetItem", "BatchWriteItem", "CreateBackup",
    "CreateGlobalTable", "CreateTable", "DeleteBackup", "DeleteItem", "DeleteResourcePolicy",
    "DeleteTable", "DescribeBackup", "DescribeContinuousBackups", "DescribeContributorInsights",
    "DescribeEndpoints", "DescribeExport", "DescribeGlobalTable", "DescribeGlobalTableSettings",
    "DescribeImport", "DescribeKinesisStreamingDestination", "DescribeLimits", "DescribeTable",
    "DescribeTableReplicaAutoScaling", "DescribeTimeToLive",
    "DisableKinesisStreamingDestination", "EnableKinesisStreamingDestination",
    "ExecuteStatement", "ExecuteTransaction", "ExportTableToPointInTime", "GetItem",
    "GetResourcePolicy", "ImportTable", "ListBackups", "ListContributorInsights", "ListExports",
    "ListGlobalTables", "ListImports", "ListTables", "ListTagsOfResource", "PutItem",
    "PutResourcePolicy", "Query", "RestoreTableFromBackup", "RestoreTableToPointInTime", "Scan",
    "TagResource", "TransactGetItems", "TransactWriteItems", "UntagResource",
    "UpdateContinuousBackups", "UpdateContributorInsights", "UpdateGlobalTable",
    "UpdateGlobalTableSettings", "UpdateItem", "UpdateKinesisStreamingDestination",
    "UpdateTable", "UpdateTableReplicaAutoScaling", "UpdateTimeToLive",
)

#: ``dynamodbstreams``: 4 operations.
DYNAMODB_STREAMS: tuple[str, ...] = (
    "DescribeStream", "GetRecords", "GetShardIterator", "ListStreams",
)

#: ``stepfunctions``: 37 operations.
STEP_FUNCTIONS: tuple[str, ...] = (
    "CreateActivity", "CreateStateMachine", "CreateStateMachineAlias", "DeleteActivity",
    "DeleteStateMachine", "DeleteStateMachineAlias", "DeleteStateMachineVersion",
    "DescribeActivity", "DescribeExecution", "DescribeMapRun", "DescribeStateMachine",
    "DescribeStateMachineAlias", "DescribeStateMachineForExecution", "GetActivityTask",
    "GetExecutionHistory", "ListActivities", "ListExecutions", "ListMapRuns",
    "ListStateMachineAliases", "ListStateMachineVersions", "ListStateMachines",
    "ListTagsForResource", "PublishStateMachineVersion", "RedriveExecution", "SendTaskFailure",
    "SendTaskHeartbeat", "SendTaskSuccess", "StartExecution", "StartSyncExecution",
    "StopExecution", "TagResource", "TestState", "UntagResource", "UpdateMapRun",
    "UpdateStateMachine", "UpdateStateMachineAlias", "ValidateStateMachineDefinition",
)
