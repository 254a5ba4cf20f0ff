"""The control path: the emulator's own HTTP endpoints under one reserved prefix, ``/_emulator/``.

AWS's endpoints answer any other path with a 404 (:mod:`emulator.wire.front_end`), so a prefix no
AWS path can take keeps the emulator's own endpoints (reset, clock, info, faults, the console)
apart from the services it emulates. Each endpoint is a function registered with :func:`route`
in a module of :mod:`emulator.wire.control_routes`; every module of that package is imported on
the first control request, so adding an endpoint means adding a module, never editing a list.

A route answers a :class:`ControlRequest` with a :class:`ControlAnswer`. ``prefix=True`` routes
take every path below theirs (the console's pages); exact paths win over prefixes, and the longest
prefix wins among prefixes. A known path asked with another method is 405; an unknown path is a
JSON 404 naming the path, so that a typo in a test's control call is not mistaken for success.
Every route reads the server's Emulator: a server without one answers them all 503 ``NoEmulator``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["PREFIX", "ControlAnswer", "ControlRequest", "handle", "is_control", "json_answer", "route"]

PREFIX = "/_emulator/"

Handler = Callable[["ControlRequest"], "ControlAnswer"]


@dataclass
class ControlRequest:
    """One control request: what a route may read. ``server`` is the serving
    :class:`~emulator.wire.server.EmulatorServer` (None when called without one, in tests)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    world: Any
    server: Any = None

    def json(self) -> Any:
        """The body as JSON (an empty body is ``{}``); ValueError for a body that is not JSON."""
        if not self.body.strip():
            return {}
        return json.loads(self.body)


@dataclass
class ControlAnswer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.headers.setdefault("Content-Type", "application/json")
        self.headers["Content-Length"] = str(len(self.body))


def json_answer(value: Any, status: int = 200) -> ControlAnswer:
    """A JSON answer (keys in insertion order, so answers read as their routes write them)."""
    return ControlAnswer(status, json.dumps(value, indent=1).encode() + b"\n")


_EXACT: dict[str, dict[str, Handler]] = {}
_PREFIXES: dict[str, dict[str, Handler]] = {}
_loaded = False
_load_lock = threading.Lock()


def route(method: str, path: str, *, prefix: bool = False) -> Callable[[Handler], Handler]:
    """Register ``fn`` for ``method`` on ``path`` (which must start with :data:`PREFIX`)."""
    if not path.startswith(PREFIX):
        raise ValueError(f"a control path starts with {PREFIX}: {path!r}")

    def register(fn: Handler) -> Handler:
        table = _PREFIXES if prefix else _EXACT
        methods = table.setdefault(path, {})
        if method.upper() in methods:
            raise ValueError(f"{method} {path} is registered twice")
        methods[method.upper()] = fn
        return fn

    return register


def is_control(target: str) -> bool:
    """Whether a request target (path and query) is on the control path."""
    return target.startswith(PREFIX) or target == PREFIX.rstrip("/")


def _load_routes() -> None:
    global _loaded
    with _load_lock:
        if _loaded:
            return
        from . import control_routes

        for module in pkgutil.iter_modules(control_routes.__path__):
            importlib.import_module(f"{control_routes.__name__}.{module.name}")
        _loaded = True


def _methods_for(path: str) -> dict[str, Handler] | None:
    if path in _EXACT:
        return _EXACT[path]
    best = max((p for p in _PREFIXES if path.startswith(p)), key=len, default=None)
    return _PREFIXES[best] if best is not None else None


def handle(
    method: str, target: str, headers: dict[str, str], body: bytes, world: Any, server: Any = None
) -> ControlAnswer:
    """Answer one control request (``target`` is the request line's path and query)."""
    if not _loaded:
        _load_routes()
    parts = urlsplit(target)
    path = parts.path
    methods = _methods_for(path)
    if methods is None:
        return json_answer({"error": "NotFound", "message": f"no control endpoint at {path}"}, 404)
    fn = methods.get(method.upper())
    if fn is None:
        answer = json_answer(
            {"error": "MethodNotAllowed", "message": f"{method} is not allowed on {path}"}, 405
        )
        answer.headers["Allow"] = ", ".join(sorted(methods))
        return answer
    if world is None:
        return json_answer({"error": "NoEmulator", "message": "no Emulator is attached"}, 503)
    request = ControlRequest(method.upper(), path, dict(parse_qsl(parts.query)), headers, body, world, server)
    try:
        return fn(request)
    except ValueError as exc:  # a body or parameter the route could not read
        return json_answer({"error": "BadRequest", "message": str(exc)}, 400)
