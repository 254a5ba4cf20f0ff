"""The data flow of one state visit: one strategy per query language.

A state's ``QueryLanguage`` decides how its input becomes its output: JSONPath by paths and
templates (``InputPath`` → ``Parameters`` → ``ResultSelector`` → ``ResultPath`` → ``OutputPath``),
JSONata by expressions (``Arguments``, ``Output``, with ``$states``). The handlers of
``pass_choice``, ``wait``, ``task``, ``parallel`` and ``map`` are written once against
:class:`Flow`; :func:`~.runner.flow_of` picks the subclass from the state's language,
:class:`~.jsonpath_flow.JsonPathFlow` or :class:`~.jsonata_flow.JsonataFlow`.

An instance lives for one visit (one attempt, under Retry): it holds what every step needs (the
execution, thread, state, raw input, variables, entered-event id and context object), so a
handler's steps read as the state's fields do. Handlers that change nothing on a visit (a plain
Pass or Succeed) ask :meth:`Flow.passes_through` first and build none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...asl.model import MISSING, State
from ..threads import Thread
from .glue import Outcome

if TYPE_CHECKING:
    from ..execution import Execution


class Flow:
    """How one state visit reads its input and makes its output, in one query language."""

    __slots__ = ("ex", "thread", "state", "raw", "scope", "eid", "ctx", "value")
    ARGUMENTS = ""
    """The name of the language's payload-template field: ``Parameters`` or ``Arguments``."""

    def __init__(
        self, ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int, ctx: dict
    ) -> None:
        self.ex = ex
        self.thread = thread
        self.state = state
        self.raw = raw  # the state's input
        self.scope = scope  # the variables visible to the state
        self.eid = eid  # the id of its …StateEntered event
        self.ctx = ctx  # the context object ($$ / $states.context)
        self.value = raw  # the effective input (JSONPath: after InputPath, see input())

    @staticmethod
    def passes_through(state: State) -> bool:
        """Whether a Pass/Succeed ``state`` outputs its input unchanged and assigns nothing."""
        raise NotImplementedError

    @classmethod
    def fail_texts(
        cls, ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int
    ) -> tuple[Any, Any]:
        """A Fail state's ``(error, cause)`` (MISSING where it has none)."""
        raise NotImplementedError

    # -- input ---------------------------------------------------------------------------------
    def input(self) -> Any:
        """The effective input (JSONPath ``InputPath``; JSONata: the raw input)."""
        raise NotImplementedError

    def arguments(self) -> Any:
        """What a Pass/Task/Parallel works on: JSONPath ``InputPath`` then ``Parameters``,
        JSONata ``Arguments`` (default: the input)."""
        raise NotImplementedError

    def template(self, template: Any, field: str, value: Any) -> Any:
        """A payload template (Credentials, ItemReader parameters, BatchInput): JSONPath resolves
        its ``.$`` keys against ``value``, JSONata evaluates its ``{% %}`` strings."""
        raise NotImplementedError

    def item_input(self, selector: Any, ctx: dict) -> Any:
        """One Map item's input by ``ItemSelector`` under the item's context object ``ctx``."""
        raise NotImplementedError

    # -- output --------------------------------------------------------------------------------
    def assign(self, assign: Any, value: Any, field: str = "Assign") -> dict | None:
        """The variables an ``Assign`` block sets (JSONPath: resolved against ``value``)."""
        raise NotImplementedError

    def output(self, value: Any, output: Any = MISSING, field: str = "Output") -> Any:
        """A state's output from ``value``: JSONPath ``OutputPath``; JSONata ``output`` (the
        state's ``Output`` unless given), ``value`` when it has none."""
        raise NotImplementedError

    def result(self, result: Any, *, bound: bool = True) -> Outcome:
        """The outcome for a state's ``result``. JSONPath: Assign (on the raw result, JP-15) →
        ResultSelector → ResultPath → OutputPath; JSONata: Assign and Output, with
        ``$states.result`` when ``bound`` (Task, Parallel, Map; a Pass has none)."""
        raise NotImplementedError

    def caught(self, catcher: Any, index: int, error_output: dict) -> Outcome:
        """The outcome of catcher ``index`` taking the error (``$states.errorOutput``)."""
        raise NotImplementedError

    # -- numbers -------------------------------------------------------------------------------
    def seconds(self, value: Any, path: Any, field: str) -> float | None:
        """A Task's ``TimeoutSeconds``/``HeartbeatSeconds`` (JSONPath: or its ``…Path``)."""
        raise NotImplementedError

    def wait_until(self, now: float) -> float:
        """When a Wait state ends (epoch seconds)."""
        raise NotImplementedError

    def integer(self, value: Any, path: Any, field: str, kind: str = "integer") -> Any:
        """A Map/ItemBatcher number ``field``: ``value``, or (JSONPath) the value at ``path``
        (``kind`` "integer" or "float"); None if neither."""
        raise NotImplementedError

    def max_items(self, config: dict) -> Any:
        """ItemReader ``ReaderConfig`` ``MaxItems`` (JSONPath: or ``MaxItemsPath``)."""
        raise NotImplementedError

    # -- Choice and Map ------------------------------------------------------------------------
    def choose(self) -> int | None:
        """The index of the first Choice rule that matches, or None."""
        raise NotImplementedError

    def items(self) -> Any:
        """A Map's items (JSONPath ``ItemsPath``; JSONata ``Items``, default: the input)."""
        raise NotImplementedError

    def max_concurrency(self) -> Any:
        """A Map's MaxConcurrency, read before ``MapStateStarted`` (JSONata reads its
        tolerated-failure fields there too)."""
        raise NotImplementedError

    def tolerance(self) -> tuple[Any, Any]:
        """A Map's ``(ToleratedFailureCount, ToleratedFailurePercentage)``; JSONPath reads its
        paths after ``MapStateStarted`` (observed)."""
        raise NotImplementedError
