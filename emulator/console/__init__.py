"""The console: a few server-rendered HTML pages over one world, served by ``emulator serve`` at
``/_emulator/ui`` (the route lives in :mod:`emulator.wire.control_routes.console`).

Why server-rendered HTML with a few lines of JavaScript: the console must cost nothing to install
(no build step, no browser dependency, nothing fetched from the network) and must read the world
exactly as a user's code does, so every page is a function of the world's native clients
(``world.client("dynamodb", ...)``), never of the engine's insides. Live pages name a JSON twin
under ``/_emulator/ui/api/`` that the page polls about once a second; the twin carries the same
server-rendered fragment, so there is one renderer and the script only swaps it in.

Modules: :mod:`.overview`, :mod:`.view` (the request, the page registry, dispatch), :mod:`.layout` (the page shell,
escaping helpers, CSS and script), :mod:`.tables`, :mod:`.items` (DynamoDB values and keys as
text), :mod:`.streams`, :mod:`.workflows` (state machines), :mod:`.executions`.
"""

from __future__ import annotations

from . import executions, overview, streams, tables, workflows  # noqa: F401 - each registers its pages
from .view import Answer, render

__all__ = ["Answer", "render"]
