"""The execution page: status, input and output, the picture (when the Step Functions client can
draw one), the states the execution went through, and the history as a timeline.

Which state failed is read from the history alone, the way the Step Functions console shows it: a
state that was entered and never exited when the execution stopped without succeeding is where it
stopped (its row has ``class="failed"`` and ``data-state="<name>"``); while the execution runs,
such a state is ``running``. The page is live until the execution stops; its JSON twin also
names the failed states, for scripts.
"""

from __future__ import annotations

from typing import Any

from ..stepfunctions.execution_history import history
from ..stepfunctions.picture.overlay import Entry, entries
from .layout import esc, row, table
from .view import Fragment, View, page
from .workflows import status

STOPPED_BADLY = frozenset({"FAILED", "TIMED_OUT", "ABORTED"})
STILL_RUNNING = frozenset({"RUNNING", "PENDING_REDRIVE"})
MAX_EVENTS = 10_000


def outcome(visit: Entry, execution_status: str) -> str:
    """How one state visit (an entry of the picture's overlay,
    :func:`emulator.stepfunctions.picture.overlay.entries`: an exit closes the visit its thread is
    in) ended, as its row shows it."""
    if visit.exited is not None:
        return "succeeded"
    if execution_status in STILL_RUNNING:
        return "running"
    return "failed" if execution_status in STOPPED_BADLY else "stopped"


def _detail(event: dict[str, Any]) -> str:
    """The part of an event worth a glance: its state's name, or its error and cause."""
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            if "name" in value:
                return str(value["name"])
            text = " ".join(str(value[k]) for k in ("error", "cause") if value.get(k))
            if text:
                return text
    return ""


def _states_table(runs: list[Entry], execution_status: str) -> str:
    rows = []
    for r in runs:
        ended = outcome(r, execution_status)
        rows.append(
            row(
                esc(r.name),
                esc(r.type),
                esc(ended),
                esc(r.entered),
                esc(r.exited or ""),
                css=f"state {ended}",
                attrs=f' data-state="{esc(r.name)}"',
            )
        )
    return (
        table(["State", "Type", "Outcome", "Entered", "Exited"], rows, "states")
        if rows
        else "<p>No states yet.</p>"
    )


def _timeline(events: list[dict[str, Any]]) -> str:
    rows = [
        row(
            esc(e["id"]), esc(e["timestamp"]), esc(e["type"]), f'<span class="value">{esc(_detail(e))}</span>'
        )
        for e in events
    ]
    return table(["#", "Time", "Event", "Detail"], rows, "timeline")


def _picture(sfn: Any, arn: str) -> str:
    """The execution's picture, drawn by the client's ``render`` (emulator/stepfunctions/picture/).

    A picture that cannot be drawn (the ``picture`` extra is not installed, say) leaves a note,
    not a broken page: the states and the timeline still tell the run."""
    try:
        svg = sfn.render(arn, format="svg")
    except Exception as exc:  # noqa: BLE001 - any drawing failure is shown, never a failed page
        return f'<p class="note">No picture: {esc(type(exc).__name__)}: {esc(exc)}</p>'
    return f'<div class="picture">{svg.decode() if isinstance(svg, bytes) else svg}</div>'


@page("executions")
def execution_page(view: View) -> Fragment:
    arn = view.rest
    sfn = view.in_partition_of(arn).client("stepfunctions")
    e = sfn.describe_execution(executionArn=arn)
    events = history(sfn, arn, MAX_EVENTS)
    runs = entries(events)
    failed = [r.name for r in runs if outcome(r, e["status"]) == "failed"]
    stopped = " ".join(esc(e[k]) for k in ("error", "cause") if e.get(k))
    body = (
        f"<h1>Execution {esc(e['name'])}</h1><p>{status(e['status'])} · started {esc(e['startDate'])}"
        + (f" · stopped {esc(e['stopDate'])}" if e.get("stopDate") else "")
        + (f'</p><p class="error">{stopped}' if stopped else "")
        + f"</p><p>{esc(arn)}</p>"
        + _picture(sfn, arn)
        + f"<h2>States</h2>{_states_table(runs, e['status'])}<h2>Timeline</h2>{_timeline(events)}"
        + f"<h2>Input</h2><pre>{esc(e.get('input', ''))}</pre>"
        + (f"<h2>Output</h2><pre>{esc(e['output'])}</pre>" if e.get("output") is not None else "")
    )
    data = {"executionArn": arn, "status": e["status"], "failedStates": failed}
    return Fragment(f"Execution {e['name']}", body, live=e["status"] in STILL_RUNNING, data=data)
