"""Fault injection over HTTP (emulator/faults/): the same control as ``aws.faults`` in Python.

* ``POST /_emulator/faults`` with a JSON object of ``inject``'s keywords (``service``,
  ``operation``, ``error``, ``table``, ``task``, ``probability``, ``times``, ``after``, ``until``
  as epoch seconds or ISO 8601 text, ``message``, ``cause``) → 201 and the fault, with its ``id``;
* ``GET /_emulator/faults`` → ``{"faults": [...]}``, each with how often it matched and fired;
  ``GET /_emulator/faults/<id>`` → one;
* ``DELETE /_emulator/faults/<id>`` removes one (404 if unknown); ``DELETE /_emulator/faults``
  removes them all.

A keyword ``inject`` does not take, or a value it refuses, is a 400 naming the problem.
"""

from __future__ import annotations

import inspect

from ...faults import Faults
from ..control import ControlAnswer, ControlRequest, json_answer, route

PATH = "/_emulator/faults"
KEYWORDS = frozenset(inspect.signature(Faults.inject).parameters) - {"self"}


@route("POST", PATH)
def inject(request: ControlRequest) -> ControlAnswer:
    body = request.json()
    if not isinstance(body, dict):
        raise ValueError("the body is a JSON object of inject's keywords")
    unknown = sorted(set(body) - KEYWORDS)
    if unknown:
        raise ValueError(
            f"unknown keyword(s) {', '.join(unknown)}; inject takes {', '.join(sorted(KEYWORDS))}"
        )
    fault = request.world.faults.inject(**body)
    return json_answer(fault.describe(), 201)


@route("GET", PATH)
def list_faults(request: ControlRequest) -> ControlAnswer:
    return json_answer({"faults": [f.describe() for f in request.world.faults]})


@route("DELETE", PATH)
def clear(request: ControlRequest) -> ControlAnswer:
    faults = request.world.faults
    removed = len(faults)
    faults.clear()
    return json_answer({"removed": removed})


def _missing(fault_id: str) -> ControlAnswer:
    return json_answer({"error": "NotFound", "message": f"no fault {fault_id!r}"}, 404)


@route("GET", PATH + "/", prefix=True)
def one(request: ControlRequest) -> ControlAnswer:
    fault_id = request.path[len(PATH) + 1 :]
    fault = request.world.faults.get(fault_id)
    return json_answer(fault.describe()) if fault is not None else _missing(fault_id)


@route("DELETE", PATH + "/", prefix=True)
def remove(request: ControlRequest) -> ControlAnswer:
    fault_id = request.path[len(PATH) + 1 :]
    if request.world.faults.remove(fault_id):
        return json_answer({"removed": fault_id})
    return _missing(fault_id)
