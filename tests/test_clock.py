"""The Clock protocol and the one scheduler per clock (emulator/clock.py, emulator/scheduler.py).

A move of a virtual clock runs the timers due by its target in time order, each at its own due
time, and notifies every subscriber at every move; the scheduler's own jumps are moves like the
test's. Timers of different services share one queue and run under their own service's lock.
"""

from __future__ import annotations

import threading

import pytest

import emulator
from emulator.clock import Clock, SystemClock, VirtualClock


def test_both_clocks_implement_the_whole_protocol():
    for clock in (VirtualClock(start=0.0), SystemClock()):
        assert isinstance(clock, Clock)
        for name in ("now", "now_datetime", "advance", "jump_to", "sleep", "subscribe", "unsubscribe"):
            assert callable(getattr(clock, name))
        assert clock.scheduler.clock is clock


def test_advance_runs_due_timers_in_time_order_each_at_its_due_time():
    clock = VirtualClock(start=100.0)
    seen = []
    for due in (130.0, 110.0, 120.0, 500.0):
        clock.scheduler.at(due, lambda due=due: seen.append((due, clock.now())))
    assert clock.advance(50) == 150.0
    assert seen == [(110.0, 110.0), (120.0, 120.0), (130.0, 130.0)]
    assert clock.scheduler.pending() == 1


def test_every_move_notifies_subscribers_before_the_timer_due_then_runs():
    clock = VirtualClock(start=0.0)
    log = []
    clock.subscribe(lambda now: log.append(("moved", now)))
    clock.scheduler.at(10.0, lambda: log.append(("timer", clock.now())))
    clock.scheduler.at(20.0, lambda: log.append(("timer", clock.now())))
    clock.advance(30)
    assert log == [("moved", 10.0), ("timer", 10.0), ("moved", 20.0), ("timer", 20.0), ("moved", 30.0)]


def test_run_until_idle_jumps_to_active_timers_and_notifies_at_each_jump():
    clock = VirtualClock(start=0.0)
    moves = []
    clock.subscribe(moves.append)
    clock.scheduler.at(3600.0, lambda: clock.scheduler.at(7200.0, lambda: None))
    clock.scheduler.at(86400.0, lambda: None, passive=True)  # a timeout: does not keep it going
    assert clock.scheduler.run_until_idle() == 2
    assert moves == [3600.0, 7200.0] and clock.now() == 7200.0
    assert clock.scheduler.run_until_idle(include_passive=True) == 1
    assert clock.now() == 86400.0


def test_a_move_by_zero_still_notifies_and_unsubscribe_stops_notifications():
    clock = VirtualClock(start=5.0)
    seen = []
    clock.subscribe(seen.append)
    clock.advance(0)
    clock.unsubscribe(seen.append)
    clock.unsubscribe(seen.append)  # absent: no-op
    clock.advance(1)
    assert seen == [5.0]


def test_virtual_sleep_is_an_advance_and_moves_never_go_back():
    clock = VirtualClock(start=0.0)
    clock.sleep(90)
    assert clock.now() == 90.0
    assert clock.jump_to(100.0) == 100.0
    with pytest.raises(ValueError):
        clock.jump_to(50.0)
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_the_system_clock_cannot_be_moved():
    clock = SystemClock()
    with pytest.raises(RuntimeError):
        clock.advance(1)
    with pytest.raises(RuntimeError):
        clock.jump_to(clock.now() + 1)


def test_a_move_inside_a_timer_does_not_start_a_second_loop():
    clock = VirtualClock(start=0.0)
    seen = []

    def first():
        clock.advance(5)  # re-entrant: moves time, the outer loop runs what is due
        seen.append(("first", clock.now()))

    clock.scheduler.at(10.0, first)
    clock.scheduler.at(12.0, lambda: seen.append(("second", clock.now())))
    clock.advance(100)
    assert seen == [("first", 15.0), ("second", 15.0)]
    assert clock.now() == 100.0


def test_each_timer_runs_under_the_lock_it_was_scheduled_with():
    clock = VirtualClock(start=0.0)
    a, b = threading.RLock(), threading.RLock()
    held = []
    clock.scheduler.bound(a).at(1.0, lambda: held.append((a._is_owned(), b._is_owned())))
    clock.scheduler.bound(b).at(2.0, lambda: held.append((a._is_owned(), b._is_owned())))
    clock.advance(5)
    assert held == [(True, False), (False, True)]


def test_closing_a_service_view_cancels_only_its_timers():
    clock = VirtualClock(start=0.0)
    a, b = clock.scheduler.bound(threading.RLock()), clock.scheduler.bound(threading.RLock())
    a.at(1.0, lambda: None)
    b.at(2.0, lambda: None, passive=True)
    a.close()
    assert (a.pending(), b.pending(), clock.scheduler.pending()) == (0, 1, 1)


def test_emulator_clock_options():
    assert emulator.Emulator().clock.auto_advance is True
    steered = emulator.Emulator(auto_advance=False)
    assert steered.clock.virtual and steered.clock.auto_advance is False
    own = VirtualClock(start=0.0)
    assert emulator.Emulator(clock=own, auto_advance=False).clock is own and own.auto_advance is False
    with pytest.raises(ValueError):
        emulator.Emulator(clock="system", auto_advance=False)
    with pytest.raises(ValueError):
        emulator.Emulator(clock="system", patch_time=True)


def test_services_sharing_a_clock_share_one_time_order():
    """Two Step Functions services on one clock (as the partitions of one world are): an advance
    runs their executions' events interleaved in time order, each under its own service's lock."""
    import json

    clock = VirtualClock(start=1_700_000_000.0, auto_advance=False)
    worlds = [emulator.Emulator(clock=clock), emulator.Emulator(clock=clock)]
    order = []
    for index, world in enumerate(worlds):
        fn = "arn:aws:lambda:us-east-1:123456789012:function:mark"
        lock = world.stepfunctions._service.lock
        world.stepfunctions.task(fn)(
            lambda event, context, index=index, lock=lock: (
                order.append((event["at"], index, context.now(), lock._is_owned())) or {}
            )
        )
        arn = world.stepfunctions.create_state_machine(
            name="m",
            roleArn="arn:aws:iam::123456789012:role/x",
            definition=json.dumps(
                {
                    "StartAt": "W",
                    "States": {
                        "W": {"Type": "Wait", "SecondsPath": "$.at", "Next": "T"},
                        "T": {"Type": "Task", "Resource": fn, "End": True},
                    },
                }
            ),
        )["stateMachineArn"]
        for at in (30, 10) if index == 0 else (20, 40):
            world.stepfunctions.start_execution(stateMachineArn=arn, input=json.dumps({"at": at}))
    clock.advance(60)
    t0 = 1_700_000_000.0
    assert order == [
        (10, 0, t0 + 10, True),
        (20, 1, t0 + 20, True),
        (30, 0, t0 + 30, True),
        (40, 1, t0 + 40, True),
    ]
