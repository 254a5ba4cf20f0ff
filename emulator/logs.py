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
"""

from __future__ import annotations

import logging
import sys

__all__ = ["FORMAT", "LOGGER", "configure"]

LOGGER = "emulator"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _StderrHandler(logging.StreamHandler):
    """The handler :func:`configure` installs (recognised, so configuring twice adds one)."""


def configure(level: str | int | None) -> logging.Logger:
    """Send the ``emulator`` loggers' records at ``level`` and above (None: WARNING) to stderr."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level if level is not None else logging.WARNING)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
    return logger
