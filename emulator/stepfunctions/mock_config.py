"""Step Functions Local's mock configuration files, in AWS's documented format, unchanged.

Teams that test with Step Functions Local keep ``MockConfigFile.json`` files
(https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html)::

    {"StateMachines": {"<state machine name>": {"TestCases": {"<test case>": {"<state>": "<response>"}}}},
     "MockedResponses": {"<response>": {"0": {"Return": ...}, "1-2": {"Throw": {"Error": ..., "Cause": ...}}}}}

An execution runs a test case when StartExecution names it after the state machine ARN, as Step
Functions Local selects it (``arn:...:stateMachine:LambdaSQSIntegration#HappyPath``,
https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html). Each Task state
the test case names is then answered by its mocked response instead of its resource (a registered
callable included): invocation ``n`` of that state in the execution (its first attempt is ``"0"``,
each retry and each Map iteration counts one more) takes the response whose key is ``"n"`` or a
range ``"a-b"`` holding it. ``Return`` is the task's result; ``Throw`` fails the task with its
``Error`` and ``Cause``. An invocation with no response fails the task with ``States.Runtime``
(AWS: "If you do not specify a mocked response, the state machine execution will fail"). States
the test case does not name run as usual.

The file is checked when it is loaded (``MockConfigError`` names what is wrong), so a typo shows at
startup and not as a puzzling execution later. The runtime side (which history events a mocked task
records) is ``runtime/task_mocked.py``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


class MockConfigError(ValueError):
    """A mock configuration that does not follow AWS's documented format."""


@dataclass(frozen=True, slots=True)
class MockedResponse:
    """One named entry of ``MockedResponses``: (first, last, kind, value) per invocation range."""

    name: str
    ranges: tuple[tuple[int, int, str, Any], ...]

    def answer(self, invocation: int) -> tuple[str, Any] | None:
        """``("Return", value)`` or ``("Throw", {"Error", "Cause"})`` for that invocation, or None."""
        for first, last, kind, value in self.ranges:
            if first <= invocation <= last:
                return kind, value
        return None


@dataclass(frozen=True, slots=True)
class MockConfig:
    """A parsed mock configuration: test cases per state machine name, and mocked responses."""

    test_cases: dict[str, dict[str, dict[str, str]]]  # machine name → case → state → response
    responses: dict[str, MockedResponse]

    def test_case(self, machine: str, case: str) -> dict[str, str] | None:
        return self.test_cases.get(machine, {}).get(case)


@dataclass(slots=True)
class MockRun:
    """The test case one execution runs, and how often each mocked state was invoked so far."""

    config: MockConfig
    machine: str
    case_name: str
    case: dict[str, str]
    invocations: dict[str, int] = field(default_factory=dict)

    def next_answer(self, state_name: str) -> tuple[str, Any] | None:
        """The answer of this state's next invocation; None when the test case does not mock it.
        An invocation without a response answers ``("Missing", n)``."""
        response_name = self.case.get(state_name)
        if response_name is None:
            return None
        n = self.invocations.get(state_name, 0)
        self.invocations[state_name] = n + 1
        answer = self.config.responses[response_name].answer(n)
        return answer if answer is not None else ("Missing", n)


class MockConfigStore:
    """The world's loaded mock configuration (one for every partition, as Step Functions Local
    reads one file)."""

    def __init__(self) -> None:
        self.config: MockConfig | None = None


def load(source: str | os.PathLike[str] | Mapping[str, Any] | Any) -> MockConfig:
    """A mock configuration from a file path or an already-parsed dict (MockConfigError if bad)."""
    if not isinstance(source, (str, os.PathLike)):
        return parse(source)  # a parsed document (parse says what is wrong with anything else)
    path = os.fspath(source)
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except OSError as exc:
        raise MockConfigError(f"cannot read mock configuration {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise MockConfigError(f"mock configuration {path} is not JSON: {exc}") from None
    try:
        return parse(document)
    except MockConfigError as exc:
        raise MockConfigError(f"mock configuration {path}: {exc}") from None


def parse(document: Any) -> MockConfig:
    """Check a parsed document against AWS's format and build the :class:`MockConfig`."""
    if not isinstance(document, Mapping):
        raise MockConfigError("the mock configuration must be a JSON object")
    unknown = set(document) - {"StateMachines", "MockedResponses"}
    if unknown:
        raise MockConfigError(
            f"unknown top-level field(s) {sorted(unknown)}: expected StateMachines, MockedResponses"
        )
    responses = {
        name: _response(name, body)
        for name, body in _object(document.get("MockedResponses", {}), "MockedResponses").items()
    }
    machines: dict[str, dict[str, dict[str, str]]] = {}
    for machine, body in _object(document.get("StateMachines", {}), "StateMachines").items():
        body = _object(body, f"StateMachines.{machine}")
        if set(body) != {"TestCases"}:
            raise MockConfigError(f"StateMachines.{machine} must hold exactly one field, TestCases")
        cases: dict[str, dict[str, str]] = {}
        for case, states in _object(body["TestCases"], f"StateMachines.{machine}.TestCases").items():
            where = f"StateMachines.{machine}.TestCases.{case}"
            mapping = _object(states, where)
            for state, response in mapping.items():
                if not isinstance(response, str):
                    raise MockConfigError(f"{where}.{state} must name a mocked response (a string)")
                if response not in responses:
                    raise MockConfigError(
                        f"{where}.{state} names {response!r}, which MockedResponses does not define"
                    )
            cases[case] = dict(mapping)
        machines[machine] = cases
    return MockConfig(machines, responses)


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MockConfigError(f"{where} must be a JSON object")
    return value


def _response(name: str, body: Any) -> MockedResponse:
    ranges: list[tuple[int, int, str, Any]] = []
    for key, answer in _object(body, f"MockedResponses.{name}").items():
        where = f"MockedResponses.{name}.{key}"
        m = _RANGE.match(key)
        if not m:
            raise MockConfigError(
                f'{where}: an invocation must be a number ("0") or an inclusive range ("1-2")'
            )
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise MockConfigError(f"{where}: the range ends before it starts")
        for other in ranges:
            if first <= other[1] and other[0] <= last:
                raise MockConfigError(f"{where}: overlaps invocation(s) {other[0]}-{other[1]}")
        answer = _object(answer, where)
        if len(answer) != 1 or next(iter(answer)) not in ("Return", "Throw"):
            raise MockConfigError(f"{where} must hold a single field named Return or Throw")
        kind, value = next(iter(answer.items()))
        if kind == "Throw":
            throw = _object(value, f"{where}.Throw")
            for part in ("Error", "Cause"):
                if part in throw and not isinstance(throw[part], str):
                    raise MockConfigError(f"{where}.Throw.{part} must be a string")
            if "Error" not in throw:
                raise MockConfigError(f"{where}.Throw must hold an Error (and a Cause)")
        ranges.append((first, last, kind, value))
    return MockedResponse(name, tuple(sorted(ranges, key=lambda r: r[0])))


def split_test_case(arn: Any) -> tuple[Any, str | None]:
    """``(state machine ARN, test case)`` from StartExecution's ``arn#TestCase`` (no ``#``: None)."""
    if isinstance(arn, str) and "#" in arn:
        base, _, case = arn.partition("#")
        return base, case
    return arn, None


def store(service: Any) -> MockConfigStore:
    """The world's mock configuration store (shared by every partition)."""
    return service.world.shared("stepfunctions.mock_config", MockConfigStore)


def test_case_run(service: Any, machine: str, case: str) -> MockRun:
    """The :class:`MockRun` of StartExecution's ``#case`` for state machine ``machine``; a name
    the loaded configuration does not define is ``InvalidArn`` (wording ours: Step Functions
    Local's text is not documented)."""
    from .errors import ERRORS

    config = store(service).config
    if config is None:
        raise ERRORS["InvalidArn"](
            f"Invalid Arn: test case '{case}' was asked for, but no mock configuration is loaded"
        )
    states = config.test_case(machine, case)
    if states is None:
        raise ERRORS["InvalidArn"](
            f"Invalid Arn: the mock configuration has no test case '{case}' for state machine '{machine}'"
        )
    return MockRun(config, machine, case, states)
