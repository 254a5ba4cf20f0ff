"""The tables behind schema validation: which fields each object may carry, per query language.

Data, not code: the walkers in ``validate_schema.py`` read these tables. Sources:

* the field-by-state matrix (docs/rules/stepfunctions.md §1.3, states-language.net), cross-checked
  with a published measurement of ``ValidateStateMachineDefinition`` over 8 state types x 50 fields
  (which fields AWS refuses with ``Field '<X>' is not supported``);
* the JSONPath-only / JSONata-only split (§1.3, §3): a field of the *other* language on a state gets
  ``The QueryLanguage is set to '<L>', but field '<X>' is only supported for the '<other>'
  QueryLanguage`` (AWS measured) instead of "not supported".

``FIELD_ORDER`` fixes the order in which per-field diagnostics of one object are reported. AWS's
own order is only partly observed (INF); a fixed order keeps ``maxResults`` truncation stable.
"""

from __future__ import annotations

JSONPATH = "JSONPath"
JSONATA = "JSONata"
LANGUAGES = (JSONPATH, JSONATA)

STATE_TYPES = ("Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map")

COMMON_FIELDS = frozenset({"Type", "Comment", "QueryLanguage"})

# Every field a state type accepts in either language (besides COMMON_FIELDS).
ALLOWED: dict[str, frozenset[str]] = {
    "Pass": frozenset(
        {"InputPath", "OutputPath", "Result", "ResultPath", "Parameters", "Output", "Assign", "Next", "End"}
    ),
    "Task": frozenset(
        {
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Parameters",
            "Arguments",
            "Output",
            "Assign",
            "Resource",
            "Credentials",
            "ResultSelector",
            "Retry",
            "Catch",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Next",
            "End",
        }
    ),
    "Wait": frozenset(
        {
            "InputPath",
            "OutputPath",
            "Output",
            "Assign",
            "Seconds",
            "Timestamp",
            "SecondsPath",
            "TimestampPath",
            "Next",
            "End",
        }
    ),
    "Parallel": frozenset(
        {
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Parameters",
            "Arguments",
            "Output",
            "Assign",
            "ResultSelector",
            "Retry",
            "Catch",
            "Branches",
            "Next",
            "End",
        }
    ),
    "Map": frozenset(
        {
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Parameters",
            "Output",
            "Assign",
            "ResultSelector",
            "Retry",
            "Catch",
            "ItemProcessor",
            "Iterator",
            "ItemsPath",
            "Items",
            "ItemSelector",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "Label",
            "Next",
            "End",
        }
    ),
    "Choice": frozenset({"InputPath", "OutputPath", "Output", "Assign", "Choices", "Default"}),
    "Succeed": frozenset({"InputPath", "OutputPath", "Output"}),
    "Fail": frozenset({"Error", "Cause", "ErrorPath", "CausePath"}),
}

# Fields that exist only in one query language (§1.3 / §3).
JSONPATH_ONLY = frozenset(
    {
        "InputPath",
        "OutputPath",
        "ResultPath",
        "ResultSelector",
        "Parameters",
        "Result",
        "ItemsPath",
        "TimeoutSecondsPath",
        "HeartbeatSecondsPath",
        "SecondsPath",
        "TimestampPath",
        "MaxConcurrencyPath",
        "ToleratedFailurePercentagePath",
        "ToleratedFailureCountPath",
        "ErrorPath",
        "CausePath",
    }
)
JSONATA_ONLY = frozenset({"Output", "Arguments", "Items"})

# Fields a state type requires (beyond Type); one-of groups are in REQUIRED_ONE_OF.
REQUIRED: dict[str, tuple[str, ...]] = {
    "Task": ("Resource",),
    "Choice": ("Choices",),
    "Parallel": ("Branches",),
}

# Types that must carry exactly one of Next / End (ASL-ST-04).
TRANSITIONING = frozenset({"Task", "Pass", "Wait", "Parallel", "Map"})

# Mutually exclusive literal / Path pairs (ASL-VAL-12), in report order.
EXCLUSIVE_PAIRS: tuple[tuple[str, str], ...] = (
    ("TimeoutSeconds", "TimeoutSecondsPath"),
    ("HeartbeatSeconds", "HeartbeatSecondsPath"),
    ("MaxConcurrency", "MaxConcurrencyPath"),
    ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
    ("ToleratedFailureCount", "ToleratedFailureCountPath"),
    ("Error", "ErrorPath"),
    ("Cause", "CausePath"),
    ("ItemProcessor", "Iterator"),
)

# Wait: exactly one of these, per language (ASL-WAIT-01); listed in AWS's quoted order.
WAIT_FIELDS: dict[str, tuple[str, ...]] = {
    JSONPATH: ("SecondsPath", "Seconds", "TimestampPath", "Timestamp"),
    JSONATA: ("Seconds", "Timestamp"),
}

# Top level and nested state-machine objects.
TOP_LEVEL_FIELDS = frozenset({"Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"})
TOP_LEVEL_REQUIRED = ("States", "StartAt")  # AWS lists them in this order (LS)
BRANCH_FIELDS = frozenset({"Comment", "StartAt", "States"})
PROCESSOR_FIELDS = frozenset({"Comment", "StartAt", "States", "ProcessorConfig"})
PROCESSOR_CONFIG_FIELDS = frozenset({"Mode", "ExecutionType"})

RETRIER_FIELDS = frozenset(
    {
        "ErrorEquals",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "JitterStrategy",
        "Comment",
    }
)
CATCHER_FIELDS: dict[str, frozenset[str]] = {
    JSONPATH: frozenset({"ErrorEquals", "Next", "ResultPath", "Assign", "Comment"}),
    JSONATA: frozenset({"ErrorEquals", "Next", "Output", "Assign", "Comment"}),
}

ITEM_READER_FIELDS = frozenset({"Resource", "ReaderConfig", "Parameters", "Arguments"})
ITEM_BATCHER_FIELDS = frozenset(
    {
        "MaxItemsPerBatch",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
        "BatchInput",
    }
)
RESULT_WRITER_FIELDS = frozenset({"Resource", "Parameters", "Arguments", "WriterConfig"})

# Order of per-field diagnostics within one state (INF: AWS's full order is not observed; the
# observed pairs — InputPath < OutputPath < ResultPath, Output < Arguments, TimeoutSeconds < Catch <
# Retry — hold here).
FIELD_ORDER: tuple[str, ...] = (
    "Type",
    "QueryLanguage",
    "Comment",
    "Resource",
    "Credentials",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "InputPath",
    "OutputPath",
    "Output",
    "Arguments",
    "Items",
    "ItemsPath",
    "ItemSelector",
    "Parameters",
    "Result",
    "ResultSelector",
    "ResultPath",
    "Assign",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Choices",
    "Default",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "Catch",
    "Retry",
    "Next",
    "End",
)
_RANK = {name: i for i, name in enumerate(FIELD_ORDER)}


def field_rank(name: str) -> int:
    """Sort key for reporting: known fields in FIELD_ORDER, unknown ones after (stable)."""
    return _RANK.get(name, len(_RANK))


# Limits (§13, ASLS schema).
MAX_SECONDS = 99999999
MAX_DELAY_SECONDS = 31622400
MAX_STATE_NAME = 80
MAX_VARIABLE_NAME = 80
MAX_LABEL = 40
MAX_NESTED_INTRINSICS = 10
