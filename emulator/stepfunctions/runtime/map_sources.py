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
MaxItemsPath field refers to value "1.5" which is not a valid integer: $.MaxItems`` (both in
``states/jsonpath_flow.py``). A path value above 100000000 is accepted (recorded) and a negative
one fails the run with ``field MaxItems must be positive`` (reference MAP-09 cause).

The configuration is read through the state's data flow (``states/flow.py``), so one function
serves both query languages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import messages as M
from ..asl.failures import StatesFailure
from ..asl.model import MISSING
from .item_batcher import batches
from .item_reader import GET_OBJECT, ItemReaderError, read_items
from .s3objects import s3_store

if TYPE_CHECKING:
    from .states.flow import Flow


def prepare_source(
    io: Flow, items: Any, reader: dict | None, batcher: dict | None, select: Callable[[Flow, Any], list]
) -> Callable[[], list]:
    """Read the ItemReader/ItemBatcher configuration now; return the thunk that reads, selects
    (``select(io, values)``) and batches the items."""
    resource = GET_OBJECT
    config: dict = {}
    params: Any = {}
    max_items: Any = None
    effective = io.value
    if reader is not None:
        resource = reader.get("Resource", GET_OBJECT)
        config = reader.get("ReaderConfig") or {}
        key = io.ARGUMENTS  # Parameters (JSONPath) or Arguments (JSONata)
        if key in reader:
            params = io.template(reader[key], key, effective)
        max_items = io.max_items(config)
    per_batch: Any = None
    max_bytes: Any = None
    batch_input: Any = MISSING
    if batcher is not None:
        per_batch = io.integer(
            batcher.get("MaxItemsPerBatch", MISSING),
            batcher.get("MaxItemsPerBatchPath", MISSING),
            "MaxItemsPerBatch",
        )
        max_bytes = io.integer(
            batcher.get("MaxInputBytesPerBatch", MISSING),
            batcher.get("MaxInputBytesPerBatchPath", MISSING),
            "MaxInputBytesPerBatch",
        )
        if "BatchInput" in batcher:
            batch_input = io.template(batcher["BatchInput"], "BatchInput", effective)
    store = s3_store(io.ex.service)

    def source() -> list:
        values = items
        if reader is not None:
            if isinstance(max_items, int) and max_items < 0:
                raise StatesFailure(M.ITEM_READER_FAILED, M.MAX_ITEMS_NEGATIVE)
            try:
                values = read_items(store, resource, params, config, max_items)
            except ItemReaderError as exc:
                raise StatesFailure(M.ITEM_READER_FAILED, exc.cause) from None
        inputs = select(io, values)
        if batcher is not None:
            inputs = list(batches(inputs, per_batch, max_bytes, batch_input))
        return inputs

    return source
