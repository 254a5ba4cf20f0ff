"""Opt-in: the process's own time functions read the world's clock inside a block.

``Emulator(patch_time=True)`` (or ``sfn.task(arn, patch_time=True)`` for one callable) runs each
Step Functions task callable inside :func:`frozen_at`, so code under test that calls
``time.time()``, ``datetime.now()``, ``datetime.utcnow()``, ``date.today()`` or ``time.gmtime()``
sees the execution's virtual time (``context.now()``), and ``context.sleep(s)`` moves it on by
``s``. ``time.monotonic()``/``perf_counter()`` stay real (they measure durations, not dates).

Built on `time-machine <https://pypi.org/project/time-machine/>`_, an optional extra
(``pip install "dynamodb-stepfunctions-emulator[time]"``), not on hand-made patches of the standard library: it patches
the C-level functions, so ``from time import time`` bindings and C extensions see the same time.
The patch is process-wide while a callable runs, which is what a test on a virtual clock wants;
the emulator's own clocks never read the patched functions for virtual time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

INSTALL_HINT = 'patch_time needs time-machine: pip install "dynamodb-stepfunctions-emulator[time]" (or "time-machine>=2")'


class Traveller(Protocol):
    def shift(self, delta: float) -> None: ...


def require_time_machine() -> None:
    """Raise ``ImportError`` with the install hint when time-machine is missing."""
    try:
        import time_machine  # noqa: F401
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise ImportError(INSTALL_HINT) from exc


@contextmanager
def frozen_at(epoch_seconds: float) -> Iterator[Any]:
    """Inside the block, the standard library's time reads ``epoch_seconds`` (standing still);
    yields the traveller, whose ``shift(seconds)`` moves that time on."""
    try:
        import time_machine
    except ImportError as exc:  # pragma: no cover - checked when the option is set
        raise ImportError(INSTALL_HINT) from exc
    with time_machine.travel(epoch_seconds, tick=False) as traveller:
        yield traveller
