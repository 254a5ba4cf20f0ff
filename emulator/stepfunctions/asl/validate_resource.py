"""Task ``Resource`` values (ASL-VAL-19/20, §10.1).

Forms AWS accepts:

* ``arn:<p>:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]`` (optimized integration);
* ``arn:<p>:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`` (SDK integration, no ``.sync``);
  both also with a region and/or an account (``arn:aws:states:us-east-1:123456789012:lambda:invoke``,
  INF: issue 11's AWS-checked suite; no public capture);
* ``arn:<p>:states:<region>:<account>:activity:<name>``;
* ``arn:<p>:lambda:<region>:<account>:function:<name>[:<qualifier>]``.

Diagnostics (all located at ``/States/<s>/Resource``): a value that is not an ARN at all →
``SCHEMA_VALIDATION_FAILED: Value is not a valid resource ARN``; an ARN of none of these forms →
``INVALID_RESOURCE``; an integration pattern the service does not offer (``lambda:invoke.sync``,
``dynamodb:putItem.waitForTaskToken``, ``.sync:2`` outside ``states:startExecution``) or an action
the optimized integration does not have (``dynamodb:query`` — DDB-01: only getItem, putItem,
updateItem and deleteItem; ``lambda`` has only ``invoke``, ``states`` only ``startExecution``) →
``SCHEMA_VALIDATION_FAILED: The resource provided <arn> is not recognized...``. For EXPRESS state
machines ``.sync``, ``.waitForTaskToken`` and activities are refused (LS texts, ASL-VAL-19).
The pattern tables come from the AWS integration docs (INF where the docs are silent).
"""

from __future__ import annotations

import re
from typing import Any

from . import validate_messages as msg
from . import validate_values as values
from .validate_context import StateView
from .validate_report import INVALID_RESOURCE, Loc, Report

_PARTITION = r"[a-z][a-z0-9-]*"
# Region and account may be given (INF, issue 11's AWS-checked suite); activities are told apart first.
_WHERE = r"(?:[a-z0-9-]+)?:(?:\d{12})?"
_INTEGRATION = re.compile(
    rf"^arn:{_PARTITION}:states:{_WHERE}:(?P<service>[a-z0-9-]+):(?P<action>[A-Za-z0-9]+)"
    r"(?P<suffix>\.sync(?::2)?|\.waitForTaskToken)?$"
)
_SDK = re.compile(
    rf"^arn:{_PARTITION}:states:{_WHERE}:aws-sdk:(?P<service>[a-z0-9.-]+):(?P<action>[A-Za-z0-9]+)"
    r"(?P<suffix>\.sync(?::2)?|\.waitForTaskToken)?$"
)
_ACTIVITY = re.compile(rf"^arn:{_PARTITION}:states:[a-z0-9-]+:\d{{12}}:activity:[^\s:]+$")
_LAMBDA = re.compile(
    rf"^arn:{_PARTITION}:lambda:[a-z0-9-]+:\d{{12}}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$"
)

# Optimized integrations that never offer a pattern (AWS integration docs).
_NO_SYNC = frozenset(
    {"lambda", "sns", "sqs", "dynamodb", "events", "apigateway", "http", "bedrock-agentcore"}
)
_NO_TOKEN = frozenset(
    {
        "athena",
        "batch",
        "codebuild",
        "elasticmapreduce",
        "emr-containers",
        "emr-serverless",
        "glue",
        "databrew",
        "mediaconvert",
        "sagemaker",
        "dynamodb",
        "bedrock-agentcore",
    }
)

# Optimized integrations whose whole action list is known (DDB-01, AWS integration docs); any other
# action of these services exists only as an AWS SDK integration (``aws-sdk:dynamodb:query``).
_ACTIONS = {
    "lambda": frozenset({"invoke"}),
    "dynamodb": frozenset({"getItem", "putItem", "updateItem", "deleteItem"}),
    "states": frozenset({"startExecution"}),
}


def check_resource(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if not values.check_string(value, loc, report):
        return
    if not value.startswith("arn:"):
        report.schema(msg.NOT_AN_ARN, loc)
        return
    suffix: str | None = None
    activity = False
    m = _SDK.match(value)
    if m is not None:
        suffix = m.group("suffix")
        if suffix and suffix.startswith(".sync"):
            report.schema(msg.UNKNOWN_RESOURCE.format(arn=value), loc)
            return
    elif _ACTIVITY.match(value):
        activity = True
    elif (m := _INTEGRATION.match(value)) is not None:
        suffix = m.group("suffix")
        service, action = m.group("service"), m.group("action")
        unsupported = (
            (service in _ACTIONS and action not in _ACTIONS[service])
            or (suffix in (".sync", ".sync:2") and service in _NO_SYNC)
            or (suffix == ".waitForTaskToken" and service in _NO_TOKEN)
            or (suffix == ".sync:2" and (service, action) != ("states", "startExecution"))
        )
        if unsupported:
            report.schema(msg.UNKNOWN_RESOURCE.format(arn=value), loc)
            return
    elif not _LAMBDA.match(value):
        report.error(INVALID_RESOURCE, msg.UNKNOWN_RESOURCE.format(arn=value), loc)
        return
    if view.machine.type == "EXPRESS":
        if activity:
            report.schema(msg.EXPRESS_ACTIVITY, loc)
        elif suffix and suffix.startswith(".sync"):
            report.schema(msg.EXPRESS_SYNC, loc)
        elif suffix == ".waitForTaskToken":
            report.schema(msg.EXPRESS_TOKEN, loc)
