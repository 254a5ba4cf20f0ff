"""What every field check needs to know about the state it is looking at.

:class:`Machine` holds whole-definition facts (top-level query language, STANDARD/EXPRESS);
:class:`StateView` is one state seen by the validators: its name, raw body, location, type and
*effective* query language (ASL-TOP-06/08: a state's own ``QueryLanguage`` wins; otherwise the
state machine's — never the enclosing Map/Parallel's, AWS measured).

AWS measured: a state's ``QueryLanguage`` resolves to JSONPath only when it is exactly
``"JSONPath"``; any other present value (``"jsonata"``, ``"foo"``, ``5``) resolves to JSONata, while
the enum/type error is reported separately at the field. The same holds at the top level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .validate_fields import JSONATA, JSONPATH
from .validate_report import Loc

_MISSING: Any = object()


def resolve_language(value: Any, inherited: str) -> str:
    """Effective query language for a ``QueryLanguage`` member value (``_MISSING`` = absent)."""
    if value is _MISSING:
        return inherited
    return JSONPATH if value == JSONPATH else JSONATA


@dataclass(frozen=True, slots=True)
class Machine:
    """Facts about the whole definition."""

    language: str
    type: str = "STANDARD"


@dataclass(frozen=True, slots=True)
class StateView:
    """One state as the validators see it."""

    name: str
    body: dict
    loc: Loc
    type: str
    language: str
    machine: Machine

    @property
    def jsonata(self) -> bool:
        return self.language == JSONATA


MISSING = _MISSING
