"""The Map state: inline (iterations are child threads of one group) or distributed (a Map Run
whose iterations are child executions, MAP-14); items from the input or from S3 (``ItemReader``),
optionally batched (``ItemBatcher``), see ``../map_sources.py``."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from ...asl.failures import StatesFailure
from ...asl.model import MISSING, MapState
from ..context import with_map_item
from ..map_results import WriterSpec, transformed, write_results
from ..map_runs import begin_run, child_program, close_run
from ..map_sources import prepare_source
from ..s3objects import s3_store
from ..tape import replaying, taped
from ..threads import ABORTABLE, FORK, Group, Thread
from .catching import with_retry
from .flow import Flow
from .glue import Outcome
from .runner import flow_of, handles, run_program

if TYPE_CHECKING:
    from ..execution import Execution


@handles("Map")
def run_map(
    ex: Execution, thread: Thread, state: MapState, raw: Any, scope: dict, eid: int
) -> Generator[Any, Any, Outcome]:
    entered_at = ex.clock.now()
    reader = state.item_reader if isinstance(state.item_reader, dict) else None
    batcher = state.item_batcher if isinstance(state.item_batcher, dict) else None
    flow = flow_of(state)

    def attempt(retry_count: int) -> Generator[Any, Any, Outcome]:
        io = flow(ex, thread, state, raw, scope, eid, ex.state_context(state.name, entered_at, retry_count))
        io.input()
        items = io.items() if reader is None or state.items is not MISSING else None
        limit = io.max_concurrency()
        if reader is not None or batcher is not None:
            # MAP-09/10: items from S3 and/or grouped in batches; configuration is read after
            # MapStateStarted (observed for MaxItemsPath), the data inside the Map Run.
            started = ex.emit(thread, "MapStateStarted", {"length": 0})
            tolerance = io.tolerance()
            source = prepare_source(io, items, reader, batcher, select_items)
            if state.distributed:
                return (yield from _distributed(io, source, limit, tolerance, batcher is not None))
            try:
                inputs = taped(ex, thread, source)
            except StatesFailure as f:
                f.final_event = "MapStateFailed"
                raise
            return (yield from _inline(io, inputs, limit, tolerance, started))
        inputs = select_items(io, items)
        started = ex.emit(thread, "MapStateStarted", {"length": len(inputs)})
        tolerance = io.tolerance()  # observed: JSONPath reads its paths after MapStateStarted
        if state.distributed:
            return (yield from _distributed(io, inputs, limit, tolerance))
        return (yield from _inline(io, inputs, limit, tolerance, started))

    return (yield from with_retry(ex, thread, state, raw, scope, eid, attempt))


def select_items(io: Flow, items: Any) -> list:
    """Per-item input: ItemSelector (or deprecated Parameters) with $$.Map.Item (JP-12)."""
    keys: list[str] | None = None
    if isinstance(items, dict):
        keys = list(items)
        values = [items[k] for k in keys]
    else:
        values = items
    selector = io.state.item_selector
    if selector is MISSING:
        return list(values)
    ctx = io.ctx
    return [
        io.item_input(selector, with_map_item(ctx, i, item, keys[i] if keys else None))
        for i, item in enumerate(values)
    ]


def _inline(
    io: Flow, inputs: list, limit: Any, tolerance: tuple[Any, Any], started: int
) -> Generator[Any, Any, Outcome]:
    ex, thread, state = io.ex, io.thread, io.state
    processor = state.processor
    name = state.name
    scope = io.scope

    def make(i: int, th: Thread) -> Generator[Any, Any, Any]:
        return _iteration(ex, th, processor, name, i, inputs[i], scope)

    def on_abort(th: Thread, failing: int) -> None:
        if th.state_type in ABORTABLE:
            ex.emit(th, f"{th.state_type}StateAborted")
        ex.emit(th, "MapIterationAborted", {"index": th.index, "name": name})

    group = taped(
        ex,
        thread,
        lambda: Group(
            ex,
            len(inputs),
            make,
            start_last=started,
            limit=limit or 0,
            sequential_chain=(limit == 1),
            tolerated_count=tolerance[0],
            tolerated_pct=tolerance[1],
            on_abort=on_abort,
            iteration_name=name,
        ),
    )
    ok, value = yield (FORK, group)
    thread.last = group.last_done if inputs else started
    if not ok:
        thread.last = group.last_inner
        value.final_event = "MapStateFailed"
        raise value
    prev = thread.last
    ex.emit(thread, "MapStateSucceeded")
    thread.last = prev
    return io.result(list(value))


def _distributed(
    io: Flow, inputs: list | Callable[[], list], limit: Any, tolerance: tuple[Any, Any], batched: bool = False
) -> Generator[Any, Any, Outcome]:
    """Distributed Map (MAP-14): a Map Run whose iterations are child executions
    (``../map_runs.py``); the parent history shows only ``MapRunStarted`` →
    ``MapRunSucceeded|Failed``. Children cannot read the parent's variables (VAR-05)."""
    ex, thread, state = io.ex, io.thread, io.state
    run = taped(ex, thread, lambda: begin_run(ex, thread, state, limit, tolerance))
    items: list
    if callable(inputs):  # MAP-09: the ItemReader (and ItemBatcher) run inside the Map Run (INF)
        try:
            items = taped(ex, thread, inputs)
        except StatesFailure as f:
            if not replaying(thread):
                close_run(run, "FAILED", ex.clock.now())
            _map_run_failed(ex, thread, f)
            raise
    else:
        items = inputs
    if not replaying(thread):
        run.pending_items = items
        run.item_total = sum(_item_count(v, batched) for v in items)
    processor = state.processor

    def program(child: Execution, th: Thread, value: Any) -> Generator[Any, Any, Any]:
        return run_program(child, th, processor, value, {})

    def make(i: int, th: Thread) -> Generator[Any, Any, Any]:
        return child_program(run, ex, th, items[i], _item_count(items[i], batched), program, i)

    group = taped(ex, thread, lambda: _run_group(ex, thread, run, items, make, limit, tolerance))
    ok, value = yield (FORK, group)
    if not replaying(thread):
        close_run(run, "SUCCEEDED" if ok else "FAILED", ex.clock.now())
    writer = state.result_writer if isinstance(state.result_writer, dict) else None
    written: Any = None
    if writer is not None:  # MAP-11: results go to S3; the state's result says where
        spec = WriterSpec(writer, writer.get("Parameters") or writer.get("Arguments") or {})
        if not spec.exports:  # MAP-18: WriterConfig alone shapes the output
            written = transformed(run, list(value), spec.transformation) if ok else None
        else:
            try:
                written = taped(
                    ex, thread, lambda: write_results(s3_store(ex.service), run, spec, items, ex.clock.now())
                )
            except StatesFailure as failure:
                ok, value, run.status = False, failure, "FAILED"
    if not ok:
        _map_run_failed(ex, thread, value)
        raise value
    prev = ex.emit(thread, "MapRunSucceeded")
    ex.emit(thread, "MapStateSucceeded")
    thread.last = prev
    return io.result(list(value) if written is None else written)


def _run_group(
    ex: Execution, thread: Thread, run: Any, items: list, make: Any, limit: Any, tolerance: tuple[Any, Any]
) -> Group:
    """The group of a Map Run's child executions."""
    group = run.group = Group(
        ex,
        len(items),
        make,
        start_last=thread.last,
        limit=limit or 0,
        tolerated_count=tolerance[0],
        tolerated_pct=tolerance[1],
        private=True,
    )
    group.map_run = run
    return group


def _item_count(value: Any, batched: bool) -> int:
    """Items one child execution processes: its batch's ``Items`` (MAP-10), else one."""
    if batched and isinstance(value, dict) and isinstance(value.get("Items"), list):
        return len(value["Items"])
    return 1


def _map_run_failed(ex: Execution, thread: Thread, failure: StatesFailure) -> None:
    """``MapRunFailed`` with the failure's error and cause; the state then fails."""
    ex.emit(
        thread,
        "MapRunFailed",
        {k: v for k, v in (("error", failure.error), ("cause", failure.cause)) if v is not None},
    )
    failure.final_event = "MapStateFailed"


def _iteration(
    ex: Execution, th: Thread, processor: Any, name: str, index: int, value: Any, scope: dict
) -> Generator[Any, Any, Any]:
    d = {"index": index, "name": name}
    ex.emit(th, "MapIterationStarted", d)
    try:
        out = yield from run_program(ex, th, processor, value, dict(scope))
    except StatesFailure:
        th.inner_last = th.last
        ex.emit(th, "MapIterationFailed", d)
        raise
    th.inner_last = th.last
    ex.emit(th, "MapIterationSucceeded", d)
    return out
