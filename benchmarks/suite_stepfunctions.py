"""Step Functions benchmarks: our interpreter vs moto 5.x's (``moto.stepfunctions.parser``).

moto executes definitions only when ``mock_aws(config={"stepfunctions": {"execute_state_machine":
True}})`` is set (its parser backend, a port of LocalStack's interpreter); an execution runs on a
background thread, so a moto execution is timed from StartExecution until DescribeExecution stops
saying RUNNING (polled every millisecond). Ours completes inside StartExecution on the virtual
clock. Both sides run in this process; times are medians of interleaved rounds (harness).

Measures (issue 4):
* per-state cost on a chain of Pass states — 100 states for moto, 1,000 for us — target ≥ 100×;
* a Map over 1,000 items with a Pass iterator — target ≥ 100×;
* a Map over 100,000 items — reported;
* a workflow with a one-day Wait and a retry ladder of one-hour intervals — under 50 ms wall;
* a Distributed Map over 10,000 S3 objects (ItemReader listObjectsV2), each item a child
  execution of its Map Run — reported (issue 13; moto runs no Distributed Map).
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from harness import Harness, Row, time_per_call

ROLE = "arn:aws:iam::123456789012:role/bench"


def pass_chain(n: int) -> dict:
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(n - 1)}
    states[f"S{n - 1}"] = {"Type": "Pass", "End": True}
    return {"StartAt": "S0", "States": states}


def pass_map() -> dict:
    return {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "End": True,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            }
        },
    }


LADDER_FN = "arn:aws:lambda:us-east-1:123456789012:function:ladder"


def day_and_ladder() -> dict:
    return {
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": 86400, "Next": "T"},
            "T": {
                "Type": "Task",
                "Resource": LADDER_FN,
                "End": True,
                "Retry": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "IntervalSeconds": 3600,
                        "BackoffRate": 1.0,
                        "MaxAttempts": 5,
                    }
                ],
            },
        },
    }


class Ours:
    def __init__(self) -> None:
        import emulator

        self.aws = emulator.Emulator()
        self.sfn = self.aws.stepfunctions
        self.n = 0

    def machine(self, definition: dict) -> str:
        self.n += 1
        return self.sfn.create_state_machine(
            name=f"m{self.n}", definition=json.dumps(definition), roleArn=ROLE
        )["stateMachineArn"]

    def run(self, arn: str, input_: Any) -> str:
        ex = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_))["executionArn"]
        status = self.sfn.describe_execution(executionArn=ex)["status"]
        assert status == "SUCCEEDED", status
        return ex


class Moto:
    def __init__(self) -> None:
        import boto3
        from moto import mock_aws

        self.mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
        self.mock.start()
        self.client = boto3.client("stepfunctions", region_name="us-east-1")
        self.n = 0

    def machine(self, definition: dict) -> str:
        self.n += 1
        return self.client.create_state_machine(
            name=f"m{self.n}", definition=json.dumps(definition), roleArn=ROLE
        )["stateMachineArn"]

    def run(self, arn: str, input_: Any) -> None:
        self.runs = getattr(self, "runs", 0) + 1
        ex = self.client.start_execution(stateMachineArn=arn, name=f"r{self.runs}", input=json.dumps(input_))[
            "executionArn"
        ]
        while True:
            status = self.client.describe_execution(executionArn=ex)["status"]
            if status != "RUNNING":
                break
            time.sleep(0.001)
        assert status == "SUCCEEDED", status

    def reset(self) -> None:
        import boto3

        self.mock.stop()
        self.mock.start()
        self.client = boto3.client("stepfunctions", region_name="us-east-1")

    def close(self) -> None:
        self.mock.stop()


def _moto_time(moto: Moto, definition: dict, input_: Any) -> float:
    """moto deep-copies the state machine on every StartExecution, and after one execution the copy
    reaches thread locks and fails ("cannot pickle '_thread.RLock'"), even for a new machine: each
    timed run therefore gets a reset backend and a fresh machine, both outside the timing."""
    moto.reset()
    arn = moto.machine(definition)
    t0 = time.perf_counter()
    moto.run(arn, input_)
    return time.perf_counter() - t0


def _median_time(fn: Any, rounds: int) -> float:
    """Median seconds of one call of ``fn``, timed as the harness times everything (garbage
    collection off during the call): otherwise a collection left pending by the peer's runs lands in
    ours, and the measure follows the collector's phase rather than the code."""
    return time_per_call(fn, number=1, rounds=rounds)


def run(h: Harness) -> None:
    ours = Ours()
    moto = Moto()
    try:
        rounds = 3 if h.quick else 5
        # --- per-state cost on a Pass chain ---------------------------------------------------
        ours_chain = ours.machine(pass_chain(1000))
        ours.run(ours_chain, {"x": 1})  # warm caches/imports
        _moto_time(moto, pass_chain(100), {"x": 1})
        t_ours, t_moto = [], []
        for _ in range(rounds):
            t_ours.append(_median_time(lambda: ours.run(ours_chain, {"x": 1}), 1) / 1000)
            t_moto.append(_moto_time(moto, pass_chain(100), {"x": 1}) / 100)
        a, b = statistics.median(t_ours), statistics.median(t_moto)
        h.add(
            Row(
                "per-state cost, Pass chain (ours 1,000 states, moto 100)",
                a,
                b,
                "moto 5.2 parser",
                b / a,
                "≥ 100× lower",
                b / a >= 100,
                unit="s/op",
                note="seconds per state",
            )
        )

        # --- Map over 1,000 items ---------------------------------------------------------------
        items = list(range(1000))
        ours_map = ours.machine(pass_map())
        ours.run(ours_map, items)
        t_ours, t_moto = [], []
        for _ in range(max(2, rounds - 2)):
            t_ours.append(_median_time(lambda: ours.run(ours_map, items), 1))
            t_moto.append(_moto_time(moto, pass_map(), items))
        a, b = statistics.median(t_ours), statistics.median(t_moto)
        h.add(
            Row(
                "Map over 1,000 items, Pass iterator (one execution)",
                a,
                b,
                "moto 5.2 parser",
                b / a,
                "≥ 100× faster",
                b / a >= 100,
            )
        )
    finally:
        moto.close()

    # --- Map over 100,000 items (ours only) -------------------------------------------------------
    # 100,000 items exceed a Standard execution's 25,000 history events, so this is an EXPRESS
    # machine; it makes its items with JSONata, as zeros so that the array stays under the
    # 256 KiB payload limit ("[0,0,...]" is 200,001 bytes).
    big = {
        "QueryLanguage": "JSONata",
        "StartAt": "Make",
        "States": {
            "Make": {"Type": "Pass", "Output": "{% [1..100000].(0) %}", "Next": "M"},
            "M": {
                "Type": "Map",
                "End": True,
                "Output": "{% $count($states.result) %}",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            },
        },
    }
    arn = ours.sfn.create_state_machine(name="big", definition=json.dumps(big), roleArn=ROLE, type="EXPRESS")[
        "stateMachineArn"
    ]

    def big_run() -> None:
        out = ours.sfn.start_sync_execution(stateMachineArn=arn, input="{}")
        assert out["status"] == "SUCCEEDED" and out["output"] == "100000", out

    t = _median_time(big_run, 1 if h.quick else 3)
    h.report(
        "Map over 100,000 items, Pass iterator (one EXPRESS execution, ours)",
        t,
        unit="s/op",
        target="reported",
        note=f"{t / 100_000 * 1e6:.1f} µs per item, 4 history events per item",
    )

    # --- Distributed Map over 10,000 S3 objects, each a child execution (issue 13) -------------------
    distributed_map_over_s3(h, ours)

    # --- one-day Wait + retry ladder of one-hour intervals -----------------------------------------
    calls = {"n": 0}

    @ours.sfn.task(LADDER_FN)
    def ladder(event: Any, context: Any) -> Any:
        calls["n"] += 1
        if calls["n"] % 5:
            raise RuntimeError("not yet")
        return {"ok": True}

    arn = ours.machine(day_and_ladder())
    ours.run(arn, {})
    t = _median_time(lambda: ours.run(arn, {}), rounds)
    h.report(
        "1-day Wait + retry ladder of 1-hour intervals (wall time)",
        t,
        target="< 50 ms",
        met=t < 0.05,
        note="4 retries, 28 h of virtual time per execution",
    )


def distributed_map_over_s3(h: Harness, ours: Ours) -> None:
    """A STANDARD execution whose Distributed Map lists 10,000 objects of a bucket and runs each as
    an EXPRESS child execution of the Map Run (a Pass iterator): the cost of the Map Run machinery
    (child executions, their histories, the listing) per item."""
    n = 1_000 if h.quick else 10_000
    s3 = ours.aws.s3
    s3.create_bucket(Bucket="bench-items")
    for i in range(n):
        s3.put_object(Bucket="bench-items", Key=f"items/{i:06d}.json", Body=b"{}")
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "End": True,
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:listObjectsV2",
                    "Parameters": {"Bucket": "bench-items", "Prefix": "items/"},
                },
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "ResultSelector": {"count.$": "States.ArrayLength($)"},
            }
        },
    }
    arn = ours.machine(definition)

    def run() -> None:
        ex = ours.run(arn, {})
        runs = ours.sfn.list_map_runs(executionArn=ex)["mapRuns"]
        assert len(runs) == 1, runs

    t = _median_time(run, 1 if h.quick else 3)
    h.report(
        f"Distributed Map over {n:,} S3 objects, each a child execution (ours)",
        t,
        unit="s/op",
        target="reported",
        note=f"{t / n * 1e6:.1f} µs per item (child execution, its history, the listing)",
    )
