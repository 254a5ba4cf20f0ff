"""TestState's checks of a request's ``mock`` before anything runs (TS-06..TS-08).

AWS (API reference TestState, ``mock``; LocalStack's TestState snapshots recorded against AWS,
2025-12) refuses:

* a Map or Parallel state without a mock: ``InvalidDefinition`` "TestState API does not support
  Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail,
  Choice]" (the same text for both);
* a mock for a Pass, Fail or Succeed state: ``ValidationException`` "State type '<type>' is not
  supported when a mock is specified";
* ``revealSecrets`` with a mock; a mock with both ``result`` and ``errorOutput``; a ``result``
  that is not JSON; a Map's mocked result that is not an array (an object when the Map has a
  ResultWriter);
* a service integration's mocked result that does not fit the API's output shape, as
  ``fieldValidationMode`` says: STRICT (default) — required members present and present members
  of the right type; PRESENT — present members only; NONE — nothing. The shape is botocore's
  model of the integration's API (``arn:aws:states:::<service>:<action>`` and
  ``...:aws-sdk:<service>:<action>``); members the model does not know are allowed. [INF]: only
  request-response integrations are checked (``.sync`` and ``.waitForTaskToken`` results are not
  the API's output), and ``apigateway:invoke`` / ``http:invoke`` have no model.
"""

from __future__ import annotations

import functools
from typing import Any

from .. import payloads

MAP_OR_PARALLEL = (
    "TestState API does not support Map or Parallel states. Supported state types include: "
    "[Task, Wait, Pass, Succeed, Fail, Choice]"
)
REVEAL_WITH_MOCK = "TestState does not support RevealSecrets when a mock is specified."
BOTH_FIELDS = "A test mock should have only one of the following fields: [result, errorOutput]."
NOT_JSON = "Mocked result must be valid JSON"
MAP_ARRAY = "Mocked result must be an array."
MAP_OBJECT = "Mocked result must be a JSON object."
SCHEMA = "Mock result schema validation error: "
#: Step Functions service names that differ from botocore's.
BOTOCORE_NAMES = {"sfn": "stepfunctions", "states": "stepfunctions", "apigateway": "", "http": ""}


class MockRefused(Exception):
    """A refused request: ``kind`` is ``InvalidDefinition`` or ``ValidationException``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind, self.message = kind, message


def check(state: Any, mock: dict | None, reveal_secrets: bool) -> None:
    """Refuse what AWS refuses about ``mock`` for ``state`` (see the module docstring)."""
    if mock is None:
        if state.type in ("Map", "Parallel"):
            raise MockRefused("InvalidDefinition", MAP_OR_PARALLEL)
        return
    if state.type in ("Pass", "Fail", "Succeed"):
        raise MockRefused(
            "ValidationException", f"State type '{state.type}' is not supported when a mock is specified"
        )
    if reveal_secrets:
        raise MockRefused("ValidationException", REVEAL_WITH_MOCK)
    if "result" in mock and "errorOutput" in mock:
        raise MockRefused("ValidationException", BOTH_FIELDS)
    if mock.get("result") is None:
        return
    try:
        result = payloads.loads(mock["result"])
    except (ValueError, TypeError):
        raise MockRefused("ValidationException", NOT_JSON) from None
    if state.type == "Map":
        has_writer = isinstance(getattr(state, "result_writer", None), dict)
        if has_writer and not isinstance(result, dict):
            raise MockRefused("ValidationException", MAP_OBJECT)
        if not has_writer and not isinstance(result, list):
            raise MockRefused("ValidationException", MAP_ARRAY)
    elif state.type == "Task":
        mode = mock.get("fieldValidationMode") or "STRICT"
        shape = output_shape(getattr(state, "resource", ""))
        if shape is not None and mode != "NONE":
            _validate(result, shape, None, mode == "STRICT")


def output_shape(resource: Any) -> Any:
    """botocore's output shape of the integration ``resource`` names, or None."""
    if not isinstance(resource, str) or ":states:::" not in resource:
        return None
    parts = resource.split(":states:::", 1)[1].split(":")
    if parts[0] == "aws-sdk":
        parts = parts[1:]
    if len(parts) != 2 or "." in parts[1]:
        return None  # .sync / .waitForTaskToken: not the API's own output [INF]
    service, action = parts
    return _shape(BOTOCORE_NAMES.get(service, service), action[:1].upper() + action[1:])


@functools.lru_cache(maxsize=256)
def _shape(service: str, operation: str) -> Any:
    if not service:
        return None
    try:
        model = _session().get_service_model(service)
        return model.operation_model(operation).output_shape
    except Exception:  # noqa: BLE001 - an unknown service or action: nothing to check against
        return None


@functools.lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session  # the API models only, never the transport

    return botocore.session.get_session()


def _validate(value: Any, shape: Any, name: str | None, strict: bool) -> None:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            raise MockRefused("ValidationException", f"{SCHEMA}Field '{name}' must be an object")
        if strict:
            for member in shape.required_members:
                if member not in value:
                    raise MockRefused("ValidationException", f"{SCHEMA}Required field '{member}' is missing")
        for key, item in value.items():
            member_shape = shape.members.get(key)
            if member_shape is not None:
                _validate(item, member_shape, key, strict)
    elif kind == "list":
        _expect(isinstance(value, list), "an array", name)
        for item in value:
            _validate(item, shape.member, name, strict)
    elif kind == "map":
        _expect(isinstance(value, dict), "an object", name)
        for item in value.values():
            _validate(item, shape.value, name, strict)
    else:
        _scalar(value, shape, name)


def _scalar(value: Any, shape: Any, name: str | None) -> None:
    kind = shape.type_name
    if kind == "blob":
        return  # [INF] a Step Functions result holds a blob as JSON (lambda:invoke's Payload)
    if kind in ("string", "timestamp"):
        _expect(isinstance(value, str), "a string", name)
        enum = getattr(shape, "enum", None)
        if kind == "string" and enum and value not in enum:
            raise MockRefused("ValidationException", f"{SCHEMA}Field '{name}' is not an expected value")
    elif kind in ("integer", "long"):
        _expect(isinstance(value, int) and not isinstance(value, bool), "a number", name)
    elif kind in ("float", "double"):
        _expect(isinstance(value, (int, float)), "a number", name)
    elif kind == "boolean":
        _expect(isinstance(value, bool), "a boolean", name)


def _expect(ok: bool, what: str, name: str | None) -> None:
    if not ok:
        raise MockRefused("ValidationException", f"{SCHEMA}Field '{name}' must be {what}")
