"""The interpreter's registries: one handler per state type, one data flow per query language.

Each state handler is written once against :class:`Flow`; these tests state that the registries are
complete, so a state type or a query language cannot be half-supported."""

import inspect

from emulator.stepfunctions.asl.model import JSONATA, JSONPATH
from emulator.stepfunctions.asl.validate_fields import STATE_TYPES
from emulator.stepfunctions.runtime import states
from emulator.stepfunctions.runtime.states.flow import Flow

WAITING = {"Wait", "Task", "Parallel", "Map"}  # handlers that may yield a command to the driver


def test_every_state_type_has_one_handler():
    assert set(states.HANDLERS) == set(STATE_TYPES)


def test_handlers_of_states_that_may_wait_are_generators():
    for state_type, (handler, is_generator) in states.HANDLERS.items():
        assert is_generator == (state_type in WAITING), state_type
        assert inspect.isgeneratorfunction(handler) == is_generator, state_type


def test_every_query_language_has_a_flow_that_implements_every_step():
    # TestState's inspecting flows are registered as "<language>/inspect"
    assert {key.split("/")[0] for key in states.FLOWS} == {JSONPATH, JSONATA}
    steps = [
        name
        for name, member in vars(Flow).items()
        if callable(member) or isinstance(member, (staticmethod, classmethod))
    ]
    steps = [name for name in steps if not name.startswith("__")]
    assert {"input", "template", "result", "output", "assign", "seconds", "items"} <= set(steps)
    for flow in states.FLOWS.values():
        for name in steps:
            implemented = any(name in vars(k) for k in flow.__mro__ if k is not Flow)
            assert implemented, f"{flow.__name__} lacks {name}"
