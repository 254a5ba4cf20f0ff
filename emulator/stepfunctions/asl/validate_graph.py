"""The state graph: names, scopes, transitions, reachability and terminal states.

Scopes (ASL-ST-06): the top-level ``States``, each Parallel branch and each Map
``ItemProcessor``/``Iterator`` are separate; a transition may only name a state of its own scope,
so a ``Next`` into or out of a nested scope is a missing target. State names are unique across the
whole definition (ASL-ST-01).

Diagnostics, in this order (AWS measured, floci-io/floci #2786):

1. ``DUPLICATE_STATE_NAME: Duplicate State name: <n>`` at the later occurrence;
2. ``MISSING_TRANSITION_TARGET: Missing 'Next' target: <t>`` for every dangling ``StartAt``,
   ``Next``, Choice ``Choices[i].Next``/``Default`` and ``Catch[i].Next`` — always the word
   ``Next``, located at the field (``/StartAt``, ``/States/C/Choices[0]/Next``);
3. ``MISSING_END_STATE: Workflow has no terminal state`` (no location) when the *top-level* scope
   has no ``End: true``/Succeed/Fail state (a nested loop without one is accepted, measured);
4. ``MISSING_TRANSITION_TARGET: State "<n>" is not reachable.`` at the state, for every state not
   reachable from its scope's ``StartAt`` (a dangling ``StartAt`` makes all of them unreachable) —
   skipped entirely when (3) fired (measured).

Scopes are visited in document order, depth-first (a state's nested scopes right after it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import validate_messages as msg
from .validate_report import (
    DUPLICATE_STATE_NAME,
    MISSING_END_STATE,
    MISSING_TRANSITION_TARGET,
    ROOT,
    Loc,
    Report,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """One ``States`` object with its ``StartAt``."""

    loc: Loc  # the object holding StartAt/States
    start_at: Any
    states: dict
    top: bool


def collect_scopes(doc: dict) -> list[Scope]:
    out: list[Scope] = []
    _collect(doc, ROOT, True, out)
    return out


def _collect(container: Any, loc: Loc, top: bool, out: list[Scope]) -> None:
    if not isinstance(container, dict) or not isinstance(container.get("States"), dict):
        return
    states = container["States"]
    out.append(Scope(loc, container.get("StartAt"), states, top))
    for name, body in states.items():
        if not isinstance(body, dict):
            continue
        here = loc.key("States").key(name)
        if body.get("Type") == "Parallel" and isinstance(body.get("Branches"), list):
            for i, branch in enumerate(body["Branches"]):
                _collect(branch, here.key("Branches").index(i), False, out)
        elif body.get("Type") == "Map":
            for key in ("ItemProcessor", "Iterator"):
                if key in body:
                    _collect(body[key], here.key(key), False, out)


#: the fields that name a transition target, in report order; True: a list of objects whose
#: ``Next`` names it (Choice rules, catchers), False: the field itself is the name
_TRANSITION_FIELDS = (("Next", False), ("Choices", True), ("Default", False), ("Catch", True))


def transitions(body: dict, loc: Loc) -> list[tuple[str, Loc]]:
    """Every transition target named by a state, with the location of the naming field."""
    out: list[tuple[str, Loc]] = []
    for field, listed in _TRANSITION_FIELDS:
        value = body.get(field)
        if not listed:
            if isinstance(value, str):
                out.append((value, loc.key(field)))
        elif isinstance(value, list):
            for i, entry in enumerate(value):
                if isinstance(entry, dict) and isinstance(entry.get("Next"), str):
                    out.append((entry["Next"], loc.key(field).index(i).key("Next")))
    return out


def check_graph(doc: dict, report: Report) -> None:
    scopes = collect_scopes(doc)
    _duplicates(scopes, report)
    for scope in scopes:
        _missing_targets(scope, report)
    top = next((s for s in scopes if s.top), None)
    if top is not None and not any(_terminal(body) for body in top.states.values()):
        report.error(MISSING_END_STATE, msg.NO_TERMINAL, None)
        return
    for scope in scopes:
        _unreachable(scope, report)


def _terminal(body: Any) -> bool:
    return isinstance(body, dict) and (body.get("End") is True or body.get("Type") in ("Succeed", "Fail"))


def _duplicates(scopes: list[Scope], report: Report) -> None:
    seen: set[str] = set()
    for scope in scopes:
        states_loc = scope.loc.key("States")
        for name in getattr(scope.states, "duplicates", ()):
            report.error(DUPLICATE_STATE_NAME, msg.DUPLICATE_NAME.format(name=name), states_loc.key(name))
        for name in scope.states:
            if name in seen:
                report.error(DUPLICATE_STATE_NAME, msg.DUPLICATE_NAME.format(name=name), states_loc.key(name))
            seen.add(name)


def _missing_targets(scope: Scope, report: Report) -> None:
    if isinstance(scope.start_at, str) and scope.start_at not in scope.states:
        report.error(
            MISSING_TRANSITION_TARGET,
            msg.MISSING_TARGET.format(target=scope.start_at),
            scope.loc.key("StartAt"),
        )
    states_loc = scope.loc.key("States")
    for name, body in scope.states.items():
        if not isinstance(body, dict):
            continue
        for target, where in transitions(body, states_loc.key(name)):
            if target not in scope.states:
                report.error(MISSING_TRANSITION_TARGET, msg.MISSING_TARGET.format(target=target), where)


def _unreachable(scope: Scope, report: Report) -> None:
    if not isinstance(scope.start_at, str):
        return  # StartAt absent or not a string: a schema error already says so
    states_loc = scope.loc.key("States")
    reached: set[str] = set()
    pending = [scope.start_at] if scope.start_at in scope.states else []
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        body = scope.states[name]
        if isinstance(body, dict):
            for target, _where in transitions(body, states_loc.key(name)):
                if target in scope.states and target not in reached:
                    pending.append(target)
    for name in scope.states:
        if name not in reached:
            report.error(MISSING_TRANSITION_TARGET, msg.UNREACHABLE.format(name=name), states_loc.key(name))
