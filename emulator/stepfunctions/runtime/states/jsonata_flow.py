"""The JSONata data flow (reference §7): ``Arguments``, ``Output`` and ``Assign`` are expressions
over ``$states`` (``input``, ``context``, and ``result``/``errorOutput`` where they exist); typed
fields whose expression yields the wrong type fail with ``States.QueryEvaluationError`` after an
``EvaluationFailed`` event (JA-07/JA-08)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ...asl.failures import QUERY_EVALUATION_ERROR, StatesFailure
from ...asl.failures import error_prefix as prefix
from ...asl.model import MISSING, State
from ...messages import field_not_a_number, map_input_not_array, timestamp_unparsable
from ..history import dumps
from ..threads import Thread
from .flow import Flow
from .glue import Outcome, bindings, evaluation_failed, is_int, ja_eval, timestamp_seconds, type_failure

if TYPE_CHECKING:
    from ..execution import Execution


class JsonataFlow(Flow):
    """JSONata: the state's fields are evaluated with ``$states`` bound (``b``)."""

    __slots__ = ("b", "tolerated")
    ARGUMENTS = "Arguments"

    def __init__(
        self, ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int, ctx: dict
    ) -> None:
        super().__init__(ex, thread, state, raw, scope, eid, ctx)
        self.b = bindings(raw, ctx, scope)
        self.tolerated: tuple[Any, Any] = (None, None)

    @staticmethod
    def passes_through(state: State) -> bool:
        return state.output is MISSING and state.assign is MISSING

    @classmethod
    def fail_texts(
        cls, ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int
    ) -> tuple[Any, Any]:
        error, cause = state.error, state.cause
        if isinstance(error, str) or isinstance(cause, str):
            io = cls(ex, thread, state, raw, scope, eid, ex.state_context(state.name, ex.clock.now()))
            if error is not MISSING:
                error = io._text(error, "Error")
            if cause is not MISSING:
                cause = io._text(cause, "Cause")
        return error, cause

    def _eval(self, value: Any, field: str, b: dict | None = None) -> Any:
        return ja_eval(self.ex, self.thread, self.state, self.eid, value, self.b if b is None else b, field)

    def _text(self, value: Any, field: str) -> Any:
        """A Fail ``Error``/``Cause`` must evaluate to a string (JA-13); anything else is the usual
        "unexpected result type" QueryEvaluationError (text as for the other typed fields)."""
        result = self._eval(value, field)
        if not isinstance(result, str):
            raise type_failure(self.ex, self.thread, self.state, self.eid, value, field, "string", result)
        return result

    # -- input ---------------------------------------------------------------------------------
    def input(self) -> Any:
        return self.raw

    def arguments(self) -> Any:
        arguments = self.state.arguments
        return self.raw if arguments is MISSING else self._eval(arguments, "Arguments")

    def template(self, template: Any, field: str, value: Any) -> Any:
        return self._eval(template, field)

    def item_input(self, selector: Any, ctx: dict) -> Any:
        return self._eval(selector, "ItemSelector", bindings(self.raw, ctx, self.scope))

    # -- output --------------------------------------------------------------------------------
    def assign(self, assign: Any, value: Any, field: str = "Assign") -> dict | None:
        return self._assign(assign, self.b, field)

    def _assign(self, assign: Any, b: dict, field: str) -> dict | None:
        if assign is MISSING or not assign:
            return None
        out = self._eval(assign, field, b)
        return dict(out) if isinstance(out, dict) else None

    def output(self, value: Any, output: Any = MISSING, field: str = "Output") -> Any:
        return value if output is MISSING else self._eval(output, field)

    def result(self, result: Any, *, bound: bool = True) -> Outcome:
        state = self.state
        if state.assign is MISSING and state.output is MISSING:
            return state.next or None, result, None
        b = bindings(self.raw, self.ctx, self.scope, result=result) if bound else self.b
        assigned = self._assign(state.assign, b, "Assign")
        out = result if state.output is MISSING else self._eval(state.output, "Output", b)
        return state.next or None, out, assigned

    def caught(self, catcher: Any, index: int, error_output: dict) -> Outcome:
        b = bindings(self.raw, self.ctx, self.scope, errorOutput=error_output)
        assigned = self._assign(catcher.assign, b, f"Catch[{index}]/Assign")
        out = (
            error_output
            if catcher.output is MISSING
            else self._eval(catcher.output, f"Catch[{index}]/Output", b)
        )
        return catcher.next, out, assigned

    # -- numbers -------------------------------------------------------------------------------
    def seconds(self, value: Any, path: Any, field: str) -> float | None:
        if value is MISSING:
            return None
        expression = value
        if isinstance(value, str):
            value = self._eval(value, field)
        if not is_int(value) or value <= 0:
            # JA-07/JA-08: the usual typed-field failure, quoting the expression, after EvaluationFailed.
            raise type_failure(
                self.ex, self.thread, self.state, self.eid, expression, field, "integer", value
            )
        return float(value)

    def wait_until(self, now: float) -> float:
        state = self.state
        if state.seconds is not MISSING:
            secs = state.seconds
            if isinstance(secs, str):
                secs = self._eval(secs, "Seconds")
            if not is_int(secs) or secs < 0:
                raise type_failure(
                    self.ex, self.thread, state, self.eid, state.seconds, "Seconds", "integer", secs
                )
            return now + secs
        ts = state.timestamp
        if isinstance(ts, str) and ts.startswith("{%"):
            ts = self._eval(ts, "Timestamp")
        when = timestamp_seconds(ts)
        if when is None:
            f = StatesFailure(QUERY_EVALUATION_ERROR, prefix(state.name, self.eid) + timestamp_unparsable(ts))
            evaluation_failed(self.ex, self.thread, state, f, "Timestamp", sibling=False)
            raise f
        return when

    def integer(self, value: Any, path: Any, field: str, kind: str = "integer") -> Any:
        if value is MISSING:
            return None
        if isinstance(value, str):
            value = self._eval(value, field)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not is_int(value) or value < 0:
            raise type_failure(self.ex, self.thread, self.state, self.eid, MISSING, field, "integer", value)
        return value

    def _number(self, value: Any, field: str) -> Any:
        if value is MISSING:
            return None
        if isinstance(value, str):
            value = self._eval(value, field)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            raise StatesFailure(QUERY_EVALUATION_ERROR, field_not_a_number(field))
        return value

    def max_items(self, config: dict) -> Any:
        return self.integer(config.get("MaxItems", MISSING), MISSING, "MaxItems")

    # -- Choice and Map ------------------------------------------------------------------------
    def choose(self) -> int | None:
        for i, rule in enumerate(self.state.choices):
            condition = rule.get("Condition")
            cond = self._eval(condition, f"Choices[{i}]/Condition")
            if cond is True:
                return i
            if not isinstance(cond, bool):
                raise type_failure(
                    self.ex,
                    self.thread,
                    self.state,
                    self.eid,
                    condition,
                    "Condition",
                    "boolean",
                    cond,
                    location=f"Choices[{i}]/Condition",
                )
        return None

    def items(self) -> Any:
        state = self.state
        items = self.raw if state.items is MISSING else self._eval(state.items, "Items")
        # JA-12: an explicit Items object is iterated (Map.Item.Key = property name); the state
        # input used by default must be an array (observed).
        if not isinstance(items, list) and not (isinstance(items, dict) and state.items is not MISSING):
            f = StatesFailure(
                QUERY_EVALUATION_ERROR,
                prefix(state.name, self.eid) + map_input_not_array(dumps(items)),
                final_event="MapStateFailed",
            )
            evaluation_failed(self.ex, self.thread, state, f, None)
            raise f
        return items

    def max_concurrency(self) -> Any:
        state = self.state
        limit = self.integer(state.max_concurrency, MISSING, "MaxConcurrency")
        self.tolerated = (
            self.integer(state.tolerated_failure_count, MISSING, "ToleratedFailureCount"),
            self._number(state.tolerated_failure_percentage, "ToleratedFailurePercentage"),
        )
        return limit

    def tolerance(self) -> tuple[Any, Any]:
        return self.tolerated
