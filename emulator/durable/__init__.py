"""Durable worlds: ``Emulator(data_dir=DIR)`` and ``emulator serve --data-dir DIR``.

The in-memory world stays the serving copy. Durability is a log of the requests that changed it
(:mod:`.journal`, group-committed to SQLite before each is acknowledged) on top of a checkpoint
(a portable snapshot, :mod:`emulator.snapshot`) in the same database (:mod:`.store`). Opening a
directory restores the checkpoint, replays the log after it (:mod:`.replay`) and goes on logging.
A new directory starts with a checkpoint of the fresh world, so its seed and clock are kept.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .journal import Journal
from .store import DataDirError, Store

if TYPE_CHECKING:
    from ..world import Emulator

__all__ = ["open_durable", "DataDirError"]


def open_durable(
    world: Emulator, directory: str | os.PathLike[str], *, checkpoint_every: int | None = None
) -> None:
    """Make ``world`` the durable world of ``directory`` (restoring what is kept there)."""
    from ..snapshot import restore, take
    from .replay import replay

    store = Store(directory)
    try:
        kept = store.checkpoint()
        if kept is None:
            store.write_checkpoint(0, take(world, portable=True))  # type: ignore[arg-type]
        else:
            restore(kept[1], into=world, where=store.directory)
            replay(world, store.entries_after(kept[0]))
        options = {} if checkpoint_every is None else {"checkpoint_every": checkpoint_every}
        journal = Journal(world, store, store.last_seq() + 1, **options)
    except BaseException:
        store.close()
        raise
    world.journal = journal
    journal.start()
