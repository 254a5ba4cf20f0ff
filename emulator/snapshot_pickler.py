"""How a world is turned into bytes and back: :mod:`pickle` with the reductions a live world needs.

A world is plain data (dicts, lists, sorted containers, dataclasses) plus a few things that are
not data. The :class:`WorldPickler` decides for each of them, so that the services need no
``__getstate__`` of their own and a new field is snapshotted without anyone remembering to:

* locks, conditions, ``threading.local`` and events: a fresh, unheld one (a lock is not state);
* threads: ``None`` (every holder of a background thread starts a new one when it needs one;
  :func:`emulator.snapshot.restart_background_work` restarts those that were running);
* weak sets and weak dictionaries: empty (they cache views such as native clients);
* a finished generator (the runner of a finished Step Functions execution): a finished one; a
  suspended one (a thread of a *running* execution) cannot be copied: it becomes
  :class:`Suspended`, and the restored service rebuilds it by replaying the thread's tape
  (``stepfunctions/runtime/tape.py``); one that is running now (a snapshot taken from inside a
  task's callable) is refused with :class:`SnapshotError`;
* the emulator's own closures and lambdas (timer callbacks, change-log unsubscribers): by value
  (their code and their cells), so that a restored world's timers call the restored objects;
* frozen slotted dataclasses (stream records): as a tuple of their fields;
* the error classes that ``errors.error_class`` builds: by (service class, code);
* an object whose class says ``not_state = True`` (a durable world's clock tape): ``None``, and
  a bound method of one (the durable journal's clock listener): a listener that does nothing;
* the :class:`~emulator.world.Emulator` itself: the persistent id ``"world"`` (the caller
  restores into a world object of its choosing), minus its client caches;
* any other callable that pickle cannot name (a task callable defined in a test): by reference
  in an in-process snapshot (``refs``); in a portable (bytes) snapshot a stand-in that raises
  :class:`MissingCallable` when called, until the callable is registered again.
"""

from __future__ import annotations

import _thread
import importlib
import inspect
import io
import marshal
import operator
import pickle
import sys
import threading
import types
import weakref
from typing import Any

__all__ = ["WorldPickler", "WorldUnpickler", "SnapshotError", "MissingCallable", "Suspended"]

_WEAK = (weakref.WeakSet, weakref.WeakValueDictionary, weakref.WeakKeyDictionary)
_EMPTY_CELL = object()


class SnapshotError(Exception):
    """A world that cannot be snapshotted now (a running execution), or snapshot bytes that this
    emulator cannot read (another format or version)."""


class MissingCallable:
    """Stands in, in a world restored from bytes, for a task callable that pickle could not name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            f"the task callable {self.name} was not saved with the world (it is not importable by "
            "name); register it again on the restored Emulator"
        )


class Suspended:
    """Stands in, in a restored world, for a suspended generator until its owner rebuilds it;
    ``started`` is False for one that never ran (a real-clock execution's first step)."""

    __slots__ = ("started",)

    def __init__(self, started: bool) -> None:
        self.started = started


def _spent_generator() -> types.GeneratorType:
    def gen():
        yield None

    spent = gen()
    spent.close()
    return spent


def _make_function(code: bytes, module: str, name: str, qualname: str, cells: int) -> types.FunctionType:
    closure = tuple(types.CellType() for _ in range(cells)) or None
    fn = types.FunctionType(
        marshal.loads(code), importlib.import_module(module).__dict__, name, None, closure
    )
    fn.__qualname__ = qualname
    return fn


def _fill_function(fn: types.FunctionType, state: tuple[Any, Any, tuple[Any, ...]]) -> None:
    defaults, kwdefaults, cells = state
    fn.__defaults__, fn.__kwdefaults__ = defaults, kwdefaults
    for cell, value in zip(fn.__closure__ or (), cells):
        if value is not _EMPTY_CELL:
            cell.cell_contents = value


def _cell_value(cell: types.CellType) -> Any:
    try:
        return cell.cell_contents
    except ValueError:
        return _EMPTY_CELL


_UNKNOWN = object()


def _frozen_slots(cls: type) -> tuple[tuple[str, ...], Any] | None:
    """(slot names, their getter) of a frozen, slotted dataclass (a stream record), else None.
    Written as one tuple and rebuilt by :func:`_new_frozen`: dataclasses' own pickling of a frozen
    instance calls ``fields()`` per object, which dominated a snapshot of many stream records."""
    params = cls.__dict__.get("__dataclass_params__")
    names = cls.__dict__.get("__slots__")
    if params is None or not params.frozen or not names or cls.__mro__[1] is not object:
        return None
    names = tuple(names)
    return names, operator.attrgetter(*names)


def _new_frozen(cls: type, values: tuple[Any, ...]) -> Any:
    obj: Any = object.__new__(cls)
    for name, value in zip(cls.__slots__, values):  # type: ignore[attr-defined]
        object.__setattr__(obj, name, value)
    return obj


def _error_classes(world: Any) -> dict[int, tuple[str, str, str]]:
    """id(error class) → (module, service class, code), over the world's services' error tables."""
    found: dict[int, tuple[str, str, str]] = {}
    for svc in world.services():
        cls = type(svc)
        for code, err in getattr(cls, "errors", {}).items():
            found.setdefault(id(err), (cls.__module__, cls.__name__, code))
    return found


def _error_class(module: str, cls_name: str, code: str) -> type:
    errors: dict[str, type] = getattr(importlib.import_module(module), cls_name).errors
    return errors[code]


def _named(obj: Any) -> bool:
    """Whether pickle can find ``obj`` (a class or function) again by module and qualified name."""
    try:
        found: Any = importlib.import_module(obj.__module__)
        for part in obj.__qualname__.split("."):
            found = getattr(found, part)
    except Exception:
        return False
    return found is obj


def _event(is_set: bool) -> threading.Event:
    event = threading.Event()
    if is_set:
        event.set()
    return event


def _world_placeholder() -> Any:  # pragma: no cover - the unpickler substitutes the world
    raise pickle.UnpicklingError("a world snapshot must be read by WorldUnpickler")


def _ref_placeholder(index: int) -> Any:  # pragma: no cover - the unpickler substitutes refs
    raise pickle.UnpicklingError("a world snapshot must be read by WorldUnpickler")


def _module_global(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _ignore(*args: Any) -> None:
    """What a listener that is not state (a durable journal's) becomes in a snapshot."""


def _ignore_factory() -> Any:
    return _ignore


def _none() -> None:
    return None


class WorldPickler(pickle.Pickler):
    """Pickles one world (see the module docstring); ``refs`` holds what an in-process snapshot
    carries by reference (``portable=False``)."""

    def __init__(self, file: io.BytesIO, world: Any, *, portable: bool) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.world = world
        self.portable = portable
        self.refs: list[Any] = []
        self._errors: dict[int, tuple[str, str, str]] | None = None
        self._global_names: dict[int, tuple[str, str]] | None = None
        self._frozen_fields: dict[type, Any] = {}

    def reducer_override(self, obj: Any) -> Any:  # noqa: C901 - one table of kinds, read top down
        if obj is self.world:
            return (_world_placeholder, ())
        kind = type(obj)
        if kind is _thread.LockType:
            return (_thread.allocate_lock, ())
        if kind is _thread.RLock:
            return (threading.RLock, ())
        if kind is threading.Condition:
            return (threading.Condition, (obj._lock,))
        if kind is threading.Event:
            return (_event, (obj.is_set(),))
        if kind is threading.local:
            return (threading.local, ())
        if kind in _WEAK:
            return (kind, ())
        if isinstance(obj, threading.Thread):
            return (_none, ())
        if kind is types.GeneratorType:
            if obj.gi_frame is None:
                return (_spent_generator, ())
            if obj.gi_running:
                raise SnapshotError(
                    f"cannot snapshot the world from inside a running workflow step ({obj.__qualname__}): "
                    "take the snapshot outside the task's callable"
                )
            return (Suspended, (inspect.getgeneratorstate(obj) != inspect.GEN_CREATED,))
        if kind is types.FunctionType:
            return self._function(obj)
        if kind is types.MethodType and getattr(obj.__self__, "not_state", False):
            return (_ignore_factory, ())
        if getattr(kind, "not_state", False):
            return (_none, ())
        if isinstance(obj, type) and not _named(obj):
            return self._class(obj)
        if kind is object or kind.__module__.startswith("emulator."):
            where = self._globals().get(id(obj))
            if where is not None:
                return (_module_global, where)
            fields = self._frozen_fields.get(kind, _UNKNOWN)
            if fields is _UNKNOWN:
                fields = self._frozen_fields[kind] = _frozen_slots(kind)
            if fields is not None:
                names, getter = fields
                return (_new_frozen, (kind, getter(obj) if len(names) > 1 else (getter(obj),)))
        return NotImplemented

    def _globals(self) -> dict[int, tuple[str, str]]:
        """id → (module, name) of the emulator's module-level instances (sentinels such as
        ``MISSING`` are compared by identity, so they are written by name, not copied)."""
        if self._global_names is None:
            self._global_names = {}
            for name, module in list(sys.modules.items()):
                if name.startswith("emulator.") and module is not None:
                    for attr, value in list(vars(module).items()):
                        if type(value) is object or type(value).__module__.startswith("emulator."):
                            self._global_names.setdefault(id(value), (name, attr))
        return self._global_names

    def _function(self, fn: types.FunctionType) -> Any:
        if _named(fn):
            return NotImplemented
        if (fn.__module__ or "").startswith("emulator."):
            closure = tuple(_cell_value(c) for c in fn.__closure__ or ())
            args = (marshal.dumps(fn.__code__), fn.__module__, fn.__name__, fn.__qualname__, len(closure))
            return (
                _make_function,
                args,
                (fn.__defaults__, fn.__kwdefaults__, closure),
                None,
                None,
                _fill_function,
            )
        return self._foreign(fn, f"{fn.__module__}.{fn.__qualname__}")

    def _class(self, cls: type) -> Any:
        if self._errors is None:
            self._errors = _error_classes(self.world)
        where = self._errors.get(id(cls))
        if where is not None:
            return (_error_class, where)
        return self._foreign(cls, f"{cls.__module__}.{cls.__qualname__}")

    def _foreign(self, obj: Any, name: str) -> Any:
        if self.portable:
            return (MissingCallable, (name,))
        self.refs.append(obj)
        return (_ref_placeholder, (len(self.refs) - 1,))


class WorldUnpickler(pickle.Unpickler):
    """Reads what :class:`WorldPickler` wrote, restoring references to ``world`` and to ``refs``."""

    def __init__(self, file: io.BytesIO, world: Any, refs: list[Any]) -> None:
        super().__init__(file)
        self.world = world
        self.refs = refs

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_world_placeholder":
            return lambda: self.world
        if module == __name__ and name == "_ref_placeholder":
            return self.refs.__getitem__
        return super().find_class(module, name)
