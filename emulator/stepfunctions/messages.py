"""The Step Functions runtime's failure causes and error texts, as constants or small functions.

One place to fix wording, as ``dynamodb/messages.py`` is for DynamoDB; tests may import these.
The texts are AWS's as observed (reference §10, RES-*, MAP-09), oddities included; ``[INF]``
marks wording that is ours where AWS's is unmeasured. The validator's definition-time messages
live in ``asl/validate_messages.py``; the API's in the operation modules.
Sections: task resources, Lambda, nested executions, DynamoDB, Map item sources.
"""

from __future__ import annotations

# --- task resources ---------------------------------------------------------------------------

TIMEOUT = "States.Timeout"
TASK_FAILED = "States.TaskFailed"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"


def not_emulated(resource: str) -> str:
    """A task resource that nothing answers (neither built in nor registered)."""
    return (f"The resource '{resource}' is not emulated. Register a Python callable for it "
            f"with @aws.stepfunctions.task('{resource}').")


def activity_missing(resource: str) -> str:
    return f"The activity {resource} does not exist."


def data_limit(name: str) -> str:
    """``States.DataLimitExceeded`` of a task result over 256 KiB (LIM-01)."""
    return (f"The state/task '{name}' returned a result with a size exceeding the maximum number of "
            "bytes service limit.")


def unable_to_marshal(exc: BaseException) -> str:
    """The ``errorMessage`` of Lambda's ``Runtime.MarshalError`` for a result JSON cannot hold."""
    return f"Unable to marshal response: {exc}"


# --- Lambda -----------------------------------------------------------------------------------

FUNCTION_NAME_REQUIRED = "[The field \"FunctionName\" is required]"


def parameters_unusable(parameters_json: str, problem: str) -> str:
    """``States.Runtime`` of a Task whose ``Parameters`` the integration cannot start with."""
    return f"The Parameters '{parameters_json}' could not be used to start the Task: {problem}"


def function_not_found(arn: str, request_id: str, register_arn: str) -> str:
    """``Lambda.ResourceNotFoundException`` (AWS's text), plus how to emulate the function."""
    return (f"Function not found: {arn} (Service: AWSLambda; Status Code: 404; Error Code: "
            f"ResourceNotFoundException; Request ID: {request_id}; Proxy: null). To emulate it, register a "
            f"Python callable: @aws.stepfunctions.task('{register_arn}')")


# --- nested executions ------------------------------------------------------------------------

def step_functions_error(message: str, status: int, code: str, request_id: str) -> str:
    """The cause of a ``StepFunctions.<Code>`` failure of ``states:startExecution``."""
    return (f"{message} (Service: AWSStepFunctions; Status Code: {status}; Error Code: "
            f"{code}; Request ID: {request_id}; Proxy: null)")


# --- DynamoDB ---------------------------------------------------------------------------------

def dynamodb_optimized_error(message: str, status: int, code: str, request_id: str) -> str:
    """The cause of a ``DynamoDB.<Code>`` failure of an optimized ``dynamodb:*Item`` task."""
    return (f"{message} (Service: AmazonDynamoDBv2; Status Code: {status}; Error Code: "
            f"{code}; Request ID: {request_id}; Proxy: null)")


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
    return f"The MaxItemsPath field refers to value \"{shown}\" which is not a valid integer: {path}"
