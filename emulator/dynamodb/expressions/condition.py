"""ConditionExpression and FilterExpression: bind, check and compile to a predicate closure.

Flow of :func:`compile_condition`: empty text (E7) -> size limit (E13) -> cached parse (syntax, E8;
path depth, P5) -> operator limit (E13) -> bind against the request's context, collecting errors in
DynamoDB's priority (redundant parentheses, unknown function or an update function "not allowed in a
condition expression" (C3), misused function, reserved word, then the first
condition with an error: undefined placeholder, operand count, distinct operands, operand types)
-> closure. Evaluation follows O2-O4 and C8/C10: type mismatches between item values make a
comparison false, never an error; only a *constant* that cannot be ordered is refused at bind time
(C18).

The bound tree (``B*`` nodes) is also the input of the key-condition converter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ...errors import AWSError
from .. import messages as M
from ..errors import ValidationException
from ..values import SCALAR_TYPES, AttributeValue, compare, type_of, values_equal
from . import ast as A
from .binding import BCall, Binder, Bound, BPath, BValue, av_text, immediate_type
from .compile_cache import cached
from .context import ExpressionContext
from .functions import BOOLEAN_FUNCTIONS, CONDITION_FUNCTIONS, Getter, build_predicate, build_size
from .parser import ExpressionError, parse_condition
from .paths import getter

T = TypeVar("T")

Item = dict[str, AttributeValue]
Predicate = Callable[[Item], bool]

MAX_EXPRESSION_BYTES = 4096
MAX_OPERATORS = 300
MAX_IN_OPERANDS = 100

ORDERING_OPERATORS = frozenset(("<", "<=", ">", ">="))
ORDERABLE_TYPES = frozenset(("S", "N", "B"))  # O1: the only types with an order

CONDITION_ORDER = ("parens", "unknownFunction", "misusedFunction", "reserved", "condition")
LEAF_ORDER = ("attrNameVal", "operand", "distinct", "function")


# --- bound condition nodes ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BCompare:
    op: str
    left: Bound
    right: Bound
    pos: int


@dataclass(frozen=True, slots=True)
class BBetween:
    subject: Bound
    low: Bound
    high: Bound
    pos: int


@dataclass(frozen=True, slots=True)
class BIn:
    subject: Bound
    options: tuple[Bound, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class BFunction:
    call: BCall
    pos: int


@dataclass(frozen=True, slots=True)
class BAnd:
    left: BCondition
    right: BCondition


@dataclass(frozen=True, slots=True)
class BOr:
    left: BCondition
    right: BCondition


@dataclass(frozen=True, slots=True)
class BNot:
    operand: BCondition


BCondition = BCompare | BBetween | BIn | BFunction | BAnd | BOr | BNot


# --- shared entry checks -------------------------------------------------------------------------


def invalid(kind: str, message: str) -> AWSError:
    return ValidationException(M.expression_invalid(kind, message))


def check_text(text: str, kind: str) -> None:
    """E7 (empty) and E13 (size)."""
    if not isinstance(text, str):
        raise ValidationException(M.expression_invalid(kind, M.EXPRESSION_EMPTY))
    if text == "":
        raise invalid(kind, M.EXPRESSION_EMPTY)
    if len(text) > MAX_EXPRESSION_BYTES // 4:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_EXPRESSION_BYTES:
            raise invalid(kind, M.expression_too_large(size))


def parse_checked(text: str, kind: str, parse: Callable[[str], T]) -> T:
    """E7/E13 size checks, then ``parse(text)`` (cached by text) with a syntax error raised as
    ``Invalid <kind>: <message>``: the first step of compiling every expression kind."""
    check_text(text, kind)
    try:
        return parse(text)
    except ExpressionError as bad:
        raise invalid(kind, bad.message) from None


def raise_first_error(binder: Binder, order: tuple[str, ...], kind: str) -> None:
    """The last step of checking an expression: its highest-ranked recorded error, if any (E14)."""
    message = binder.first(order)
    if message is not None:
        raise invalid(kind, message)


def check_operators(count: int, kind: str) -> None:
    """E13. AWS stops counting at the first operator past the limit, so the message always says 301
    (909 operators still read ``operator count: 301`` [ALT test_deeply_nested_expression_2])."""
    if count > MAX_OPERATORS:
        raise invalid(kind, M.too_many_operators(MAX_OPERATORS + 1))


# --- binding -----------------------------------------------------------------------------------


class _ConditionBinder(Binder):
    # C3: AWS answers "The function is not allowed in a condition expression; function: if_not_exists"
    # (quoted from live calls in [3P] code; [ALT test_update_condition_other_funcs] matches "not
    # allowed"), not "Invalid function name" as dynalite does. The same text for FilterExpression
    # and KeyConditionExpression [3P].
    misplaced = frozenset(("if_not_exists", "list_append"))
    misplaced_message = staticmethod(M.function_not_in_condition)

    def leaf_done(self) -> None:
        if "condition" not in self.errors:
            for category in LEAF_ORDER:
                message = self.errors.get(category)
                if message is not None:
                    self.errors["condition"] = message
                    return

    def misused_size(self, node: BCondition) -> None:
        if isinstance(node, BFunction) and node.call.name == "size":
            self.error("misusedFunction", M.misused_function("size"))

    def node(self, node: A.ConditionNode) -> BCondition:
        if isinstance(node, A.And):
            left, right = self.node(node.left), self.node(node.right)
            self.misused_size(left)
            self.misused_size(right)
            return BAnd(left, right)
        if isinstance(node, A.Or):
            left, right = self.node(node.left), self.node(node.right)
            self.misused_size(left)
            self.misused_size(right)
            return BOr(left, right)
        if isinstance(node, A.Not):
            inner = self.node(node.operand)
            self.misused_size(inner)
            return BNot(inner)
        bound = self.leaf(node)
        self.leaf_done()
        return bound

    #: C18: whether constants of ordering comparisons must be orderable (not in key conditions,
    #: whose constants are checked against the key schema instead).
    check_ordered_constants = True

    def leaf(self, node: A.ConditionNode) -> BCondition:
        if isinstance(node, A.Compare):
            left, right = self.operand(node.left), self.operand(node.right)
            self.misused_args((left, right))
            self.distinct(node.op, (left, right))
            if node.op in ORDERING_OPERATORS:
                self.orderable_constants(node.op, (left, right))
            return BCompare(node.op, left, right, node.pos)
        if isinstance(node, A.Between):
            subject, low, high = self.operand(node.subject), self.operand(node.low), self.operand(node.high)
            self.misused_args((subject, low, high))
            self.orderable_constants("BETWEEN", (subject, low, high))
            self.between_bounds(low, high)
            return BBetween(subject, low, high, node.pos)
        if isinstance(node, A.In):
            subject = self.operand(node.subject)
            options = tuple(self.operand(o) for o in node.options)
            self.misused_args((subject, *options))
            if len(options) > MAX_IN_OPERANDS:
                self.error("function", M.in_too_many(len(options)))
            return BIn(subject, options, node.pos)
        assert isinstance(node, A.FunctionCondition)
        return BFunction(self.call(node.call), node.pos)

    def orderable_constants(self, operator: str, operands: tuple[Bound, ...]) -> None:
        """C18: a constant operand of ``<``, ``<=``, ``>``, ``>=`` or BETWEEN whose type cannot be
        ordered (a list, map, set, BOOL or NULL) is a ValidationException, not a false condition
        [ALT test_condition_expression.py::test_update_condition_lt]; a value read from the item
        just makes the comparison false (O2)."""
        if not self.check_ordered_constants:
            return
        for operand in operands:
            type_ = immediate_type(operand)
            if type_ is not None and type_ not in ORDERABLE_TYPES:
                self.error("function", M.operand_type(operator, type_))
                return

    def between_bounds(self, low: Bound, high: Bound) -> None:
        """C11/C12: constant bounds of one type, lower <= upper."""
        if "function" in self.errors:
            return
        t1, t2 = immediate_type(low), immediate_type(high)
        if t1 is None or t2 is None:
            return
        assert isinstance(low, BValue) and isinstance(high, BValue)
        if t1 != t2:
            self.error("function", M.between_types(av_text(low.av), av_text(high.av)))
        elif (compare(low.av, high.av) or 0) > 0:
            self.error("function", M.between_order(av_text(low.av), av_text(high.av)))


@dataclass(frozen=True, slots=True)
class BoundCondition:
    root: BCondition
    top_level_names: frozenset[str]
    nested_names: frozenset[str]


def bind_condition(text: str, ctx: ExpressionContext, kind: str) -> BoundCondition:
    """Parse (cached), check and bind one condition-grammar expression; raise AWS's first error."""
    tree = parse_checked(text, kind, parse_condition)
    check_operators(tree.operators, kind)
    binder = _ConditionBinder(ctx, CONDITION_FUNCTIONS)
    binder.check_ordered_constants = kind != "KeyConditionExpression"
    if tree.redundant_parens:
        binder.error("parens", M.REDUNDANT_PARENTHESES)
    root = binder.node(tree.root)
    binder.misused_size(root)
    raise_first_error(binder, CONDITION_ORDER, kind)
    return BoundCondition(root, frozenset(binder.top_level_names), frozenset(binder.nested_names))


# --- compilation ---------------------------------------------------------------------------------


def _none(item: Item) -> AttributeValue | None:
    return None


def operand_getter(operand: Bound) -> Getter:
    if isinstance(operand, BPath):
        return getter(operand.path)
    if isinstance(operand, BValue):
        av = operand.av
        return lambda item: av
    if isinstance(operand, BCall) and operand.name == "size":
        return build_size(operand, operand_getter)
    return _none  # unreachable: other operands are rejected at bind time


def _equal(lg: Getter, rg: Getter) -> Predicate:
    def equal(item: Item) -> bool:
        left = lg(item)
        if left is None:
            return False
        right = rg(item)
        return right is not None and values_equal(left, right)

    return equal


def _compare_pred(op: str, left: Bound, right: Bound) -> Predicate:
    # Fast path: top-level attribute against a scalar constant. Stored and bound numbers are both
    # canonical, so dict equality is value equality for S, N, B, BOOL and NULL.
    if (
        op in ("=", "<>")
        and isinstance(left, BPath)
        and len(left.path) == 1
        and isinstance(right, BValue)
        and type_of(right.av) in SCALAR_TYPES
    ):
        name, av = left.path[0], right.av
        if op == "=":
            return lambda item: item.get(name) == av  # type: ignore[call-overload,arg-type]
        return lambda item: item.get(name) != av  # type: ignore[call-overload,arg-type]
    lg, rg = operand_getter(left), operand_getter(right)
    if op == "=":
        return _equal(lg, rg)
    if op == "<>":
        eq = _equal(lg, rg)
        return lambda item: not eq(item)
    test = _ORDER_TESTS[op]

    def ordered(item: Item) -> bool:
        a = lg(item)
        if a is None:
            return False
        b = rg(item)
        if b is None:
            return False
        c = compare(a, b)
        return c is not None and test(c)

    return ordered


_ORDER_TESTS: dict[str, Callable[[int], bool]] = {
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
}


def _between(subject: Bound, low: Bound, high: Bound) -> Predicate:
    sg, lg, hg = operand_getter(subject), operand_getter(low), operand_getter(high)

    def between(item: Item) -> bool:
        s, lo, hi = sg(item), lg(item), hg(item)
        if s is None or lo is None or hi is None:
            return False
        c1 = compare(s, lo)
        if c1 is None or c1 < 0:
            return False
        c2 = compare(s, hi)
        return c2 is not None and c2 <= 0

    return between


def _in(subject: Bound, options: tuple[Bound, ...]) -> Predicate:
    sg = operand_getter(subject)
    ogs = [operand_getter(o) for o in options]

    def in_(item: Item) -> bool:
        s = sg(item)
        if s is None:
            return False
        for og in ogs:
            o = og(item)
            if o is not None and values_equal(s, o):
                return True
        return False

    return in_


def compile_predicate(node: BCondition) -> Predicate:
    if isinstance(node, BCompare):
        return _compare_pred(node.op, node.left, node.right)
    if isinstance(node, BAnd):
        a, b = compile_predicate(node.left), compile_predicate(node.right)
        return lambda item: a(item) and b(item)
    if isinstance(node, BOr):
        a, b = compile_predicate(node.left), compile_predicate(node.right)
        return lambda item: a(item) or b(item)
    if isinstance(node, BNot):
        a = compile_predicate(node.operand)
        return lambda item: not a(item)
    if isinstance(node, BBetween):
        return _between(node.subject, node.low, node.high)
    if isinstance(node, BIn):
        return _in(node.subject, node.options)
    assert isinstance(node, BFunction) and node.call.name in BOOLEAN_FUNCTIONS
    return build_predicate(node.call, operand_getter)


_EMPTY: Item = {}


class Condition:
    """A compiled condition: ``evaluate(item)``; ``item=None`` means there is no item (C15)."""

    __slots__ = ("_predicate", "top_level_names", "nested_names")

    def __init__(
        self,
        predicate: Predicate,
        top_level_names: frozenset[str],
        nested_names: frozenset[str] = frozenset(),
    ) -> None:
        self._predicate = predicate
        self.top_level_names = top_level_names
        self.nested_names = nested_names

    def evaluate(self, item: Item | None) -> bool:
        return bool(self._predicate(item if item is not None else _EMPTY))

    def __repr__(self) -> str:
        return f"Condition(names={sorted(self.top_level_names)})"


def compile_condition(text: str, ctx: ExpressionContext, *, kind: str = "ConditionExpression") -> Condition:
    """Compile a ConditionExpression or FilterExpression (``kind``) against one request's context."""
    return cached(kind, text, ctx, lambda: _compile_condition(text, ctx, kind))


def _compile_condition(text: str, ctx: ExpressionContext, kind: str) -> Condition:
    bound = bind_condition(text, ctx, kind)
    return Condition(compile_predicate(bound.root), bound.top_level_names, bound.nested_names)
