"""Differential test: the engine against a tiny, obviously-correct model (a dict, full scans,
``sorted()``) over random put/delete/get/query/scan sequences with random ExclusiveStart keys."""

from __future__ import annotations

import hashlib
import math
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.clock import VirtualClock
from emulator.dynamodb.engine import Table
from emulator.dynamodb.keys import KeySchema, SortCondition

PKS = ["a", "hello", "ä", "0"]
NUMS = ["1", "1.0", "1e0", "10", "1e1", "-1", "-0.5", "0", "2.5", "100"]
STRS = ["", "a", "ab", "abc", "b", "é", "\U0010ffff", "ab\U0010ffff"]
OPS = ["=", "<", "<=", ">", ">=", "BETWEEN", "BEGINS_WITH"]


class Model:
    """Obviously correct: a dict from (pk, sk) by value to item; everything else sorts."""

    def __init__(self, range_type: str | None) -> None:
        self.range_type = range_type
        self.items: dict[tuple, dict] = {}

    def _sk(self, av):
        if self.range_type is None:
            return None
        raw = av[self.range_type]
        return Decimal(raw) if self.range_type == "N" else raw

    def key(self, pk: str, sk_av) -> tuple:
        return (pk, self._sk(sk_av) if sk_av is not None else None)

    def put(self, pk, sk_av, item):
        old = self.items.get(self.key(pk, sk_av))
        self.items[self.key(pk, sk_av)] = item
        return old

    def delete(self, pk, sk_av):
        return self.items.pop(self.key(pk, sk_av), None)

    def get(self, pk, sk_av):
        return self.items.get(self.key(pk, sk_av))

    def _matches(self, sk, cond) -> bool:
        if cond is None:
            return True
        vals = [self._sk(v) for v in cond.values]
        op = cond.op
        if op == "=":
            return sk == vals[0]
        if op == "<":
            return sk < vals[0]
        if op == "<=":
            return sk <= vals[0]
        if op == ">":
            return sk > vals[0]
        if op == ">=":
            return sk >= vals[0]
        if op == "BETWEEN":
            return vals[0] <= sk <= vals[1]
        return self.range_type == "S" and sk.startswith(vals[0])

    def query(self, pk, cond, forward, start_sk_av):
        keys = sorted(k[1] for k in self.items if k[0] == pk and (k[1] is None or self._matches(k[1], cond)))
        if self.range_type is None:
            return [] if start_sk_av is not None else [self.items[(pk, None)] for _ in keys]
        if not forward:
            keys.reverse()
        if start_sk_av is not None:
            s = self._sk(start_sk_av)
            keys = [k for k in keys if (k > s if forward else k < s)]
        return [self.items[(pk, k)] for k in keys]

    @staticmethod
    def digest(pk: str) -> bytes:
        return hashlib.md5(b"Outliers" + pk.encode("utf-8", "surrogatepass")).digest()

    def scan(self, segment, total, start):
        def in_segment(pk):
            bucket = int.from_bytes(self.digest(pk)[:2], "big") >> 4
            return math.ceil(4096 * segment / total) <= bucket <= math.ceil(4096 * (segment + 1) / total) - 1

        order = sorted(
            (k for k in self.items if in_segment(k[0])),
            key=lambda k: (self.digest(k[0]), k[0], k[1] if k[1] is not None else 0),
        )
        if start is not None:
            s = (self.digest(start[0]), start[0], start[1] if start[1] is not None else 0)
            order = [k for k in order if (self.digest(k[0]), k[0], k[1] if k[1] is not None else 0) > s]
        return [self.items[k] for k in order]


def sk_values(range_type):
    if range_type == "N":
        return st.sampled_from(NUMS).map(lambda v: {"N": v})
    if range_type == "S":
        return st.sampled_from(STRS[1:]).map(lambda v: {"S": v})
    return st.none()


def op_strategy(range_type):
    sk = sk_values(range_type)
    pk = st.sampled_from(PKS)
    cond_vals = sk if range_type else st.none()
    some_cond = st.builds(
        lambda op, a, b: SortCondition(op, (a, b) if op == "BETWEEN" else (a,)),
        st.sampled_from(OPS if range_type == "S" else OPS[:-1]),
        cond_vals,
        cond_vals,
    )
    cond = st.none() if range_type is None else st.one_of(st.none(), some_cond, some_cond, some_cond)
    query = st.tuples(st.just("query"), pk, cond, st.booleans(), st.one_of(st.none(), sk), st.integers(1, 6))
    return st.one_of(
        st.tuples(st.just("put"), pk, sk, st.integers(0, 9)),
        st.tuples(st.just("put"), pk, sk, st.integers(0, 9)),
        st.tuples(st.just("put"), pk, sk, st.integers(0, 9)),
        st.tuples(st.just("delete"), pk, sk),
        st.tuples(st.just("get"), pk, sk),
        query,
        query,
        query,
        st.tuples(
            st.just("scan"),
            st.sampled_from([(0, 1), (0, 2), (1, 2), (0, 3), (2, 3), (5, 7)]),
            st.one_of(st.none(), st.tuples(pk, sk)),
            st.integers(1, 8),
        ),
        st.tuples(st.just("advance"), st.sampled_from([0.0, 0.25, 1.0])),
    )


def run(range_type, ops, *, replica_lag=0.0, partitions=4):
    schema = KeySchema("pk", "S", "sk", range_type) if range_type else KeySchema("pk", "S")
    clock = VirtualClock(start=0.0)
    table = Table(schema, clock=clock, rng=random.Random(7), replica_lag=replica_lag, partitions=partitions)
    model = Model(range_type)

    def key(pk, sk_av):
        return {"pk": {"S": pk}, "sk": sk_av} if range_type else {"pk": {"S": pk}}

    for n, op in enumerate(ops):
        kind = op[0]
        if kind == "put":
            _, pk, sk_av, v = op
            item = {**key(pk, sk_av), "v": {"N": str(v)}}
            old, new = table.put(item)
            assert old == model.put(pk, sk_av, item) and new is item
        elif kind == "delete":
            _, pk, sk_av = op
            old, new = table.delete(key(pk, sk_av))
            assert old == model.delete(pk, sk_av) and new is None
        elif kind == "get":
            _, pk, sk_av = op
            assert table.get(key(pk, sk_av)) == model.get(pk, sk_av)
        elif kind == "query":
            _, pk, cond, forward, start_sk, limit = op
            start = key(pk, start_sk) if start_sk is not None else None
            expected = model.query(pk, cond, forward, start_sk)
            got = list(table.query({"S": pk}, cond, forward=forward, exclusive_start=start))
            assert got == expected
            # paginate with `limit`: resume from each page's last key
            pages, start = [], start
            while True:
                page = []
                for item in table.query({"S": pk}, cond, forward=forward, exclusive_start=start):
                    page.append(item)
                    if len(page) == limit:
                        break
                pages += page
                if len(page) < limit or range_type is None:
                    break
                start = key(pk, page[-1]["sk"])
            assert pages == expected[: len(pages)] and (range_type is None or pages == expected)
        elif kind == "scan":
            _, (segment, total), start_t, limit = op
            start = None
            mstart = None
            if start_t is not None:
                spk, ssk = start_t
                if _in_segment(spk, segment, total):
                    start = key(spk, ssk)
                    mstart = (spk, model._sk(ssk) if range_type else None)
            expected = model.scan(segment, total, mstart)
            got = list(table.scan(segment=segment, total_segments=total, exclusive_start=start))
            assert got == expected
            pages, cur = [], start
            while True:
                page = []
                for item in table.scan(segment=segment, total_segments=total, exclusive_start=cur):
                    page.append(item)
                    if len(page) == limit:
                        break
                pages += page
                if len(page) < limit:
                    break
                cur = table.schema.extract_key(page[-1])
            assert pages == expected
        elif kind == "advance":
            clock.advance(op[1])
        if n % 10 == 0:
            table._check()
    table._check()
    assert table.item_count == len(model.items)
    return table, model


def _in_segment(pk, segment, total):
    bucket = int.from_bytes(Model.digest(pk)[:2], "big") >> 4
    return math.ceil(4096 * segment / total) <= bucket <= math.ceil(4096 * (segment + 1) / total) - 1


@settings(max_examples=100, deadline=None)
@given(st.lists(op_strategy("N"), min_size=5, max_size=60), st.sampled_from([1, 2, 4]))
def test_composite_number_sort_key_matches_model(ops, partitions):
    run("N", ops, partitions=partitions)


@settings(max_examples=60, deadline=None)
@given(st.lists(op_strategy("S"), min_size=5, max_size=60))
def test_composite_string_sort_key_matches_model(ops):
    run("S", ops)


@settings(max_examples=40, deadline=None)
@given(st.lists(op_strategy(None), min_size=5, max_size=60))
def test_hash_only_matches_model(ops):
    run(None, ops)


@settings(max_examples=40, deadline=None)
@given(st.lists(op_strategy("N"), min_size=5, max_size=60))
def test_strong_reads_with_replicas_still_match_model(ops):
    """Replicas must never affect strongly consistent reads (all reads above are consistent)."""
    run("N", ops, replica_lag=0.5)


def random_ops(rng: random.Random, range_type: str | None, n: int) -> list[tuple]:
    """A long, well-mixed operation sequence (hypothesis favours short lists; this complements
    the shrinkable lists above with dense collisions and every condition operator)."""

    def sk():
        if range_type == "N":
            return {"N": rng.choice(NUMS)}
        if range_type == "S":
            return {"S": rng.choice(STRS[1:])}
        return None

    def cond():
        if range_type is None or rng.random() < 0.2:
            return None
        op = rng.choice(OPS if range_type == "S" else OPS[:-1])
        return SortCondition(op, (sk(), sk()) if op == "BETWEEN" else (sk(),))

    ops: list[tuple] = []
    for _ in range(n):
        r = rng.random()
        pk = rng.choice(PKS)
        if r < 0.35:
            ops.append(("put", pk, sk(), rng.randrange(10)))
        elif r < 0.5:
            ops.append(("delete", pk, sk()))
        elif r < 0.55:
            ops.append(("get", pk, sk()))
        elif r < 0.8:
            ops.append(
                (
                    "query",
                    pk,
                    cond(),
                    rng.random() < 0.5,
                    sk() if rng.random() < 0.4 else None,
                    rng.randrange(1, 6),
                )
            )
        elif r < 0.95:
            ops.append(
                (
                    "scan",
                    rng.choice([(0, 1), (0, 2), (1, 2), (0, 3), (2, 3), (5, 7)]),
                    (pk, sk()) if rng.random() < 0.5 else None,
                    rng.randrange(1, 8),
                )
            )
        else:
            ops.append(("advance", rng.choice([0.0, 0.25, 1.0])))
    return ops


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from(["N", "S", None]), st.sampled_from([1, 3, 4]))
def test_long_random_sequences_match_model(seed, range_type, partitions):
    run(range_type, random_ops(random.Random(seed), range_type, 150), partitions=partitions)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(
    st.integers(0, 2**32),
    st.sampled_from(["N", "S", None]),
    st.sampled_from([1, 3, 4, 16]),
    st.sampled_from([0.0, 0.5]),
)
def test_long_random_sequences_match_model_slow(seed, range_type, partitions, lag):
    run(range_type, random_ops(random.Random(seed), range_type, 400), partitions=partitions, replica_lag=lag)
