"""ValidateStateMachineDefinition (API-13, ASL-VAL-22): diagnostics, never an error for a bad
definition (the diagnostics themselves are ``asl/validate.py``'s)."""

from __future__ import annotations

from typing import Any

from ..errors import ERRORS
from . import operation
from .requests import required

ValidationException = ERRORS["ValidationException"]
SEVERITIES = ("ERROR", "WARNING")


@operation("ValidateStateMachineDefinition")
def validate_state_machine_definition(service: Any, request: dict) -> dict:
    # lazy for import-time cost only (no cycle): see asl/model.py's _validated
    from ..asl import validate as aslvalidate

    definition = required(request, "definition")
    sm_type = request.get("type", "STANDARD")
    if sm_type not in ("STANDARD", "EXPRESS"):
        raise ValidationException(
            f"1 validation error detected: Value '{sm_type}' at 'type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [STANDARD, EXPRESS]"
        )
    severity = request.get("severity", "ERROR")
    if severity not in SEVERITIES:
        raise ValidationException(
            f"1 validation error detected: Value '{severity}' at 'severity' failed to satisfy "
            "constraint: Member must satisfy enum value set: [ERROR, WARNING]"
        )
    limit = request.get("maxResults", 0) or 0
    if not isinstance(limit, int) or limit < 0 or limit > 100:
        raise ValidationException(
            f"1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 100"
        )
    diags = aslvalidate.validate(definition, type=sm_type)
    return aslvalidate.validate_api_result(diags, severity=severity, max_results=limit)
