"""Retry/Catch decisions (reference §8.1 ERR-03..ERR-09, §8.2 ERRN-01/13/14/15)."""

from __future__ import annotations

import random

import pytest

from emulator.stepfunctions.asl.model import Retrier, parse_catcher, parse_retrier
from emulator.stepfunctions.asl.retry import (
    decide_retry,
    error_output,
    find_catcher,
    find_retrier,
    is_catchable,
    matches,
    retry_delay,
)


def _retriers(*raws: dict) -> list[Retrier]:
    return [parse_retrier(raw) for raw in raws]


@pytest.mark.parametrize(
    "error_equals, error, expected",
    [
        (["MyError"], "MyError", True),
        (["MyError"], "myerror", False),  # ERR-02: case-sensitive
        (["Other", "MyError"], "MyError", True),
        (["States.ALL"], "Lambda.Unknown", True),
        (["States.ALL"], "States.Timeout", True),
        (["States.ALL"], "States.DataLimitExceeded", True),  # ERR-15 (AWS observed)
        (["States.ALL"], "States.Runtime", False),  # ERRN-01 / ERR-14
        (["States.Runtime"], "States.Runtime", False),  # ERR-14 (AWS observed)
        (["States.TaskFailed"], "CustomException", True),  # ERRN-14
        (["States.TaskFailed"], "States.TaskFailed", True),
        (["States.TaskFailed"], "States.Timeout", False),  # ERR-03
        (["States.TaskFailed"], "States.Runtime", False),
        (["States.Timeout"], "States.Timeout", True),
        (["States.ParameterPathFailure"], "States.ParameterPathFailure", True),
        (["States.BranchFailed"], "FailureType", False),
        (["States.ALL"], None, True),  # failure without an error name
        (["MyError"], None, False),
    ],
)
def test_matches(error_equals, error, expected):
    assert matches(error_equals, error) is expected


def test_heartbeat_timeout_matches_only_heartbeat_caused_timeouts():  # ERR-11 / ERRN-04
    assert matches(["States.HeartbeatTimeout"], "States.Timeout", heartbeat=True)
    assert not matches(["States.HeartbeatTimeout"], "States.Timeout")
    assert matches(["States.Timeout"], "States.Timeout", heartbeat=True)


def test_is_catchable():
    assert not is_catchable("States.Runtime")
    assert is_catchable("States.Timeout")
    assert is_catchable("States.DataLimitExceeded")


def test_first_matching_retrier_and_catcher_win():  # ERR-03
    handlers = [{"ErrorEquals": ["A"]}, {"ErrorEquals": ["B", "C"]}, {"ErrorEquals": ["States.ALL"]}]
    retriers = _retriers(*handlers)
    catchers = [parse_catcher({**h, "Next": "N"}) for h in handlers]
    assert find_retrier(retriers, "C") == 1
    assert find_retrier(retriers, "A") == 0
    assert find_retrier(retriers, "Z") == 2
    assert find_catcher(catchers, "B") == 1
    assert find_catcher(catchers, "States.Runtime") is None
    assert find_retrier([], "A") is None


@pytest.mark.parametrize(
    "retrier, delays",
    [
        ({"ErrorEquals": ["X"]}, [1.0, 2.0, 4.0, None]),  # defaults 1 / 2.0 / 3
        (
            {"ErrorEquals": ["X"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 2},
            [3.0, 6.0, None],
        ),  # ERR-05
        (
            {
                "ErrorEquals": ["X"],
                "IntervalSeconds": 3,
                "BackoffRate": 2,
                "MaxAttempts": 3,
                "MaxDelaySeconds": 4,
            },
            [3.0, 4.0, 4.0, None],
        ),
        ({"ErrorEquals": ["X"], "MaxAttempts": 0}, [None]),  # 0 = never retry
        (
            {"ErrorEquals": ["X"], "IntervalSeconds": 2, "BackoffRate": 1.0, "MaxAttempts": 3},
            [2.0, 2.0, 2.0, None],
        ),
        (
            {"ErrorEquals": ["X"], "IntervalSeconds": 1, "BackoffRate": 1.5, "MaxAttempts": 3},
            [1.0, 1.5, 2.25, None],
        ),
    ],
)
def test_retry_delays(retrier, delays):
    retrier = parse_retrier(retrier)
    assert [retry_delay(retrier, k) for k in range(1, len(delays) + 1)] == delays


def test_full_jitter_is_uniform_below_delay_and_seeded():  # ERR-04/05, EMU-02
    raw = {"ErrorEquals": ["X"], "IntervalSeconds": 10, "MaxAttempts": 5, "JitterStrategy": "FULL"}
    retrier = parse_retrier(raw)
    values = [retry_delay(retrier, 2, random.Random(i)) for i in range(50)]
    assert all(0.0 <= v <= 20.0 for v in values)
    assert len(set(values)) > 40
    assert retry_delay(retrier, 2, random.Random(7)) == retry_delay(retrier, 2, random.Random(7))
    assert retry_delay(parse_retrier(dict(raw, JitterStrategy="NONE")), 2, random.Random(7)) == 20.0


def test_full_jitter_after_cap():
    retrier = parse_retrier(
        {
            "ErrorEquals": ["X"],
            "IntervalSeconds": 10,
            "MaxAttempts": 5,
            "JitterStrategy": "FULL",
            "MaxDelaySeconds": 5,
        }
    )
    assert all(retry_delay(retrier, 3, random.Random(i)) <= 5.0 for i in range(30))


def test_decide_retry_counts_per_retrier_and_stops_when_exhausted():  # ERR-06
    retriers = _retriers(
        {"ErrorEquals": ["A"], "MaxAttempts": 1, "IntervalSeconds": 2},
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5},
    )
    attempts: dict[int, int] = {}
    assert decide_retry(retriers, "A", attempts) == (0, 2.0)
    attempts[0] = 1
    # retrier 0 matches "A" first and is exhausted: no fallback to the States.ALL retrier
    assert decide_retry(retriers, "A", attempts) is None
    assert decide_retry(retriers, "B", attempts) == (1, 1.0)
    attempts[1] = 2
    assert decide_retry(retriers, "B", attempts) == (1, 4.0)
    assert decide_retry(retriers, "States.Runtime", attempts) is None


def test_error_output():  # ERR-09
    assert error_output("MyError", "boom") == {"Error": "MyError", "Cause": "boom"}
    assert error_output(None, None) == {"Error": None, "Cause": None}
    assert list(error_output("E", "C")) == ["Error", "Cause"]
