"""Every diagnostic text of definition validation, in one place (tests import them).

Provenance of each text is noted beside it:

* ``LS``: LocalStack snapshots recorded against AWS (docs/rules/stepfunctions.md §1.5);
* ``MEASURED``: quoted verbatim from AWS responses in public issues/tests whose authors ran
  ``aws stepfunctions validate-state-machine-definition`` (floci-io/floci #2735, #2745, #2786,
  #2968, #3733, localstack#11978);
* ``INF``: exact AWS text not confirmed — our best inference, kept in the style of AWS's
  validator. Fix here when a recording shows the real wording.
"""

from __future__ import annotations

# --- document level --------------------------------------------------------------------------
NOT_AN_OBJECT = "Definition must be a valid JSON object"  # LS
# INF: exact AWS text not confirmed (API doc: "Received a null or empty workflow input.")
MISSING_DESCRIPTION = "Received a null or empty workflow input."

# --- schema ------------------------------------------------------------------------------------
REQUIRED = "These fields are required: [{fields}]"  # LS (top level); INF for other objects
REQUIRED_FIELD = "The field '{field}' is required but was missing"  # LS (Credentials.RoleArn)
NOT_SUPPORTED = "Field '{field}' is not supported"  # MEASURED
TYPE_ENUM = (
    "The field 'Type' should have one of these values: "
    "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]"
)  # LS
ENUM = "Value should be one of the following: [{values}]"  # MEASURED (QueryLanguage)
EXPECTED_TYPE = "Expected value of type [{type}]"  # MEASURED for STRING; INF for other types
EMPTY = "Value cannot be empty"  # LS
MINIMUM = "Minimum value is {value}"  # MEASURED (floci #3733)
MAXIMUM = "Maximum value is {value}"  # MEASURED (floci #3733)
ONLY_ONE_OF = "There should only be one of the following fields: [{fields}]"  # MEASURED (floci #3733)
# INF: exact AWS text not confirmed (third-party quote; used when none of a required one-of is present)
EXACTLY_ONE_OF = "This object should have only one of the following fields: [{fields}]"
# INF: exact AWS text not confirmed
AT_LEAST_ONE_OF = "This object should have at least one of the following fields: [{fields}]"
TIMESTAMP = "String does not match RFC3339 timestamp"  # INF: exact AWS text not confirmed
NOT_REFERENCE_PATH = "Value is not a Reference Path"  # MEASURED (floci #3733)
# INF: exact AWS text not confirmed
NOT_PATH = "The value for the field '{field}' must be a valid JSONPath"
# INF: exact AWS text not confirmed (widely quoted CreateStateMachine text)
BAD_TEMPLATE_VALUE = (
    "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call"
)
# INF: exact AWS text not confirmed
DUPLICATE_TEMPLATE_KEY = "The field '{field}' is duplicated after removing the '.$' suffix"
# INF: exact AWS text not confirmed
TOO_MANY_INTRINSICS = "The value for the field '{field}' exceeds the maximum of 10 nested intrinsic functions"

# --- query language ------------------------------------------------------------------------------
LANGUAGE_ONLY = (
    "The QueryLanguage is set to '{language}', but field '{field}' is only supported for "
    "the '{other}' QueryLanguage"
)  # MEASURED
DOWNGRADE = "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"  # LS

# --- Next / End -------------------------------------------------------------------------------------
# INF: exact AWS text not confirmed (third-party quotes of CreateStateMachine failures)
NEXT_AND_END = ONLY_ONE_OF.format(fields="Next, End")
NEXT_OR_END = EXACTLY_ONE_OF.format(fields="Next, End")

# --- graph ------------------------------------------------------------------------------------------
MISSING_TARGET = "Missing 'Next' target: {target}"  # MEASURED (all transition kinds say 'Next')
UNREACHABLE = 'State "{name}" is not reachable.'  # MEASURED
NO_TERMINAL = "Workflow has no terminal state"  # MEASURED
DUPLICATE_NAME = "Duplicate State name: {name}"  # LS comment (StepFunctions-Local wording)
# INF: exact AWS text not confirmed
NAME_TOO_LONG = "State name '{name}' exceeds the maximum length of 80 characters"
# INF: exact AWS text not confirmed
TOO_DEEP = "The state machine is too deeply nested"

# --- Retry / Catch ------------------------------------------------------------------------------------
# INF: exact AWS text not confirmed
STATES_ALL_ALONE = "'States.ALL' must be the only element in 'ErrorEquals'"
# INF: exact AWS text not confirmed
STATES_ALL_LAST = "'States.ALL' must appear only in the last {kind}"

# --- Choice -------------------------------------------------------------------------------------------
ONE_OPERATOR = "Each Choice Rule can only have one comparison operator."  # ASLS schema text (INF for AWS)
# INF: exact AWS text not confirmed (third-party quote)
RULE_KIND = "The object must have only one of the following fields, [And, Or, Not, Variable, Condition]"
# INF: exact AWS text not confirmed
NO_OPERATOR = "The Choice Rule must have a comparison operator"

# --- Task resources ---------------------------------------------------------------------------------
# INF: exact AWS text not confirmed (third-party quote)
NOT_AN_ARN = "Value is not a valid resource ARN"
# INF: exact AWS text not confirmed
UNKNOWN_RESOURCE = (
    "The resource provided {arn} is not recognized. The value is not a valid resource "
    "ARN, or the resource is not available in this region."
)
EXPRESS_SYNC = "Express state machine does not support '.sync' service integration"  # LS
EXPRESS_TOKEN = "Express state machine does not support '.waitForTaskToken' service integration "  # LS (sic)
EXPRESS_ACTIVITY = "Express state machine does not support Activity ARN"  # LS

# --- JSONata ------------------------------------------------------------------------------------------
TOP_LEVEL_REFERENCE = "Reference to '{name}' at the top level is not supported."  # MEASURED
DOLLAR_DOLLAR = "Reference to '$$' is not supported."  # MEASURED
NO_SUCH_FIELD = "Field '{name}' does not exist."  # MEASURED ($states.errorOutput); INF otherwise

# --- variables ------------------------------------------------------------------------------------------
# INF: exact AWS text not confirmed
BAD_VARIABLE_NAME = "The variable name '{name}' is not valid"
# INF: exact AWS text not confirmed
RESERVED_VARIABLE = "The variable name 'states' is reserved"
# INF: exact AWS text not confirmed
OUTER_VARIABLE = "The variable '{name}' is already assigned in an outer scope"

# --- warnings -------------------------------------------------------------------------------------------
# INF: exact AWS text not confirmed (API doc descriptions)
NO_DOLLAR_TEXT = (
    "The value of the field '{field}' looks like a JSONPath or an intrinsic function, "
    "but the field name does not end with '.$'"
)
NO_PATH_TEXT = (
    "The value of the field '{field}' looks like a path, but the field name does not end with 'Path'"
)
PASS_STATIC_TEXT = "The 'Result' of a Pass state is static: the path '{value}' is not evaluated"

# --- Map Label --------------------------------------------------------------------------------------------
LABEL_EMPTY = "Label cannot be empty"  # LS
LABEL_TOO_LONG = "Label cannot exceed 40 characters"  # LS
LABEL_CHAR = "Label contains invalid character: '{char}'"  # LS
