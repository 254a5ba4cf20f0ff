"""Differential property test: random operation sequences against the service and ``model.py``.

Put, Update, Delete, Get, Query and Scan with conditions, filters, projections, Limit and
pagination, plus Query on a GSI (``by_y``: hash y, range s); the service (native client) and the reference model must agree on items, pages and
errors. Scan order is the engine's hash order, which the model does not know, so Scan is compared
on page sizes (ScannedCount per page, LastEvaluatedKey presence) and on the multiset of items.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import emulator
from tests.dynamodb.model import Model, ModelError

PS = st.sampled_from(["a", "b", "c"])
SS = st.integers(0, 4)
XS = st.integers(-3, 3)
YS = st.sampled_from(["u", "v"])
CONDS = st.one_of(
    st.none(),
    st.just(("exists",)),
    st.just(("not_exists",)),
    st.tuples(st.just("x_eq"), XS),
    st.tuples(st.just("x_lt"), XS),
    st.tuples(st.just("y_eq"), YS),
)
FILTERS = st.one_of(
    st.none(), st.tuples(st.just("x_eq"), XS), st.tuples(st.just("x_lt"), XS), st.tuples(st.just("y_eq"), YS)
)
NAMES = st.one_of(st.none(), st.just(("x",)), st.just(("p", "y")), st.just(("s", "x", "y")))
SORTS = st.one_of(
    st.none(),
    st.tuples(st.just("eq"), SS),
    st.tuples(st.just("lt"), SS),
    st.tuples(st.just("ge"), SS),
    st.tuples(st.just("between"), st.integers(0, 3), st.integers(3, 6)),
)
LIMITS = st.one_of(st.none(), st.integers(1, 4))

OPS = st.one_of(
    st.tuples(st.just("put"), PS, SS, st.one_of(st.none(), XS), st.one_of(st.none(), YS), CONDS),
    st.tuples(
        st.just("update"),
        PS,
        SS,
        st.one_of(
            st.tuples(st.just("set_x"), XS),
            st.tuples(st.just("add_x"), XS),
            st.just(("remove_y",)),
            st.tuples(st.just("set_y"), YS),
        ),
        CONDS,
        st.sampled_from(["NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"]),
    ),
    st.tuples(st.just("delete"), PS, SS, CONDS),
    st.tuples(st.just("get"), PS, SS, NAMES),
    st.tuples(st.just("query"), PS, SORTS, st.booleans(), FILTERS, LIMITS, NAMES, st.booleans()),
    st.tuples(st.just("scan"), FILTERS, LIMITS),
    st.tuples(st.just("iquery"), YS, st.booleans(), LIMITS),
)


def key(p, s):
    return {"p": {"S": p}, "s": {"N": str(s)}}


class Expr:
    """Renders model tuples into expression text, collecting names and values."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.values: dict[str, dict] = {}

    def value(self, av):
        ref = f":v{len(self.values)}"
        self.values[ref] = av
        return ref

    def name(self, n):
        ref = f"#{n}"
        self.names[ref] = n
        return ref

    def cond(self, cond):
        kind = cond[0]
        if kind == "exists":
            return f"attribute_exists({self.name('p')})"
        if kind == "not_exists":
            return f"attribute_not_exists({self.name('p')})"
        if kind == "x_eq":
            return f"{self.name('x')} = {self.value({'N': str(cond[1])})}"
        if kind == "x_lt":
            return f"{self.name('x')} < {self.value({'N': str(cond[1])})}"
        return f"{self.name('y')} = {self.value({'S': cond[1]})}"

    def sort(self, sort):
        kind = sort[0]
        s = self.name("s")
        if kind == "eq":
            return f"{s} = {self.value({'N': str(sort[1])})}"
        if kind == "lt":
            return f"{s} < {self.value({'N': str(sort[1])})}"
        if kind == "ge":
            return f"{s} >= {self.value({'N': str(sort[1])})}"
        return f"{s} BETWEEN {self.value({'N': str(sort[1])})} AND {self.value({'N': str(sort[2])})}"

    def projection(self, names):
        return ", ".join(self.name(n) for n in names)

    def attach(self, request):
        if self.names:
            request["ExpressionAttributeNames"] = self.names
        if self.values:
            request["ExpressionAttributeValues"] = self.values
        return request


def outcome(fn):
    try:
        return ("ok", fn())
    except ModelError as e:
        return ("error", (e.code, e.message))
    except Exception as e:  # noqa: BLE001 - an AWS error from the service
        response = getattr(e, "response", None)
        if response is None:
            raise
        return ("error", (response["Error"]["Code"], response["Error"]["Message"]))


def strip(resp):
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


def run_op(ddb, model, op):
    kind = op[0]
    if kind == "put":
        _, p, s, x, y, cond = op
        item = key(p, s)
        if x is not None:
            item["x"] = {"N": str(x)}
        if y is not None:
            item["y"] = {"S": y}
        e = Expr()
        req = {"TableName": "diff", "Item": item, "ReturnValues": "ALL_OLD"}
        if cond is not None:
            req["ConditionExpression"] = e.cond(cond)
        e.attach(req)
        got = outcome(lambda: strip(ddb.put_item(**req)).get("Attributes"))
        want = outcome(lambda: model.put(item, cond))
    elif kind == "update":
        _, p, s, action, cond, rv = op
        e = Expr()
        if action[0] == "set_x":
            text = f"SET {e.name('x')} = {e.value({'N': str(action[1])})}"
        elif action[0] == "add_x":
            text = f"SET {e.name('x')} = {e.name('x')} + {e.value({'N': str(action[1])})}"
        elif action[0] == "remove_y":
            text = f"REMOVE {e.name('y')}"
        else:
            text = f"SET {e.name('y')} = {e.value({'S': action[1]})}"
        req = {"TableName": "diff", "Key": key(p, s), "UpdateExpression": text, "ReturnValues": rv}
        if cond is not None:
            req["ConditionExpression"] = e.cond(cond)
        e.attach(req)
        got = outcome(lambda: strip(ddb.update_item(**req)).get("Attributes"))

        def expect():
            old, new, touched = model.update(p, s, action, cond)
            if rv == "ALL_OLD":
                return old
            if rv == "ALL_NEW":
                return new
            if rv == "UPDATED_OLD":
                return {touched: old[touched]} if old is not None and touched in old else None
            if rv == "UPDATED_NEW":
                return {touched: new[touched]} if new is not None and touched in new else None
            return None

        want = outcome(expect)
    elif kind == "delete":
        _, p, s, cond = op
        e = Expr()
        req = {"TableName": "diff", "Key": key(p, s), "ReturnValues": "ALL_OLD"}
        if cond is not None:
            req["ConditionExpression"] = e.cond(cond)
        e.attach(req)
        got = outcome(lambda: strip(ddb.delete_item(**req)).get("Attributes"))
        want = outcome(lambda: model.delete(p, s, cond))
    elif kind == "get":
        _, p, s, names = op
        e = Expr()
        req = {"TableName": "diff", "Key": key(p, s), "ConsistentRead": True}
        if names is not None:
            req["ProjectionExpression"] = e.projection(names)
        e.attach(req)
        got = outcome(lambda: strip(ddb.get_item(**req)).get("Item"))
        want = outcome(lambda: model.get(p, s, names))
    elif kind == "query":
        _, p, sort, forward, filt, limit, names, count_only = op
        got = outcome(lambda: query_pages(ddb, p, sort, forward, filt, limit, names, count_only))
        want = outcome(
            lambda: [
                (pg.items, pg.count, pg.scanned, pg.last_key)
                for pg in model.query(p, sort, forward, filt, limit, names, count_only)
            ]
        )
    elif kind == "iquery":
        _, y, forward, limit = op
        got = outcome(lambda: index_pages(ddb, y, forward, limit))
        want = outcome(
            lambda: [
                (pg.items, pg.count, pg.scanned, pg.last_key) for pg in model.index_query(y, forward, limit)
            ]
        )
    else:
        _, filt, limit = op
        got = outcome(lambda: scan_pages(ddb, filt, limit))

        def expect_scan():
            rows = model.scan_all()
            pages = model._pages(rows, limit, filt, None, False)
            kept = sorted((r for r in rows if _holds(filt, r)), key=_order)
            return [(pg.scanned, pg.last_key is not None) for pg in pages], kept

        want = outcome(expect_scan)
    assert got == want, f"{op}: service {got} != model {want}"


def _holds(filt, r):
    from tests.dynamodb.model import holds

    return holds(filt, r)


def _order(item):
    return (item["p"]["S"], int(item["s"]["N"]))


def query_pages(ddb, p, sort, forward, filt, limit, names, count_only):
    pages, start = [], None
    while True:
        e = Expr()
        kc = f"{e.name('p')} = {e.value({'S': p})}"
        if sort is not None:
            kc += " AND " + e.sort(sort)
        req = {
            "TableName": "diff",
            "KeyConditionExpression": kc,
            "ScanIndexForward": forward,
            "ConsistentRead": True,
        }
        if filt is not None:
            req["FilterExpression"] = e.cond(filt)
        if names is not None and not count_only:
            req["ProjectionExpression"] = e.projection(names)
        if count_only:
            req["Select"] = "COUNT"
        if limit is not None:
            req["Limit"] = limit
        if start is not None:
            req["ExclusiveStartKey"] = start
        e.attach(req)
        r = ddb.query(**req)
        start = r.get("LastEvaluatedKey")
        pages.append((r.get("Items"), r["Count"], r["ScannedCount"], start))
        if start is None:
            return pages


def index_pages(ddb, y, forward, limit):
    pages, start = [], None
    while True:
        req = {
            "TableName": "diff",
            "IndexName": "by_y",
            "KeyConditionExpression": "#y = :y",
            "ExpressionAttributeNames": {"#y": "y"},
            "ExpressionAttributeValues": {":y": {"S": y}},
            "ScanIndexForward": forward,
        }
        if limit is not None:
            req["Limit"] = limit
        if start is not None:
            req["ExclusiveStartKey"] = start
        r = ddb.query(**req)
        start = r.get("LastEvaluatedKey")
        pages.append((r.get("Items"), r["Count"], r["ScannedCount"], start))
        if start is None:
            return pages


def scan_pages(ddb, filt, limit):
    shape, items, start = [], [], None
    while True:
        e = Expr()
        req = {"TableName": "diff", "ConsistentRead": True}
        if filt is not None:
            req["FilterExpression"] = e.cond(filt)
        if limit is not None:
            req["Limit"] = limit
        if start is not None:
            req["ExclusiveStartKey"] = start
        e.attach(req)
        r = ddb.scan(**req)
        start = r.get("LastEvaluatedKey")
        shape.append((r["ScannedCount"], start is not None))
        items += r["Items"]
        if start is None:
            return shape, sorted(items, key=_order)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, min_size=1, max_size=40))
@example(
    [
        ("put", "a", 1, None, "u", None),
        ("put", "b", 1, None, "u", None),
        ("put", "c", 0, 2, "u", None),
        ("iquery", "u", True, None),
        ("iquery", "u", False, 1),
    ]
)  # GSI ties: ordered by table key
def test_service_agrees_with_model(ops):
    aws = emulator.Emulator(seed=1)
    ddb = aws.dynamodb
    ddb.create_table(
        TableName="diff",
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "s", "AttributeType": "N"},
            {"AttributeName": "y", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_y",
                "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [
                    {"AttributeName": "y", "KeyType": "HASH"},
                    {"AttributeName": "s", "KeyType": "RANGE"},
                ],
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    model = Model()
    for op in ops:
        run_op(ddb, model, op)
    meta = aws.service("dynamodb").catalog.tables["diff"]
    meta.store._check()
    meta.indexes["by_y"]._check(meta.store.items())


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(st.lists(OPS, min_size=1, max_size=80))
def test_service_agrees_with_model_long(ops):
    test_service_agrees_with_model.hypothesis.inner_test(ops)
