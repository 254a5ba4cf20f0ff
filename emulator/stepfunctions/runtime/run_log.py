"""Executions' start and end on the ``emulator.stepfunctions`` logger (see emulator/logs.py).

INFO: ``execution started <arn>`` and ``execution SUCCEEDED <arn> (<seconds>s on the clock)``, with
the error of a FAILED or TIMED_OUT run. A Distributed Map's child executions (one per item batch)
log at DEBUG, so INFO logs nothing per item. Each call asks ``isEnabledFor`` before it formats.
The duration is on the world's clock: a one-day Wait on a virtual clock reads 86400s.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["logger", "started", "ended"]

logger = logging.getLogger("emulator.stepfunctions")


def _level(ex: Any) -> int:
    return logging.DEBUG if ex.map_run_arn else logging.INFO


def started(ex: Any) -> None:
    level = _level(ex)
    if logger.isEnabledFor(level):
        logger.log(level, "execution started %s", ex.arn, extra={"execution_arn": ex.arn})


def ended(ex: Any) -> None:
    level = _level(ex)
    if not logger.isEnabledFor(level):
        return
    seconds = (ex.stop_date or ex.start_date) - ex.start_date
    error = f" error={ex.error}" if ex.error else ""
    logger.log(
        level,
        "execution %s %s (%.3fs on the clock)%s",
        ex.status,
        ex.arn,
        seconds,
        error,
        extra={"execution_arn": ex.arn, "execution_status": ex.status},
    )
