"""A Task state answered by the mock configuration's test case (``mock_config.py``).

The mocked answer becomes a callable in a one-entry :class:`TaskRegistry` that replaces the
world's registry for that attempt, so the task records the events of its own resource (Task* for
a service integration such as ``lambda:invoke`` or ``sqs:sendMessage``, LambdaFunction* for a
Lambda function ARN) exactly as a real call would, and a mocked response beats a callable
registered for the same resource. A mocked ``.waitForTaskToken`` task does not wait: Step
Functions Local generates the token and the mocked ``Return`` is the task's result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..asl.failures import RUNTIME, StatesFailure
from .task_calls import LAMBDA_ARN, TaskRegistry

if TYPE_CHECKING:
    from .execution import Execution


def missing_response(state: str, invocation: int, test_case: str) -> str:
    """[INF: ours] The cause of a mocked state's invocation that has no response: AWS documents
    only that the execution fails, not Step Functions Local's text."""
    return (
        f"The mock configuration's test case '{test_case}' has no mocked response for invocation "
        f"{invocation} of state '{state}'"
    )


def mocked_registry(ex: Execution, state: Any, resource: str) -> TaskRegistry | None:
    """For a state its execution's test case mocks: a registry whose only entry answers this
    attempt's mocked response for ``resource``; None when the state is not mocked."""
    run = ex.mock_run
    if run is None:
        return None
    answer = run.next_answer(state.name)
    if answer is None:
        return None
    registry = TaskRegistry()
    fn = _answering(answer, state.name, run.case_name)
    if LAMBDA_ARN.match(resource):
        registry.register(resource, fn)
    else:
        registry.resources[resource] = fn
    return registry


def _answering(answer: tuple[str, Any], state: str, test_case: str) -> Callable[[Any, Any], Any]:
    kind, value = answer

    def mocked(event: Any, context: Any) -> Any:
        if kind == "Return":
            return value
        if kind == "Throw":
            raise StatesFailure(value["Error"], value.get("Cause"))
        raise StatesFailure(RUNTIME, missing_response(state, value, test_case))

    return mocked
