"""The JSONPath data flow (reference §6): paths and ``.$`` templates, by the pure functions of
``asl/dataflow.py``. A field that is absent costs nothing (no call at all)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...asl import choice as choice_mod
from ...asl import dataflow, intrinsics
from ...asl.failures import StatesFailure
from ...asl.model import MISSING, State
from ...messages import (
    COUNT_NEGATIVE,
    PERCENTAGE_OUT_OF_RANGE,
    field_not_valid,
    items_not_array,
    path_invalid_value,
    path_no_results,
    path_not_an_input_value,
    path_not_found_in_input,
    seconds_negative,
    seconds_not_a_long,
    timestamp_path_invalid,
)
from ..history import dumps
from ..threads import Thread
from .flow import Flow
from .glue import Outcome, is_int, plain, read_reference, runtime_error, timestamp_seconds

if TYPE_CHECKING:
    from ..execution import Execution

_DIGITS = re.compile(r"\s*-?\d+\s*")
_DECIMAL = re.compile(r"\s*-?\d+(\.\d+)?\s*")


def _from_numeric_string(value: Any, kind: str) -> Any:
    """A Map/ItemReader/ItemBatcher ``...Path`` value: a string holding an integer is that integer
    (recorded AWS runs read ``"2"``, ``"15000"``, ``"1"`` for MaxItemsPerBatchPath,
    MaxInputBytesPerBatchPath, MaxItemsPath, MaxConcurrencyPath and ToleratedFailure*Path); a
    decimal string is a number only where the field takes one (ToleratedFailurePercentagePath, INF).
    Anything else is returned as read, for the caller's "not a valid integer" failure."""
    if not isinstance(value, str):
        return value
    if _DIGITS.fullmatch(value):
        return int(value)
    if kind != "integer" and _DECIMAL.fullmatch(value):
        return float(value)
    return value


class JsonPathFlow(Flow):
    """JSONPath: ``InputPath`` → ``Parameters`` → ``ResultSelector`` → ``ResultPath`` →
    ``OutputPath``; ``Assign`` sees the state's result (JP-15)."""

    __slots__ = ()
    ARGUMENTS = "Parameters"

    @staticmethod
    def passes_through(state: State) -> bool:
        return (
            state.input_path is MISSING
            and state.parameters is MISSING
            and getattr(state, "result", MISSING) is MISSING
            and state.result_path is MISSING
            and state.output_path is MISSING
            and state.assign is MISSING
        )

    @classmethod
    def fail_texts(
        cls, ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int
    ) -> tuple[Any, Any]:
        error, cause = state.error, state.cause
        if state.error_path is not MISSING or state.cause_path is not MISSING:
            ctx = ex.state_context(state.name, ex.clock.now())
            if state.error_path is not MISSING:
                error = _fail_path(state, eid, raw, ctx, scope, state.error_path, "ErrorPath")
            if state.cause_path is not MISSING:
                cause = _fail_path(state, eid, raw, ctx, scope, state.cause_path, "CausePath")
        return error, cause

    # -- input ---------------------------------------------------------------------------------
    def input(self) -> Any:
        state = self.state
        if state.input_path is not MISSING:
            self.value = dataflow.apply_input_path(
                state.name, self.raw, state.input_path, self.ctx, self.scope, entered_event_id=self.eid
            )
        return self.value

    def arguments(self) -> Any:
        v = self.input()
        if self.state.parameters is MISSING:
            return v
        return self.template(self.state.parameters, "Parameters", v)

    def template(self, template: Any, field: str, value: Any) -> Any:
        return dataflow.resolve_template(
            template,
            value,
            self.ctx,
            self.scope,
            field=field,
            state_name=self.state.name,
            rng=self.ex.rng,
            entered_event_id=self.eid,
        )

    def item_input(self, selector: Any, ctx: dict) -> Any:
        return dataflow.resolve_template(
            selector,
            self.value,
            ctx,
            self.scope,
            field="ItemSelector",
            state_name=self.state.name,
            rng=self.ex.rng,
            entered_event_id=self.eid,
        )

    # -- output --------------------------------------------------------------------------------
    def assign(self, assign: Any, value: Any, field: str = "Assign") -> dict | None:
        # ``field`` is JSONata's location; a JSONPath Assign's failures name the field "Assign".
        if assign is MISSING or not assign:
            return None
        out = self.template(assign, "Assign", value)
        return dict(out) if isinstance(out, dict) else None

    def output(self, value: Any, output: Any = MISSING, field: str = "Output") -> Any:
        state = self.state
        if state.output_path is MISSING:
            return value
        return dataflow.apply_output_path(
            state.name, value, state.output_path, self.ctx, self.scope, entered_event_id=self.eid
        )

    def _place(self, result: Any, path: Any) -> Any:
        """``ResultPath``: where ``result`` goes in the raw input."""
        if path is MISSING or path == "$":
            return result
        return dataflow.apply_result_path(self.state.name, self.raw, result, path, entered_event_id=self.eid)

    def result(self, result: Any, *, bound: bool = True) -> Outcome:
        state = self.state
        assigned = self.assign(state.assign, result)
        if state.result_selector is not MISSING:
            result = self.template(state.result_selector, "ResultSelector", result)
        out = self.output(self._place(result, state.result_path))
        return state.next or None, out, assigned

    def caught(self, catcher: Any, index: int, error_output: dict) -> Outcome:
        assigned = self.assign(catcher.assign, error_output)
        out = self._place(error_output, "$" if catcher.result_path is MISSING else catcher.result_path)
        return catcher.next, out, assigned

    # -- numbers -------------------------------------------------------------------------------
    def seconds(self, value: Any, path: Any, field: str) -> float | None:
        if value is not MISSING:
            return float(value)
        if path is MISSING:
            return None
        field += "Path"
        try:
            secs = read_reference(path, self.value, self.ctx, self.scope)
        except StatesFailure:
            raise runtime_error(self.state, self.eid, path_not_an_input_value(field, path)) from None
        if not is_int(secs) or secs <= 0:
            raise runtime_error(self.state, self.eid, path_invalid_value(field, path, plain(secs)))
        return float(secs)

    def wait_until(self, now: float) -> float:
        state = self.state
        if state.seconds is not MISSING:
            return now + state.seconds
        if state.timestamp is not MISSING:
            when = timestamp_seconds(state.timestamp)
            return when if when is not None else now
        if state.seconds_path is not MISSING:
            return now + self._seconds_path(state.seconds_path)
        path = state.timestamp_path
        try:
            ts = read_reference(path, self.value, self.ctx, self.scope)
        except StatesFailure:
            raise runtime_error(state, self.eid, path_not_an_input_value("TimestampPath", path)) from None
        when = timestamp_seconds(ts)
        if when is None:
            raise runtime_error(state, self.eid, timestamp_path_invalid(path, plain(ts)))
        return when

    def _seconds_path(self, path: str) -> int:
        state = self.state
        try:
            secs = read_reference(path, self.value, self.ctx, self.scope)
        except StatesFailure:
            raise runtime_error(state, self.eid, path_not_an_input_value("SecondsPath", path)) from None
        if not is_int(secs) and not (isinstance(secs, float) and secs.is_integer()):
            raise runtime_error(state, self.eid, seconds_not_a_long(path, plain(secs)))
        if secs < 0:
            raise runtime_error(state, self.eid, seconds_negative(path, plain(secs)))
        return int(secs)

    def integer(self, value: Any, path: Any, field: str, kind: str = "integer") -> Any:
        if value is not MISSING:
            return value
        if path is MISSING:
            return None
        field += "Path"
        state, eid = self.state, self.eid
        try:
            n = read_reference(path, self.value, self.ctx, self.scope)
        except StatesFailure:
            raise runtime_error(state, eid, path_no_results(path)) from None
        n = _from_numeric_string(n, kind)
        ok = is_int(n) if kind == "integer" else (isinstance(n, (int, float)) and not isinstance(n, bool))
        if not ok:
            raise runtime_error(state, eid, field_not_valid(field, plain(n), kind, path))
        if field == "ToleratedFailureCountPath" and n < 0:
            raise runtime_error(state, eid, COUNT_NEGATIVE)
        if field == "ToleratedFailurePercentagePath" and not (0 <= n <= 100):
            raise runtime_error(state, eid, PERCENTAGE_OUT_OF_RANGE)
        if field == "MaxConcurrencyPath" and n < 0:
            raise runtime_error(state, eid, field_not_valid(field, plain(n), kind, path))
        return n

    def max_items(self, config: dict) -> Any:
        """``MaxItems``, or ``MaxItemsPath``'s integer or string of digits (the recorded
        ``MAP_STATE_REFERENCE_IN_MAX_ITEMS_PATH`` case reads ``"2"``)."""
        if "MaxItems" in config:
            return config["MaxItems"]
        path = config.get("MaxItemsPath")
        if not isinstance(path, str):
            return None
        try:
            n = read_reference(path, self.value, self.ctx, self.scope)
        except StatesFailure:
            raise runtime_error(self.state, self.eid, path_no_results(path)) from None
        n = _from_numeric_string(n, "integer")
        if not is_int(n):
            raise runtime_error(
                self.state, self.eid, field_not_valid("MaxItemsPath", plain(n), "integer", path)
            )
        return n

    # -- Choice and Map ------------------------------------------------------------------------
    def choose(self) -> int | None:
        return choice_mod.find_match(
            list(self.state.choices),
            self.value,
            self.ctx,
            self.scope,
            state_name=self.state.name,
            entered_event_id=self.eid,
        )

    def items(self) -> Any:
        state = self.state
        path = state.items_path
        if path is MISSING or path == "$":
            items = self.value
        else:
            try:
                items = read_reference(path, self.value, self.ctx, self.scope)
            except StatesFailure:
                raise runtime_error(state, self.eid, path_no_results(path)) from None
        if not isinstance(items, list):
            raise runtime_error(state, self.eid, items_not_array(path if path is not MISSING else "$"))
        return items

    def max_concurrency(self) -> Any:
        state = self.state
        return self.integer(state.max_concurrency, state.max_concurrency_path, "MaxConcurrency")

    def tolerance(self) -> tuple[Any, Any]:
        state = self.state
        return (
            self.integer(
                state.tolerated_failure_count, state.tolerated_failure_count_path, "ToleratedFailureCount"
            ),
            self.integer(
                state.tolerated_failure_percentage,
                state.tolerated_failure_percentage_path,
                "ToleratedFailurePercentage",
                "float",
            ),
        )


def _fail_path(state: Any, eid: int, raw: Any, ctx: dict, scope: dict, path: str, field: str) -> Any:
    """A Fail state's ``ErrorPath``/``CausePath``: a reference path or an intrinsic function."""
    if intrinsics.is_intrinsic(path):
        return dataflow.resolve_dollar_value(
            path, raw, ctx, scope, field=field, state_name=state.name, entered_event_id=eid
        )
    try:
        return read_reference(path, raw, ctx, scope)
    except StatesFailure:
        raise runtime_error(state, eid, path_not_found_in_input(path, field, dumps(raw))) from None
