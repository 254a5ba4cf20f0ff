"""The loader: an ASL definition (JSON text or dict) → a frozen, typed model.

Design decisions:

* Every state is a frozen, slotted dataclass. Fields the definition does not set hold
  :data:`MISSING`, which is distinct from JSON ``null`` (``"InputPath": null`` means "use ``{}``",
  an absent ``InputPath`` means ``$`` — SPEC §"InputPath, Parameters, ResultSelector...").
* Payload templates (``Parameters``, ``ItemSelector``, ``ResultSelector``, ``Assign``, ``Arguments``,
  ``Output``) are kept as the raw JSON values: the pure dataflow / JSONata functions take them as
  they are and cache their own compiled forms.
* ``query_language`` is resolved at load time: a state's own ``QueryLanguage`` or else the *state
  machine's* (ASL-TOP-08: states nested in a Map or Parallel default to the machine's language,
  not the enclosing state's).
* Definition validation is ``asl/validate.py``'s job (AWS's diagnostics); :func:`load` calls it and
  raises :class:`DefinitionError` with the InvalidDefinition text. The loader itself only refuses
  what it cannot build a model from.
* :func:`load` validates what the caller sent, not a re-parse of it: JSON text is read once with
  the validator's Jackson-like reader (``validate_json.loads``), so a definition that is not JSON
  gets AWS's ``INVALID_JSON_DESCRIPTION`` text and a state name written twice in one ``States``
  object (a duplicate JSON key, which ``json.loads`` would silently collapse) is reported as
  ``DUPLICATE_STATE_NAME``. The same parsed document is validated once and then built: one parse,
  one validation per Create/UpdateStateMachine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ...wellformed import lone_surrogate_in, may_escape_surrogate
from . import validate_messages
from .validate_json import loads


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""An absent field (as opposed to JSON ``null``)."""

JSONPATH = "JSONPath"
JSONATA = "JSONata"


class DefinitionError(Exception):
    """The definition cannot be used; ``message`` is the InvalidDefinition text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Retrier:
    """One ``Retry`` element; the field defaults are AWS's (ERR-04), the only copy of them."""

    error_equals: tuple[str, ...]
    interval_seconds: float = 1
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: float | None = None
    jitter_strategy: str = "NONE"


@dataclass(frozen=True, slots=True)
class Catcher:
    """One ``Catch`` element; ``result_path``/``output``/``assign`` are MISSING when absent."""

    error_equals: tuple[str, ...]
    next: str
    result_path: Any = MISSING
    output: Any = MISSING
    assign: Any = MISSING


@dataclass(frozen=True, slots=True)
class Program:
    """A ``States`` scope: the machine itself, a Parallel branch or a Map item processor."""

    start_at: str
    states: dict[str, State]


@dataclass(frozen=True, slots=True)
class StateMachine:
    """The whole definition."""

    program: Program
    query_language: str = JSONPATH
    timeout_seconds: Any = MISSING
    comment: Any = MISSING
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class State:
    """Fields common to all state types."""

    name: str
    type: str
    query_language: str = JSONPATH
    next: Any = MISSING
    end: bool = False
    comment: Any = MISSING
    input_path: Any = MISSING
    output_path: Any = MISSING
    parameters: Any = MISSING
    result_selector: Any = MISSING
    result_path: Any = MISSING
    assign: Any = MISSING
    output: Any = MISSING
    arguments: Any = MISSING
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()
    raw: dict = field(default_factory=dict, compare=False)

    @property
    def jsonata(self) -> bool:
        return self.query_language == JSONATA


@dataclass(frozen=True, slots=True)
class PassState(State):
    result: Any = MISSING


@dataclass(frozen=True, slots=True)
class TaskState(State):
    resource: str = ""
    timeout_seconds: Any = MISSING
    timeout_seconds_path: Any = MISSING
    heartbeat_seconds: Any = MISSING
    heartbeat_seconds_path: Any = MISSING
    credentials: Any = MISSING


@dataclass(frozen=True, slots=True)
class ChoiceState(State):
    choices: tuple[dict, ...] = ()
    default: Any = MISSING


@dataclass(frozen=True, slots=True)
class WaitState(State):
    seconds: Any = MISSING
    seconds_path: Any = MISSING
    timestamp: Any = MISSING
    timestamp_path: Any = MISSING


@dataclass(frozen=True, slots=True)
class SucceedState(State):
    pass


@dataclass(frozen=True, slots=True)
class FailState(State):
    error: Any = MISSING
    error_path: Any = MISSING
    cause: Any = MISSING
    cause_path: Any = MISSING


@dataclass(frozen=True, slots=True)
class ParallelState(State):
    branches: tuple[Program, ...] = ()


@dataclass(frozen=True, slots=True)
class MapState(State):
    processor: Program = None  # type: ignore[assignment]
    items_path: Any = MISSING
    items: Any = MISSING
    item_selector: Any = MISSING
    max_concurrency: Any = MISSING
    max_concurrency_path: Any = MISSING
    tolerated_failure_count: Any = MISSING
    tolerated_failure_count_path: Any = MISSING
    tolerated_failure_percentage: Any = MISSING
    tolerated_failure_percentage_path: Any = MISSING
    item_reader: Any = MISSING
    item_batcher: Any = MISSING
    result_writer: Any = MISSING
    label: Any = MISSING
    distributed: bool = False
    execution_type: str = "STANDARD"  # a distributed Map's child executions (ProcessorConfig)


# --- loading ---------------------------------------------------------------------------------

_COMMON = {
    "Next": "next",
    "Comment": "comment",
    "InputPath": "input_path",
    "OutputPath": "output_path",
    "Parameters": "parameters",
    "ResultSelector": "result_selector",
    "ResultPath": "result_path",
    "Assign": "assign",
    "Output": "output",
    "Arguments": "arguments",
}
_SPECIFIC: dict[str, dict[str, str]] = {
    "Pass": {"Result": "result"},
    "Task": {
        "Resource": "resource",
        "TimeoutSeconds": "timeout_seconds",
        "TimeoutSecondsPath": "timeout_seconds_path",
        "HeartbeatSeconds": "heartbeat_seconds",
        "HeartbeatSecondsPath": "heartbeat_seconds_path",
        "Credentials": "credentials",
    },
    "Choice": {"Default": "default"},
    "Wait": {
        "Seconds": "seconds",
        "SecondsPath": "seconds_path",
        "Timestamp": "timestamp",
        "TimestampPath": "timestamp_path",
    },
    "Succeed": {},
    "Fail": {"Error": "error", "ErrorPath": "error_path", "Cause": "cause", "CausePath": "cause_path"},
    "Parallel": {},
    "Map": {
        "ItemsPath": "items_path",
        "Items": "items",
        "ItemSelector": "item_selector",
        "MaxConcurrency": "max_concurrency",
        "MaxConcurrencyPath": "max_concurrency_path",
        "ToleratedFailureCount": "tolerated_failure_count",
        "ToleratedFailureCountPath": "tolerated_failure_count_path",
        "ToleratedFailurePercentage": "tolerated_failure_percentage",
        "ToleratedFailurePercentagePath": "tolerated_failure_percentage_path",
        "ItemReader": "item_reader",
        "ItemBatcher": "item_batcher",
        "ResultWriter": "result_writer",
        "Label": "label",
    },
}
_CLASSES: dict[str, type[State]] = {
    "Pass": PassState,
    "Task": TaskState,
    "Choice": ChoiceState,
    "Wait": WaitState,
    "Succeed": SucceedState,
    "Fail": FailState,
    "Parallel": ParallelState,
    "Map": MapState,
}


_NOT_AN_OBJECT = (
    f"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: {validate_messages.NOT_AN_OBJECT}'"
)
"""A definition that is JSON but not an object (the validator's text, in AWS's envelope)."""


def parse_definition(definition: str | dict) -> dict:
    """JSON text → dict (``DefinitionError`` if it is not a JSON object)."""
    if isinstance(definition, dict):
        return definition
    try:
        value = json.loads(definition)
    except (TypeError, ValueError) as exc:
        raise DefinitionError(f"Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: {exc}'") from exc
    if not isinstance(value, dict):
        raise DefinitionError(_NOT_AN_OBJECT)
    return value


def _validated(definition: str | dict, type: str) -> dict:
    """The definition as a dict, after AWS's validation of the original text (see module doc)."""
    # lazy for import-time cost only (no cycle): the validator loads the JSONata engine and
    # jsonpath-ng (~130 ms), which a world that defines no state machine never needs
    from . import validate as _validate

    doc: Any = definition
    if isinstance(definition, str):
        try:
            doc = loads(definition) if definition.strip() else None
        except ValueError:
            doc = None
        if doc is None:  # not JSON, or blank: the validator words it (INVALID_JSON / MISSING_DESCRIPTION)
            doc = definition
        elif may_escape_surrogate(definition) and lone_surrogate_in(doc):
            doc = definition  # the validator words it too (a lone surrogate, payloads.py)
    diagnostics = _validate.validate(doc, type=type)
    errors = [d for d in diagnostics if d.severity == "ERROR"]
    if errors:
        raise DefinitionError(_validate.invalid_definition_message(errors))
    if not isinstance(doc, dict):  # pragma: no cover - the validator reports non-objects
        raise DefinitionError(_NOT_AN_OBJECT)
    return doc


def load(definition: str | dict, *, validate: bool = True, type: str = "STANDARD") -> StateMachine:
    """Validate (optionally) and build the model. Raises :class:`DefinitionError`."""
    raw = _validated(definition, type) if validate else parse_definition(definition)
    language = raw.get("QueryLanguage", JSONPATH)
    try:
        program = _program(raw, language)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DefinitionError(f"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: {exc}'") from exc
    return StateMachine(
        program=program,
        query_language=language,
        timeout_seconds=raw.get("TimeoutSeconds", MISSING),
        comment=raw.get("Comment", MISSING),
        raw=raw,
    )


def _program(raw: dict, language: str) -> Program:
    states_raw = raw["States"]
    if not isinstance(states_raw, dict):
        raise TypeError("States must be an object")
    states = {name: _state(name, body, language) for name, body in states_raw.items()}
    start = raw["StartAt"]
    if start not in states:
        raise ValueError(f"Missing 'StartAt' target: {start}")
    return Program(start_at=start, states=states)


def _state(name: str, body: dict, machine_language: str) -> State:
    stype = body["Type"]
    cls = _CLASSES[stype]
    kwargs: dict[str, Any] = {
        "name": name,
        "type": stype,
        "raw": body,
        "query_language": body.get("QueryLanguage", machine_language),
        "end": bool(body.get("End", False)),
    }
    for key, attr in _COMMON.items():
        if key in body:
            kwargs[attr] = body[key]
    for key, attr in _SPECIFIC[stype].items():
        if key in body:
            kwargs[attr] = body[key]
    if "Retry" in body:
        kwargs["retry"] = tuple(parse_retrier(r) for r in body["Retry"])
    if "Catch" in body:
        kwargs["catch"] = tuple(parse_catcher(c) for c in body["Catch"])
    if stype == "Choice":
        kwargs["choices"] = tuple(body.get("Choices", ()))
    elif stype == "Parallel":
        kwargs["branches"] = tuple(_program(b, machine_language) for b in body["Branches"])
    elif stype == "Map":
        proc: dict = body.get("ItemProcessor", body.get("Iterator")) or {}
        kwargs["processor"] = _program(proc, machine_language)
        cfg = proc.get("ProcessorConfig") or {}
        kwargs["distributed"] = cfg.get("Mode") == "DISTRIBUTED"
        if cfg.get("ExecutionType") == "EXPRESS":
            kwargs["execution_type"] = "EXPRESS"
        if "ItemSelector" not in body and "Parameters" in body:
            kwargs["item_selector"] = body["Parameters"]  # deprecated alias (ASL-MAP-01)
            kwargs.pop("parameters", None)
    return cls(**kwargs)


_RETRIER_FIELDS = {
    "IntervalSeconds": "interval_seconds",
    "MaxAttempts": "max_attempts",
    "BackoffRate": "backoff_rate",
    "MaxDelaySeconds": "max_delay_seconds",
    "JitterStrategy": "jitter_strategy",
}
_CATCHER_FIELDS = {"ResultPath": "result_path", "Output": "output", "Assign": "assign"}


def parse_retrier(raw: dict) -> Retrier:
    """A ``Retry`` element as a :class:`Retrier`; an absent field keeps the class's default."""
    given = {attr: raw[key] for key, attr in _RETRIER_FIELDS.items() if key in raw}
    return Retrier(error_equals=tuple(raw["ErrorEquals"]), **given)


def parse_catcher(raw: dict) -> Catcher:
    """A ``Catch`` element as a :class:`Catcher`."""
    given = {attr: raw[key] for key, attr in _CATCHER_FIELDS.items() if key in raw}
    return Catcher(error_equals=tuple(raw["ErrorEquals"]), next=raw["Next"], **given)
