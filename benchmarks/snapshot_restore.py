"""Fixture cost: restoring a 10,000-item world from a snapshot vs building it again.

Run: ``python benchmarks/snapshot_restore.py [--quick] [--items N]``.

The world: one table with a global secondary index and a stream, ``N`` items (10,000 by
default) written with the native client, and a finished Step Functions execution. Measured
(median of rounds, wall time):

* rebuild: a new ``Emulator`` plus CreateTable and ``N`` PutItem calls (what a test fixture
  does without snapshots; with moto, each boto3 put alone costs ~0.8 ms, so ~8 s);
* snapshot: ``aws.snapshot()`` (once per session in the fixture pattern) and the portable
  ``aws.snapshot(portable=True)`` bytes;
* restore: ``Emulator.restore(snapshot)`` (once per test), which must be cheaper than rebuilding;
* with ``--moto``: building the table in moto, which has no snapshots (once; slow);
* with ``--running N``: a world of ``N`` running executions (each ten task states, then a Parallel
  of three branches waiting: a Wait, a retried task's interval, a task token), restored against
  starting them again (a restore rebuilds every waiting thread by replaying its tape from the
  state it waits in: stepfunctions/runtime/tape.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator import Emulator  # noqa: E402
from emulator.clock import perf_counter  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/r"


def build(items: int) -> Emulator:
    aws = Emulator(seed=1)
    ddb = aws.dynamodb
    ddb.create_table(
        TableName="Seeded",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "kind", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byKind",
                "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    put = ddb.put_item
    for i in range(items):
        put(
            TableName="Seeded",
            Item={"id": {"S": f"item-{i:05d}"}, "kind": {"S": f"k{i % 10}"}, "n": {"N": str(i)}},
        )
    sfn = aws.stepfunctions
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    sfn.start_execution(stateMachineArn=arn, input="{}")
    return aws


FN = "arn:aws:lambda:us-east-1:123456789012:function:"


def flaky(event, context):
    raise RuntimeError("not yet")


def hand_off(event, context):
    return {"queued": True}


def work(event, context):
    return {"step": event.get("step", 0) + 1}


STEPS = {f"S{i}": {"Type": "Task", "Resource": FN + "work", "Next": f"S{i + 1}"} for i in range(10)}
STEPS["S10"] = {"Type": "Pass", "Next": "Par"}
RUNNING = {
    "StartAt": "S0",
    "States": {
        **STEPS,
        "Par": {
            "Type": "Parallel",
            "End": True,
            "Branches": [
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}},
                {
                    "StartAt": "R",
                    "States": {
                        "R": {
                            "Type": "Task",
                            "Resource": FN + "flaky",
                            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 600}],
                            "End": True,
                        }
                    },
                },
                {
                    "StartAt": "T",
                    "States": {
                        "T": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                            "Parameters": {"FunctionName": "hand_off", "Payload": {"t.$": "$$.Task.Token"}},
                            "End": True,
                        }
                    },
                },
            ],
        },
    },
}


def build_running(count: int) -> Emulator:
    aws = Emulator(seed=2, auto_advance=False)
    sfn = aws.stepfunctions
    sfn.task(FN + "flaky")(flaky)
    sfn.task(FN + "hand_off")(hand_off)
    sfn.task(FN + "work")(work)
    arn = sfn.create_state_machine(name="waits", definition=json.dumps(RUNNING), roleArn=ROLE)[
        "stateMachineArn"
    ]
    for i in range(count):
        sfn.start_execution(stateMachineArn=arn, name=f"run-{i}", input="{}")
    return aws


def running(count: int, rounds: int) -> None:
    rebuild, world = timed(lambda: build_running(count), rounds)
    take, snap = timed(world.snapshot, rounds)
    restore, copy = timed(lambda: Emulator.restore(snap), rounds)
    listed = copy.stepfunctions.list_executions(
        stateMachineArn=copy.stepfunctions.list_state_machines()["stateMachines"][0]["stateMachineArn"],
        statusFilter="RUNNING",
        maxResults=1000,
    )
    assert len(listed["executions"]) == min(count, 1000)
    print(
        f"world of {count:,} running executions (10 tasks, then 3 waiting branches); median of {rounds} rounds:"
    )
    print(f"  rebuild (start them again):             {rebuild * 1e3:8.1f} ms")
    print(f"  aws.snapshot():                         {take * 1e3:8.1f} ms ({len(snap):,} bytes)")
    print(f"  Emulator.restore(snapshot):             {restore * 1e3:8.1f} ms")
    print(f"  restore is {rebuild / restore:.1f}x faster than starting them again")


def build_in_moto(items: int) -> float:
    """Seconds to build the same table in moto (``--moto``): moto has no snapshot, so a moto
    fixture rebuilds its world for every test through boto3."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        start = perf_counter()
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        ddb.create_table(
            TableName="Seeded",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        for i in range(items):
            ddb.put_item(TableName="Seeded", Item={"id": {"S": f"item-{i:05d}"}, "kind": {"S": f"k{i % 10}"}})
        return perf_counter() - start


def timed(fn, rounds: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(rounds):
        start = perf_counter()
        result = fn()
        samples.append(perf_counter() - start)
    return statistics.median(samples), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--moto", action="store_true", help="also time building the table in moto (once)")
    parser.add_argument("--running", type=int, default=0, help="also time a world of N running executions")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else 7
    rebuild, world = timed(lambda: build(args.items), rounds)
    take, snap = timed(world.snapshot, rounds)
    take_bytes, data = timed(lambda: world.snapshot(portable=True), rounds)
    restore, copy = timed(lambda: Emulator.restore(snap), rounds)
    restore_bytes, _ = timed(lambda: Emulator.restore(data), rounds)
    assert copy.dynamodb.describe_table(TableName="Seeded")["Table"]["ItemCount"] == args.items
    print(f"world of {args.items:,} items (GSI, stream) + 1 execution; median of {rounds} rounds:")
    print(f"  rebuild (new Emulator, CreateTable, {args.items:,} PutItem): {rebuild * 1e3:8.1f} ms")
    print(f"  aws.snapshot():                         {take * 1e3:8.1f} ms ({len(snap):,} bytes)")
    print(f"  aws.snapshot(portable=True):            {take_bytes * 1e3:8.1f} ms ({len(data):,} bytes)")
    print(f"  Emulator.restore(snapshot):             {restore * 1e3:8.1f} ms")
    print(f"  Emulator.restore(bytes):                {restore_bytes * 1e3:8.1f} ms")
    print(f"  restore is {rebuild / restore:.1f}x faster than rebuilding")
    if args.moto:
        moto = build_in_moto(args.items)
        print(
            f"  moto 5 (no snapshots): building the table, {args.items:,} boto3 put_item: {moto * 1e3:8.1f} ms"
        )
    if args.running:
        running(args.running, rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
