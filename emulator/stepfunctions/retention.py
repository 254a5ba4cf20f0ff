"""How long a closed execution stays visible: AWS's retention, on the world's clock.

AWS keeps a closed Standard execution for 90 days after it closes (DescribeExecution,
GetExecutionHistory and ListExecutions find it until then; afterwards
``ExecutionDoesNotExist``), and exposes Express executions through no API at all once they have
closed (their results reach the caller of StartSyncExecution, or CloudWatch Logs). Without this, a
world that lives long (a server, a benchmark) kept every execution and its history forever, about
11 KB each.

Closed executions queue here in the order they close; each queue has one retention period, so its
head always expires first and a sweep costs O(1) when nothing is due and O(k) for k expired
executions (plus removing each from its state machine's list, oldest first). Sweeps run before an
execution starts and before executions are looked up or listed, so a clock move of 90 days makes
the old ones go without a background thread. Not when an execution closes: an Express execution
is swept at the first sweep after it closes, never inside the StartExecution that ran it (a
``states:startExecution`` task still reads its child's answer there).

An execution's Map Runs and their child executions (MAP-16) go with it: they are kept only for
their parent (DescribeMapRun and the children's DescribeExecution already answered "not found"
once the parent was gone; now their memory is freed too).
"""

from __future__ import annotations

from collections import deque
from typing import Any

STANDARD_RETENTION_SECONDS = 90 * 86400.0  # reference LIM: closed executions are kept 90 days
EXPRESS_RETENTION_SECONDS = 0.0  # not exposed after closing


class Retention:
    """The closed executions of one Step Functions service, oldest closed first."""

    __slots__ = ("_service", "_standard", "_express")

    def __init__(self, service: Any) -> None:
        self._service = service
        self._standard: deque[Any] = deque()
        self._express: deque[Any] = deque()

    def closed(self, execution: Any) -> None:
        """Note an execution that has just closed (its ``stop_date`` is set)."""
        (self._express if execution.express else self._standard).append(execution)

    def reopened(self, execution: Any) -> None:
        """An execution closed before runs again (RedriveExecution): it leaves the queue until it
        closes anew (a redrive is rare, so the linear removal is fine)."""
        queue = self._express if execution.express else self._standard
        try:
            queue.remove(execution)
        except ValueError:
            pass

    def sweep(self) -> int:
        """Forget every closed execution whose retention has passed; returns how many went."""
        now = self._service.clock.now()
        gone = self._expire(self._standard, now - STANDARD_RETENTION_SECONDS)
        gone += self._expire(self._express, now - EXPRESS_RETENTION_SECONDS, at_once=True)
        return gone

    def _expire(self, queue: deque[Any], deadline: float, *, at_once: bool = False) -> int:
        """Drop the executions that closed before ``deadline`` (at or before, ``at_once``: an
        Express execution goes at the first sweep, even at the instant it closed)."""
        gone = 0
        executions = self._service.executions
        while queue and (queue[0].stop_date < deadline or at_once and queue[0].stop_date <= deadline):
            execution = queue.popleft()
            if executions.get(execution.arn) is execution:
                del executions[execution.arn]
                self._service.usage_ledger.fold(execution)  # its usage outlives it (usage.py)
            try:
                execution.listed_in.remove(execution)  # its state machine's list (oldest first)
            except ValueError:
                pass
            self._forget_map_runs(execution.arn)
            gone += 1
        return gone

    def _forget_map_runs(self, arn: str) -> None:
        """Drop the Map Runs of the execution ``arn`` and their child executions.

        Runtime complexity: O(r + c) for its r Map Runs and c children."""
        service = self._service
        for run in service.map_runs_of.pop(arn, ()):
            service.map_runs.pop(run.arn, None)
            for child in run.children:
                service.map_run_children.pop(child.arn, None)
