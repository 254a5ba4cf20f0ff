"""Where a Map's items come from when it has an ``ItemReader`` and/or an ``ItemBatcher``.

:func:`prepare_source` runs right after ``MapStateStarted`` (observed: a bad ``MaxItemsPath``
fails the execution with ``States.Runtime`` after ``MapStateStarted`` and before any Map Run). It
resolves the configuration — ItemReader ``Parameters`` (JSONPath) / ``Arguments`` (JSONata),
``ReaderConfig.MaxItems(Path)``, ItemBatcher limits and ``BatchInput`` — and returns a thunk.
The thunk does the data work (read the S3 object, apply ``ItemSelector``, batch) and is called
inside the Map Run, so its failures (``States.ItemReaderFailed``) end the run with
``MapRunFailed`` (INF on the placement, modelled on the other Map Run failures).

``MaxItemsPath`` (JSONPath) accepts an integer or a string of digits (the recorded
``MAP_STATE_REFERENCE_IN_MAX_ITEMS_PATH`` case reads ``"2"``); anything else is AWS's ``The
MaxItemsPath field refers to value "1.5" which is not a valid integer: $.MaxItems``. A path value
above 100000000 is accepted (recorded) and a negative one fails the run with ``field MaxItems must
be positive`` (reference MAP-09 cause).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .. import messages as M
from ..asl.failures import StatesFailure
from ..asl.model import MISSING, MapState
from . import states as st
from .execution import Execution, Thread
from .item_batcher import batches
from .item_reader import GET_OBJECT, ItemReaderError, read_items
from .s3objects import s3_store

_DIGITS = re.compile(r"\s*-?\d+\s*")


def prepare_source(ex: Execution, thread: Thread, state: MapState, raw: Any, effective: Any,
                   ctx: dict, scope: dict, eid: int, b: dict, items: Any, reader: dict | None,
                   batcher: dict | None, select: Callable[..., list]) -> Callable[[], list]:
    resource = GET_OBJECT
    config: dict = {}
    params: Any = {}
    max_items: Any = None
    if reader is not None:
        resource = reader.get("Resource", GET_OBJECT)
        config = reader.get("ReaderConfig") or {}
        if state.jsonata:
            if "Arguments" in reader:
                params = st.ja_eval(ex, thread, state, eid, reader["Arguments"], b, "Arguments")
            max_items = st._ja_int(ex, thread, state, eid, config.get("MaxItems", MISSING), b, "MaxItems")
        else:
            if "Parameters" in reader:
                params = st.jp_template(reader["Parameters"], effective, ctx, scope, "Parameters",
                                        state, eid, ex.rng)
            max_items = _jp_max_items(state, eid, config, effective, ctx, scope)
    per_batch: Any = None
    max_bytes: Any = None
    batch_input: Any = MISSING
    if batcher is not None:
        if state.jsonata:
            per_batch = st._ja_int(ex, thread, state, eid, batcher.get("MaxItemsPerBatch", MISSING), b,
                                   "MaxItemsPerBatch")
            max_bytes = st._ja_int(ex, thread, state, eid, batcher.get("MaxInputBytesPerBatch", MISSING),
                                   b, "MaxInputBytesPerBatch")
            if "BatchInput" in batcher:
                batch_input = st.ja_eval(ex, thread, state, eid, batcher["BatchInput"], b, "BatchInput")
        else:
            per_batch = st._jp_int_field(state, eid, batcher.get("MaxItemsPerBatch", MISSING),
                                         batcher.get("MaxItemsPerBatchPath", MISSING), effective, ctx,
                                         scope, "MaxItemsPerBatchPath", "integer")
            max_bytes = st._jp_int_field(state, eid, batcher.get("MaxInputBytesPerBatch", MISSING),
                                         batcher.get("MaxInputBytesPerBatchPath", MISSING), effective,
                                         ctx, scope, "MaxInputBytesPerBatchPath", "integer")
            if "BatchInput" in batcher:
                batch_input = st.jp_template(batcher["BatchInput"], effective, ctx, scope, "BatchInput",
                                             state, eid, ex.rng)
    store = s3_store(ex.service)

    def source() -> list:
        values = items
        if reader is not None:
            if isinstance(max_items, int) and max_items < 0:
                raise StatesFailure(M.ITEM_READER_FAILED, M.MAX_ITEMS_NEGATIVE)
            try:
                values = read_items(store, resource, params, config, max_items)
            except ItemReaderError as exc:
                raise StatesFailure(M.ITEM_READER_FAILED, exc.cause) from None
        inputs = select(ex, thread, state, raw, effective, ctx, scope, eid, values)
        if batcher is not None:
            inputs = list(batches(inputs, per_batch, max_bytes, batch_input))
        return inputs

    return source


def _jp_max_items(state: MapState, eid: int, config: dict, effective: Any, ctx: dict,
                  scope: dict) -> Any:
    if "MaxItems" in config:
        return config["MaxItems"]
    path = config.get("MaxItemsPath")
    if not isinstance(path, str):
        return None
    try:
        n = st.read_reference(path, effective, ctx, scope)
    except StatesFailure:
        raise st.runtime_error(state, eid, M.path_no_results(path)) from None
    if isinstance(n, str) and _DIGITS.fullmatch(n):
        n = int(n)
    if not st._is_int(n):
        raise st.runtime_error(state, eid, M.max_items_path_not_integer(st._plain(n), path))
    return n
