"""The emulator's logging: its loggers, and the setup ``emulator serve --log-level`` uses.

The package logs through the standard :mod:`logging` module under the logger ``emulator``:

* ``emulator.http`` — one INFO line per HTTP request: operation, table or ARN, status, error code
  and latency; at DEBUG the request and response bodies too, truncated (``wire/request_log.py``);
* ``emulator.stepfunctions`` — an execution's start and end with its status, at INFO; the child
  executions of a Distributed Map (one per item batch) at DEBUG only, so that INFO stays quiet on
  a per-item path.

As a library it configures nothing on import: an application (or pytest's ``--log-level``) decides
where these records go. :func:`configure` is the command line's choice: stderr, one line each.
Code on a hot path asks ``logger.isEnabledFor(level)`` once before building a message, so a level
above INFO costs a dictionary lookup per request.

For the server process, which is its own application, ``configure(..., fast=True)`` also applies
the optimizations the logging HOWTO lists ("Optimization": no thread, process or multiprocessing
names gathered per record; the format does not show them) and writes lines into a buffer that a
daemon thread flushes every :data:`FLUSH_INTERVAL` seconds (a WARNING or worse at once): a flush
per line is a system call per request. :class:`Formatter` renders each second's timestamp once and
:data:`FORMAT` without a ``%``-dictionary pass. Measured by ``benchmarks/request_log_cost.py``.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

__all__ = ["FORMAT", "LOGGER", "Formatter", "configure", "direct_handler"]

LOGGER = "emulator"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FLUSH_INTERVAL = 0.2  # seconds a buffered line may wait (fast mode)


class Formatter(logging.Formatter):
    """:class:`logging.Formatter` with ``asctime`` as ``2026-12-08 01:02:03,456`` (its default
    form), the part before the milliseconds rendered once per second rather than per record."""

    _rendered: tuple[int, str] = (-1, "")  # the last second rendered and its text, read and set as one

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        return self.stamp(record.created)

    def stamp(self, created: float) -> str:
        """``asctime`` of a record created at ``created`` (epoch seconds)."""
        second = int(created)
        cached, text = self._rendered
        if second != cached:
            text = time.strftime("%Y-%m-%d %H:%M:%S", self.converter(second))
            self._rendered = (second, text)
        return f"{text},{int((created - second) * 1000):03d}"

    def format(self, record: logging.LogRecord) -> str:
        if self._fmt != FORMAT or record.exc_info or record.stack_info:
            return super().format(record)
        return f"{self.formatTime(record)} {record.levelname} {record.name}: {record.getMessage()}"


class _StderrHandler(logging.StreamHandler):
    """The handler :func:`configure` installs (recognised, so configuring twice adds one)."""


class _BufferedStderrHandler(_StderrHandler):
    """Lines into a 64 KB buffer on stderr's file, flushed by a daemon thread every
    :data:`FLUSH_INTERVAL` seconds, at once for WARNING and worse, and at exit (``logging``'s
    own ``shutdown`` flushes every handler)."""

    def __init__(self, fileno: int) -> None:
        stream = open(  # noqa: SIM115 - the handler owns it for the life of the process
            fileno, "w", buffering=1 << 16, errors="backslashreplace", closefd=False
        )
        super().__init__(stream)
        threading.Thread(target=self._flush_often, name="emulator-log-flush", daemon=True).start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.stream.write(self.format(record) + "\n")  # handle() holds the handler's lock
            if record.levelno >= logging.WARNING:
                self.stream.flush()
        except Exception:  # pragma: no cover - logging's own policy for a failing handler
            self.handleError(record)

    def write_lines(self, lines: list[tuple[float, int, str, str]]) -> None:
        """``(created, level, logger name, message)`` lines, formatted as :class:`Formatter`
        formats a record, written in one piece (see :func:`direct_handler`)."""
        formatter = self.formatter
        assert isinstance(formatter, Formatter)
        stamp = formatter.stamp
        text = "".join(
            f"{stamp(created)} {logging.getLevelName(level)} {name}: {message}\n"
            for created, level, name, message in lines
        )
        with self.lock or threading.Lock():
            self.stream.write(text)

    def _flush_often(self) -> None:
        never = threading.Event()
        while not never.wait(FLUSH_INTERVAL):
            self.flush()


def direct_handler(logger: logging.Logger) -> _BufferedStderrHandler | None:
    """The handler :func:`configure` installed in fast mode, when it is the only place a record of
    ``logger`` (a child of ``emulator``) at INFO and above would go: no filters, no other handler
    on the way, nothing on the root logger. A caller with many lines may then write them to it in
    one piece (:meth:`_BufferedStderrHandler.write_lines`) rather than build a record for each,
    with the same text; any other setup (pytest's caplog, an application's handlers) gets records.
    """
    if logger.handlers or logger.filters or not logger.propagate:
        return None
    parent = logger.parent
    if parent is None or parent.name != LOGGER or parent.filters or len(parent.handlers) != 1:
        return None
    handler = parent.handlers[0]
    if not isinstance(handler, _BufferedStderrHandler) or handler.filters or handler.level > logging.DEBUG:
        return None
    formatter = handler.formatter
    if not isinstance(formatter, Formatter) or formatter._fmt != FORMAT:
        return None
    if parent.propagate and logging.getLogger().handlers:
        return None
    return handler


def _stderr_fileno() -> int | None:
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation: a captured stderr
        return None


def configure(level: str | int | None, *, fast: bool = False) -> logging.Logger:
    """Send the ``emulator`` loggers' records at ``level`` and above to stderr (None: leave
    logging as it is: warnings reach stderr through logging's last resort anyway); ``fast``: the
    process is the emulator's own (``emulator serve``): buffer the lines and apply the HOWTO's
    optimizations, which are process-wide settings of :mod:`logging`."""
    logger = logging.getLogger(LOGGER)
    if level is None:
        return logger
    logger.setLevel(level)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        fileno = _stderr_fileno() if fast else None
        handler = _BufferedStderrHandler(fileno) if fileno is not None else _StderrHandler(sys.stderr)
        handler.setFormatter(Formatter(FORMAT))
        logger.addHandler(handler)
    if fast:
        logging.logThreads = False
        logging.logProcesses = False
        logging.logMultiprocessing = False
    return logger
