"""``Assign`` blocks: variable names and values (ASL-VAL-17, §4).

* ``Assign`` is a JSON object; each top-level key names a variable (JSONPath: a key ending ``.$``
  names the variable without the suffix and its value is dynamic).
* Names: at most 80 characters, a Unicode identifier (``str.isidentifier``: ID_Start then
  ID_Continue; like AWS's Java check we also accept a leading ``_``), no sub-path (``x.y``, ``x[2]``
  are not identifiers) and never ``states`` (reserved for ``$states``).
* Values: JSONPath → a payload template (``validate_paths.check_template``); JSONata → JSONata
  strings at any depth (``validate_jsonata.check_value``).

Not checked yet: VAR-05's rule that an inner scope may not assign a name assigned in an outer one.
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


def check_assign(view: StateView, value: Any, loc: Loc, report: Report, *,
                 states_fields: frozenset[str] = jsonata_check.STATES_ALWAYS) -> None:
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
