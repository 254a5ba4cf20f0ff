"""JSONPath-mode data flow as pure functions (reference §2).

Pipeline (spec "Input and Output Processing")::

    raw input ─InputPath→ ─Parameters→ effective input → result ─ResultSelector→ effective result
              ─ResultPath (into the *raw* input)→ ─OutputPath→ state output

Each step is one function here; the interpreter chains them. Failures are raised as
:class:`~emulator.stepfunctions.asl.failures.StatesFailure` with AWS's exact cause texts:

* ``States.Runtime`` (uncatchable, ``ERR-14``) for paths that match nothing. Every such cause starts
  with :func:`error_prefix` — ``An error occurred while executing the state '<S>' (entered at the event
  id #<N>). `` — so every function takes the keyword ``entered_event_id`` (the id of the state's
  ``…StateEntered`` history event; only the interpreter knows it).
* ``States.ResultPathMatchFailure`` (catchable, ``JP-09``) when ResultPath cannot be applied.

Conventions for absent vs ``null`` fields: pass ``"$"`` for an absent InputPath/OutputPath/ResultPath
(the default) and ``None`` for an explicit JSON ``null`` — the two mean different things (``JP-03``,
``JP-09``, ``JP-10``).

Values are shared, not copied: a template builds new containers but the values it selects are the
input's own objects. JSON values are treated as immutable throughout the interpreter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import messages as M
from . import intrinsics
from .failures import RUNTIME, STATE_ERROR_LEAD, StatesFailure, error_prefix
from .jsonpath import (
    InvalidPath,
    PathNotFound,
    PathWriteError,
    compact_json,
    compile_path,
    read_compiled,
    read_path,
    write_path,
)

__all__ = [
    "RUNTIME",
    "RESULT_PATH_MATCH_FAILURE",
    "apply_input_path",
    "apply_output_path",
    "apply_result_path",
    "error_prefix",
    "resolve_dollar_value",
    "resolve_template",
]

RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"

Variables = Mapping[str, Any] | None


def _select(
    state_name: str,
    value: Any,
    path: str | None,
    context: Any,
    variables: Variables,
    entered_event_id: int | None,
) -> Any:
    if path is None:
        return {}
    if path == "$":
        return value
    try:
        return read_path(value, path, context=context, variables=variables)
    except PathNotFound as exc:
        # JP-03 / JP-10 (AWS observed): "Invalid path '$.x' : No results for path: $['x']"
        raise StatesFailure(
            RUNTIME, error_prefix(state_name, entered_event_id) + M.invalid_path(path, exc.message)
        ) from None
    except InvalidPath as exc:
        raise StatesFailure(
            RUNTIME, error_prefix(state_name, entered_event_id) + M.invalid_path(path, str(exc))
        ) from None


def apply_input_path(
    state_name: str,
    value: Any,
    path: str | None,
    context: Any,
    variables: Variables,
    *,
    entered_event_id: int | None = None,
) -> Any:
    """InputPath (``JP-03``/``JP-04``): ``"$"`` → the raw input, ``None`` (JSON null) → ``{}``, a path
    → the selected node (indefinite paths → list of matches); no match → States.Runtime."""
    return _select(state_name, value, path, context, variables, entered_event_id)


def apply_output_path(
    state_name: str,
    value: Any,
    path: str | None,
    context: Any,
    variables: Variables,
    *,
    entered_event_id: int | None = None,
) -> Any:
    """OutputPath (``JP-10``): same rules as InputPath, applied to the state output."""
    return _select(state_name, value, path, context, variables, entered_event_id)


def apply_result_path(
    state_name: str, state_input: Any, result: Any, path: str | None, *, entered_event_id: int | None = None
) -> Any:
    """ResultPath (``JP-09``): ``"$"`` → the result, ``None`` → the raw input unchanged, a reference
    path → the raw input with the result placed there (intermediate objects created).

    An intermediate that is not an object (e.g. raw input ``"foo"`` with ``$.x``) raises the catchable
    ``States.ResultPathMatchFailure``; its cause text is not captured from AWS (INF)."""
    if path is None:
        return state_input
    if path == "$":
        return result
    try:
        return write_path(state_input, path, result)
    except (PathWriteError, InvalidPath):
        raise StatesFailure(
            RESULT_PATH_MATCH_FAILURE,
            error_prefix(state_name, entered_event_id)
            + M.result_path_unmatched(path, compact_json(state_input)),
        ) from None


def resolve_dollar_value(
    expr: Any,
    input: Any,
    context: Any,
    variables: Variables,
    *,
    field: str,
    state_name: str,
    rng: Any = None,
    entered_event_id: int | None = None,
) -> Any:
    """Value of one ``.$`` entry (or ErrorPath/CausePath): a path (``$…``), context path (``$$…``),
    variable (``$name…``) or intrinsic function (``States.X(...)``). ``field`` is the key as written
    (``value.$``) or the field name (``ErrorPath``); it appears in the cause::

        The JSONPath '$.x' specified for the field 'value.$' could not be found in the input '{...}'
    """
    prefix_args = (state_name, entered_event_id)
    if isinstance(expr, str) and expr.startswith("$"):
        try:
            cp = compile_path(expr)
        except InvalidPath as exc:
            raise StatesFailure(RUNTIME, error_prefix(*prefix_args) + str(exc)) from None
        if input is None and cp.root == "data":
            # AWS observed (States.Runtime) when a template path is applied to a null state input.
            raise StatesFailure(
                RUNTIME,
                error_prefix(*prefix_args) + M.NULL_INPUT_PATH,
            )
        try:
            return read_compiled(cp, input, context=context, variables=variables)
        except PathNotFound:
            # JP-06 (AWS observed: States.Runtime, not States.ParameterPathFailure).
            raise StatesFailure(
                RUNTIME,
                error_prefix(*prefix_args) + M.path_not_found_in_input(expr, field, compact_json(input)),
            ) from None
    if isinstance(expr, str):
        if intrinsics.is_intrinsic(expr):
            try:
                return intrinsics.evaluate(expr, input, context, variables, rng=rng, field=field)
            except StatesFailure as exc:
                cause = exc.cause or ""
                if not cause.startswith(STATE_ERROR_LEAD):
                    cause = error_prefix(*prefix_args) + cause
                raise StatesFailure(exc.error, cause) from None
    # Not a path nor an intrinsic: definition validation rejects this; at run time keep it literal.
    return expr


def resolve_template(
    template: Any,
    input: Any,
    context: Any,
    variables: Variables,
    *,
    field: str,
    state_name: str,
    rng: Any = None,
    entered_event_id: int | None = None,
) -> Any:
    """A payload template (``JP-05``): Parameters, ItemSelector, ResultSelector, JSONPath ``Assign``
    and Task ``Credentials``. ``field`` names the template field (``Parameters``...).

    Keys ending in ``.$`` lose the suffix and take the value of their path/intrinsic (see
    :func:`resolve_dollar_value`); other keys are literals, whatever their value looks like. Nested
    objects are templates too, at any depth, including objects inside arrays; strings inside arrays
    are never evaluated (AWS observed: Assign ``constant_lst`` keeps ``"$.no.such.path"`` verbatim).
    """

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key.endswith(".$") and isinstance(value, str):
                    out[key[:-2]] = resolve_dollar_value(
                        value,
                        input,
                        context,
                        variables,
                        field=key,
                        state_name=state_name,
                        rng=rng,
                        entered_event_id=entered_event_id,
                    )
                elif isinstance(value, (dict, list)):
                    out[key] = walk(value)
                else:
                    out[key] = value
            return out
        if isinstance(node, list):
            return [walk(v) if isinstance(v, (dict, list)) else v for v in node]
        return node

    return walk(template)
