"""The state machine pages: every state machine of the partition with its latest executions, and
one state machine's definition and executions. Both are live, so an execution started while the
page is open appears and its status moves without a reload."""

from __future__ import annotations

import json
from typing import Any

from .layout import esc, href, link, row, table
from .view import Fragment, View, page

RECENT = 5
MAX_EXECUTIONS = 100
EXPRESS_NOTE = (
    '<p class="note">Express executions are not listed: Step Functions keeps no history of them '
    "(ListExecutions answers StateMachineTypeNotSupported).</p>"
)


def status(value: str) -> str:
    """An execution status, styled by its value (``class="status FAILED"``)."""
    return f'<span class="status {esc(value)}">{esc(value)}</span>'


def execution_rows(executions: list[dict[str, Any]]) -> list[str]:
    return [
        row(
            link(href(f"executions/{e['executionArn']}"), e["name"], "execution"),
            status(e["status"]),
            esc(e["startDate"]),
            esc(e.get("stopDate", "")),
        )
        for e in executions
    ]


@page("statemachines")
def state_machines_page(view: View) -> Fragment:
    if view.rest:
        return _state_machine(view.in_partition_of(view.rest), view.rest)
    return _all_state_machines(view)


def _all_state_machines(view: View) -> Fragment:
    sfn, blocks, token = view.client("stepfunctions"), [], None
    while True:
        answer = sfn.list_state_machines(**({"nextToken": token} if token else {}))
        for m in answer["stateMachines"]:
            title = link(href(f"statemachines/{m['stateMachineArn']}"), m["name"], "statemachine")
            runs = _executions(sfn, m["stateMachineArn"], m["type"], RECENT)
            blocks.append(
                f'<section class="statemachine"><h2>{title} <small>{esc(m["type"])}</small></h2>{runs}</section>'
            )
        token = answer.get("nextToken")
        if not token:
            break
    body = "".join(blocks) or "<p>No state machines.</p>"
    return Fragment("State machines", f"<h1>State machines</h1>{body}", live=True)


def _executions(sfn: Any, arn: str, kind: str, most: int) -> str:
    """The latest ``most`` executions of a STANDARD state machine as a table ("" if none)."""
    if kind == "EXPRESS":
        return EXPRESS_NOTE
    executions = sfn.list_executions(stateMachineArn=arn, maxResults=most)["executions"]
    return (
        table(["Execution", "Status", "Started", "Stopped"], execution_rows(executions)) if executions else ""
    )


def _definition(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _state_machine(view: View, arn: str) -> Fragment:
    sfn = view.client("stepfunctions")
    m = sfn.describe_state_machine(stateMachineArn=arn)
    runs = _executions(sfn, arn, m["type"], MAX_EXECUTIONS)
    body = (
        f"<h1>State machine {esc(m['name'])}</h1><p>{esc(m['type'])} · {esc(m.get('status', ''))} · "
        f"{esc(arn)}</p><h2>Executions</h2>{runs or '<p>No executions.</p>'}"
        f"<h2>Definition</h2><pre>{esc(_definition(m['definition']))}</pre>"
    )
    return Fragment(f"State machine {m['name']}", body, live=True)
