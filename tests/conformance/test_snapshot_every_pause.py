"""Every recorded AWS execution (cases.jsonl), snapshotted at each point it waits and restored:
the restored world must go on to exactly the history, status and output of the run that was
not interrupted (what a snapshot of a running workflow promises, ``runtime/tape.py``).

Each case runs on a virtual clock that only moves when the test moves it, to the next timer
(timeouts included); the reference run counts its pauses, then for each pause a second run stops
there, is snapshotted and restored, and the copy goes on to the end.
"""

from __future__ import annotations

import json

import pytest

import emulator
from emulator.clock import VirtualClock
from tests.conformance.test_stepfunctions_conformance import (
    CASES,
    ROLE,
    SM_NAME,
    _create_buckets,
    _fill_input,
    _ids,
    _put_s3_objects,
    _s3_fixture,
)

START = 1_800_000_000.0
MAX_PAUSES = 8  # the pauses tried per case (the first ones; cases rarely wait more often)
WAITING = CASES


def _world(case: dict) -> tuple[emulator.Emulator, str]:
    aws = emulator.Emulator(
        region="us-east-1", account_id="111111111111", seed=7, clock=VirtualClock(START, auto_advance=False)
    )
    fixture = _s3_fixture(case)
    if fixture is not None:
        _put_s3_objects(aws, fixture)
    _create_buckets(aws, case)
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name=SM_NAME, definition=json.dumps(case["definition"]), roleArn=ROLE)[
        "stateMachineArn"
    ]
    text, _ = _fill_input(case)
    return aws, sfn.start_execution(stateMachineArn=arn, name="exec1", input=text)["executionArn"]


def _next(aws: emulator.Emulator) -> bool:
    due = aws.clock.scheduler.next_due()
    if due is None:
        return False
    aws.clock.advance(max(due - aws.clock.now(), 0))
    return True


def _finish(aws: emulator.Emulator, limit: int | None = None) -> int:
    k = 0
    while (limit is None or k < limit) and _next(aws):
        k += 1
        assert k < 2000
    return k


def _outcome(aws: emulator.Emulator, arn: str) -> tuple:
    sfn = aws.stepfunctions
    desc = sfn.describe_execution(executionArn=arn)
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return desc["status"], desc.get("output"), desc.get("error"), desc.get("cause"), events


@pytest.mark.parametrize("case", WAITING, ids=[_ids(c) for c in WAITING])
def test_restored_at_each_pause_goes_on_as_the_uninterrupted_run(case: dict) -> None:
    reference, arn = _world(case)
    pauses = _finish(reference)
    expected = _outcome(reference, arn)
    for k in range(min(pauses, MAX_PAUSES)):
        aws, _ = _world(case)
        _finish(aws, k)
        copy = emulator.Emulator.restore(aws.snapshot())
        _finish(copy)
        assert _outcome(copy, arn) == expected, f"restored at pause {k} of {pauses}"
