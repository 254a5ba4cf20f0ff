"""Activities (API-18, RES-10): CreateActivity, DescribeActivity, ListActivities, DeleteActivity,
GetActivityTask. A Task whose Resource is an activity ARN queues its input on the activity; a
worker's GetActivityTask takes the oldest queued task (ActivityStarted) and answers with
SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat.

Long poll (API-18): on the system clock (server mode, or several threads in-process) a
GetActivityTask with nothing queued waits up to 60 s for a task to be scheduled, returning as soon
as one is; it waits on ``service.activity_ready``, a condition of the service lock, so the lock is
released meanwhile (other calls and the scheduler thread run, and queueing an activity task
notifies the condition). After 60 s — or when the emulator closes — it answers with no token.
On the virtual clock it answers at once with no token (what AWS answers after 60 s): time only
moves when the caller moves it, and the caller is the one blocked, so no other work could be
scheduled while it waited — waiting would only hang the test."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..errors import ERRORS
from . import operation
from .requests import check_name, listing, page, parse_arn, required
from .state_machines import dt
from .tags import apply_tags, check_tags

ActivityDoesNotExist = ERRORS["ActivityDoesNotExist"]
LONG_POLL_SECONDS = 60.0  # API-18 / RES-10: GetActivityTask long-polls up to 60 s
MAX_POLLERS = 1000  # API-18: more concurrent pollers → ActivityWorkerLimitExceeded
# INF: AWS's text is not recorded; botocore documents the error as "The maximum number of workers
# concurrently polling for activity tasks has been reached."
WORKER_LIMIT = "The maximum number of workers concurrently polling for activity tasks has been reached."


@dataclass(slots=True)
class ActivityRecord:
    arn: str
    name: str
    creation_date: float
    encryption: dict
    queue: deque = field(default_factory=deque)
    pollers: int = 0  # workers waiting in a long poll right now (ActivityWorkerLimitExceeded)


def _get(service: Any, arn: Any) -> ActivityRecord:
    parse_arn(arn, "activity")
    rec = service.activities.get(arn)
    if rec is None:
        raise ActivityDoesNotExist(f"Activity Does Not Exist: '{arn}'")
    return rec


@operation("CreateActivity")
def create_activity(service: Any, request: dict) -> dict:
    name = check_name(required(request, "name"))
    arn = service.arn("states", f"activity:{name}")
    rec = service.activities.get(arn)
    if rec is None:
        check_tags(request.get("tags") or [])
        rec = ActivityRecord(
            arn,
            name,
            service.clock.now(),
            dict(request.get("encryptionConfiguration") or {"type": "AWS_OWNED_KEY"}),
        )
        service.activities[arn] = rec
        if request.get("tags"):
            apply_tags(service, arn, request["tags"])
    return {"activityArn": arn, "creationDate": dt(rec.creation_date)}


@operation("DescribeActivity")
def describe_activity(service: Any, request: dict) -> dict:
    rec = _get(service, required(request, "activityArn"))
    return {
        "activityArn": rec.arn,
        "name": rec.name,
        "creationDate": dt(rec.creation_date),
        "encryptionConfiguration": dict(rec.encryption),
    }


@operation("ListActivities")
def list_activities(service: Any, request: dict) -> dict:
    recs = sorted(service.activities.values(), key=lambda r: (r.creation_date, r.name))
    chunk, nxt = page(recs, request, "ListActivities", key=lambda r: [r.creation_date, r.name])
    return listing(
        "activities",
        [{"activityArn": r.arn, "name": r.name, "creationDate": dt(r.creation_date)} for r in chunk],
        nxt,
    )


@operation("DeleteActivity")
def delete_activity(service: Any, request: dict) -> dict:
    arn = required(request, "activityArn")
    parse_arn(arn, "activity")
    if service.activities.pop(arn, None) is not None:
        service.activity_ready.notify_all()  # its long pollers answer with no token
    service.tags.pop(arn, None)
    return {}


@operation("GetActivityTask")
def get_activity_task(service: Any, request: dict) -> dict:
    arn = required(request, "activityArn")
    rec = _get(service, arn)
    clock = service.clock
    deadline = None if clock.virtual else clock.now() + LONG_POLL_SECONDS
    while True:
        while rec.queue:
            callback = rec.queue.popleft()
            if callback.closed or callback.ex.status != "RUNNING":
                continue
            callback.start_activity(request.get("workerName"))
            return {"taskToken": callback.token, "input": callback.activity[1]}
        if deadline is None or service.closed:
            return {}
        remaining = deadline - clock.now()
        if remaining <= 0:
            return {}
        if rec.pollers >= MAX_POLLERS:
            raise ERRORS["ActivityWorkerLimitExceeded"](WORKER_LIMIT)
        rec.pollers += 1
        try:
            service.activity_ready.wait(remaining)  # releases the service lock while waiting
        finally:
            rec.pollers -= 1
        if service.activities.get(arn) is not rec:  # deleted meanwhile: nothing will come
            return {}
