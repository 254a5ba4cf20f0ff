"""UpdateExpression: SET / REMOVE / ADD / DELETE compiled to an ``apply(item) -> new item`` (§5.5).

Checks, in DynamoDB's order after syntax: reserved word, unknown function, a clause used twice,
undefined name, undefined value, overlapping target paths, conflicting target paths, ADD/DELETE
operand types, then operand count and operand types of ``+``, ``-``, ``if_not_exists`` and
``list_append`` (dynalite's ``updateParser`` order).

Run time (U3): every right-hand side is evaluated against the item *before* the update, then the
actions are applied: SETs (list appends in ascending index order, U10), REMOVEs (list elements by
their original indexes, U11), ADDs and DELETEs. ``apply`` never changes its input: it returns a new
top-level dict in which the attributes it writes are fresh copies and untouched attribute values
are shared with the input (stored items are treated as immutable by the engine, so sharing is safe
and saves a deep copy per update).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ...errors import AWSError
from .. import messages as M
from ..errors import ValidationException
from ..values import AttributeValue, add_numbers, copy_value, subtract_numbers, type_of
from . import ast as A
from .binding import (
    BArith,
    BCall,
    Binder,
    Bound,
    BPath,
    BValue,
    FunctionSpec,
    ResolvedPath,
    immediate_type,
    static_type,
)
from .compile_cache import cached
from .condition import check_operators, check_text, invalid
from .context import ExpressionContext
from .parser import ExpressionError, parse_update
from .paths import first_overlap_or_conflict, get_path

Item = dict[str, AttributeValue]
KIND = "UpdateExpression"
UPDATE_ORDER = ("reserved", "unknownFunction", "section", "attrName", "attrVal", "pathOverlap",
                "pathConflict", "operand", "function")
_TYPE_NAMES = {"S": "STRING", "N": "NUMBER", "B": "BINARY", "NULL": "NULL", "BOOL": "BOOLEAN", "L": "LIST",
               "M": "MAP"}


# --- parse-time function checks ----------------------------------------------------------------

def _check_if_not_exists(binder: Binder, name: str, args: tuple[Bound, ...]) -> str | None:
    if not isinstance(args[0], BPath):
        binder.error("function", M.requires_path(name))
        return None
    return static_type(args[1])


def _typed(required: str) -> Callable[[Binder, str, tuple[Bound, ...]], str | None]:
    def check(binder: Binder, name: str, args: tuple[Bound, ...]) -> str | None:
        for arg in args:
            type_ = immediate_type(arg)
            if type_ is not None and type_ != required:
                binder.error("function", M.operand_type(name, type_))
                return None
        return required
    return check


UPDATE_FUNCTIONS: dict[str, FunctionSpec] = {
    "if_not_exists": FunctionSpec(2, _check_if_not_exists),
    "list_append": FunctionSpec(2, _typed("L")),
    "+": FunctionSpec(2, _typed("N")),
    "-": FunctionSpec(2, _typed("N")),
}


class _UpdateBinder(Binder):
    arity_category = "function"

    def misused_args(self, args: tuple[Bound, ...]) -> None:
        """Update functions nest freely (``list_append(if_not_exists(a, :e), :v)``)."""


# --- run time -----------------------------------------------------------------------------------

def _runtime(message: str) -> AWSError:
    return ValidationException(message)


Evaluator = Callable[[Item], AttributeValue]


def _evaluator(operand: Bound) -> Evaluator:
    if isinstance(operand, BValue):
        av = operand.av
        return lambda item: av
    if isinstance(operand, BPath):
        path = operand.path

        def read(item: Item) -> AttributeValue:
            av = get_path(item, path)
            if av is None:
                raise _runtime(M.UPDATE_MISSING_ATTRIBUTE)
            return av
        return read
    if isinstance(operand, BArith):
        left, right = _evaluator(operand.left), _evaluator(operand.right)
        arith = add_numbers if operand.op == "+" else subtract_numbers

        def arithmetic(item: Item) -> AttributeValue:
            a, b = left(item), right(item)
            if "N" not in a or "N" not in b:
                raise _runtime(M.UPDATE_OPERAND_TYPE)
            return {"N": arith(a["N"], b["N"])}
        return arithmetic
    assert isinstance(operand, BCall)
    if operand.name == "if_not_exists":
        first = operand.args[0]
        assert isinstance(first, BPath)
        path, fallback = first.path, _evaluator(operand.args[1])

        def if_not_exists(item: Item) -> AttributeValue:
            av = get_path(item, path)
            return av if av is not None else fallback(item)
        return if_not_exists
    left, right = _evaluator(operand.args[0]), _evaluator(operand.args[1])

    def list_append(item: Item) -> AttributeValue:
        a, b = left(item), right(item)
        if "L" not in a or "L" not in b:
            raise _runtime(M.UPDATE_OPERAND_TYPE)
        return {"L": a["L"] + b["L"]}
    return list_append


def _container(new: Item, parent: ResolvedPath, missing_ok: bool) -> AttributeValue | None:
    """The (already copied) container at ``parent`` in the new item."""
    av = get_path(new, parent)
    if av is None and not missing_ok:
        raise _runtime(M.UPDATE_INVALID_PATH)
    return av


def _touch(new: Item, old: Item, name: str, copied: set[str]) -> None:
    """Copy-on-write of one top-level attribute before a nested change."""
    if name not in copied:
        copied.add(name)
        av = old.get(name)
        if av is not None:
            new[name] = copy_value(av)


def _set(new: Item, path: ResolvedPath, value: AttributeValue) -> None:
    if len(path) == 1:
        new[path[0]] = value  # type: ignore[index]
        return
    parent = _container(new, path[:-1], False)
    assert parent is not None
    last = path[-1]
    if isinstance(last, int):
        lst = parent.get("L")
        if lst is None:
            raise _runtime(M.UPDATE_INVALID_PATH)
        if last < len(lst):
            lst[last] = value
        else:
            lst.append(value)  # U10: an index past the end appends
    else:
        m = parent.get("M")
        if m is None:
            raise _runtime(M.UPDATE_INVALID_PATH)
        m[last] = value


def _set_members(av: AttributeValue) -> tuple[str, list]:
    for tag, val in av.items():
        return tag, val
    raise AssertionError("empty AttributeValue")


def _union(existing: AttributeValue, extra: AttributeValue) -> AttributeValue:
    tag, have = _set_members(existing)
    if tag not in extra:
        raise _runtime(M.UPDATE_OPERAND_TYPE)
    out = list(have)
    if tag == "NS":
        known = {Decimal(x) for x in have}
        for x in extra[tag]:
            d = Decimal(x)
            if d not in known:
                known.add(d)
                out.append(x)
    else:
        seen = set(have)
        for x in extra[tag]:
            if x not in seen:
                seen.add(x)
                out.append(x)
    return {tag: out}


def _difference(existing: AttributeValue, remove: AttributeValue) -> AttributeValue | None:
    tag, have = _set_members(existing)
    if tag not in remove:
        raise _runtime(M.UPDATE_OPERAND_TYPE)
    if tag == "NS":
        gone = {Decimal(x) for x in remove[tag]}
        out = [x for x in have if Decimal(x) not in gone]
    else:
        drop = set(remove[tag])
        out = [x for x in have if x not in drop]
    return {tag: out} if out else None


_SETS = frozenset(("SS", "NS", "BS"))


class Update:
    """A compiled UpdateExpression: ``apply(item) -> new item``; ``top_level_names``; ``paths``."""

    __slots__ = ("_sets", "_removes", "_adds", "_deletes", "paths", "top_level_names")

    def __init__(self, sets: list[tuple[ResolvedPath, Evaluator]], removes: list[ResolvedPath],
                 adds: list[tuple[ResolvedPath, AttributeValue]],
                 deletes: list[tuple[ResolvedPath, AttributeValue]]) -> None:
        # U10: SETs past the end of a list are applied in ascending index order.
        self._sets = sorted(sets, key=lambda s: s[0][-1] if isinstance(s[0][-1], int) else -1)
        # U11: list removals use original indexes, so remove the highest index first.
        self._removes = sorted(removes, key=lambda p: p[-1] if isinstance(p[-1], int) else -1, reverse=True)
        self._adds = adds
        self._deletes = deletes
        self.paths: tuple[ResolvedPath, ...] = (tuple(p for p, _ in sets) + tuple(removes)
                                                + tuple(p for p, _ in adds) + tuple(p for p, _ in deletes))
        self.top_level_names = frozenset(str(p[0]) for p in self.paths)

    def apply(self, item: Item | None, *, missing: bool = False) -> Item:
        """The updated item, a new dict; ``item`` is left unchanged.

        ``missing=True`` (or ``item=None``) says there was no stored item: ``item`` then holds at
        most the key, and REMOVE of a nested path is silently ignored (U11).
        """
        if item is None:
            item, missing = {}, True
        old = item
        values = [(path, evaluate(old)) for path, evaluate in self._sets]  # U3: all reads first
        new: Item = dict(old)
        copied: set[str] = set()
        for path, value in values:
            name = path[0]
            assert isinstance(name, str)
            if len(path) > 1:
                _touch(new, old, name, copied)
            else:
                copied.add(name)
            _set(new, path, copy_value(value))
        for path in self._removes:
            name = path[0]
            assert isinstance(name, str)
            if len(path) == 1:
                new.pop(name, None)
                copied.add(name)
                continue
            parent_path = path[:-1]
            if get_path(new, parent_path) is None:
                if missing:
                    continue
                raise _runtime(M.UPDATE_INVALID_PATH)
            _touch(new, old, name, copied)
            parent = get_path(new, parent_path)
            assert parent is not None
            last = path[-1]
            if isinstance(last, int):
                lst = parent.get("L")
                if lst is None:
                    raise _runtime(M.UPDATE_INVALID_PATH)
                if last < len(lst):
                    del lst[last]
            else:
                m = parent.get("M")
                if m is None:
                    raise _runtime(M.UPDATE_INVALID_PATH)
                m.pop(last, None)
        for path, value in self._adds:
            name = path[0]
            assert isinstance(name, str)
            if len(path) > 1:
                _touch(new, old, name, copied)
            existing = get_path(new, path)
            if existing is None:
                result = {"N": add_numbers("0", value["N"])} if "N" in value else copy_value(value)
            elif "N" in value:
                if "N" not in existing:
                    raise _runtime(M.UPDATE_OPERAND_TYPE)
                result = {"N": add_numbers(existing["N"], value["N"])}
            else:
                if type_of(existing) not in _SETS:
                    raise _runtime(M.UPDATE_OPERAND_TYPE)
                result = _union(existing, value)
            copied.add(name)
            _set(new, path, result)
        for path, value in self._deletes:
            name = path[0]
            assert isinstance(name, str)
            existing = get_path(new, path)
            if existing is None:
                continue
            if type_of(existing) not in _SETS:
                raise _runtime(M.UPDATE_OPERAND_TYPE)
            remaining = _difference(existing, value)
            if len(path) > 1:
                _touch(new, old, name, copied)
            copied.add(name)
            if remaining is not None:
                _set(new, path, remaining)
            else:
                _remove_at(new, path)
        return new


def _remove_at(new: Item, path: ResolvedPath) -> None:
    if len(path) == 1:
        new.pop(path[0], None)  # type: ignore[arg-type]
        return
    parent = get_path(new, path[:-1])
    if parent is None:
        return
    last = path[-1]
    if isinstance(last, int):
        lst = parent.get("L")
        if lst is not None and last < len(lst):
            del lst[last]
    else:
        m = parent.get("M")
        if m is not None:
            m.pop(last, None)


def compile_update(text: str, ctx: ExpressionContext) -> Update:
    """Compile an UpdateExpression against one request's context."""
    return cached(KIND, text, ctx, lambda: _compile_update(text, ctx))


def _compile_update(text: str, ctx: ExpressionContext) -> Update:
    check_text(text, KIND)
    try:
        tree = parse_update(text)
    except ExpressionError as bad:
        raise invalid(KIND, bad.message) from None
    check_operators(tree.operators, KIND)
    binder = _UpdateBinder(ctx, UPDATE_FUNCTIONS, split_undefined=True)
    if tree.duplicate_section is not None:
        binder.error("section", M.section_once(tree.duplicate_section))
    sets: list[tuple[ResolvedPath, Bound]] = []
    removes: list[ResolvedPath] = []
    adds: list[tuple[ResolvedPath, AttributeValue]] = []
    deletes: list[tuple[ResolvedPath, AttributeValue]] = []
    targets: list[ResolvedPath] = []
    for action in tree.actions:
        path = binder.path(action.path).path
        targets.append(path)
        if action.clause == "SET":
            assert action.value is not None
            sets.append((path, binder.operand(action.value)))
        elif action.clause == "REMOVE":
            removes.append(path)
        else:
            assert isinstance(action.value, A.ValueRef)
            value = binder.value(action.value)
            type_ = type_of(value.av)
            if type_ in _TYPE_NAMES and not (action.clause == "ADD" and type_ == "N"):
                binder.error("operand", M.update_operand_type(action.clause, _TYPE_NAMES[type_]))
            (adds if action.clause == "ADD" else deletes).append((path, value.av))
    overlap, conflict = first_overlap_or_conflict(targets)
    if overlap is not None:
        binder.error("pathOverlap", overlap)
    if conflict is not None:
        binder.error("pathConflict", conflict)
    message = binder.first(UPDATE_ORDER)
    if message is not None:
        raise invalid(KIND, message)
    return Update([(p, _evaluator(b)) for p, b in sets], removes, adds, deletes)
