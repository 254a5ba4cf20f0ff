"""Shared by the console tests: a failing workflow, and a small GET helper for a served console."""

from __future__ import annotations

import http.client
import json

from emulator.wire.server import EmulatorServer

ROLE = "arn:aws:iam::123456789012:role/r"
FAILING = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Next": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 3600, "Next": "Boom"},
        "Boom": {"Type": "Fail", "Error": "Broken", "Cause": "it broke"},
    },
}


class Console:
    """GETs on a served world's console: ``(status, headers, text)``."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8")
        finally:
            conn.close()

    def json(self, path: str) -> dict:
        status, _, text = self.get(path)
        assert status == 200, text
        return json.loads(text)


def failing_machine(aws, name: str = "Failing") -> str:
    """A state machine that passes, waits an hour, then fails in state ``Boom``."""
    return aws.stepfunctions.create_state_machine(name=name, definition=json.dumps(FAILING), roleArn=ROLE)[
        "stateMachineArn"
    ]
