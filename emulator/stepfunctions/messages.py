"""Every Step Functions message text, as constants or small formatting functions.

One place to fix wording; texts are AWS's verbatim where recorded (the comment of each says where
AWS shows it), and marked [INF] where the wording is ours.
"""

from __future__ import annotations

from typing import Any

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

MAX_ITEMS_NEGATIVE = "field MaxItems must be positive"
"""``States.ItemReaderFailed`` of a negative ReaderConfig MaxItems(Path) (MAP-09), on MapRunFailed."""

HISTORY_FULL = "The execution reached the maximum number of history events (25000)."
"""``States.Runtime`` of a Standard execution at its 25,000th event (HIS-06)."""


def result_too_large(state_name: str) -> str:
    """``States.DataLimitExceeded`` of a state whose output is over 256 KiB (ERR-15)."""
    return (f"The state/task '{state_name}' returned a result with a size exceeding the maximum "
            "number of bytes service limit.")


def unexpected_result_type(quoted_expression: str, field: str, expected: str, actual: str,
                           value_text: str) -> str:
    """``States.QueryEvaluationError`` of a JSONata field with a result of the wrong type (JA-08);
    ``quoted_expression`` is ``" '<trimmed expression>'"`` or empty."""
    return (f"The JSONata expression{quoted_expression} specified for the field '{field}' returned an "
            f"unexpected result type. Expected '{expected}', but was '{actual}' for value: {value_text}")


def timestamp_unparsable(text: Any) -> str:
    """``States.QueryEvaluationError`` of a JSONata Wait ``Timestamp`` that is no ISO-8601 date-time
    (WAIT-03)."""
    return ("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format "
            f"string: {text}")


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
    return ("The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
            f"date-time format string: {path} == {shown}")


def path_invalid_value(field: str, path: str, shown: str) -> str:
    """``States.Runtime`` of a TimeoutSecondsPath/HeartbeatSecondsPath value that is not a positive
    integer."""
    return f"The {field} parameter references an invalid value: {path} == {shown}"


def map_input_not_array(value_text: str) -> str:
    """``States.QueryEvaluationError`` of a JSONata Map whose items are not an array (JA-12)."""
    return f"Map state input must be an array but was: {value_text}"


def path_no_results(path: str) -> str:
    """``States.Runtime`` of a Map ItemsPath, …Path field or MaxItemsPath that finds nothing."""
    return f"Invalid path '{path}' : No results for path: {path}"


def items_not_array(path: str) -> str:
    """``States.Runtime`` of a JSONPath Map whose ItemsPath value is not an array."""
    return f"Reference path \"{path}\" must point to array."


def field_not_valid(field: str, shown: str, kind: str, path: str) -> str:
    """``States.Runtime`` of a Map …Path field (MaxConcurrencyPath, ToleratedFailure…Path,
    MaxItemsPath, ItemBatcher …Path) whose value is not a valid ``kind``."""
    return f"The {field} field refers to value \"{shown}\" which is not a valid {kind}: {path}"


def field_not_a_number(field: str) -> str:
    """``States.QueryEvaluationError`` of a JSONata ToleratedFailurePercentage that is no number."""
    return f"The field '{field}' must be a number"


def fail_path_not_found(path: str, field: str, input_text: str) -> str:
    """``States.Runtime`` of a Fail ErrorPath/CausePath that finds nothing."""
    return (f"The JSONPath '{path}' specified for the field '{field}' could not be found in the input "
            f"'{input_text}'")


def internal_error(exc: BaseException) -> str:
    """``States.Runtime`` of an execution an emulator bug stopped [INF: ours, never AWS's]."""
    return (f"Internal emulator error ({type(exc).__name__}: {exc}). "
            "Please report it with the definition and input.")
