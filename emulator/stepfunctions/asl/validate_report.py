"""Diagnostics and where they point: the output side of definition validation.

A :class:`Diagnostic` is one row of ``ValidateStateMachineDefinition``'s ``diagnostics`` list
(``severity``, ``code``, ``message``, ``location``). :class:`Report` collects them in the order the
validators find them (that order *is* the order AWS returns, see ``validate.py``).

Locations are AWS's flavour of JSON pointer: object members are ``/``-joined, array elements are
written ``Name[i]`` (AWS measured: ``/States/C/Choices[0]/Next``, ``/States/P/Branches[0]/States/G``),
and names are not escaped (AWS measured: a state named ``a/b`` is located at ``/States/a/b``).
:class:`Loc` builds them immutably so every walker can pass its position down cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "ERROR"
WARNING = "WARNING"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One AWS diagnostic. ``location`` is None when AWS reports none (e.g. MISSING_END_STATE)."""

    severity: str
    code: str
    message: str
    location: str | None


@dataclass(frozen=True, slots=True)
class Loc:
    """An AWS location string under construction (``/States/A/Catch[0]/Next``)."""

    text: str = ""

    def __str__(self) -> str:
        return self.text or "/"

    def key(self, name: str) -> Loc:
        """The member ``name`` of the object at this location."""
        return Loc(f"{self.text}/{name}")

    def index(self, i: int) -> Loc:
        """Element ``i`` of the array at this location (AWS writes ``Field[i]``)."""
        return Loc(f"{self.text}[{i}]")

    @property
    def pointer(self) -> str:
        """The string AWS puts in ``location`` (the root is ``/``)."""
        return self.text or "/"


ROOT = Loc()


@dataclass(slots=True)
class Report:
    """An ordered collector of diagnostics."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, loc: Loc | str | None) -> None:
        self.items.append(Diagnostic(ERROR, code, message, _where(loc)))

    def warning(self, code: str, message: str, loc: Loc | str | None) -> None:
        self.items.append(Diagnostic(WARNING, code, message, _where(loc)))

    def schema(self, message: str, loc: Loc | str | None) -> None:
        """The common case: ``SCHEMA_VALIDATION_FAILED``."""
        self.error(SCHEMA, message, loc)


def _where(loc: Loc | str | None) -> str | None:
    if loc is None or isinstance(loc, str):
        return loc
    return loc.pointer


# Diagnostic codes (API reference, ValidateStateMachineDefinitionDiagnostic, plus observed JSONata codes).
SCHEMA = "SCHEMA_VALIDATION_FAILED"
INVALID_JSON = "INVALID_JSON_DESCRIPTION"
MISSING_DESCRIPTION = "MISSING_DESCRIPTION"
INVALID_RESOURCE = "INVALID_RESOURCE"
MISSING_END_STATE = "MISSING_END_STATE"
DUPLICATE_STATE_NAME = "DUPLICATE_STATE_NAME"
INVALID_STATE_NAME = "INVALID_STATE_NAME"
MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET"
TOO_DEEPLY_NESTED = "TOO_DEEPLY_NESTED"
INVALID_JSONATA = "INVALID_JSONATA_EXPRESSION"
UNSUPPORTED_JSONATA = "UNSUPPORTED_JSONATA_EXPRESSION"
NO_DOLLAR = "NO_DOLLAR"
NO_PATH = "NO_PATH"
PASS_RESULT_IS_STATIC = "PASS_RESULT_IS_STATIC"
