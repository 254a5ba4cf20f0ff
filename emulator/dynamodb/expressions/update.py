"""UpdateExpression: SET / REMOVE / ADD / DELETE compiled to an ``apply(item) -> new item`` (§5.5).

Checks, in DynamoDB's order after syntax (and the 32-level path depth, P5): reserved word, unknown
function (or a condition function, "not allowed in an update expression", U8), a nested
``list_append`` (U6), a clause used twice, undefined name, undefined value, overlapping target
paths, conflicting target paths, ADD/DELETE operand types, then operand count and operand types of
``+``, ``-``, ``if_not_exists`` and ``list_append`` (dynalite's ``updateParser`` order; where the
two newer checks rank is [INF]).

Run time (U3): every right-hand side is evaluated against the item *before* the update, then the
actions are applied so that every list index means the index before the update, in every clause
(see :class:`Update` for the three phases). ``apply`` never changes its input: it returns a new
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
from ..values import (
    MAX_NESTING,
    AttributeValue,
    add_numbers,
    container_depth,
    copy_value,
    subtract_numbers,
    type_of,
)
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
from .condition import check_operators, parse_checked
from .context import ExpressionContext
from .parser import parse_update
from .paths import check_overlaps, get_path

Item = dict[str, AttributeValue]
KIND = "UpdateExpression"
UPDATE_ORDER = (
    "reserved",
    "unknownFunction",
    "misusedFunction",
    "section",
    "attrName",
    "attrVal",
    "pathOverlap",
    "pathConflict",
    "operand",
    "function",
)
_TYPE_NAMES = {
    "S": "STRING",
    "N": "NUMBER",
    "B": "BINARY",
    "NULL": "NULL",
    "BOOL": "BOOLEAN",
    "L": "LIST",
    "M": "MAP",
}


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
    # U8: condition functions are known but "not allowed in an update expression" [3P].
    misplaced = frozenset(
        ("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size")
    )
    misplaced_message = staticmethod(M.function_not_in_update)

    def misused_args(self, args: tuple[Bound, ...]) -> None:
        """U6: only ``if_not_exists`` may be nested; ``list_append`` must be the whole SET value.

        ``list_append(if_not_exists(a, :e), :v)`` and ``if_not_exists(b, if_not_exists(a, :v))`` are
        fine, but ``list_append(list_append(:a, :b), :c)`` is rejected by AWS with ``The function is
        not allowed to be used this way in an expression; function: list_append`` ([ALT
        test_update_expression_function_nesting]). AWS's own DAX client applies the same rule
        ("Only if_not_exists() function can be nested"), counting ``+``/``-`` as nesting too, so
        ``list_append`` inside ``if_not_exists`` or as an operand of ``+`` is rejected likewise.
        Unknown functions are reported by their own (higher-priority) error.
        """
        for arg in args:
            if isinstance(arg, BCall) and arg.name == "list_append":
                self.error("misusedFunction", M.misused_function("list_append"))
                return


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


def _touch(new: Item, old: Item, name: str, copied: set[str]) -> None:
    """Copy-on-write of one top-level attribute before a nested change."""
    if name not in copied:
        copied.add(name)
        av = old.get(name)
        if av is not None:
            new[name] = copy_value(av)


# A deferred list append: (index as written, the list, the value). Applied last, ascending (U10).
_Append = tuple[int, list, AttributeValue]


def _write(new: Item, path: ResolvedPath, value: AttributeValue, appends: list[_Append]) -> None:
    """Write ``value`` at ``path`` in place; an index past the end of a list is deferred to ``appends``.

    The parent must exist and be a map (name step) or a list (index step), else U9's error.
    """
    if len(path) == 1:
        new[path[0]] = value  # type: ignore[index]
        return
    parent = get_path(new, path[:-1])
    if parent is None:
        raise _runtime(M.UPDATE_INVALID_PATH)
    last = path[-1]
    if type(last) is int:
        lst = parent.get("L")
        if lst is None:
            raise _runtime(M.UPDATE_INVALID_PATH)
        if last < len(lst):
            lst[last] = value
        else:
            appends.append((last, lst, value))  # U10: past the end appends, after everything else
    else:
        m = parent.get("M")
        if m is None:
            raise _runtime(M.UPDATE_INVALID_PATH)
        m[last] = value  # type: ignore[index]


def _delete_order(path: ResolvedPath) -> tuple:
    """Sort key for deletions: names and indexes kept apart, so any two target paths compare."""
    return tuple((1, step) if type(step) is int else (0, step) for step in path)


# A pending deletion: (sort key, the dict or list holding the target, the name or index in it).
_Deletion = tuple[tuple, "dict | list", "str | int"]


def _deletion(
    new: Item, old: Item, path: ResolvedPath, copied: set[str], key: tuple, missing: bool
) -> _Deletion | None:
    """Where ``REMOVE path`` will delete, or None when it is a no-op on a missing item (U11).

    The parent must exist and be a list (index step) or map (name step), else U9/U11's path error.
    The top-level attribute is copied first, so the container found is the new item's own.
    """
    last = path[-1]
    if len(path) == 1:
        return key, new, last
    name = path[0]
    assert isinstance(name, str)
    _touch(new, old, name, copied)
    parent = get_path(new, path[:-1])
    if parent is None:
        if missing:
            return None
        raise _runtime(M.UPDATE_INVALID_PATH)
    container = parent.get("L" if type(last) is int else "M")
    if container is None:
        raise _runtime(M.UPDATE_INVALID_PATH)
    return key, container, last


def _check_parent(new: Item, path: ResolvedPath, missing: bool) -> None:
    """U9 for DELETE of an absent element: like REMOVE's, the parent of a nested path must exist
    and be a map (name step) or a list (index step), else the whole update fails; on a missing
    item it is a no-op (U11)."""
    if len(path) == 1:
        return
    parent = get_path(new, path[:-1])
    if parent is None:
        if missing:
            return
        raise _runtime(M.UPDATE_INVALID_PATH)
    if parent.get("L" if type(path[-1]) is int else "M") is None:
        raise _runtime(M.UPDATE_INVALID_PATH)


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
    """A compiled UpdateExpression: ``apply(item) -> new item``; ``top_level_names``; ``paths``.

    Every list index in the expression means the index in the item *before* the update, whichever
    clause it is in ([ALT test_update_expression_nested_remove_list_item_original_number]:
    ``REMOVE a[1] SET a[3] = :v`` on ``[2,3,4,5,6,7]`` gives ``[2,4,:v,6,7]``, in either order).
    ``apply`` gets that by running in three phases that never shift an index still to be used:

    1. writes in place, clause by clause (SET, then the REMOVE path checks, ADD, DELETE): a value
       replacing a list element, a map entry or an attribute. Writes past the end of a list are
       deferred to phase 3; DELETEs that empty a set become deletions.
    2. deletions (REMOVE, emptied sets) in descending path order, so removing ``a[1]`` never moves
       ``a[3]`` or ``a[3].x`` before they are handled; a REMOVE index past the *original* end is a
       no-op even when the same update appends to that list.
    3. appends, in ascending index order (U10).

    Run-time errors surface in clause order (SET, REMOVE, ADD, DELETE), as before.
    """

    __slots__ = (
        "_sets",
        "_removes",
        "_adds",
        "_deletes",
        "_flat_sets",
        "paths",
        "top_level_names",
        "runtime_set_names",
        "constant_types",
    )

    _removes: list[tuple[ResolvedPath, tuple]]

    def __init__(
        self,
        sets: list[tuple[ResolvedPath, Evaluator]],
        removes: list[ResolvedPath],
        adds: list[tuple[ResolvedPath, AttributeValue]],
        deletes: list[tuple[ResolvedPath, AttributeValue]],
        runtime_set_names: frozenset[str] = frozenset(),
        constant_types: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self._sets = sets
        #: (attribute, type) of each top-level action whose value is a constant, first action per
        #: attribute: checked against index key types before the condition (K7/K10 at parse time).
        self.constant_types = constant_types
        #: Top-level attributes SET from a value known only at run time (a path, ``if_not_exists``,
        #: ``list_append``, arithmetic) rather than from a plain ``:value`` (K10's two messages).
        self.runtime_set_names = runtime_set_names
        # REMOVEs in deletion order (phase 2), with their sort keys; they all fail with one message,
        # so checking them in this order rather than source order changes nothing visible.
        keyed = [(p, _delete_order(p)) for p in removes]
        keyed.sort(key=lambda pk: pk[1], reverse=True)
        self._removes = keyed
        self._adds = adds
        self._deletes = deletes
        # Fast path: only top-level SETs (the most common update by far).
        flat = not removes and not adds and not deletes and all(len(p) == 1 for p, _ in sets)
        self._flat_sets: tuple[tuple[str, Evaluator], ...] | None = (
            tuple((str(p[0]), e) for p, e in sets) if flat else None
        )
        self.paths: tuple[ResolvedPath, ...] = (
            tuple(p for p, _ in sets)
            + tuple(removes)
            + tuple(p for p, _ in adds)
            + tuple(p for p, _ in deletes)
        )
        self.top_level_names = frozenset(str(p[0]) for p in self.paths)

    def apply(self, item: Item | None, *, missing: bool = False) -> Item:
        """The updated item, a new dict; ``item`` is left unchanged.

        ``missing=True`` (or ``item=None``) says there was no stored item: ``item`` then holds at
        most the key, and REMOVE of a nested path is silently ignored (U11).
        """
        if item is None:
            item, missing = {}, True
        flat = self._flat_sets
        if flat is not None:
            values = [(attr, evaluate(item)) for attr, evaluate in flat]  # U3: all reads first
            new = dict(item)
            for attr, value in values:
                new[attr] = copy_value(value)
            return new
        computed = [(path, evaluate(item)) for path, evaluate in self._sets]  # U3: all reads first
        run = _Application(item, missing)
        # Phase 1: in-place writes and checks, clause by clause.
        for path, value in computed:
            run.set(path, value)
        for path, key in self._removes:
            run.remove(path, key)
        for path, value in self._adds:
            run.add(path, value)
        for path, value in self._deletes:
            run.delete(path, value)
        return run.finish()


class _Application:
    """One application of an :class:`Update` to an item: the new item being written (phase 1,
    one method per clause) and the deletions and appends its :meth:`finish` does (phases 2, 3)."""

    __slots__ = ("old", "new", "missing", "copied", "appends", "deletions", "presorted")

    def __init__(self, old: Item, missing: bool) -> None:
        self.old = old
        self.new: Item = dict(old)
        self.missing = missing
        self.copied: set[str] = set()  # top-level attributes already the new item's own copies
        self.appends: list[_Append] = []
        self.deletions: list[_Deletion] = []
        self.presorted = True  # deletions are in phase-2 order (only DELETE's can break it)

    def _own(self, path: ResolvedPath) -> str:
        """Make the top-level attribute of ``path`` the new item's own copy before a nested write."""
        name = path[0]
        assert isinstance(name, str)
        if len(path) > 1:
            _touch(self.new, self.old, name, self.copied)
        return name

    def set(self, path: ResolvedPath, value: AttributeValue) -> None:
        """SET ``path`` = ``value`` (already evaluated against the old item)."""
        if len(path) > 1:
            # V14 [INF]: a container written below the top level must keep the item within
            # 32 levels (stored values were validated, so only nested writes can break it).
            if ("M" in value or "L" in value) and len(path) - 1 + container_depth(value) > MAX_NESTING:
                raise _runtime(M.NESTING_TOO_DEEP)
        name = self._own(path)
        self.copied.add(name)
        _write(self.new, path, copy_value(value), self.appends)

    def remove(self, path: ResolvedPath, key: tuple) -> None:
        """REMOVE ``path``: checked now, deleted in phase 2."""
        deletion = _deletion(self.new, self.old, path, self.copied, key, self.missing)
        if deletion is not None:
            self.deletions.append(deletion)

    def add(self, path: ResolvedPath, value: AttributeValue) -> None:
        """ADD ``value`` to the number or set at ``path`` (or create it)."""
        name = self._own(path)
        existing = get_path(self.new, path)
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
        self.copied.add(name)
        _write(self.new, path, result, self.appends)

    def delete(self, path: ResolvedPath, value: AttributeValue) -> None:
        """DELETE ``value``'s members from the set at ``path``; an emptied set goes (U13)."""
        existing = get_path(self.new, path)
        if existing is None:
            _check_parent(self.new, path, self.missing)
            return
        if type_of(existing) not in _SETS:
            raise _runtime(M.UPDATE_OPERAND_TYPE)
        remaining = _difference(existing, value)
        if remaining is None:  # U13: an emptied set removes the attribute
            deletion = _deletion(self.new, self.old, path, self.copied, _delete_order(path), self.missing)
            if deletion is not None:
                self.deletions.append(deletion)
                self.presorted = False
            return
        name = self._own(path)
        self.copied.add(name)
        _write(self.new, path, remaining, self.appends)

    def finish(self) -> Item:
        """Phases 2 and 3: the deletions, then the appends; the new item."""
        deletions = self.deletions
        if deletions:  # deepest and highest index first
            if not self.presorted:
                deletions.sort(key=lambda d: d[0], reverse=True)
            for _, container, step in deletions:
                if isinstance(container, list):
                    if step < len(container):  # type: ignore[operator]
                        del container[step]  # type: ignore[arg-type]
                else:
                    container.pop(step, None)
        appends = self.appends
        if appends:  # past the end of lists, in ascending index order (U10)
            appends.sort(key=lambda a: a[0])
            for _, lst, value in appends:
                lst.append(value)
        return self.new


def compile_update(text: str, ctx: ExpressionContext) -> Update:
    """Compile an UpdateExpression against one request's context."""
    return cached(KIND, text, ctx, lambda: _compile_update(text, ctx))


#: The UpdateExpression errors AWS now answers in Coral's one-error envelope (issue 11 rule 3):
#: a clause used twice and overlapping paths (the empty expression is wrapped in ``_compile_update``).
_WRAPPED = frozenset(("section", "pathOverlap"))


def _raise_first(binder: Binder) -> None:
    """The highest-ranked recorded error (E14), wrapped where AWS wraps it (:data:`_WRAPPED`)."""
    for category in UPDATE_ORDER:
        message = binder.errors.get(category)
        if message is not None:
            text = M.expression_invalid(KIND, message)
            raise ValidationException(M.wrapped(text) if category in _WRAPPED else text)


def _compile_update(text: str, ctx: ExpressionContext) -> Update:
    if text == "":
        raise ValidationException(M.wrapped(M.expression_invalid(KIND, M.EXPRESSION_EMPTY)))
    tree = parse_checked(text, KIND, parse_update)
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
    check_overlaps(binder, targets)
    _raise_first(binder)
    runtime_names = frozenset(str(p[0]) for p, b in sets if len(p) == 1 and not isinstance(b, BValue))
    constants: dict[str, str] = {}
    for path, bound in sets:
        if len(path) == 1 and str(path[0]) not in constants and isinstance(bound, BValue):
            constants[str(path[0])] = type_of(bound.av)
    for path, av in adds + deletes:
        if len(path) == 1 and str(path[0]) not in constants:
            constants[str(path[0])] = type_of(av)
    return Update(
        [(p, _evaluator(b)) for p, b in sets], removes, adds, deletes, runtime_names, tuple(constants.items())
    )
