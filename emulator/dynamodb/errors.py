"""DynamoDB's error codes as :class:`~emulator.errors.AWSError` subclasses.

Namespaces follow the wire (docs/rules/dynamodb.md W2): modelled errors live in
``com.amazonaws.dynamodb.v20120810``, ValidationException in ``com.amazon.coral.validate`` and the
protocol-level ones in ``com.amazon.coral.service``. W3: the transaction errors use ``Message``, and
so does SerializationException (dynalite's live-tested ``assertSerialization`` expects ``Message``).
Import the classes by name (``from emulator.dynamodb.errors import ValidationException``);
``ERRORS`` maps code → class for ``client.exceptions``.
"""

from __future__ import annotations

from ..errors import AWSError
from ..service import error_table

NS = "com.amazonaws.dynamodb.v20120810"
CORAL_SERVICE = "com.amazon.coral.service"
CORAL_VALIDATE = "com.amazon.coral.validate"

ERRORS: dict[str, type[AWSError]] = error_table(
    NS,
    ("ValidationException", {"namespace": CORAL_VALIDATE}),
    ("SerializationException", {"namespace": CORAL_SERVICE, "message_key": "Message"}),
    ("UnknownOperationException", {"namespace": CORAL_SERVICE}),
    ("AccessDeniedException", {"namespace": CORAL_SERVICE}),
    ("UnrecognizedClientException", {"namespace": CORAL_SERVICE}),
    ("InternalServerError", {"status": 500, "sender_fault": False}),
    "ResourceNotFoundException",
    "ResourceInUseException",
    "ConditionalCheckFailedException",
    ("TransactionCanceledException", {"message_key": "Message"}),
    "TransactionConflictException",
    ("TransactionInProgressException", {"message_key": "Message"}),
    ("IdempotentParameterMismatchException", {"message_key": "Message"}),
    "ItemCollectionSizeLimitExceededException",
    "LimitExceededException",
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "DuplicateItemException",
    "BackupInUseException",
    "BackupNotFoundException",
    "ContinuousBackupsUnavailableException",
    "ExportConflictException",
    "ExportNotFoundException",
    "GlobalTableAlreadyExistsException",
    "GlobalTableNotFoundException",
    "ImportConflictException",
    "ImportNotFoundException",
    "IndexNotFoundException",
    "InvalidExportTimeException",
    "InvalidRestoreTimeException",
    "PointInTimeRecoveryUnavailableException",
    "PolicyNotFoundException",
    "ReplicaAlreadyExistsException",
    "ReplicaNotFoundException",
    "ReplicatedWriteConflictException",
    "TableAlreadyExistsException",
    "TableInUseException",
    "TableNotFoundException",
    "ExpiredIteratorException",
    "TrimmedDataAccessException",
)

ValidationException = ERRORS["ValidationException"]
SerializationException = ERRORS["SerializationException"]
UnknownOperationException = ERRORS["UnknownOperationException"]
AccessDeniedException = ERRORS["AccessDeniedException"]
InternalServerError = ERRORS["InternalServerError"]
ResourceNotFoundException = ERRORS["ResourceNotFoundException"]
ResourceInUseException = ERRORS["ResourceInUseException"]
ConditionalCheckFailedException = ERRORS["ConditionalCheckFailedException"]
TransactionCanceledException = ERRORS["TransactionCanceledException"]
TransactionConflictException = ERRORS["TransactionConflictException"]
LimitExceededException = ERRORS["LimitExceededException"]
ProvisionedThroughputExceededException = ERRORS["ProvisionedThroughputExceededException"]
ExpiredIteratorException = ERRORS["ExpiredIteratorException"]
TrimmedDataAccessException = ERRORS["TrimmedDataAccessException"]
PolicyNotFoundException = ERRORS["PolicyNotFoundException"]
