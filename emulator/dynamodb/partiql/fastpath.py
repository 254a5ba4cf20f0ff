"""PartiQL for DynamoDB: ExecuteStatement's fast pre-hook for the commonest statement, a SELECT *
that fixes the whole primary key (``SELECT * FROM "T" WHERE pk = ? AND sk = ?``).

Such a statement is GetItem in other words, and should cost about what GetItem costs (issue 12:
at most 3×). Its *recipe* (table name, and which literal or ``?`` gives each key attribute) is
derived once per statement text from the cached parse; a call then binds the parameters, checks
that they are of the key's types, and does one engine lookup. Anything else (or any doubt:
another member in the request, an unknown table, a value of another type, a statement not parsed
yet) returns None before touching anything, and the general path (``executor``) answers it, with
the same result.
"""

from __future__ import annotations

from typing import Any

from ...caches import BoundedCache
from ..operations.items import validated_key
from ..values import copy_item, copy_scalar_item
from . import ast as A
from .parser import cached_parse
from .planner import conjuncts

_PLAIN = frozenset(("Statement", "Parameters", "ConsistentRead"))
_NO_RECIPE: tuple[str, tuple[tuple[str, Any], ...], int] = ("", (), -1)
_recipes: BoundedCache[str, tuple[str, tuple[tuple[str, Any], ...], int]] = BoundedCache(
    "dynamodb.partiql.key_reads", 2048
)


def _recipe(tree: A.Statement, count: int) -> tuple[str, tuple[tuple[str, Any], ...], int]:
    """(table, ((key name, value node), ...), parameter count), or ``_NO_RECIPE``."""
    if not isinstance(tree, A.Select) or tree.projection is not None or tree.order is not None:
        return _NO_RECIPE
    if tree.source.index is not None or tree.where is None:
        return _NO_RECIPE
    pairs: dict[str, Any] = {}
    for cond in conjuncts(tree.where):
        if not (isinstance(cond, A.Cmp) and cond.op == "=" and isinstance(cond.left, A.Path)):
            return _NO_RECIPE
        parts = cond.left.parts
        if len(parts) != 1 or not isinstance(cond.right, (A.Lit, A.Param)) or parts[0] in pairs:
            return _NO_RECIPE
        pairs[str(parts[0])] = cond.right
    return tree.source.table, tuple(pairs.items()), count


def fast_select(service: Any, request: dict[str, Any]) -> dict[str, Any] | None:
    """The answer to a whole-key SELECT *, or None (not mine; nothing touched)."""
    if not _PLAIN.issuperset(request):
        return None
    statement = request.get("Statement")
    params = request.get("Parameters", ())
    consistent = request.get("ConsistentRead", False)
    if (
        statement.__class__ is not str
        or params.__class__ not in (list, tuple)
        or consistent.__class__ is not bool
    ):
        return None
    recipe = _recipes.entries.get(statement)
    if recipe is None:
        found = cached_parse(statement)
        if found is None:
            return None  # (not parsed yet: the general path parses it, and reports its errors)
        recipe = _recipes.put(statement, _recipe(*found))
    table, pairs, count = recipe
    if count != len(params):
        return None
    meta = service.catalog.tables.get(table)
    if meta is None or len(pairs) != len(meta.key_plan):
        return None
    key = {}
    for name, node in pairs:
        av = params[node.index] if node.__class__ is A.Param else node.av
        key[name] = av
    for name, key_type, _max in meta.key_plan:
        av = key.get(name)
        if av.__class__ is not dict or len(av) != 1 or key_type not in av:
            return None
    item = meta.store.get(validated_key(meta, key), consistent=consistent)
    if item is None:
        return {"Items": []}
    return {"Items": [copy_scalar_item(item) if meta.store.all_scalar else copy_item(item)]}
