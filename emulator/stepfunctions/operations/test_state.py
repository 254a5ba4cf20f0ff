"""TestState: run one state, alone or inside a whole definition (``stateName``), with the given
input, variables, context and mock, and answer its status, output, next state, error, cause and
(at DEBUG/TRACE) the inspection data. No execution is created. The run itself is
``runtime/test_state.py``'s."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from .. import payloads
from ..asl import model as aslmodel
from ..asl.model import MISSING
from ..errors import ERRORS
from ..runtime import test_state as runtime
from ..runtime import test_state_mocks as mocks
from ..runtime.execution import Execution
from ..runtime.history import dumps
from . import operation
from .executions import _parse_input
from .requests import required

InvalidDefinition = ERRORS["InvalidDefinition"]
ValidationException = ERRORS["ValidationException"]

LEVELS = ("INFO", "DEBUG", "TRACE")
ROLE_REQUIRED = "RoleArn must be specified when testing a Task state"
"""AWS's text for a Task tested without ``roleArn`` (recorded against AWS, 2025-12)."""

_JSON_FIELDS = (
    "input",
    "afterInputPath",
    "afterParameters",
    "afterArguments",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "afterItemsPath",
    "afterItemSelector",
    "afterItemBatcher",
    "variables",
)
"""Inspection data that AWS answers as JSON text."""


@operation("TestState")
def test_state(service: Any, request: dict) -> dict:
    definition = required(request, "definition")
    level = request.get("inspectionLevel") or "INFO"
    if level not in LEVELS:
        raise ValidationException(
            f"1 validation error detected: Value '{level}' at 'inspectionLevel' failed to satisfy "
            "constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]"
        )
    state = _state(definition, request.get("stateName"))
    mock = request.get("mock")
    try:
        mocks.check(state, mock, bool(request.get("revealSecrets")))
    except mocks.MockRefused as refused:
        raise ERRORS[refused.kind](refused.message) from None
    if state.type == "Task" and not request.get("roleArn") and mock is None:
        raise ValidationException(ROLE_REQUIRED)
    _, input_value = _parse_input(request.get("input"))
    probe = runtime.Probe(
        state=state,
        input_value=input_value,
        variables=_json_object(request.get("variables"), "variables"),
        mock=mock,
        config=request.get("stateConfiguration") or {},
        context=_json_object(request.get("context"), "context") or None,
    )
    verdict = runtime.run(_private_execution(service, request, input_value), probe)
    return _response(verdict, level)


def _state(definition: Any, state_name: Any) -> Any:
    """The state to test: the definition itself (one state), or ``stateName`` of a whole state
    machine definition (its ``StartAt`` when no name is given)."""
    try:
        doc = payloads.loads(definition) if isinstance(definition, str) else None
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        raise InvalidDefinition("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED'")
    try:
        if "States" in doc:
            machine = aslmodel.load(definition)
            name = state_name or machine.program.start_at
        else:
            name = state_name or runtime.STATE_NAME
            wrapper = {"StartAt": name, "States": {name: doc}}
            if "QueryLanguage" in doc:
                wrapper["QueryLanguage"] = doc["QueryLanguage"]
            machine = aslmodel.load(wrapper, validate=False)
    except aslmodel.DefinitionError as exc:
        raise InvalidDefinition(exc.message) from None
    states = machine.program.states
    if name not in states:
        raise ValidationException(f"State '{name}' not found in the state machine definition")
    return states[name]


def _json_object(text: Any, field: str) -> dict:
    if text is None:
        return {}
    try:
        value = payloads.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ValidationException(f"Invalid {field}: expected a JSON object")
    return value


def _private_execution(service: Any, request: dict, input_value: Any) -> Execution:
    """The Express execution the state runs in: listed nowhere, named as AWS names one."""
    rng = service.rng(f"sfn-test-state:{service.clock.now()}")
    sm_name = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    name = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    record = SimpleNamespace(
        arn=service.arn("states", f"stateMachine:{sm_name}"),
        name=sm_name,
        role_arn=request.get("roleArn"),
    )
    return Execution(
        service,
        arn=service.arn("states", f"express:{sm_name}:{name}:{name}"),
        name=name,
        machine=None,
        record=record,
        input_text=request.get("input") or "{}",
        input_value=input_value,
        express=True,
    )


def _response(verdict: runtime.Verdict, level: str) -> dict:
    out: dict[str, Any] = {}
    if verdict.output is not MISSING:
        out["output"] = dumps(verdict.output)
    if verdict.error is not None:
        out["error"] = verdict.error
    if verdict.cause is not None:
        out["cause"] = verdict.cause
    if level != "INFO":
        data = {k: dumps(v) if k in _JSON_FIELDS else v for k, v in verdict.inspection.items()}
        if level != "TRACE":  # TS-09: the HTTP request and response at TRACE only
            data.pop("request", None)
            data.pop("response", None)
        out["inspectionData"] = data
    if verdict.next_state is not None:
        out["nextState"] = verdict.next_state
    out["status"] = verdict.status
    return out
