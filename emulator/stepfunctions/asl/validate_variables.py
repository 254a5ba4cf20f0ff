"""``Assign`` blocks: variable names and values (ASL-VAL-17, §4).

* ``Assign`` is a JSON object; each top-level key names a variable (JSONPath: a key ending ``.$``
  names the variable without the suffix and its value is dynamic).
* Names: at most 80 characters, a Unicode identifier (``str.isidentifier``: ID_Start then
  ID_Continue; like AWS's Java check we also accept a leading ``_``), no sub-path (``x.y``, ``x[2]``
  are not identifiers) and never ``states`` (reserved for ``$states``).
* Values: JSONPath → a payload template (``validate_paths.check_template``); JSONata → JSONata
  strings at any depth (``validate_jsonata.check_value``).

VAR-05: a state inside a Parallel branch or Map processor may not assign a name that a state of an
enclosing scope assigns (a Map/Parallel's own and its catchers' ``Assign`` belong to the enclosing
scope). Checked by :func:`check_scopes` after the schema walk (INF: AWS's wording and location are
not recorded; only the state-level ``Assign`` of inner states is reported).
"""

from __future__ import annotations

from typing import Any

from . import validate_jsonata as jsonata_check
from . import validate_messages as msg
from . import validate_paths as paths
from . import validate_values as values
from .validate_context import StateView
from .validate_fields import MAX_VARIABLE_NAME
from .validate_report import Loc, Report


def name_ok(name: str) -> bool:
    return 0 < len(name) <= MAX_VARIABLE_NAME and name.isidentifier()


def check_assign(
    view: StateView,
    value: Any,
    loc: Loc,
    report: Report,
    *,
    states_fields: frozenset[str] = jsonata_check.STATES_ALWAYS,
) -> None:
    if not values.check_object(value, loc, report):
        return
    for key in value:
        name = key[:-2] if (not view.jsonata and key.endswith(".$")) else key
        if name == "states":
            report.schema(msg.RESERVED_VARIABLE, loc.key(key))
        elif not name_ok(name):
            report.schema(msg.BAD_VARIABLE_NAME.format(name=name), loc.key(key))
    if view.jsonata:
        jsonata_check.check_value(value, loc, report, states_fields=states_fields)
    else:
        paths.check_template(value, loc, report)


# ---------------------------------------------------------------------------------- nested scopes


def _assigned(body: dict) -> list[str]:
    """Names a state assigns in the scope that contains it (state, Choice rules, catchers)."""
    blocks = [body.get("Assign")]
    for field in ("Choices", "Catch"):
        items = body.get(field)
        if isinstance(items, list):
            blocks.extend(item.get("Assign") for item in items if isinstance(item, dict))
    names: list[str] = []
    for block in blocks:
        if isinstance(block, dict):
            names.extend(key[:-2] if key.endswith(".$") else key for key in block)
    return names


def _nested(body: dict, loc: Loc) -> list[tuple[dict, Loc]]:
    out: list[tuple[dict, Loc]] = []
    if body.get("Type") == "Parallel" and isinstance(body.get("Branches"), list):
        out.extend(
            (branch, loc.key("Branches").index(i))
            for i, branch in enumerate(body["Branches"])
            if isinstance(branch, dict)
        )
    elif body.get("Type") == "Map":
        out.extend(
            (body[key], loc.key(key))
            for key in ("ItemProcessor", "Iterator")
            if isinstance(body.get(key), dict)
        )
    return out


def check_scopes(doc: dict, report: Report) -> None:
    """VAR-05: a state in a nested scope may not assign a name that an enclosing scope assigns."""
    _check_scope(doc, Loc(), frozenset(), report)


def _check_scope(container: dict, loc: Loc, outer: frozenset[str], report: Report) -> None:
    states = container.get("States")
    if not isinstance(states, dict):
        return
    states_loc = loc.key("States")
    here = {name for body in states.values() if isinstance(body, dict) for name in _assigned(body)}
    if outer:
        for state_name, body in states.items():
            if isinstance(body, dict) and isinstance(body.get("Assign"), dict):
                for key in body["Assign"]:
                    name = key[:-2] if key.endswith(".$") else key
                    if name in outer:
                        report.schema(
                            msg.OUTER_VARIABLE.format(name=name),
                            states_loc.key(state_name).key("Assign").key(key),
                        )
    for state_name, body in states.items():
        if isinstance(body, dict):
            for nested, nested_loc in _nested(body, states_loc.key(state_name)):
                _check_scope(nested, nested_loc, outer | here, report)
