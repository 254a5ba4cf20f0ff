"""Step Functions API error codes as :class:`~emulator.errors.AWSError` subclasses.

These are *API* errors (InvalidArn, ExecutionDoesNotExist, ...). Errors that happen *inside* an
execution (States.TaskFailed, States.Runtime, ...) are not exceptions of the API: they are
:class:`~emulator.stepfunctions.asl.failures.StatesFailure` values that Retry/Catch handle and the
history records.

The namespace is inferred (docs/rules/stepfunctions.md §11: botocore reads only the part after ``#``).
``ValidationException`` carries ``reason``; ``ResourceNotFound`` and ``TooManyTags`` carry
``resourceName`` (pass them as keyword extras).
"""

from __future__ import annotations

from ..errors import AWSError
from ..service import error_table

NS = "com.amazonaws.swf.service.v2.model"
CORAL_SERVICE = "com.amazon.coral.service"

ERRORS: dict[str, type[AWSError]] = error_table(
    NS,
    "ActivityAlreadyExists",
    "ActivityDoesNotExist",
    "ActivityLimitExceeded",
    "ActivityWorkerLimitExceeded",
    ("ConflictException", {"status": 409}),
    "ExecutionAlreadyExists",
    "ExecutionDoesNotExist",
    "ExecutionLimitExceeded",
    "ExecutionNotRedrivable",
    "InvalidArn",
    "InvalidDefinition",
    "InvalidEncryptionConfiguration",
    "InvalidExecutionInput",
    "InvalidLoggingConfiguration",
    "InvalidName",
    "InvalidOutput",
    "InvalidToken",
    "InvalidTracingConfiguration",
    "KmsAccessDeniedException",
    "KmsInvalidStateException",
    "KmsThrottlingException",
    "MissingRequiredParameter",
    "ResourceNotFound",
    ("ServiceQuotaExceededException", {"status": 402}),
    "StateMachineAlreadyExists",
    "StateMachineDeleting",
    "StateMachineDoesNotExist",
    "StateMachineLimitExceeded",
    "StateMachineTypeNotSupported",
    "TaskDoesNotExist",
    "TaskTimedOut",
    "TooManyTags",
    "ValidationException",
    ("SerializationException", {"namespace": CORAL_SERVICE}),
    ("UnknownOperationException", {"namespace": CORAL_SERVICE}),
    ("InternalServerError", {"status": 500, "sender_fault": False, "namespace": CORAL_SERVICE}),
)

globals().update(ERRORS)  # InvalidArn, ExecutionDoesNotExist, ... importable by name
