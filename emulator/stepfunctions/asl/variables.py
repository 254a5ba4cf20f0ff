"""Variables and ``Assign`` (reference §4).

A scope is a plain ``dict`` name → value. Design decisions:

* Inner scopes (a Parallel branch, a Map iteration) start as a *copy* of the outer scope taken
  when the Map/Parallel state starts (VAR-05: inner states read the outer values as of that
  moment, cannot see siblings, and their own variables vanish when the branch ends). Copying a
  small dict is cheaper than walking a chain on every read, and reads are the hot path.
* Evaluate-then-assign (VAR-03/JA-16): every value of one ``Assign`` is computed against the
  entry-time scope, then all are committed together by :func:`commit`.
* The history records assigned values as JSON strings (VAR-09): :func:`history_form`.
"""

from __future__ import annotations

import json
from typing import Any

MAX_VARIABLE_BYTES = 262_144  # VAR-07 / LIM-02


def inner_scope(outer: dict[str, Any]) -> dict[str, Any]:
    """The scope of one branch or iteration: a snapshot of the outer variables."""
    return dict(outer)


def evaluate_jsonpath(assign: dict, value: Any, context: dict, variables: dict, *,
                      state_name: str, entered_event_id: int | None = None,
                      rng: Any = None) -> dict[str, Any]:
    """JSONPath ``Assign``: a payload template (``key.$`` → path/intrinsic/``$$``/variable).

    ``value`` is what ``$`` means for this state (JP-15). Returns name → new value.
    """
    from . import dataflow

    out = dataflow.resolve_template(assign, value, context, variables, field="Assign",
                                    state_name=state_name, rng=rng, entered_event_id=entered_event_id)
    return dict(out) if isinstance(out, dict) else {}


def evaluate_jsonata(assign: dict, bindings: dict, *, rng: Any = None,
                     now: float | None = None) -> dict[str, Any]:
    """JSONata ``Assign``: every ``{% %}`` string at any depth is evaluated with ``bindings``."""
    from . import jsonata

    out = jsonata.evaluate_template(assign, bindings, rng=rng, now=now, field="Assign")
    return dict(out) if isinstance(out, dict) else {}


def commit(scope: dict[str, Any], assigned: dict[str, Any]) -> None:
    """Make the assigned values visible (from the next state on)."""
    scope.update(assigned)


def history_form(assigned: dict[str, Any]) -> dict[str, str]:
    """``assignedVariables`` of a ``…StateExited`` event: name → compact JSON text."""
    return {k: json.dumps(v, separators=(",", ":"), ensure_ascii=False) for k, v in assigned.items()}
