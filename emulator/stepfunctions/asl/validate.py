"""Definition validation: AWS's diagnostics for ``ValidateStateMachineDefinition`` and the
``InvalidDefinition`` error of ``CreateStateMachine``/``UpdateStateMachine`` (reference §1.5).

Public contract (used by ``asl/model.py`` and the API operations):

* :func:`validate` → every :class:`Diagnostic` AWS would report, in AWS's order;
* :func:`invalid_definition_message` → ``Invalid State Machine Definition: '<CODE>: <message> at
  <location>[, ...]'`` (errors only; a diagnostic without location prints ``at null``, AWS measured:
  ``'MISSING_END_STATE: Workflow has no terminal state at null'``);
* :func:`validate_api_result` → ``{result, diagnostics, truncated}`` (ASL-VAL-22).

Pipeline: text → JSON (``validate_json``: Jackson-like ``INVALID_JSON_DESCRIPTION``) → not an object
→ ``Definition must be a valid JSON object`` → schema walk (``validate_schema``) → nested-scope
variable names (``validate_variables.check_scopes``) → graph checks (``validate_graph``: duplicate
names, missing targets, terminal state, reachability). Every pass always runs, so one response
carries every problem, as AWS's does.

Module map: ``validate_report`` (Diagnostic, locations), ``validate_messages`` (every text, with
its provenance), ``validate_json`` (Jackson-like parsing), ``validate_fields`` (the field tables),
``validate_context`` (the state being checked, its effective query language), ``validate_values``
(typed checks), ``validate_schema`` (the walk + field-rule registry), ``validate_paths``,
``validate_jsonata``, ``validate_choice``, ``validate_retry``, ``validate_variables``,
``validate_map``, ``validate_resource``, ``validate_graph``.

Validation never raises for a bad definition: whatever the input, the answer is a list of
diagnostics (fuzzed in ``tests/stepfunctions/test_validate_fuzz.py``). A definition nested too deeply
for the recursive walk is reported as ``TOO_DEEPLY_NESTED``.
"""

from __future__ import annotations

from typing import Any

from ...wellformed import lone_surrogate_in, may_escape_surrogate
from ..payloads import SURROGATE_TEXT
from . import validate_messages as msg
from .validate_graph import check_graph
from .validate_json import JsonFailure, loads
from .validate_report import (
    ERROR,
    INVALID_JSON,
    MISSING_DESCRIPTION,
    SCHEMA,
    TOO_DEEPLY_NESTED,
    WARNING,
    Diagnostic,
    Report,
)
from .validate_schema import check_machine
from .validate_variables import check_scopes

__all__ = ["Diagnostic", "validate", "invalid_definition_message", "validate_api_result"]

_DEFAULT_MAX_RESULTS = 100


def validate(definition: str | dict | Any, *, type: str = "STANDARD") -> list[Diagnostic]:
    """All diagnostics (errors and warnings) for ``definition`` (JSON text or already parsed)."""
    if definition is None or (isinstance(definition, str) and not definition.strip()):
        return [Diagnostic(ERROR, MISSING_DESCRIPTION, msg.MISSING_DESCRIPTION, None)]
    if isinstance(definition, str):
        try:
            doc = loads(definition)
        except ValueError as exc:
            failure = exc.args[0] if exc.args and isinstance(exc.args[0], JsonFailure) else None
            if failure is None:  # pragma: no cover - loads always attaches one
                return [Diagnostic(ERROR, INVALID_JSON, str(exc), None)]
            return [Diagnostic(ERROR, INVALID_JSON, failure.message, failure.source)]
        if may_escape_surrogate(definition) and lone_surrogate_in(doc):
            return [Diagnostic(ERROR, INVALID_JSON, SURROGATE_TEXT, None)]  # [INF] (payloads.py)
    else:
        doc = definition
    if not isinstance(doc, dict):
        return [Diagnostic(ERROR, SCHEMA, msg.NOT_AN_OBJECT, None)]
    report = Report()
    try:
        check_machine(doc, type, report)
        check_scopes(doc, report)
        check_graph(doc, report)
    except RecursionError:
        report.error(TOO_DEEPLY_NESTED, msg.TOO_DEEP, None)
    return report.items


def _render(d: Diagnostic) -> str:
    return f"{d.code}: {d.message} at {d.location if d.location is not None else 'null'}"


def invalid_definition_message(diagnostics: list[Diagnostic]) -> str:
    """The ``InvalidDefinition`` message for Create/UpdateStateMachine (ERROR diagnostics only)."""
    errors = [d for d in diagnostics if d.severity == ERROR]
    return "Invalid State Machine Definition: '" + ", ".join(_render(d) for d in errors) + "'"


def validate_api_result(
    diagnostics: list[Diagnostic], *, severity: str = "ERROR", max_results: int = 0
) -> dict[str, Any]:
    """The ``ValidateStateMachineDefinition`` response body.

    ``severity`` ERROR returns only errors, WARNING errors and warnings; ``result`` is FAIL iff
    there is an error (warnings alone are OK); ``max_results`` 0 means the default 100.
    """
    wanted = (ERROR,) if severity == ERROR else (ERROR, WARNING)
    shown = [d for d in diagnostics if d.severity in wanted]
    limit = max_results or _DEFAULT_MAX_RESULTS
    body: list[dict[str, str]] = []
    for d in shown[:limit]:
        item = {"severity": d.severity, "code": d.code, "message": d.message}
        if d.location is not None:
            item["location"] = d.location
        body.append(item)
    return {
        "result": "FAIL" if any(d.severity == ERROR for d in diagnostics) else "OK",
        "diagnostics": body,
        "truncated": len(shown) > limit,
    }
