"""Render the README's picture of an execution: ``python docs/render_readme_picture.py`` writes
docs/images/order-execution.svg, drawn by the emulator itself (``aws.stepfunctions.render``).

The workflow has a retried task, a Map over three items, a one-day Wait, a caught error and a
failure. Everything is deterministic (a fixed virtual clock, a fixed seed, task callables that do
the same thing every run), so tests/stepfunctions/test_picture_readme.py can check that the
committed file is what this script draws now.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import emulator
from emulator.clock import VirtualClock

OUT = Path(__file__).resolve().parent / "images" / "order-execution.svg"
FN = "arn:aws:lambda:us-east-1:123456789012:function:"
ROLE = "arn:aws:iam::123456789012:role/readme"
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z: a fixed clock, so every run records the same history

DEFINITION = {
    "Comment": "An order: validated (after two busy answers), items reserved, a day's wait, a declined card",
    "StartAt": "ValidateOrder",
    "States": {
        "ValidateOrder": {
            "Type": "Task",
            "Resource": FN + "validate",
            "Retry": [{"ErrorEquals": ["ServiceBusy"], "IntervalSeconds": 2, "MaxAttempts": 3}],
            "Next": "ReserveItems",
        },
        "ReserveItems": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ResultPath": "$.reserved",
            "ItemProcessor": {
                "StartAt": "Reserve",
                "States": {"Reserve": {"Type": "Task", "Resource": FN + "reserve", "End": True}},
            },
            "Next": "WaitForPickup",
        },
        "WaitForPickup": {"Type": "Wait", "Seconds": 86400, "Next": "ChargeCard"},
        "ChargeCard": {
            "Type": "Task",
            "Resource": FN + "charge",
            "Catch": [{"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.error", "Next": "ReleaseItems"}],
            "Next": "Shipped",
        },
        "ReleaseItems": {"Type": "Task", "Resource": FN + "release", "Next": "OrderFailed"},
        "OrderFailed": {"Type": "Fail", "Error": "OrderFailed", "Cause": "the card was declined"},
        "Shipped": {"Type": "Succeed"},
    },
}
ORDER = {"order": "o-1001", "items": ["book", "lamp", "mug"]}


class ServiceBusy(Exception):
    pass


class PaymentDeclined(Exception):
    pass


def register(aws: emulator.Emulator) -> None:
    """The task callables: validation is busy twice, the card is declined."""
    sfn, attempts = aws.stepfunctions, {"validate": 0}

    @sfn.task(FN + "validate")
    def validate(event, context):
        attempts["validate"] += 1
        if attempts["validate"] < 3:
            raise ServiceBusy("try again later")
        return event

    sfn.task(FN + "reserve")(lambda item, context: {"item": item, "reserved": True})
    sfn.task(FN + "release")(lambda event, context: {"released": len(event["reserved"])})

    @sfn.task(FN + "charge")
    def charge(event, context):
        raise PaymentDeclined("card ending 4242 was declined")


def run(format: str = "svg") -> str:  # noqa: A002
    """Run the order workflow once and draw its execution."""
    aws = emulator.Emulator(clock=VirtualClock(START), seed=7)
    register(aws)
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="Order", definition=json.dumps(DEFINITION), roleArn=ROLE)[
        "stateMachineArn"
    ]
    execution = sfn.start_execution(stateMachineArn=arn, name="o-1001", input=json.dumps(ORDER))[
        "executionArn"
    ]
    return sfn.render(execution, format=format)


def main(argv: list[str]) -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(run(), encoding="utf-8")
    print(f"wrote {OUT.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
