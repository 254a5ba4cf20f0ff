"""Document paths over items: reading a value, and the overlap/conflict rule for written paths.

A resolved path is a tuple of names (str) and list indexes (int): ``a.b[2]`` -> ``("a", "b", 2)``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..values import AttributeValue
from .binding import Binder, ResolvedPath, path_str

Item = dict[str, AttributeValue]


def get_path(item: Item, path: ResolvedPath) -> AttributeValue | None:
    """The value at ``path`` in ``item``, or None when any step is missing or of the wrong type."""
    cur = item.get(path[0])  # type: ignore[call-overload,arg-type]
    for step in path[1:]:
        if cur is None:
            return None
        if type(step) is int:
            lst = cur.get("L")
            if lst is None or step >= len(lst):
                return None
            cur = lst[step]
        else:
            m = cur.get("M")
            if m is None:
                return None
            cur = m.get(step)
    return cur


def getter(path: ResolvedPath) -> Callable[[Item], AttributeValue | None]:
    """A compiled reader for ``path`` (a plain dict lookup for top-level names)."""
    if len(path) == 1:
        name = path[0]
        return lambda item: item.get(name)  # type: ignore[call-overload,arg-type]
    return lambda item: get_path(item, path)


def first_overlap_or_conflict(paths: list[ResolvedPath]) -> tuple[str | None, str | None]:
    """(overlap message, conflict message) for written paths, dynalite's pairwise rule (U2, P3).

    Two paths overlap when one is a prefix of (or equal to) the other; they conflict when at the
    first differing position one is a name and the other an index. An overlap anywhere outranks a
    conflict; checking stops at the first overlap.
    """
    from .. import messages as M

    seen: list[ResolvedPath] = []
    conflict: str | None = None
    for path in paths:
        for earlier in seen:
            verdict = _compare(earlier, path)
            if verdict == "overlap":
                return M.paths_overlap(path_str(earlier), path_str(path)), conflict
            if verdict == "conflict":  # dynalite keeps the last conflict seen
                conflict = M.paths_conflict(path_str(earlier), path_str(path))
        seen.append(path)
    return None, conflict


def check_overlaps(binder: Binder, paths: list[ResolvedPath]) -> None:
    """Record :func:`first_overlap_or_conflict`'s messages as ``binder``'s ``pathOverlap`` /
    ``pathConflict`` errors (UpdateExpression targets, ProjectionExpression paths)."""
    overlap, conflict = first_overlap_or_conflict(paths)
    if overlap is not None:
        binder.error("pathOverlap", overlap)
    if conflict is not None:
        binder.error("pathConflict", conflict)


def _compare(one: ResolvedPath, two: ResolvedPath) -> str | None:
    for a, b in zip(one, two):
        if type(a) is not type(b):
            return "conflict"
        if a != b:
            return None
    return "overlap"
