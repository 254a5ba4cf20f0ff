"""Choice rules (ASL-VAL-13, §6, JA-11).

JSONPath rule: exactly one of ``And``/``Or`` (non-empty arrays of rules), ``Not`` (one rule) or a
data test ``Variable`` + exactly one comparison operator; top-level rules need ``Next`` and may carry
``Assign``/``Comment``; nested rules carry neither ``Next`` nor ``Assign``.
JSONata rule: ``Condition`` (boolean or JSONata string) and ``Next``; optional ``Assign``,
``Output``, ``Comment``.

Operators are a table (name → value kind) so adding one is a one-line change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import validate_jsonata as jsonata_check
from . import validate_messages as msg
from . import validate_paths as paths
from . import validate_values as values
from . import validate_variables as variables
from .validate_context import StateView
from .validate_report import Loc, Report

_Check = Callable[[Any, Loc, Report], Any]


def _path_operand(value: Any, loc: Loc, report: Report) -> None:
    paths.check_path(value, loc, report, loc.text.rsplit("/", 1)[-1])


_KINDS: dict[str, _Check] = {
    "string": values.check_string,
    "number": values.check_number,
    "boolean": values.check_bool,
    "timestamp": values.check_timestamp,
    "path": _path_operand,
}

OPERATORS: dict[str, str] = {}
for _stem, _kind in (("String", "string"), ("Numeric", "number"), ("Timestamp", "timestamp")):
    for _op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"):
        OPERATORS[f"{_stem}{_op}"] = _kind
        OPERATORS[f"{_stem}{_op}Path"] = "path"
OPERATORS["StringMatches"] = "string"
OPERATORS["BooleanEquals"] = "boolean"
OPERATORS["BooleanEqualsPath"] = "path"
for _test in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"):
    OPERATORS[_test] = "boolean"

_RULE_KINDS = ("And", "Or", "Not", "Variable")
_JSONPATH_RULE_FIELDS = frozenset(_RULE_KINDS) | frozenset(OPERATORS) | {"Comment"}
_JSONATA_RULE_FIELDS = frozenset({"Condition", "Next", "Assign", "Output", "Comment"})


def check_choices(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if not values.check_array(value, loc, report, nonempty=True):
        return
    for i, rule in enumerate(value):
        here = loc.index(i)
        if not values.check_object(rule, here, report):
            continue
        if view.jsonata:
            _jsonata_rule(view, rule, here, report)
        else:
            _jsonpath_rule(view, rule, here, report, top=True)


def _jsonata_rule(view: StateView, rule: dict, loc: Loc, report: Report) -> None:
    values.check_fields(rule, loc, report, _JSONATA_RULE_FIELDS, ("Condition", "Next"))
    if "Condition" in rule:
        condition = rule["Condition"]
        if isinstance(condition, bool):
            pass
        elif jsonata_check.is_expression(condition):
            jsonata_check.check_value(condition, loc.key("Condition"), report)
        else:
            values.expect(report, loc.key("Condition"), "BOOLEAN")
    if "Next" in rule:
        values.check_string(rule["Next"], loc.key("Next"), report)
    if "Output" in rule:
        jsonata_check.check_value(rule["Output"], loc.key("Output"), report)
    if "Assign" in rule:
        variables.check_assign(view, rule["Assign"], loc.key("Assign"), report)


def _jsonpath_rule(view: StateView, rule: dict, loc: Loc, report: Report, *, top: bool) -> None:
    allowed = _JSONPATH_RULE_FIELDS | {"Next", "Assign"} if top else _JSONPATH_RULE_FIELDS
    values.check_fields(rule, loc, report, allowed, ("Next",) if top else ())
    kinds = [k for k in _RULE_KINDS if k in rule]
    operators = [name for name in rule if name in OPERATORS]
    if len(kinds) != 1:
        report.schema(msg.RULE_KIND, loc)
    if "Variable" in rule:
        paths.check_path(rule["Variable"], loc.key("Variable"), report, "Variable")
        if not operators:
            report.schema(msg.NO_OPERATOR, loc)
        elif len(operators) > 1:
            report.schema(msg.ONE_OPERATOR, loc)
    elif operators:
        report.schema(msg.REQUIRED.format(fields="Variable"), loc)
    for name in operators:
        _KINDS[OPERATORS[name]](rule[name], loc.key(name), report)
    for name in ("And", "Or"):
        if name in rule:
            here = loc.key(name)
            if values.check_array(rule[name], here, report, nonempty=True):
                for i, sub in enumerate(rule[name]):
                    if values.check_object(sub, here.index(i), report):
                        _jsonpath_rule(view, sub, here.index(i), report, top=False)
    if "Not" in rule and values.check_object(rule["Not"], loc.key("Not"), report):
        _jsonpath_rule(view, rule["Not"], loc.key("Not"), report, top=False)
    if top and "Next" in rule:
        values.check_string(rule["Next"], loc.key("Next"), report)
    if top and "Assign" in rule:
        variables.check_assign(view, rule["Assign"], loc.key("Assign"), report)
