"""The Step Functions runtime's failure causes and error texts, as constants or small functions.

One place to fix wording, as ``dynamodb/messages.py`` is for DynamoDB; tests may import these.
The texts are AWS's as observed (reference §10, RES-*, MAP-09), oddities included; ``[INF]``
marks wording that is ours where AWS's is unmeasured. The validator's definition-time messages
live in ``asl/validate_messages.py``; the API's in the operation modules.
Sections: task resources, Lambda, nested executions, DynamoDB, Map item sources, and the
interpreter's own (states and execution).
"""

from __future__ import annotations

from typing import Any

# --- task resources ---------------------------------------------------------------------------

TIMEOUT = "States.Timeout"
TASK_FAILED = "States.TaskFailed"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"


def not_emulated(resource: str) -> str:
    """A task resource that nothing answers (neither built in nor registered)."""
    return (
        f"The resource '{resource}' is not emulated. Register a Python callable for it "
        f"with @aws.stepfunctions.task('{resource}')."
    )


def activity_missing(resource: str) -> str:
    return f"The activity {resource} does not exist."


def data_limit(name: str) -> str:
    """``States.DataLimitExceeded`` of a task result over 256 KiB (LIM-01)."""
    return (
        f"The state/task '{name}' returned a result with a size exceeding the maximum number of "
        "bytes service limit."
    )


def unable_to_marshal(exc: BaseException) -> str:
    """The ``errorMessage`` of Lambda's ``Runtime.MarshalError`` for a result JSON cannot hold."""
    return f"Unable to marshal response: {exc}"


# --- Lambda -----------------------------------------------------------------------------------

FUNCTION_NAME_REQUIRED = '[The field "FunctionName" is required]'


def parameters_unusable(parameters_json: str, problem: str) -> str:
    """``States.Runtime`` of a Task whose ``Parameters`` the integration cannot start with."""
    return f"The Parameters '{parameters_json}' could not be used to start the Task: {problem}"


def function_not_found(arn: str, request_id: str, register_arn: str) -> str:
    """``Lambda.ResourceNotFoundException`` (AWS's text), plus how to emulate the function."""
    return (
        f"Function not found: {arn} (Service: AWSLambda; Status Code: 404; Error Code: "
        f"ResourceNotFoundException; Request ID: {request_id}; Proxy: null). To emulate it, register a "
        f"Python callable: @aws.stepfunctions.task('{register_arn}')"
    )


# --- nested executions ------------------------------------------------------------------------


def step_functions_error(message: str, status: int, code: str, request_id: str) -> str:
    """The cause of a ``StepFunctions.<Code>`` failure of ``states:startExecution``."""
    return (
        f"{message} (Service: AWSStepFunctions; Status Code: {status}; Error Code: "
        f"{code}; Request ID: {request_id}; Proxy: null)"
    )


# --- DynamoDB ---------------------------------------------------------------------------------


def dynamodb_optimized_error(message: str, status: int, code: str, request_id: str) -> str:
    """The cause of a ``DynamoDB.<Code>`` failure of an optimized ``dynamodb:*Item`` task."""
    return (
        f"{message} (Service: AmazonDynamoDBv2; Status Code: {status}; Error Code: "
        f"{code}; Request ID: {request_id}; Proxy: null)"
    )


def dynamodb_sdk_error(message: str, status: int, request_id: str) -> str:
    """The cause of a ``DynamoDb.<Code>`` failure of an ``aws-sdk:dynamodb:*`` task."""
    return f"{message} (Service: DynamoDb, Status Code: {status}, Request ID: {request_id})"


def dynamodb_unavailable(exc: BaseException) -> str:
    return f"The in-process DynamoDB is not available: {exc}"


# --- Map item sources (ItemReader, ItemBatcher; MAP-09) ---------------------------------------

ITEM_READER_FAILED = "States.ItemReaderFailed"
MAX_ITEMS_NEGATIVE = "field MaxItems must be positive"
NON_ITERABLE = "Attempting to map over non-iterable node."
DUPLICATE_HEADERS = "CSV headers cannot contain duplicates."
NOT_UTF8 = "Unable to decode the S3 object as UTF-8."  # [INF]
BUCKET_REQUIRED = "The ItemReader parameters must contain a Bucket."  # [INF]
KEY_REQUIRED = "The ItemReader parameters must contain a Key."  # [INF]
# [INF] the AWS SDK's NoSuchKey / NoSuchBucket messages as Step Functions reports them
NO_SUCH_KEY = "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: null)"
NO_SUCH_BUCKET = "The specified bucket does not exist. (Service: S3, Status Code: 404, Request ID: null)"


def jsonl_unparsable(line: str) -> str:
    return f"Unable to parse JSONL line: {line}"  # [INF]


def input_type_unsupported(input_type: str) -> str:
    return f"InputType {input_type} is not supported by this emulator."


def path_no_results(path: str) -> str:
    return f"Invalid path '{path}' : No results for path: {path}"


def max_items_path_not_integer(shown: str, path: str) -> str:
    return f'The MaxItemsPath field refers to value "{shown}" which is not a valid integer: {path}'


# --- runtime: states and execution ---------------------------------------------------------------
# Causes the interpreter (runtime/states/, runtime/threads.py, runtime/execution.py) records in
# ``…Failed`` events and DescribeExecution. A cause of ``States.Runtime`` or
# ``States.QueryEvaluationError`` gets AWS's "An error occurred while executing the state …" prefix
# in front (failures.error_prefix), added by the runner.

NO_CHOICE_MATCHED = "No Choice rule was matched and no Default was specified."
"""``States.NoChoiceMatched`` of a Choice state without Default (wording INF)."""

WAIT_TOO_LONG = "Wait state delay is too long."
"""``States.Runtime`` of a Wait due 2^31 seconds or more ahead (WAIT-04)."""

TOLERANCE_EXCEEDED = "The specified tolerated failure threshold was exceeded"
"""``States.ExceedToleratedFailureThreshold`` of a Map past ToleratedFailureCount/Percentage,
on ``MapStateFailed`` and the execution."""

COUNT_NEGATIVE = "ToleratedFailureCount cannot be negative."
"""``States.Runtime`` of a ToleratedFailureCountPath value below 0."""

PERCENTAGE_OUT_OF_RANGE = "ToleratedFailurePercentage must be between 0 and 100."
"""``States.Runtime`` of a ToleratedFailurePercentagePath value outside 0..100."""

HISTORY_FULL = "The execution reached the maximum number of history events (25000)."
"""``States.Runtime`` of a Standard execution at its 25,000th event (HIS-06)."""


def unexpected_result_type(
    quoted_expression: str, field: str, expected: str, actual: str, value_text: str
) -> str:
    """``States.QueryEvaluationError`` of a JSONata field with a result of the wrong type (JA-08);
    ``quoted_expression`` is ``" '<trimmed expression>'"`` or empty."""
    return (
        f"The JSONata expression{quoted_expression} specified for the field '{field}' returned an "
        f"unexpected result type. Expected '{expected}', but was '{actual}' for value: {value_text}"
    )


def timestamp_unparsable(text: Any) -> str:
    """``States.QueryEvaluationError`` of a JSONata Wait ``Timestamp`` that is no ISO-8601 date-time
    (WAIT-03)."""
    return (
        f"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"
    )


def path_not_an_input_value(field: str, path: str) -> str:
    """``States.Runtime`` of a SecondsPath/TimestampPath/TimeoutSecondsPath/HeartbeatSecondsPath
    that finds nothing (WAIT-02)."""
    return f"The {field} parameter does not reference an input value: {path}"


def seconds_not_a_long(path: str, shown: str) -> str:
    """``States.Runtime`` of a SecondsPath value that is no integer (WAIT-02)."""
    return f"The SecondsPath parameter cannot be parsed as a long value: {path} == {shown}"


def seconds_negative(path: str, shown: str) -> str:
    """``States.Runtime`` of a negative SecondsPath value (WAIT-02)."""
    return f"The SecondsPath parameter references a negative value: {path} == {shown}"


def timestamp_path_invalid(path: str, shown: str) -> str:
    """``States.Runtime`` of a TimestampPath value that is no ISO-8601 date-time (WAIT-03)."""
    return (
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
        f"date-time format string: {path} == {shown}"
    )


def path_invalid_value(field: str, path: str, shown: str) -> str:
    """``States.Runtime`` of a TimeoutSecondsPath/HeartbeatSecondsPath value that is not a positive
    integer."""
    return f"The {field} parameter references an invalid value: {path} == {shown}"


def map_input_not_array(value_text: str) -> str:
    """``States.QueryEvaluationError`` of a JSONata Map whose items are not an array (JA-12)."""
    return f"Map state input must be an array but was: {value_text}"


def items_not_array(path: str) -> str:
    """``States.Runtime`` of a JSONPath Map whose ItemsPath value is not an array."""
    return f'Reference path "{path}" must point to array.'


def field_not_valid(field: str, shown: str, kind: str, path: str) -> str:
    """``States.Runtime`` of a Map …Path field (MaxConcurrencyPath, ToleratedFailure…Path,
    MaxItemsPath, ItemBatcher …Path) whose value is not a valid ``kind``."""
    return f'The {field} field refers to value "{shown}" which is not a valid {kind}: {path}'


def field_not_a_number(field: str) -> str:
    """``States.QueryEvaluationError`` of a JSONata ToleratedFailurePercentage that is no number."""
    return f"The field '{field}' must be a number"


def fail_path_not_found(path: str, field: str, input_text: str) -> str:
    """``States.Runtime`` of a Fail ErrorPath/CausePath that finds nothing."""
    return (
        f"The JSONPath '{path}' specified for the field '{field}' could not be found in the input "
        f"'{input_text}'"
    )


def internal_error(exc: BaseException) -> str:
    """``States.Runtime`` of an execution an emulator bug stopped [INF: ours, never AWS's]."""
    return (
        f"Internal emulator error ({type(exc).__name__}: {exc}). "
        "Please report it with the definition and input."
    )
