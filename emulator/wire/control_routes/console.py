"""The console's routes: ``GET /_emulator/ui`` and every path below it, answered by
:mod:`emulator.console` (pages and their JSON twins under ``/_emulator/ui/api/``)."""

from __future__ import annotations

from ... import console
from ..control import ControlAnswer, ControlRequest, route

ROOT = "/_emulator/ui"


@route("GET", ROOT)
@route("GET", ROOT + "/", prefix=True)
def console_page(request: ControlRequest) -> ControlAnswer:
    answer = console.render(request.world, request.path[len(ROOT) :], request.query)
    headers = {"Content-Type": answer.content_type, "Cache-Control": "no-store"}
    return ControlAnswer(answer.status, answer.text.encode("utf-8"), headers)
