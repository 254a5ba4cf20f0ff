"""The world's state over HTTP: reset it, read and move its clock, describe it.

* ``POST /_emulator/reset`` empties every service; ``{"service": "dynamodb"}`` (or
  ``?service=dynamodb``) only one (:mod:`emulator.reset` says what a reset keeps). Answers
  ``{"reset": [the services emptied]}``.
* ``GET /_emulator/clock`` answers ``{"now", "time", "virtual", "autoAdvance"}``.
* ``POST /_emulator/clock`` with ``{"seconds": 90}`` (and/or ``minutes``, ``hours``, ``days``)
  advances a virtual clock, running the timers due on the way, and answers the clock as GET does.
  The system clock follows real time: moving it is a 409 ``ClockNotVirtual`` that says how to get
  a virtual one, so that a test that meant to skip time does not pass for the wrong reason.
* ``GET /_emulator/info`` answers ``Emulator.info()`` (emulator/world_info.py): version, services,
  regions, clock, and the counts of tables, state machines and executions.
"""

from __future__ import annotations

from typing import Any

from ...world_info import clock_state
from ..control import ControlAnswer, ControlRequest, json_answer, route

CLOCK_UNITS = ("seconds", "minutes", "hours", "days")
NOT_VIRTUAL = (
    "the server's clock is the system clock, which follows real time and cannot be advanced; "
    "start the server with --clock virtual to move time"
)


def _object(request: ControlRequest) -> dict[str, Any]:
    body = request.json()
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


@route("POST", "/_emulator/reset")
def reset(request: ControlRequest) -> ControlAnswer:
    service = _object(request).get("service", request.query.get("service"))
    if service is not None and not isinstance(service, str):
        raise ValueError("service must be a service name")
    return json_answer({"reset": request.world.reset(service)})


@route("GET", "/_emulator/clock")
def read_clock(request: ControlRequest) -> ControlAnswer:
    return json_answer(clock_state(request.world.clock))


def _amounts(body: dict[str, Any]) -> dict[str, float]:
    unknown = sorted(set(body) - set(CLOCK_UNITS))
    if unknown:
        raise ValueError(f"unknown clock field {unknown[0]!r}: use {', '.join(CLOCK_UNITS)}")
    amounts: dict[str, float] = {}
    for unit in CLOCK_UNITS:
        value = body.get(unit)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{unit} must be a number")
        if value < 0:
            raise ValueError("a clock moves forward only: amounts must be >= 0")
        amounts[unit] = float(value)
    if not amounts:
        raise ValueError(f"say how far to advance: one of {', '.join(CLOCK_UNITS)}")
    return amounts


@route("POST", "/_emulator/clock")
def advance_clock(request: ControlRequest) -> ControlAnswer:
    amounts = _amounts(_object(request))
    clock = request.world.clock
    if not clock.virtual:
        return json_answer({"error": "ClockNotVirtual", "message": NOT_VIRTUAL}, 409)
    clock.advance(**amounts)
    return json_answer(clock_state(clock))


@route("GET", "/_emulator/info")
def info(request: ControlRequest) -> ControlAnswer:
    return json_answer(request.world.info())
