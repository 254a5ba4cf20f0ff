"""The durable store of a ``data_dir`` world: one SQLite database in WAL mode.

SQLite (the standard library's ``sqlite3``) does the hard part — atomic commits, a write-ahead
log, fsync on commit (``synchronous=FULL``; ``data_sync="normal"`` trades that for speed, see
``SYNC_MODES``), recovery after a crash — so this module holds no
file format or sync logic of its own. Three tables:

* ``meta``: ``format`` (this layout's version) and ``emulator`` (the version that wrote the
  checkpoint). A directory of another format or version is refused, naming the directory and
  both versions: a checkpoint is pickled internals, which another version would misread.
* ``checkpoint``: at most one row: a portable world snapshot and the log position it includes.
* ``log``: the mutating requests that reached the services after the checkpoint, in the order
  they were applied (``seq``), each a pickle of plain native-shaped values.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import threading
from typing import IO, Any

__all__ = ["Store", "DataDirError", "FORMAT"]

FORMAT = 2  # 2: checkpoints hold running executions; refused writes are logged (REFUSED)
FILE_NAME = "emulator.sqlite3"
LOCK_NAME = "emulator.lock"
#: ``data_sync`` → SQLite's ``synchronous``. "full": every commit is synced to the disk before it
#: is acknowledged (survives a power loss). "normal": a commit reaches the operating system (in
#: WAL mode it survives the process being killed, and is synced at the next WAL checkpoint); a
#: power loss may lose the last commits, never corrupt the database.
SYNC_MODES = {"full": "FULL", "normal": "NORMAL"}
#: "normal" by default: the crash that matters for a local service is the process's (SIGKILL, a
#: crash, a closed laptop lid), and "full" waits for the disk on every commit, which with two
#: writers keeps a fraction of the in-memory rate (README, "Durable data and snapshots").
DEFAULT_SYNC = "normal"


class DataDirError(Exception):
    """A data directory this emulator cannot open (another format or version, or not a store)."""


def _lock_directory(directory: str) -> IO[str] | None:
    """Hold an exclusive lock on ``directory`` for as long as the returned file is open: two
    worlds appending to one log would interleave their sequence numbers. ``DataDirError`` if
    another world holds it. (No lock where ``fcntl`` is missing: Windows.)"""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    handle = open(os.path.join(directory, LOCK_NAME), "a+", encoding="ascii")  # noqa: SIM115 - held
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise DataDirError(f"{directory} is in use by another emulator ({holder})") from err
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle


def _version() -> str:
    from .. import __version__

    return __version__


class Store:
    """The SQLite database of one data directory; callers serialize access (one committer)."""

    def __init__(self, directory: str | os.PathLike[str], sync: str = DEFAULT_SYNC) -> None:
        if sync not in SYNC_MODES:
            raise ValueError(f"data_sync must be one of {', '.join(SYNC_MODES)}, not {sync!r}")
        self.directory = os.fspath(directory)
        os.makedirs(self.directory, exist_ok=True)
        self.path = os.path.join(self.directory, FILE_NAME)
        self.lock = threading.Lock()  # one transaction at a time on the shared connection
        self.commits = 0  # log commits (each one sync) since opened
        self._lock_file = _lock_directory(self.directory)
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(f"PRAGMA synchronous={SYNC_MODES[sync]}")
            self._prepare()
        except sqlite3.DatabaseError as err:
            self.close()
            raise DataDirError(f"{self.directory}: not an emulator data directory ({err})") from err

    def _prepare(self) -> None:
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY, seq INTEGER, world BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, entry BLOB NOT NULL)")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if not meta:
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)", [("format", str(FORMAT)), ("emulator", _version())]
            )
            return
        if meta.get("format") != str(FORMAT) or meta.get("emulator") != _version():
            raise DataDirError(
                f"{self.directory} was written by emulator {meta.get('emulator')} (data format "
                f"{meta.get('format')}); this is emulator {_version()} (format {FORMAT}), which does "
                "not read another version's data: open it with that version, or use a new directory"
            )

    def checkpoint(self) -> tuple[int, bytes] | None:
        row = self.db.execute("SELECT seq, world FROM checkpoint WHERE id = 1").fetchone()
        return None if row is None else (row[0], row[1])

    def entries_after(self, seq: int) -> list[tuple[int, Any]]:
        rows = self.db.execute("SELECT seq, entry FROM log WHERE seq > ? ORDER BY seq", (seq,))
        return [(s, pickle.loads(blob)) for s, blob in rows]

    def last_seq(self) -> int:
        row = self.db.execute("SELECT max(seq) FROM log").fetchone()
        cp = self.checkpoint()
        return max(row[0] or 0, cp[0] if cp else 0)

    def append(self, rows: list[tuple[int, bytes]]) -> None:
        """Write ``rows`` in one transaction: one commit (one sync) for every writer in the group."""
        db = self.db
        with self.lock:
            db.execute("BEGIN")
            db.executemany("INSERT INTO log VALUES (?, ?)", rows)
            db.execute("COMMIT")
            self.commits += 1

    def write_checkpoint(self, seq: int, world: bytes) -> None:
        """Replace the checkpoint with ``world`` (which includes the log up to ``seq``) and drop
        the log entries it includes, in one transaction."""
        db = self.db
        with self.lock:
            db.execute("BEGIN")
            db.execute("INSERT OR REPLACE INTO checkpoint VALUES (1, ?, ?)", (seq, world))
            db.execute("DELETE FROM log WHERE seq <= ?", (seq,))
            db.execute("UPDATE meta SET value = ? WHERE key = 'emulator'", (_version(),))
            db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()
        if self._lock_file is not None:
            self._lock_file.close()  # releases the directory lock
            self._lock_file = None
