"""ValidateStateMachineDefinition (API-13, ASL-VAL-22): diagnostics, never an error for a bad
definition."""

from __future__ import annotations

from typing import Any

from ..errors import ERRORS
from ..service import operation
from .requests import required

ValidationException = ERRORS["ValidationException"]


@operation("ValidateStateMachineDefinition")
def validate_state_machine_definition(service: Any, request: dict) -> dict:
    from ..asl import validate as aslvalidate

    definition = required(request, "definition")
    sm_type = request.get("type", "STANDARD")
    severity = request.get("severity", "ERROR")
    limit = request.get("maxResults", 0) or 100
    if not isinstance(limit, int) or limit < 0 or limit > 100:
        raise ValidationException(
            f"1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 100")
    diags = aslvalidate.validate(definition, type=sm_type)
    wanted = [d for d in diags if severity == "WARNING" or _sev(d) == "ERROR"]
    result = "FAIL" if any(_sev(d) == "ERROR" for d in diags) else "OK"
    shown = wanted[:limit]
    return {"result": result, "diagnostics": [_shape(d) for d in shown],
            "truncated": len(wanted) > limit}


def _sev(d: Any) -> str:
    return getattr(d, "severity", None) or (d.get("severity") if isinstance(d, dict) else "ERROR")


def _shape(d: Any) -> dict:
    if isinstance(d, dict):
        return dict(d)
    out = {"severity": d.severity, "code": d.code, "message": d.message}
    loc = getattr(d, "location", None)
    if loc is not None:
        out["location"] = loc
    return out
