"""SortedPairs (the engine's ordered map): differential against a dict + sorted(), across the
flat and blocked layouts (small LOAD forces splits, merges and flattening)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.dynamodb.engine import sortedpairs
from emulator.dynamodb.engine.sortedpairs import SortedPairs


def _expected(d, lo, li, hi, hi_inc, forward, after, has_after):
    keys = [
        k
        for k in sorted(d)
        if (lo is None or (k >= lo if li else k > lo)) and (hi is None or (k <= hi if hi_inc else k < hi))
    ]
    if not forward:
        keys.reverse()
    if has_after:
        keys = [k for k in keys if (k > after if forward else k < after)]
    return [d[k] for k in keys]


@pytest.mark.parametrize("load", [2, 4, 8, 512])
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_matches_dict_model(load, seed):
    old = sortedpairs.LOAD
    sortedpairs.LOAD = load
    try:
        rng = random.Random(seed)
        m, d = SortedPairs(), {}
        for step in range(rng.randrange(1, 500)):
            k = rng.randrange(250)
            if rng.random() < 0.6:
                assert m.set(k, (k, step)) == d.get(k)
                d[k] = (k, step)
            else:
                assert m.pop(k) == d.pop(k, None)
            assert m.get(k) == d.get(k) and len(m) == len(d)
            if step % 9 == 0:
                m._check()
                args = (
                    rng.choice([None, rng.randrange(250)]),
                    rng.random() < 0.5,
                    rng.choice([None, rng.randrange(250)]),
                    rng.random() < 0.5,
                    rng.random() < 0.5,
                    rng.randrange(250),
                    rng.random() < 0.5,
                )
                assert list(m.walk(*args)) == _expected(d, *args)
                assert list(m.items()) == sorted(d.items())
        m._check()
        c = m.copy()
        c._check()
        assert list(c.items()) == list(m.items())
    finally:
        sortedpairs.LOAD = old


def test_walk_survives_interleaved_writes():
    m = SortedPairs()
    for k in range(0, 2000, 2):
        m.set(k, k)
    it = m.walk()
    got = [next(it) for _ in range(100)]
    for k in range(1, 2000, 2):  # insert behind and ahead of the walk
        m.set(k, k)
    for k in range(1000, 1200, 2):
        m.pop(k)
    got += list(it)
    assert got == sorted(set(got)) and got[:100] == list(range(0, 200, 2))
    assert 1999 in got and 1100 not in got
    m._check()
