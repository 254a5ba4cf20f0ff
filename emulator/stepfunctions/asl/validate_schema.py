"""Schema validation: the walk over the definition object, state by state (``SCHEMA_VALIDATION_FAILED``).

Order of diagnostics (AWS measured where noted, otherwise INF and fixed):

1. top level: required members (``These fields are required: [States, StartAt] at /``), unknown
   members, then member values (``/QueryLanguage`` before anything under ``/States``, measured);
2. each ``States`` object in member order, each state depth-first:
   a. state-level diagnostics, located at the state: ``QueryLanguage`` downgrade (measured; it
      suppresses the other-language field check of that state), fields the type does not support
      (``Field 'X' is not supported``, measured) or that belong to the other query language
      (measured), required fields, ``Next``/``End``, mutually exclusive pairs;
   b. field values in ``FIELD_ORDER``, located at the field (``/States/M/MaxConcurrency``);
      ``Branches``/``ItemProcessor``/``Iterator`` recurse into their nested scopes here.

Field value rules are a registry (``FIELD_RULES``: field name → check), not an if-chain; the
specialised ones live in ``validate_paths``, ``validate_retry``, ``validate_choice``,
``validate_map``, ``validate_resource``, ``validate_jsonata`` and ``validate_variables``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import validate_jsonata as jsonata_check
from . import validate_messages as msg
from . import validate_paths as paths
from . import validate_values as values
from . import validate_variables as variables
from .validate_choice import check_choices
from .validate_context import MISSING, Machine, StateView, resolve_language
from .validate_fields import (
    ALLOWED,
    BRANCH_FIELDS,
    COMMON_FIELDS,
    EXCLUSIVE_PAIRS,
    JSONATA,
    JSONATA_ONLY,
    JSONPATH,
    JSONPATH_ONLY,
    LANGUAGES,
    MAX_SECONDS,
    MAX_STATE_NAME,
    PROCESSOR_FIELDS,
    REQUIRED,
    STATE_TYPES,
    TOP_LEVEL_FIELDS,
    TOP_LEVEL_REQUIRED,
    TRANSITIONING,
    WAIT_FIELDS,
    field_rank,
)
from .validate_map import (
    check_item_batcher,
    check_item_reader,
    check_items,
    check_label,
    check_processor_config,
    check_result_writer,
)
from .validate_report import INVALID_STATE_NAME, NO_PATH, PASS_RESULT_IS_STATIC, ROOT, Loc, Report
from .validate_resource import check_resource
from .validate_retry import rule_catch, rule_retry

Rule = Callable[[StateView, Any, Loc, Report], None]
_WITH_RESULT_TYPES = frozenset({"Task", "Map", "Parallel"})


# ------------------------------------------------------------------------------------- top level


def check_machine(doc: dict, machine_type: str, report: Report) -> Machine:
    """Validate the top-level object and everything below it; returns the machine facts."""
    language = resolve_language(doc.get("QueryLanguage", MISSING), JSONPATH)
    machine = Machine(language=language, type=machine_type)
    values.check_fields(doc, ROOT, report, TOP_LEVEL_FIELDS, TOP_LEVEL_REQUIRED)
    for name in ("Comment", "QueryLanguage", "StartAt", "TimeoutSeconds", "Version", "States"):
        if name not in doc:
            continue
        value, loc = doc[name], ROOT.key(name)
        if name == "Comment" or name == "StartAt":
            values.check_string(value, loc, report)
        elif name == "QueryLanguage":
            values.check_enum(value, loc, report, LANGUAGES)
        elif name == "TimeoutSeconds":
            values.check_int(value, loc, report, minimum=0, maximum=MAX_SECONDS)
        elif name == "Version":
            values.check_enum(value, loc, report, ("1.0",))
        elif values.check_object(value, loc, report):
            check_states(value, loc, machine, report)
    return machine


def check_states(states: dict, loc: Loc, machine: Machine, report: Report) -> None:
    for name, body in states.items():
        check_state(name, body, loc.key(name), machine, report)


def _check_container(obj: Any, loc: Loc, machine: Machine, report: Report, allowed: frozenset[str]) -> None:
    """A Parallel branch or a Map ItemProcessor/Iterator: a nested state machine."""
    if not values.check_object(obj, loc, report):
        return
    values.check_fields(obj, loc, report, allowed, TOP_LEVEL_REQUIRED)
    if "Comment" in obj:
        values.check_string(obj["Comment"], loc.key("Comment"), report)
    if "ProcessorConfig" in obj:
        check_processor_config(obj["ProcessorConfig"], loc.key("ProcessorConfig"), report)
    if "StartAt" in obj:
        values.check_string(obj["StartAt"], loc.key("StartAt"), report)
    if "States" in obj and values.check_object(obj["States"], loc.key("States"), report):
        check_states(obj["States"], loc.key("States"), machine, report)


# ----------------------------------------------------------------------------------------- states


def check_state(name: str, body: Any, loc: Loc, machine: Machine, report: Report) -> None:
    if len(name) > MAX_STATE_NAME:
        report.error(INVALID_STATE_NAME, msg.NAME_TOO_LONG.format(name=name), loc)
    if not values.check_object(body, loc, report):
        return
    state_type = body.get("Type", MISSING)
    if state_type is MISSING:
        report.schema(msg.REQUIRED.format(fields="Type"), loc)
        return
    if state_type not in STATE_TYPES:
        report.schema(msg.TYPE_ENUM, loc.key("Type"))
        return
    declared = body.get("QueryLanguage", MISSING)
    downgraded = machine.language == JSONATA and declared == JSONPATH
    view = StateView(
        name=name,
        body=body,
        loc=loc,
        type=state_type,
        language=resolve_language(declared, machine.language),
        machine=machine,
    )
    if downgraded:
        report.schema(msg.DOWNGRADE, loc)
    checked = _state_level(view, report, check_language=not downgraded)
    for field in sorted(checked, key=field_rank):
        rule = FIELD_RULES.get(field)
        if rule is not None:
            rule(view, body[field], loc.key(field), report)


def _state_level(view: StateView, report: Report, *, check_language: bool) -> list[str]:
    """State-level diagnostics; returns the fields whose values should be checked."""
    body, loc, allowed = view.body, view.loc, ALLOWED[view.type]
    checked: list[str] = []
    for field in sorted(body, key=field_rank):
        if field in COMMON_FIELDS:
            checked.append(field)
        elif field not in allowed:
            report.schema(msg.NOT_SUPPORTED.format(field=field), loc)
        elif check_language and view.jsonata and field in JSONPATH_ONLY:
            report.schema(msg.LANGUAGE_ONLY.format(language=JSONATA, field=field, other=JSONPATH), loc)
        elif check_language and not view.jsonata and field in JSONATA_ONLY:
            report.schema(msg.LANGUAGE_ONLY.format(language=JSONPATH, field=field, other=JSONATA), loc)
        else:
            checked.append(field)
    missing = [field for field in REQUIRED.get(view.type, ()) if field not in body]
    if missing:
        report.schema(msg.REQUIRED.format(fields=", ".join(missing)), loc)
    if view.type == "Map" and "ItemProcessor" not in body and "Iterator" not in body:
        report.schema(msg.EXACTLY_ONE_OF.format(fields="ItemProcessor, Iterator"), loc)
    if view.type in TRANSITIONING:
        if "Next" in body and "End" in body:
            report.schema(msg.NEXT_AND_END, loc)
        elif "Next" not in body and body.get("End") is not True:
            report.schema(msg.NEXT_OR_END, loc)
    for first, second in EXCLUSIVE_PAIRS:
        if first in body and second in body:
            report.schema(msg.ONLY_ONE_OF.format(fields=f"{first}, {second}"), loc.key(first))
    if view.type == "Wait":
        timing = WAIT_FIELDS[view.language]
        present = [field for field in timing if field in body]
        if len(present) > 1:
            report.schema(msg.ONLY_ONE_OF.format(fields=", ".join(timing)), loc)
        elif not present:
            report.schema(msg.EXACTLY_ONE_OF.format(fields=", ".join(timing)), loc)
    return checked


# ------------------------------------------------------------------------------------ field rules


def _states_fields(view: StateView) -> frozenset[str]:
    return jsonata_check.WITH_RESULT if view.type in _WITH_RESULT_TYPES else jsonata_check.STATES_ALWAYS


def _jsonata_or(check: Callable[[Any, Loc, Report], Any]) -> Rule:
    """A field that is a literal in JSONPath and may also be a ``{% %}`` string in JSONata."""

    def rule(view: StateView, value: Any, loc: Loc, report: Report) -> None:
        if view.jsonata and jsonata_check.is_expression(value):
            jsonata_check.check_value(value, loc, report)
        else:
            check(value, loc, report)

    return rule


def _positive_seconds(value: Any, loc: Loc, report: Report) -> None:
    values.check_int(value, loc, report, minimum=1, maximum=MAX_SECONDS)


def _wait_seconds(value: Any, loc: Loc, report: Report) -> None:
    values.check_int(value, loc, report, minimum=0, maximum=MAX_SECONDS)


def _non_negative(value: Any, loc: Loc, report: Report) -> None:
    values.check_int(value, loc, report, minimum=0)


def _percentage(value: Any, loc: Loc, report: Report) -> None:
    values.check_number(value, loc, report, minimum=0.0, maximum=100.0)


def _string_rule(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    values.check_string(value, loc, report)


def _query_language(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    values.check_enum(value, loc, report, LANGUAGES)


def _end(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    values.check_bool(value, loc, report)


def _path(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    paths.check_path(value, loc, report, loc.text.rsplit("/", 1)[-1])


def _reference_path(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    paths.check_reference_path(value, loc, report)


def _number_path(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    paths.check_reference_path(value, loc, report, allow_context=False)


def _result_path(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    paths.check_result_path(value, loc, report)


def _template(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if values.check_object(value, loc, report):
        paths.check_template(value, loc, report)


def _any_template(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    """``Parameters``/``ResultSelector``: any JSON value, as the service accepts (the ASL schema was
    relaxed to match it, aws/aws-toolkit-vscode#2459, 2022); objects at any depth are templates."""
    paths.check_template(value, loc, report)


def _item_selector(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if view.jsonata:
        if isinstance(value, dict) or jsonata_check.is_expression(value):
            jsonata_check.check_value(value, loc, report)
        else:
            values.expect(report, loc, "OBJECT")
    else:
        _template(view, value, loc, report)


def _result(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith(".$"):
                report.warning(PASS_RESULT_IS_STATIC, msg.PASS_STATIC_TEXT.format(value=item), loc.key(key))
            elif isinstance(item, (dict, list)):
                _result(view, item, loc.key(key), report)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _result(view, item, loc.index(i), report)


def _output(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    jsonata_check.check_value(value, loc, report, states_fields=_states_fields(view))


def _arguments(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if isinstance(value, dict) or jsonata_check.is_expression(value):
        jsonata_check.check_value(value, loc, report)
    else:
        values.expect(report, loc, "OBJECT")


def _assign(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    variables.check_assign(view, value, loc, report, states_fields=_states_fields(view))


def _credentials(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if view.jsonata and jsonata_check.is_expression(value):
        jsonata_check.check_value(value, loc, report)
        return
    if not values.check_object(value, loc, report):
        return
    if "RoleArn" not in value and "RoleArn.$" not in value:
        report.schema(msg.REQUIRED_FIELD.format(field="RoleArn"), loc)
    if view.jsonata:
        jsonata_check.check_value(value, loc, report)
    else:
        paths.check_template(value, loc, report)


def _error_or_cause(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if view.jsonata and jsonata_check.is_expression(value):
        jsonata_check.check_value(value, loc, report)
    elif values.check_string(value, loc, report) and not view.jsonata and value.startswith("$."):
        report.warning(NO_PATH, msg.NO_PATH_TEXT.format(field=loc.text.rsplit("/", 1)[-1]), loc)


def _error_path(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    paths.check_path_or_intrinsic(value, loc, report)


def _branches(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if not values.check_array(value, loc, report, nonempty=True):
        return
    for i, branch in enumerate(value):
        _check_container(branch, loc.index(i), view.machine, report, BRANCH_FIELDS)


def _processor(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    _check_container(value, loc, view.machine, report, PROCESSOR_FIELDS)


FIELD_RULES: dict[str, Rule] = {
    "QueryLanguage": _query_language,
    "Comment": _string_rule,
    "Resource": check_resource,
    "Credentials": _credentials,
    "TimeoutSeconds": _jsonata_or(_positive_seconds),
    "HeartbeatSeconds": _jsonata_or(_positive_seconds),
    "TimeoutSecondsPath": _reference_path,
    "HeartbeatSecondsPath": _reference_path,
    "InputPath": _path,
    "OutputPath": _path,
    "Output": _output,
    "Arguments": _arguments,
    "Items": check_items,
    "ItemsPath": _reference_path,
    "ItemSelector": _item_selector,
    "Parameters": _any_template,
    "Result": _result,
    "ResultSelector": _any_template,
    "ResultPath": _result_path,
    "Assign": _assign,
    "Seconds": _jsonata_or(_wait_seconds),
    "SecondsPath": _reference_path,
    "Timestamp": _jsonata_or(values.check_timestamp),
    "TimestampPath": _reference_path,
    "Choices": check_choices,
    "Default": _string_rule,
    "Branches": _branches,
    "ItemProcessor": _processor,
    "Iterator": _processor,
    "ItemReader": check_item_reader,
    "ItemBatcher": check_item_batcher,
    "ResultWriter": check_result_writer,
    "MaxConcurrency": _jsonata_or(_non_negative),
    "MaxConcurrencyPath": _number_path,
    "ToleratedFailurePercentage": _jsonata_or(_percentage),
    "ToleratedFailurePercentagePath": _number_path,
    "ToleratedFailureCount": _jsonata_or(_non_negative),
    "ToleratedFailureCountPath": _number_path,
    "Label": check_label,
    "Error": _error_or_cause,
    "Cause": _error_or_cause,
    "ErrorPath": _error_path,
    "CausePath": _error_path,
    "Catch": rule_catch,
    "Retry": rule_retry,
    "Next": _string_rule,
    "End": _end,
}
