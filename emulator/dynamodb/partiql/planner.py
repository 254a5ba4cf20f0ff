"""PartiQL for DynamoDB: the planner (a parsed statement + parameters + table → native requests).

Reads (AWS "PartiQL select statements": a WHERE without the partition key scans the table):

* equality on every key attribute of the table → ``get``: one engine lookup (GetItem's cost);
* equality on the partition key of the table or index read → ``query``: the engine's ordered
  range of that item collection (a sort-key condition narrows it; ORDER BY sets the direction),
  so the cost does not depend on the table's size;
* anything else → ``scan``.

What the key does not settle stays a filter, rendered as condition text (``render``) and
evaluated by ``expressions/``. A key equality whose value has another type than the key attribute
is kept as a filter (it matches nothing) rather than refused [INF].

Writes become the native requests PutItem, UpdateItem and DeleteItem would get, so they run
through those operations' internals and the one write funnel:

* INSERT → Put + ``attribute_not_exists(pk)`` (a clash is DuplicateItemException);
* UPDATE → Update + ``attribute_exists(pk) AND (rest of WHERE)`` (a missing item fails the
  condition, as on AWS);
* DELETE → Delete + ``attribute_not_exists(pk) OR (rest)`` when the WHERE says more than the key:
  a missing item is a silent no-op, an existing one that fails the rest is
  ConditionalCheckFailedException [3P].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import messages as M
from ..errors import ValidationException
from ..values import values_equal
from . import ast as A
from .render import Renderer, bind

_SORT_OPS = ("=", "<", "<=", ">", ">=")


def conjuncts(where: Any) -> list[Any]:
    if where is None:
        return []
    if isinstance(where, A.And):
        out: list[Any] = []
        for item in where.items:
            out.extend(conjuncts(item))
        return out
    return [where]


def _key_side(cond: Any, names: tuple[str, ...]) -> tuple[str, Any] | None:
    """(key name, value node) when ``cond`` is ``key = value`` (either way round)."""
    if not isinstance(cond, A.Cmp) or cond.op != "=":
        return None
    for path, value in ((cond.left, cond.right), (cond.right, cond.left)):
        if (
            isinstance(path, A.Path)
            and len(path.parts) == 1
            and path.parts[0] in names
            and isinstance(value, (A.Lit, A.Param))
        ):
            return str(path.parts[0]), value
    return None


def split_key(
    conds: list[Any], types: dict[str, str], params: list[Any], *, strict: bool
) -> tuple[dict[str, Any], list[Any]]:
    """The key equalities among ``conds`` (name → AttributeValue of the key's type) and the rest.
    ``strict`` (single-item writes): a second condition on one key attribute is refused."""
    key: dict[str, Any] = {}
    rest: list[Any] = []
    names = tuple(types)
    for cond in conds:
        side = _key_side(cond, names)
        if side is not None:
            name, node = side
            av = bind(node, params)
            if name in key:
                if strict:
                    raise ValidationException(M.pql_multiple_key_conditions(name))
            elif types[name] in av and len(av) == 1:
                key[name] = av
                continue
        rest.append(cond)
    return key, rest


@dataclass(slots=True)
class ReadPlan:
    kind: str  # get | query | scan
    meta: Any
    index: Any
    renderer: Renderer
    key: dict[str, Any] = field(default_factory=dict)  # get: the item's key; query: the hash part
    sort: str | None = None  # query: the sort-key condition text
    filter: str | None = None
    projection: str | None = None
    forward: bool = True
    hashes: list[Any] = field(default_factory=list)  # query: the partition key values, in order


def _hash_in(rest: list[Any], name: str, key_type: str, params: list[Any]) -> tuple[int, list[Any]] | None:
    """``pk IN [v1, v2, ...]`` among ``rest`` (every value of the key's type): its position and
    its distinct values in order. Such a SELECT reads those item collections one after another
    (AWS: "decomposed read operations"; their order is the IN list's [INF])."""
    for i, cond in enumerate(rest):
        if not (
            isinstance(cond, A.In) and isinstance(cond.subject, A.Path) and cond.subject.parts == (name,)
        ):
            continue
        if not all(isinstance(node, (A.Lit, A.Param)) for node in cond.items):
            continue
        values: list[Any] = []
        for node in cond.items:
            av = bind(node, params)
            if len(av) != 1 or key_type not in av:
                break
            if not any(values_equal(av, seen) for seen in values):
                values.append(av)
        else:
            return i, values
    return None


def _sort_condition(cond: Any, range_name: str | None) -> bool:
    """Whether ``cond`` can narrow the item collection as a sort-key condition."""
    if range_name is None:
        return False

    def is_range(node: Any) -> bool:
        return isinstance(node, A.Path) and node.parts == (range_name,)

    def is_value(node: Any) -> bool:
        return isinstance(node, (A.Lit, A.Param))

    if isinstance(cond, A.Cmp) and cond.op in _SORT_OPS:
        return is_range(cond.left) and is_value(cond.right)
    if isinstance(cond, A.Between):
        return is_range(cond.subject) and is_value(cond.low) and is_value(cond.high)
    if isinstance(cond, A.Func) and cond.name == "begins_with":
        return is_range(cond.args[0]) and is_value(cond.args[1])
    return False


def _schema_types(schema: Any) -> dict[str, str]:
    types = {schema.hash_name: schema.hash_type}
    if schema.range_name is not None:
        types[schema.range_name] = schema.range_type
    return types


def plan_select(tree: A.Select, meta: Any, index: Any, params: list[Any]) -> ReadPlan:
    """How to read a SELECT: get, query (with the sort condition and direction) or scan."""
    schema = index.schema if index is not None else meta.schema
    r = Renderer(params)
    conds = conjuncts(tree.where)
    key, rest = split_key(conds, _schema_types(schema), params, strict=False)
    plan = ReadPlan("scan", meta, index, r)
    if tree.projection is not None:
        plan.projection = ", ".join(r.path(p) for p in tree.projection)
    _check_order(tree, schema)
    if schema.hash_name not in key:
        found = _hash_in(rest, schema.hash_name, schema.hash_type, params)
        if found is not None:
            plan.hashes = found[1]
            key[schema.hash_name] = found[1][0]
            rest.pop(found[0])
    if schema.hash_name in key:
        plan.kind = "query"
        if not plan.hashes:
            plan.hashes = [key[schema.hash_name]]
        if (
            index is None
            and len(key) == len(schema.key_names)
            and tree.order is None
            and len(plan.hashes) == 1
        ):
            plan.kind = "get"
        elif schema.range_name in key:
            plan.sort = f"{r.name(schema.range_name)} = {r.value(key.pop(schema.range_name))}"
        else:
            for i, cond in enumerate(rest):
                if _sort_condition(cond, schema.range_name):
                    plan.sort = r.condition(rest.pop(i))
                    break
        plan.key = key
        if tree.order is not None:
            plan.forward = not tree.order[1]
    else:
        rest = conds  # no partition key: every condition filters a scan
    if rest:
        plan.filter = r.condition(rest[0] if len(rest) == 1 else A.And(tuple(rest)))
    return plan


def _check_order(tree: A.Select, schema: Any) -> None:
    if tree.order is None:
        return
    if tree.where is None:
        raise ValidationException(M.PQL_ORDER_BY_NO_WHERE)
    path = tree.order[0]
    name = str(path.parts[0])
    if len(path.parts) != 1 or name not in schema.key_names:
        raise ValidationException(M.pql_order_by_not_key(name))
    names = (schema.hash_name,)
    if not any(_key_side(c, names) for c in conjuncts(tree.where)):
        raise ValidationException(M.PQL_ORDER_BY_NO_HASH)


def full_key(
    meta: Any, where: Any, params: list[Any], renderer: Renderer
) -> tuple[dict[str, Any], str | None]:
    """A single-item statement's key (every key attribute fixed by equality, else AWS's
    ValidationException) and the condition text of the rest of its WHERE (None: nothing more)."""
    types = _schema_types(meta.schema)
    key, rest = split_key(conjuncts(where), types, params, strict=True)
    if len(key) != len(types):
        raise ValidationException(M.PQL_INCOMPLETE_KEY)
    if not rest:
        return key, None
    return key, renderer.condition(rest[0] if len(rest) == 1 else A.And(tuple(rest)))


def plan_write(tree: Any, meta: Any, params: list[Any]) -> tuple[str, dict[str, Any]]:
    """The native operation ("PutItem", "UpdateItem", "DeleteItem") and request of a write."""
    r = Renderer(params)
    table = meta.name
    pk = r.name(meta.hash_name)
    if isinstance(tree, A.Insert):
        item = bind(tree.value, params)
        if "M" not in item:
            raise ValidationException(M.PQL_INSERT_NOT_STRUCT)
        request = {
            "TableName": table,
            "Item": item["M"],
            "ConditionExpression": f"attribute_not_exists({pk})",
        }
        return "PutItem", r.attach(request)
    key, rest = full_key(meta, tree.where, params, r)
    if isinstance(tree, A.Update):
        update = r.update(tree.sets, tree.removes)
        condition = f"attribute_exists({pk})" + (f" AND ({rest})" if rest else "")
        request = {
            "TableName": table,
            "Key": key,
            "UpdateExpression": update,
            "ConditionExpression": condition,
        }
        if tree.returning:
            request["ReturnValues"] = tree.returning
        return "UpdateItem", r.attach(request)
    request = {"TableName": table, "Key": key}
    if rest:
        request["ConditionExpression"] = f"attribute_not_exists({pk}) OR ({rest})"
    if tree.returning:
        request["ReturnValues"] = tree.returning
    if not rest:
        r.names.clear()  # (the key's name placeholder is unused without a condition)
    return "DeleteItem", r.attach(request)


def plan_exists(tree: A.Exists, meta: Any, params: list[Any]) -> dict[str, Any]:
    """``EXISTS(SELECT ... WHERE key AND condition)``: a transaction's ConditionCheck."""
    r = Renderer(params)
    key, rest = full_key(meta, tree.select.where, params, r)
    if rest is None:
        raise ValidationException(M.PQL_EXISTS_KEYS)
    condition = f"attribute_exists({r.name(meta.hash_name)}) AND ({rest})"
    return r.attach({"TableName": meta.name, "Key": key, "ConditionExpression": condition})
