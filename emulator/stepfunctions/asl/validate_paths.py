"""JSONPath-mode values: Paths, Reference Paths, ResultPath and payload templates (``.$`` keys).

What is a valid path is not decided here: ``asl/jsonpath.py`` (``is_valid_path``,
``is_reference_path``, ``is_result_path``) and ``asl/intrinsics.py`` (``parse``/``is_intrinsic``)
own the syntax; this module only says *where* each kind is required and what AWS reports:

* ``InputPath``/``OutputPath`` (and Choice ``Variable``/``...Path`` operands): a Path or ``null``;
* ``ResultPath``: a Reference Path on the data, or ``null`` (ASL-VAL-18: never ``$$``/a variable);
* ``*Path`` fields (``SecondsPath``, ``ItemsPath``, ...): a Reference Path — AWS measured
  ``Value is not a Reference Path``; for the Map/ItemBatcher number fields AWS also refuses the
  context object (only ``ItemsPath`` may read ``$$``);
* ``ErrorPath``/``CausePath``: a Reference Path or an intrinsic function;
* payload templates (``Parameters``, ``ResultSelector``, ``ItemSelector``, JSONPath ``Assign``):
  a key ending ``.$`` needs a Path, ``$$`` path, variable path or intrinsic (ASL-VAL-14); two keys
  equal after stripping ``.$`` are refused; warnings ``NO_DOLLAR`` (a plain key whose value looks
  like a path) are raised as AWS's linter does.
"""

from __future__ import annotations

from typing import Any

from . import intrinsics as _intrinsics
from . import jsonpath as _jsonpath
from . import validate_messages as msg
from .validate_report import NO_DOLLAR, Loc, Report


def looks_intrinsic(text: str) -> bool:
    return bool(_intrinsics.is_intrinsic(text))


def intrinsic_ok(text: str) -> bool:
    try:
        _intrinsics.parse(text)
    except Exception:  # IntrinsicSyntaxError (and any parser bug) means "not a valid call"
        return False
    return True


def check_path(value: Any, loc: Loc, report: Report, field: str) -> None:
    """A general Path, or null."""
    if value is None:
        return
    if not isinstance(value, str) or not _jsonpath.is_valid_path(value):
        report.schema(msg.NOT_PATH.format(field=field), loc)


def check_reference_path(value: Any, loc: Loc, report: Report, *, allow_context: bool = True) -> None:
    """A Reference Path (``*Path`` fields)."""
    if (
        not isinstance(value, str)
        or not _jsonpath.is_reference_path(value)
        or (not allow_context and value.startswith("$$"))
    ):
        report.schema(msg.NOT_REFERENCE_PATH, loc)


def check_result_path(value: Any, loc: Loc, report: Report) -> None:
    """``ResultPath``: a Reference Path on the data, or null."""
    if value is None:
        return
    if not isinstance(value, str) or not _jsonpath.is_result_path(value):
        report.schema(msg.NOT_REFERENCE_PATH, loc)


def check_path_or_intrinsic(value: Any, loc: Loc, report: Report) -> None:
    """``ErrorPath``/``CausePath``: a Reference Path or an intrinsic function."""
    if isinstance(value, str) and looks_intrinsic(value):
        if not intrinsic_ok(value):
            report.schema(msg.BAD_TEMPLATE_VALUE.format(field=loc.text.rsplit("/", 1)[-1]), loc)
        return
    check_reference_path(value, loc, report)


def dynamic_value_ok(value: Any) -> bool:
    """Can ``value`` stand behind a ``.$`` key (Path, ``$$``, variable, intrinsic)?"""
    if not isinstance(value, str):
        return False
    if looks_intrinsic(value):
        return intrinsic_ok(value)
    return _jsonpath.is_valid_path(value)


def _looks_dynamic(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return value == "$" or value.startswith(("$.", "$$", "$[")) or looks_intrinsic(value)


def check_template(value: Any, loc: Loc, report: Report) -> None:
    """A payload template: any JSON; objects have their ``.$`` keys checked, at any depth."""
    if isinstance(value, dict):
        stripped: set[str] = set()
        for key, item in value.items():
            here = loc.key(key)
            if key.endswith(".$"):
                base = key[:-2]
                if not dynamic_value_ok(item):
                    report.schema(msg.BAD_TEMPLATE_VALUE.format(field=key), here)
            else:
                base = key
                if _looks_dynamic(item):
                    report.warning(NO_DOLLAR, msg.NO_DOLLAR_TEXT.format(field=key), here)
                check_template(item, here, report)
            if base in stripped:
                report.schema(msg.DUPLICATE_TEMPLATE_KEY.format(field=base), here)
            stripped.add(base)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                check_template(item, loc.index(i), report)
