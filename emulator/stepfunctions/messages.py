"""The Step Functions runtime's failure causes and error texts, as constants or small functions.

One place to fix wording, as ``dynamodb/messages.py`` is for DynamoDB; tests may import these.
The texts are AWS's as observed (reference §10, RES-*, MAP-09), oddities included; ``[INF]``
marks wording that is ours where AWS's is unmeasured. The validator's definition-time messages
live in ``asl/validate_messages.py``; the API's in the operation modules.
Sections: task resources, Lambda, nested executions, DynamoDB, Map item sources, the
interpreter's own (states and execution), then the ASL pieces the interpreter calls: paths
(``asl/jsonpath*.py``), data flow, Choice rules, intrinsic functions and JSONata.
"""

from __future__ import annotations

from typing import Any

# --- task resources ---------------------------------------------------------------------------

TIMEOUT = "States.Timeout"  # error name of a task past TimeoutSeconds/HeartbeatSeconds (ERR-11)
TASK_FAILED = "States.TaskFailed"  # error name of a task callable that raised
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"  # error name of a result over 256 KiB (LIM-01)


def not_emulated(resource: str) -> str:
    """A task resource that nothing answers (neither built in nor registered)."""
    return (
        f"The resource '{resource}' is not emulated. Register a Python callable for it "
        f"with @aws.stepfunctions.task('{resource}')."
    )


def activity_missing(resource: str) -> str:
    """``States.Runtime`` of an activity Task whose activity was never created (wording INF)."""
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

FUNCTION_NAME_REQUIRED = '[The field "FunctionName" is required]'  # lambda:invoke without FunctionName


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
    """[INF: ours] ``States.Runtime`` of a DynamoDB task when the in-process DynamoDB cannot load."""
    return f"The in-process DynamoDB is not available: {exc}"


# --- injected faults (emulator/faults/; docs/stepfunctions-conformance.md "Fault injection") --
# API errors of Step Functions an injected fault answers with when the test gives no message.
THROTTLED = "Rate exceeded"  # [INF] the text AWS's ThrottlingException commonly carries
API_INTERNAL_ERROR = "Internal server error"  # [INF]
API_SERVICE_UNAVAILABLE = "Service unavailable"  # [INF]

# Task failures (ERRN-18): Lambda's service errors as the Java SDK v1 reports them in a cause
# (the shape of ``function_not_found``); the message texts are [INF] except TooManyRequests'.
LAMBDA_SERVICE_ERRORS = {
    "Lambda.ServiceException": (500, "ServiceException", "Internal error"),
    "Lambda.AWSLambdaException": (500, "AWSLambdaException", "Internal error"),
    "Lambda.TooManyRequestsException": (429, "TooManyRequestsException", "Rate Exceeded."),
}
LAMBDA_SDK_CLIENT = "Unable to execute HTTP request: Read timed out"  # [INF] Lambda.SdkClientException
INJECTED_TASK_FAILED = "The task failed (injected fault)"  # [INF: ours] States.TaskFailed's default cause


def lambda_service_error(error: str, request_id: str) -> str:
    """The cause of an injected ``Lambda.<ServiceError>`` task failure (ERRN-18)."""
    status, code, message = LAMBDA_SERVICE_ERRORS[error]
    return (
        f"{message} (Service: AWSLambda; Status Code: {status}; Error Code: {code}; "
        f"Request ID: {request_id}; Proxy: null)"
    )


# --- Map item sources (ItemReader, ItemBatcher; MAP-09) ---------------------------------------

ITEM_READER_FAILED = "States.ItemReaderFailed"  # error name of an ItemReader failure (MAP-09)
MAX_ITEMS_NEGATIVE = "field MaxItems must be positive"  # ItemReaderFailed (MAP-09)
NON_ITERABLE = "Attempting to map over non-iterable node."  # ItemReaderFailed: JSON not an array (MAP-09)
DUPLICATE_HEADERS = "CSV headers cannot contain duplicates."  # ItemReaderFailed (MAP-09)
NOT_UTF8 = "Unable to decode the S3 object as UTF-8."  # [INF]
BUCKET_REQUIRED = "The ItemReader parameters must contain a Bucket."  # [INF]
KEY_REQUIRED = "The ItemReader parameters must contain a Key."  # [INF]
# [INF] the AWS SDK's NoSuchKey / NoSuchBucket messages as Step Functions reports them
NO_SUCH_KEY = "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: null)"
NO_SUCH_BUCKET = "The specified bucket does not exist. (Service: S3, Status Code: 404, Request ID: null)"


def jsonl_unparsable(line: str) -> str:
    """ItemReaderFailed of a JSONL line that is no JSON (MAP-09; wording INF)."""
    return f"Unable to parse JSONL line: {line}"  # [INF]


def input_type_unsupported(input_type: str) -> str:
    """[INF: ours] ItemReaderFailed of a ReaderConfig InputType the emulator does not read."""
    return f"InputType {input_type} is not supported by this emulator."


def path_no_results(path: str) -> str:
    """``States.Runtime`` of an ItemsPath or Map …Path field that finds nothing (as InputPath, JP-03)."""
    return invalid_path(path, f"No results for path: {path}")


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


def internal_error(exc: BaseException) -> str:
    """``States.Runtime`` of an execution an emulator bug stopped [INF: ours, never AWS's]."""
    return (
        f"Internal emulator error ({type(exc).__name__}: {exc}). "
        "Please report it with the definition and input."
    )


# --- paths and data flow (asl/jsonpath.py, asl/dataflow.py, asl/choice.py) ----------------------
# A path that matches nothing is ``States.Runtime`` (JP-03, JP-06, JP-10, CH-12); the details are
# Jayway JsonPath's texts, as AWS shows them.


def invalid_path(path: str, detail: str) -> str:
    """``States.Runtime`` of an InputPath/OutputPath/ItemsPath/Choice ``Variable`` that finds nothing
    or does not parse (JP-03, JP-10; AWS observed: ``Invalid path '$.x' : No results for path: $['x']``)."""
    return f"Invalid path '{path}' : {detail}"


def path_not_found_in_input(path: str, field: str, input_text: str) -> str:
    """``States.Runtime`` of a ``.$`` field, intrinsic path argument or Fail ErrorPath/CausePath
    that finds nothing (JP-06, AWS observed)."""
    return (
        f"The JSONPath '{path}' specified for the field '{field}' could not be found in the input "
        f"'{input_text}'"
    )


NULL_INPUT_PATH = "Unable to apply Path transformation to null or empty input."
"""``States.Runtime`` of a template path applied to a null state input (AWS observed)."""


def result_path_unmatched(path: str, input_text: str) -> str:
    """``States.ResultPathMatchFailure`` of a ResultPath through a non-object (JP-09; wording INF)."""
    return f"Unable to apply ResultPath '{path}' to input '{input_text}'"


def no_results(normalized: str) -> str:
    """Jayway's detail of a definite path whose last step is missing (AWS observed)."""
    return f"No results for path: {normalized}"


def missing_property(walked: str) -> str:
    """Jayway's detail of a definite path missing a step before the last (AWS observed)."""
    return f"Missing property in path {walked}"


def not_an_object(fragment: str, walked: str, java_type: str) -> str:
    """Jayway's detail of a property step on a non-object (the provider class name is INF)."""
    return (
        f"Expected to find an object with property {fragment} in path {walked} but "
        f"found '{java_type}'. This is not a json object according to the "
        "JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
    )


def not_an_array(fragment: str, node_text: str) -> str:
    """Jayway's detail of an index step on a non-array (AWS observed)."""
    return f"Filter: {fragment} can only be applied to arrays. Current context is: {node_text}"


def variable_not_defined(name: str) -> str:
    """Detail of a JSONPath read of an unassigned variable (VAR-06; wording INF)."""
    return f"The variable '${name}' is not defined"


def result_path_not_reference(path: str) -> str:
    """[INF] a ResultPath that is no reference path on the input (the validator rejects it first)."""
    return f"ResultPath must be a reference path on the input: {path!r}"


def cannot_set_field(key: str, path: str) -> str:
    """[INF] internal detail of a ResultPath write through a non-object."""
    return f"Cannot set field {key!r} on a non-object node for path {path!r}"


def cannot_set_index(key: int, path: str) -> str:
    """[INF] internal detail of a ResultPath write through a non-array."""
    return f"Cannot set index {key} on a non-array node for path {path!r}"


def index_out_of_range(key: int, path: str) -> str:
    """[INF] internal detail of a ResultPath write past an array's end."""
    return f"Index {key} out of range for path {path!r}"


# Path syntax (asl/jsonpath_syntax.py) [INF: AWS reports these at definition time, in its own words]


def path_syntax(message: str, position: int, text: str) -> str:
    """A path that does not parse: one of the ``PATH_*`` details with where it failed."""
    return f"{message} at position {position} in path '{text}'"


PATH_ENDS_WITH_DOT = "Path must not end with a '.' or '..'"  # InvalidPath detail [INF]
PATH_FUNCTIONS = "Functions are not supported"  # InvalidPath detail [INF]
PATH_UNTERMINATED_NAME = "Unterminated quoted name"  # InvalidPath detail [INF]
PATH_UNCLOSED_BRACKET = "Unclosed bracket"  # InvalidPath detail [INF]
PATH_QUOTED_NAME_EXPECTED = "Expected a quoted name"  # InvalidPath detail [INF]
PATH_FILTER_PAREN_EXPECTED = "Expected '(' after '?'"  # InvalidPath detail [INF]
PATH_UNCLOSED_FILTER = "Unclosed filter expression"  # InvalidPath detail [INF]


def path_illegal_character(c: str) -> str:
    """InvalidPath detail [INF]."""
    return f"Illegal character '{c}'"


def path_expected(char: str) -> str:
    """InvalidPath detail [INF]."""
    return f"Expected '{char}'"


def path_invalid_index(inner: str) -> str:
    """InvalidPath detail [INF]."""
    return f"Invalid array index or slice '[{inner}]'"


def path_unsupported_filter(predicate: str, problem: object) -> str:
    """InvalidPath detail [INF]."""
    return f"Unsupported filter expression '{predicate}' ({problem})"


def path_not_rooted(text: str) -> str:
    """InvalidPath detail: a path text without ``$`` [INF]."""
    return f"Path must start with '$': {text!r}"


def path_invalid_variable(text: str) -> str:
    """InvalidPath detail: ``$name`` that is no identifier [INF]."""
    return f"Invalid variable reference in path: {text!r}"


def path_not_a_string(text: object) -> str:
    """InvalidPath detail [INF]."""
    return f"A path must be a string, not {type(text).__name__}"


# --- Choice rules (asl/choice.py) ----------------------------------------------------------------

INVALID_CHOICE_RULE = (
    "Invalid Choice rule: expected 'Variable' and one comparison operator, or 'And', 'Or' or 'Not'"
)
"""[INF] ``States.Runtime`` of a malformed rule (the validator rejects it first)."""


def open_escape(pattern: str) -> str:
    """``States.Runtime`` of a StringMatches pattern ending in a lone backslash (CH-09; wording INF)."""
    return f"Open escape sequence in StringMatches pattern: {pattern}"


# --- intrinsic functions (asl/intrinsics.py) -----------------------------------------------------
# ``States.IntrinsicFailure`` causes: "Invalid arguments in <function>: <detail>"; the details are
# ours [INF] where AWS's are unmeasured.


def invalid_arguments(name: str, detail: str) -> str:
    """``States.IntrinsicFailure`` of an argument value a function cannot take."""
    return f"Invalid arguments in {name}: {detail}"


def intrinsic_syntax(message: str, position: int, text: str) -> str:
    """[INF] an intrinsic that does not parse: one of the ``INTRINSIC_*`` details with where."""
    return f"{message} at position {position} in intrinsic function '{text}'"


INTRINSIC_NAME_EXPECTED = "Expected an intrinsic function name"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_PAREN_EXPECTED = "Expected '('"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_SEPARATOR_EXPECTED = "Expected ',' or ')'"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_INVALID_NUMBER = "Invalid number"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_NUMBER_OUT_OF_RANGE = "Number out of range"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_ARGUMENT_EXPECTED = "Expected an argument"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_UNTERMINATED_STRING = "Unterminated string literal"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_OPEN_ESCAPE = "Open escape sequence"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_NOT_A_STRING = "An intrinsic function must be a string"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_NOT_STATES = "An intrinsic function must start with 'States.'"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_TOO_DEEP = "Intrinsic function nested too deeply"  # IntrinsicSyntaxError detail [INF]
INTRINSIC_TRAILING_TEXT = "Unexpected text after the intrinsic function"  # IntrinsicSyntaxError detail [INF]


def intrinsic_nesting(limit: int) -> str:
    """IntrinsicSyntaxError detail: past the nesting limit (AWS allows 10) [INF]."""
    return f"More than {limit} nested intrinsic functions"


def intrinsic_unknown(name: str) -> str:
    """IntrinsicSyntaxError detail [INF]."""
    return f"Unknown intrinsic function '{name}'"


def intrinsic_arity(name: str, expected: str, got: int) -> str:
    """IntrinsicSyntaxError detail: a call with the wrong number of arguments [INF]."""
    return f"The intrinsic function {name} expects {expected} but got {got}"


def intrinsic_path_argument(path: str, problem: object) -> str:
    """IntrinsicSyntaxError detail: a path argument that does not parse [INF]."""
    return f"Invalid path argument '{path}': {problem}"


# The details of "Invalid arguments in <function>: ..." [INF]
FORMAT_PLACEHOLDERS = (
    "the number of arguments does not match the number of '{}' placeholders in the format string"
)
"""States.Format with more or fewer arguments than ``{}`` placeholders [INF]."""
RANGE_STEP_ZERO = "the step must not be 0"  # States.ArrayRange [INF]
NOT_BASE64 = "the input is not a valid Base64 string"  # States.Base64Decode [INF]
SHALLOW_MERGE_ONLY = "only the shallow merging mode is supported; the third argument must be false"
"""INT-14: "Step Functions only supports the shallow merging mode" (AWS docs)."""


def not_an_integer(what: str, shown: str) -> str:
    """IntrinsicFailure detail of an argument that must be an integer [INF]."""
    return f"{what} must be an integer, but was {shown}"


def not_json(text: str) -> str:
    """States.StringToJson of a text that is no JSON [INF]."""
    return f"the argument is not valid JSON: {text}"


def chunk_size_not_positive(n: int) -> str:
    """States.ArrayPartition of a chunk size below 1 [INF]."""
    return f"the chunk size must be a positive integer, but was {n}"


def range_too_long(count: int, limit: int) -> str:
    """States.ArrayRange of more than 1000 items [INF]."""
    return f"the result would have {count} items; the maximum is {limit}"


def index_out_of_bounds(index: int, length: int) -> str:
    """States.ArrayGetItem past the array [INF]."""
    return f"the index {index} is out of bounds for an array of length {length}"


def text_too_long(limit: int, length: int) -> str:
    """States.Base64Encode/Base64Decode/Hash of a text over the limit [INF]."""
    return f"the input must be at most {limit} characters, but was {length}"


def hash_algorithm(allowed: list[str], algorithm: object) -> str:
    """States.Hash of an unknown algorithm [INF]."""
    return f"the hash algorithm must be one of {allowed}, but was {algorithm}"


def random_bounds(lo: int, hi: int) -> str:
    """States.MathRandom with start above end [INF]."""
    return f"the start {lo} must not be greater than the end {hi}"


def argument_type(number: int, kind: str, shown: str) -> str:
    """IntrinsicFailure detail of an argument of the wrong JSON type [INF]."""
    return f"argument {number} must be of type {kind}, but was {shown}"


# --- JSONata (asl/jsonata.py, asl/jsonata_functions.py) ------------------------------------------
# ``States.QueryEvaluationError`` causes (JA-07, JA-08): "The JSONata expression '<text>' specified
# for the field '<field>' ..." then what went wrong.

STACK_OVERFLOW = (
    "Stack overflow error: Check for non-terminating recursive function.  "
    "Consider rewriting as tail-recursive."
)
"""AWS's uncoded text for the recursion limit (floci-io/floci #2737; the double space is jsonata's
own wording - INF for AWS)."""

EVALUATION_TIMEOUT = "Expression evaluation timeout: Check for infinite loop"
"""AWS's uncoded text for the time limit (floci-io/floci #2737)."""

MEMORY_LIMIT = "Expression evaluation memory limit exceeded: Check for excessive memory usage"
"""AWS's uncoded text for the memory limit (floci-io/floci #2737)."""

JSONATA_UNEXPECTED_END = "Unexpected end of expression"
"""jsonata's S0207 text, for an empty expression."""


def jsonata_expression(expression: str, field: str) -> str:
    """The subject of every JSONata cause; ``expression`` is the text inside ``{% %}``."""
    return f"The JSONata expression '{expression.strip()}' specified for the field '{field}'"


def jsonata_threw(expression: str, field: str, detail: str, *, coded: bool) -> str:
    """An expression that failed (JA-07): a coded jsonata error follows ". ", an uncoded one (the
    evaluation limits) ": "."""
    separator = ". " if coded else ": "
    return f"{jsonata_expression(expression, field)} threw an error during evaluation{separator}{detail}"


def jsonata_undefined(expression: str, field: str) -> str:
    """An expression whose value is undefined where a value is required (JA-07)."""
    return f"{jsonata_expression(expression, field)} returned nothing (undefined)."


def jsonata_unsupported_result(expression: str, field: str) -> str:
    """An expression whose value is a function (JA-07)."""
    return f"{jsonata_expression(expression, field)} returned an unsupported result type."


def jsonata_signature(name: str, argument_number: int) -> str:
    """jsonata-js's T0410 text, which AWS shows for a function's bad argument."""
    return f'Argument {argument_number} of function "{name}" does not match function signature'


PARTITION_NOT_ARRAY = 'Argument 1 of function "partition" must be an array of undefined'
"""T0412 of ``$partition`` (AWS's text, its "of undefined" included)."""
NOT_NEGATIVE = "Second argument must be zero or greater"
"""D3137 of ``$partition`` with a negative size."""
INVALID_JSON = "Invalid JSON"
"""D3137 of ``$parse`` of a text that is no JSON."""


def hash_algorithm_unknown(algorithm: str, allowed_text: str) -> str:
    """D3137 of ``$hash`` with an unknown algorithm."""
    return f"Hash algorithm '{algorithm}' must be one of {allowed_text}"
