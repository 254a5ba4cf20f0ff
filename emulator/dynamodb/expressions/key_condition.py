"""KeyConditionExpression (Query): the condition grammar, then reduction to hash value + sort condition.

The text goes through the same parse/bind/check path as a ConditionExpression (so syntax, function
and placeholder errors read ``Invalid KeyConditionExpression: ...``). The bound tree is then walked
depth-first, left to right, the way DynamoDB (and dynalite's ``checkExpr``) does, rejecting what a
key condition cannot hold (KC3-KC8), and finally matched against the key schema (KC9, KC10, KC12).
These key-specific messages carry no ``Invalid ...:`` prefix, as in AWS.

``compare(:v, sk)`` written with the constant first is turned around (``:v < sk`` -> ``sk > :v``).

A compiled key condition is cached like the other expressions (``compile_cache``), keyed also by
the key schema it was matched against: the same text is a valid key condition of one index and
an error on another.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import AWSError
from .. import messages as M
from ..errors import ValidationException
from ..keys import SortCondition
from ..multikey import MultiKeyCondition, MultiKeySchema, multi_key_condition
from ..values import AttributeValue, type_of
from .binding import BCall, Bound, BPath, BValue
from .compile_cache import cached
from .condition import BAnd, BBetween, BCompare, BCondition, BFunction, BIn, BNot, BOr, bind_condition
from .context import ExpressionContext

KIND = "KeyConditionExpression"
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}
_INVALID_FUNCTIONS = frozenset(("attribute_exists", "attribute_not_exists", "attribute_type", "contains"))


@dataclass(frozen=True, slots=True)
class KeyCondition:
    """``hash_value`` for ``pk = :v``; ``sort`` for the optional sort-key condition."""

    hash_name: str
    hash_value: AttributeValue
    range_name: str | None
    sort: SortCondition | None

    @property
    def top_level_names(self) -> frozenset[str]:
        names = {self.hash_name}
        if self.sort is not None and self.range_name is not None:
            names.add(self.range_name)
        return frozenset(names)


def _fail(message: str) -> AWSError:
    return ValidationException(message)


def _collect(node: BCondition, conditions: dict[str, SortCondition]) -> None:
    """dynalite's checkExpr: node checks on entry, then operands left to right."""
    if isinstance(node, BOr):
        raise _fail(M.INVALID_OPERATOR_IN_KEY_CONDITION.format(op="OR"))
    if isinstance(node, BNot):
        raise _fail(M.INVALID_OPERATOR_IN_KEY_CONDITION.format(op="NOT"))
    if isinstance(node, BIn):
        raise _fail(M.INVALID_OPERATOR_IN_KEY_CONDITION.format(op="IN"))
    if isinstance(node, BAnd):
        _collect(node.left, conditions)
        _collect(node.right, conditions)
        return
    args: tuple[Bound, ...]
    if isinstance(node, BCompare):
        if node.op == "<>":
            raise _fail(M.INVALID_OPERATOR_IN_KEY_CONDITION.format(op="<>"))
        op, args = node.op, (node.left, node.right)
    elif isinstance(node, BBetween):
        if not isinstance(node.subject, BPath):
            raise _fail(M.KEY_CONDITION_FIRST_OPERAND.format(op="BETWEEN"))
        op, args = "BETWEEN", (node.subject, node.low, node.high)
    else:
        assert isinstance(node, BFunction)
        call = node.call
        _check_call(call)
        if not isinstance(call.args[0], BPath):
            raise _fail(M.KEY_CONDITION_FIRST_OPERAND.format(op="begins_with"))
        op, args = "BEGINS_WITH", call.args
    _add(op, args, conditions)


def _check_call(call: BCall) -> None:
    if call.name in _INVALID_FUNCTIONS:
        raise _fail(M.INVALID_OPERATOR_IN_KEY_CONDITION.format(op=call.name))
    if call.name == "size":
        raise _fail(M.KEY_CONDITION_NESTED_OPERATIONS)


def _add(op: str, args: tuple[Bound, ...], conditions: dict[str, SortCondition]) -> None:
    name: str | None = None
    index = 0
    for i, arg in enumerate(args):
        if isinstance(arg, BPath):
            if name is not None:
                raise _fail(M.KEY_CONDITION_MULTIPLE_NAMES)
            if len(arg.path) > 1:
                raise _fail(M.KEY_CONDITION_NESTED_ATTRIBUTES)
            first = arg.path[0]
            assert isinstance(first, str)
            name, index = first, i
        elif isinstance(arg, BCall):
            _check_call(arg)
    if name is None:
        raise _fail(M.KEY_CONDITION_NO_KEY)
    if name in conditions:
        raise _fail(M.KEY_CONDITION_ONE_PER_KEY)
    if index != 0:
        op = _FLIP.get(op, op)
    values = tuple(a.av for a in args if isinstance(a, BValue))
    conditions[name] = SortCondition(op, values)


def _check_type(cond: SortCondition, key_type: str | None) -> None:
    if key_type is None:
        return
    for av in cond.values:
        if type_of(av) != key_type:
            raise _fail(M.KEY_CONDITION_TYPE_MISMATCH)
    if cond.op == "BEGINS_WITH" and key_type == "N":
        raise _fail(M.KEY_CONDITION_TYPE_MISMATCH)


def check_key_condition_shape(text: str, ctx: ExpressionContext) -> None:
    """The checks of a KeyConditionExpression that need no key schema (syntax, operators, one
    condition per key, at most two): what a Query on a missing table still answers (issue 11
    rule 1). Not cached: it runs only on that error path."""
    bound = bind_condition(text, ctx, KIND)
    conditions: dict[str, SortCondition] = {}
    _collect(bound.root, conditions)
    if len(conditions) > 2:
        raise _fail(M.KEY_CONDITION_LENGTH)


def key_condition_from_conditions(
    conditions: dict[str, SortCondition],
    *,
    hash_name: str,
    range_name: str | None,
    hash_type: str | None = None,
    range_type: str | None = None,
) -> KeyCondition:
    """Match per-attribute conditions against the key schema (shared with legacy KeyConditions)."""
    if len(conditions) > 2:
        raise _fail(M.KEY_CONDITION_LENGTH)
    if hash_name not in conditions:
        raise _fail(M.key_condition_missed(hash_name))
    for name in conditions:
        if name != hash_name and name != range_name:
            if range_name is None:
                raise _fail(M.KEY_CONDITION_NOT_SUPPORTED)
            raise _fail(M.key_condition_missed(range_name))
    hash_cond = conditions[hash_name]
    if hash_cond.op != "=":
        raise _fail(M.KEY_CONDITION_NOT_SUPPORTED)
    _check_type(hash_cond, hash_type)
    sort = conditions.get(range_name) if range_name is not None else None
    if sort is not None:
        _check_type(sort, range_type)
    return KeyCondition(hash_name, hash_cond.values[0], range_name, sort)


def compile_key_condition(
    text: str,
    ctx: ExpressionContext,
    *,
    hash_name: str,
    range_name: str | None,
    hash_type: str | None = None,
    range_type: str | None = None,
) -> KeyCondition:
    """Compile a KeyConditionExpression for a (table or index) key schema.

    ``hash_type``/``range_type`` (``S``/``N``/``B``), when given, enable the KC12 type check.
    """
    kind = (KIND, hash_name, range_name, hash_type, range_type)
    return cached(
        kind,
        text,
        ctx,
        lambda: _compile_key_condition(text, ctx, hash_name, range_name, hash_type, range_type),
    )


def _compile_key_condition(
    text: str,
    ctx: ExpressionContext,
    hash_name: str,
    range_name: str | None,
    hash_type: str | None,
    range_type: str | None,
) -> KeyCondition:
    bound = bind_condition(text, ctx, KIND)
    conditions: dict[str, SortCondition] = {}
    _collect(bound.root, conditions)
    return key_condition_from_conditions(
        conditions, hash_name=hash_name, range_name=range_name, hash_type=hash_type, range_type=range_type
    )


def compile_multi_key_condition(
    text: str, ctx: ExpressionContext, schema: MultiKeySchema
) -> MultiKeyCondition:
    """Compile a KeyConditionExpression for a multi-attribute GSI key (``multikey.py``): the same
    grammar and checks, then the multi-attribute matching; cached by text and key schema."""

    def build() -> MultiKeyCondition:
        bound = bind_condition(text, ctx, KIND)
        conditions: dict[str, SortCondition] = {}
        _collect(bound.root, conditions)
        return multi_key_condition(conditions, schema)

    return cached((KIND, schema), text, ctx, build)
