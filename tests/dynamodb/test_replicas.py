"""Read replicas (§16 EC1/EC2): eventually consistent reads see a state committed within the lag
window, replicas move forward monotonically, catch up after ``clock.advance(lag)``, and lag 0 is
exactly the leader."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.clock import VirtualClock
from emulator.dynamodb.engine import Table
from emulator.dynamodb.keys import KeySchema, SortCondition

SCHEMA = KeySchema("pk", "S", "sk", "N")


def key(pk: str, sk: int) -> dict:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def make(lag: float, seed: int = 1, **kw) -> tuple[Table, VirtualClock]:
    clock = VirtualClock(start=1000.0)
    return Table(SCHEMA, clock=clock, rng=random.Random(seed), replica_lag=lag, **kw), clock


def test_lag_zero_has_no_replicas_and_reads_the_leader():
    table, _ = make(0.0)
    assert table.replicas is None
    item = {**key("a", 1), "v": {"S": "x"}}
    table.put(item)
    assert table.get(key("a", 1), consistent=False) is item
    assert list(table.query({"S": "a"}, consistent=False)) == [item]
    assert list(table.scan(consistent=False)) == [item]
    assert len(table.change_log) == 0


def test_strong_reads_always_see_the_leader_with_lag():
    table, _ = make(5.0)
    item = {**key("a", 1), "v": {"S": "x"}}
    table.put(item)
    assert table.get(key("a", 1)) is item
    assert list(table.query({"S": "a"})) == [item]
    assert list(table.scan(consistent=True)) == [item]


def test_eventual_read_lags_until_the_clock_moves_past_lag():
    table, clock = make(2.0)
    item = {**key("a", 1), "v": {"S": "x"}}
    table.put(item)
    # on a frozen virtual clock the write is 0 s old: a replica shows a point in [now-2, now)
    assert table.get(key("a", 1), consistent=False) is None
    clock.advance(2.0)
    for _ in range(5):
        assert table.get(key("a", 1), consistent=False) is item
        assert list(table.query({"S": "a"}, consistent=False)) == [item]


def test_after_advance_by_lag_every_replica_equals_the_leader():
    table, clock = make(1.5)
    for i in range(50):
        table.put({**key(f"p{i % 5}", i), "v": {"N": str(i)}})
        if i % 7 == 0:
            table.delete(key(f"p{(i + 1) % 5}", i - 3))
    clock.advance(1.5)
    leader = list(table.scan())
    for _ in range(6):  # both replicas get picked
        assert list(table.scan(consistent=False)) == leader
    assert all(r.applied_seq == table.change_log.seq for r in table.replicas.replicas)
    table._check()


def test_same_seed_same_staleness():
    def trace(seed):
        table, clock = make(1.0, seed=seed)
        out = []
        for i in range(40):
            table.put({**key("a", i % 4), "v": {"N": str(i)}})
            clock.advance(0.3)
            got = table.get(key("a", i % 4), consistent=False)
            out.append(None if got is None else got["v"]["N"])
        return out

    assert trace(3) == trace(3)
    assert trace(3) != trace(4)


def test_log_retains_at_most_one_lag_window():
    table, clock = make(1.0)
    for i in range(500):
        table.put({**key("a", i % 10), "v": {"N": str(i)}})
        clock.advance(0.1)
    # records older than (last write - lag) have been applied everywhere and trimmed
    assert len(table.change_log) <= 12
    oldest = table.change_log.oldest_time()
    last_write = clock.now() - 0.1
    assert oldest is None or oldest >= last_write - 1.0 - 1e-9
    table._check()


def test_turning_lag_on_and_off():
    table, clock = make(0.0)
    item = {**key("a", 1)}
    table.put(item)
    table.set_replica_lag(3.0)
    assert table.replicas is not None and table.replica_lag == 3.0
    # replicas start from the leader's current (committed) state
    assert table.get(key("a", 1), consistent=False) is item
    table.delete(key("a", 1))
    assert table.get(key("a", 1), consistent=False) is item
    table.set_replica_lag(0.0)
    assert table.replicas is None and table.get(key("a", 1), consistent=False) is None
    assert len(table.change_log) == 0
    table._check()


def test_replicas_share_items_with_the_leader():
    table, clock = make(1.0)
    item = {**key("a", 1), "big": {"S": "x" * 1000}}
    table.put(item)
    clock.advance(1.0)
    for _ in range(4):
        assert table.get(key("a", 1), consistent=False) is item


def test_close_detaches_replicas():
    table, _ = make(1.0)
    table.put({**key("a", 1)})
    table.close()
    assert table.replicas is None and len(table.change_log) == 0


# --- the property -----------------------------------------------------------------------------


class History:
    """Leader states at the end of every commit instant, to judge what a replica may show."""

    def __init__(self) -> None:
        self.states: list[tuple[float, dict]] = [(float("-inf"), {})]

    def commit(self, time: float, state: dict) -> None:
        if self.states[-1][0] == time:
            self.states[-1] = (time, state)
        else:
            self.states.append((time, state))

    def allowed(self, now: float, lag: float) -> list[tuple[int, dict]]:
        """States S(t) for t in [now - lag, now]: the last state at or before now - lag, and
        every state committed within (now - lag, now]."""
        lo = now - lag
        base = 0
        for i, (t, _s) in enumerate(self.states):
            if t <= lo:
                base = i
        return [(i, self.states[i][1]) for i in range(base, len(self.states)) if self.states[i][0] <= now]


def _state_key(item: dict) -> tuple:
    return (item["pk"]["S"], Decimal(item["sk"]["N"]))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), lag=st.sampled_from([0.5, 1.0, 3.0]), replicas=st.sampled_from([1, 2, 3]))
def test_eventual_reads_return_a_state_committed_within_the_lag_window(seed, lag, replicas):
    rng = random.Random(seed)
    table, clock = make(lag, seed=seed, replicas=replicas)
    history = History()
    state: dict = {}
    last_applied = [0] * replicas
    pks = ["a", "b", "c"]
    for step in range(160):
        r = rng.random()
        if r < 0.35:
            item = {**key(rng.choice(pks), rng.randrange(6)), "v": {"N": str(step)}}
            table.put(item)
            state[_state_key(item)] = item
            history.commit(clock.now(), dict(state))
        elif r < 0.45:
            k = key(rng.choice(pks), rng.randrange(6))
            table.delete(k)
            state.pop(_state_key(k), None)
            history.commit(clock.now(), dict(state))
        elif r < 0.6:
            clock.advance(rng.choice([0.0, 0.1, 0.4, lag / 2, lag]))
        else:
            allowed = history.allowed(clock.now(), lag)
            kind = rng.random()
            if kind < 0.4:
                k = key(rng.choice(pks), rng.randrange(6))
                got = table.get(k, consistent=False)
                assert any(s.get(_state_key(k)) is got for _i, s in allowed)
            elif kind < 0.8:
                pk = rng.choice(pks)
                got = list(table.query({"S": pk}, consistent=False))
                assert any(got == [s[k] for k in sorted(s) if k[0] == pk] for _i, s in allowed)
                cond = SortCondition(">=", ({"N": "2"},))
                got = list(table.query({"S": pk}, cond, forward=False, consistent=False))
                assert any(
                    got == [s[k] for k in sorted(s, reverse=True) if k[0] == pk and k[1] >= 2]
                    for _i, s in allowed
                )
            else:
                got = sorted(_state_key(i) for i in table.scan(consistent=False))
                assert any(got == sorted(s) for _i, s in allowed)
        # every replica moves forward only
        applied = [rep.applied_seq for rep in table.replicas.replicas]
        assert all(a >= b for a, b in zip(applied, last_applied))
        last_applied = applied
        # strong reads are the leader
        if step % 20 == 0:
            assert sorted(_state_key(i) for i in table.scan()) == sorted(state)
            table._check()
    clock.advance(lag)
    for _ in range(3 * replicas):
        assert sorted(_state_key(i) for i in table.scan(consistent=False)) == sorted(state)
    table.catch_up()
    table._check()


@pytest.mark.parametrize("lag", [0.25, 2.0])
def test_a_replica_never_goes_back_in_time(lag):
    table, clock = make(lag, replicas=1)
    seen = []
    for i in range(200):
        table.put({**key("a", 0), "v": {"N": str(i)}})
        if i % 3 == 0:
            clock.advance(0.1)
        got = table.get(key("a", 0), consistent=False)
        seen.append(-1 if got is None else int(got["v"]["N"]))
    assert seen == sorted(seen)
    assert seen[-1] >= 200 - 1 - int(lag / 0.1 * 3) - 3


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(
    seed=st.integers(0, 2**32), lag=st.sampled_from([0.1, 0.5, 1.0, 3.0]), replicas=st.sampled_from([1, 2, 3])
)
def test_lag_window_property_slow(seed, lag, replicas):
    test_eventual_reads_return_a_state_committed_within_the_lag_window.hypothesis.inner_test(
        seed=seed, lag=lag, replicas=replicas
    )
