"""Durable worlds: ``Emulator(data_dir=DIR)`` and ``emulator serve --data-dir DIR``.

The in-memory world stays the serving copy. Durability is a log of the requests that changed it
(:mod:`.journal`, group-committed to SQLite before each is acknowledged) on top of a checkpoint
(a portable snapshot, :mod:`emulator.snapshot`) in the same database (:mod:`.store`). Opening a
directory restores the checkpoint, replays the log after it (:mod:`.replay`) and goes on logging.
A new directory starts with a checkpoint of the fresh world, so its seed and clock are kept.

Task callables are code, not data: register them *before* the directory is opened
(``aws = Emulator(); aws.stepfunctions.task(arn)(fn); aws.attach_data_dir(DIR)``, or
``emulator serve --tasks M --data-dir DIR``) so that the replay runs the workflows with them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..reset import KEPT_SHARED
from .journal import Journal
from .store import DEFAULT_SYNC, DataDirError, Store
from .tape import ClockTape

if TYPE_CHECKING:
    from ..world import Emulator

__all__ = ["open_durable", "DataDirError"]


_CODE = KEPT_SHARED
"""What the world holds that is code or configuration, not data (what a reset keeps too): the
task callables, HTTP task endpoints and mock configuration registered before the directory was
opened win over the checkpoint's (which has stand-ins for callables it could not name), so that
replay runs the workflows with them."""


def _keep_code(world: Emulator, code: dict[str, Any]) -> None:
    tasks = code.get("stepfunctions.tasks")
    if tasks is not None:
        restored = world._shared.setdefault("stepfunctions.tasks", tasks)
        if restored is not tasks:
            restored.functions.update(tasks.functions)
            restored.resources.update(tasks.resources)
    for key in _CODE:  # the others are replaced whole by the ones registered before the opening
        if key != "stepfunctions.tasks" and key in code:
            world._shared[key] = code[key]


def _install(world: Emulator) -> ClockTape | None:
    """The clock tape of the world's clock, put there if that clock follows real time (a
    restored world's clock may be of another kind than the one the world was made with)."""
    clock: Any = world.clock
    if clock.virtual or not hasattr(clock, "reading"):
        return None
    if clock.reading is None:
        clock.reading = ClockTape()
    return clock.reading  # type: ignore[no-any-return]


def open_durable(
    world: Emulator, directory: str | os.PathLike[str], *, checkpoint_every: int | None = None
) -> None:
    """Make ``world`` the durable world of ``directory`` (restoring what is kept there)."""
    from ..snapshot import restore, take
    from .replay import replay

    store = Store(directory, sync=world.options.get("data_sync", DEFAULT_SYNC))
    try:
        kept = store.checkpoint()
        if kept is None:
            store.write_checkpoint(0, take(world, portable=True))  # type: ignore[arg-type]
        else:
            code = {key: world._shared[key] for key in _CODE if key in world._shared}
            restore(kept[1], into=world, where=store.directory)
            _keep_code(world, code)
            replay(world, store.entries_after(kept[0]), _install(world))
        options = {} if checkpoint_every is None else {"checkpoint_every": checkpoint_every}
        journal = Journal(world, store, store.last_seq() + 1, tape=_install(world), **options)
    except BaseException:
        store.close()
        raise
    world.journal = journal
    journal.start()
