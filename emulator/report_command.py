"""``emulator report [--endpoint URL] [--json] [--service NAME]``: a running server's usage reports.

Reads ``GET /_emulator/usage`` of the server (``emulator serve``; default http://127.0.0.1:8000)
and prints each report as a table (or the JSON as the server sent it with ``--json``): per
DynamoDB table and index the consumed capacity, throttles, hottest keys and estimated monthly cost;
per state machine the transitions and cost. The standard library's ``urllib`` is enough: no SDK
is needed to read the emulator's own control path.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request

from .usage import UsageReport

DEFAULT_ENDPOINT = "http://127.0.0.1:8000"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint", default=DEFAULT_ENDPOINT, help=f"the server (default {DEFAULT_ENDPOINT})"
    )
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--service", choices=("dynamodb", "stepfunctions"), help="one service's reports")


def fetch(endpoint: str, service: str | None = None) -> dict:
    """The server's answer to ``GET /_emulator/usage``."""
    url = endpoint.rstrip("/") + "/_emulator/usage" + (f"?service={service}" if service else "")
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a URL the user gave
        return json.loads(response.read())  # type: ignore[no-any-return]


def run(args: argparse.Namespace) -> int:
    try:
        answer = fetch(args.endpoint, args.service)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"emulator report: cannot read {args.endpoint}/_emulator/usage ({exc})", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(answer, indent=2))
        return 0
    reports = [UsageReport.from_dict(r) for r in answer.get("reports", [])]
    print("\n\n".join(str(r) for r in reports) if reports else "(no DynamoDB or Step Functions usage yet)")
    return 0
