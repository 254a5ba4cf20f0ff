"""``Retry`` and ``Catch`` arrays (ASL-VAL-11, ERR-04, §8.1).

Retrier: ``ErrorEquals`` (required, non-empty array of strings), ``IntervalSeconds`` (integer; AWS
measured: 0 is accepted, so only the maximum 99999999 is enforced), ``MaxAttempts`` 0..99999999,
``BackoffRate`` >= 1.0, ``MaxDelaySeconds`` 1..31622400, ``JitterStrategy`` FULL|NONE, ``Comment``.
Catcher: ``ErrorEquals`` and ``Next`` required; ``ResultPath`` (JSONPath) or ``Output`` (JSONata),
``Assign`` in both. ``States.ALL`` must be alone in its ``ErrorEquals`` and may appear only in the
last retrier/catcher (spec).

The catcher's ``Next`` is checked against the scope by ``validate_graph.py``.
"""

from __future__ import annotations

from typing import Any

from . import validate_jsonata as jsonata_check
from . import validate_messages as msg
from . import validate_paths as paths
from . import validate_values as values
from . import validate_variables as variables
from .validate_context import StateView
from .validate_fields import CATCHER_FIELDS, JSONATA, JSONPATH, MAX_DELAY_SECONDS, MAX_SECONDS, RETRIER_FIELDS
from .validate_report import Loc, Report

STATES_ALL = "States.ALL"


def _check_error_equals(item: dict, loc: Loc, report: Report) -> bool:
    """Returns True when the list contains States.ALL."""
    if "ErrorEquals" not in item:
        return False
    errors = item["ErrorEquals"]
    here = loc.key("ErrorEquals")
    if not values.check_array(errors, here, report, nonempty=True):
        return False
    for i, name in enumerate(errors):
        values.check_string(name, here.index(i), report)
    has_all = STATES_ALL in errors
    if has_all and len(errors) > 1:
        report.schema(msg.STATES_ALL_ALONE, here)
    return has_all


def _check_list(view: StateView, field: str, report: Report) -> list[tuple[int, dict, Loc, bool]]:
    raw = view.body[field]
    loc = view.loc.key(field)
    if not values.check_array(raw, loc, report):
        return []
    out = []
    for i, item in enumerate(raw):
        here = loc.index(i)
        if not values.check_object(item, here, report):
            continue
        out.append((i, item, here, False))
    return out


def _check_all_last(entries: list[tuple[int, dict, Loc, bool]], kind: str, report: Report) -> None:
    for position, (_i, _item, here, has_all) in enumerate(entries):
        if has_all and position != len(entries) - 1:
            report.schema(msg.STATES_ALL_LAST.format(kind=kind), here.key("ErrorEquals"))


def check_retry(view: StateView, report: Report) -> None:
    entries = []
    for i, item, here, _ in _check_list(view, "Retry", report):
        values.check_fields(item, here, report, RETRIER_FIELDS, ("ErrorEquals",))
        has_all = _check_error_equals(item, here, report)
        _check_retrier_numbers(item, here, report)
        entries.append((i, item, here, has_all))
    _check_all_last(entries, "retrier", report)


def _check_retrier_numbers(item: dict, loc: Loc, report: Report) -> None:
    if "IntervalSeconds" in item:
        values.check_int(
            item["IntervalSeconds"], loc.key("IntervalSeconds"), report, minimum=0, maximum=MAX_SECONDS
        )
    if "MaxAttempts" in item:
        values.check_int(item["MaxAttempts"], loc.key("MaxAttempts"), report, minimum=0, maximum=MAX_SECONDS)
    if "BackoffRate" in item:
        values.check_number(item["BackoffRate"], loc.key("BackoffRate"), report, minimum=1.0)
    if "MaxDelaySeconds" in item:
        values.check_int(
            item["MaxDelaySeconds"], loc.key("MaxDelaySeconds"), report, minimum=1, maximum=MAX_DELAY_SECONDS
        )
    if "JitterStrategy" in item:
        values.check_enum(item["JitterStrategy"], loc.key("JitterStrategy"), report, ("FULL", "NONE"))
    if "Comment" in item:
        values.check_string(item["Comment"], loc.key("Comment"), report)


def check_catch(view: StateView, report: Report) -> None:
    allowed = CATCHER_FIELDS[JSONATA if view.jsonata else JSONPATH]
    entries = []
    for i, item, here, _ in _check_list(view, "Catch", report):
        _check_catcher_fields(view, item, here, report, allowed)
        has_all = _check_error_equals(item, here, report)
        if "Next" in item:
            values.check_string(item["Next"], here.key("Next"), report)
        _check_catcher_data(view, item, here, report)
        entries.append((i, item, here, has_all))
    _check_all_last(entries, "catcher", report)


def _check_catcher_fields(
    view: StateView, item: dict, loc: Loc, report: Report, allowed: frozenset[str]
) -> None:
    missing = [name for name in ("ErrorEquals", "Next") if name not in item]
    if missing:
        report.schema(msg.REQUIRED.format(fields=", ".join(missing)), loc)
    other = CATCHER_FIELDS[JSONPATH if view.jsonata else JSONATA]
    for name in item:
        if name in allowed:
            continue
        if name in other:
            language, other_language = (JSONATA, JSONPATH) if view.jsonata else (JSONPATH, JSONATA)
            report.schema(msg.LANGUAGE_ONLY.format(language=language, field=name, other=other_language), loc)
        else:
            report.schema(msg.NOT_SUPPORTED.format(field=name), loc)


def _check_catcher_data(view: StateView, item: dict, loc: Loc, report: Report) -> None:
    if view.jsonata:
        if "Output" in item:
            jsonata_check.check_value(
                item["Output"], loc.key("Output"), report, states_fields=jsonata_check.WITH_ERROR_OUTPUT
            )
    elif "ResultPath" in item:
        paths.check_result_path(item["ResultPath"], loc.key("ResultPath"), report)
    if "Assign" in item:
        variables.check_assign(
            view, item["Assign"], loc.key("Assign"), report, states_fields=jsonata_check.WITH_ERROR_OUTPUT
        )


def rule_retry(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    check_retry(view, report)


def rule_catch(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    check_catch(view, report)
