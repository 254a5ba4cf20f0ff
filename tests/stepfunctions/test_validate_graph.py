"""Definition validation, the state graph: missing targets, reachability, terminal states, scopes,
duplicate names (ASL-ST-01/05/06, ASL-VAL-04/05/06/08; AWS measured in floci-io/floci #2786)."""

from __future__ import annotations

import json

from emulator.stepfunctions.asl.validate import invalid_definition_message, validate

MTT = "MISSING_TRANSITION_TARGET"
LAMBDA = "arn:aws:states:::lambda:invoke"


def diags(definition):
    return [(d.code, d.message, d.location) for d in validate(json.dumps(definition))]


def test_missing_next_target():
    d = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Next": "Ghost",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z"}],
            },
            "Z": {"Type": "Pass", "End": True},
        },
    }
    assert diags(d) == [(MTT, "Missing 'Next' target: Ghost", "/States/A/Next")]


def test_every_transition_kind_says_next():
    choice = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Ghost"}],
                "Default": "Z",
            },
            "Z": {"Type": "Pass", "End": True},
        },
    }
    assert diags(choice) == [(MTT, "Missing 'Next' target: Ghost", "/States/C/Choices[0]/Next")]
    default = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Z"}],
                "Default": "Ghost",
            },
            "Z": {"Type": "Pass", "End": True},
        },
    }
    assert diags(default) == [(MTT, "Missing 'Next' target: Ghost", "/States/A/Default")]
    catch = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "End": True,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Ghost"}],
            }
        },
    }
    assert diags(catch) == [(MTT, "Missing 'Next' target: Ghost", "/States/T/Catch[0]/Next")]


def test_issue_example_missing_target_and_unreachable_state():
    # localstack#11978 (quoted AWS response): pass1 → pass3 (missing), pass2 unreachable
    d = {
        "StartAt": "pass1",
        "States": {"pass1": {"Type": "Pass", "Next": "pass3"}, "pass2": {"Type": "Pass", "End": True}},
    }
    assert diags(d) == [
        (MTT, "Missing 'Next' target: pass3", "/States/pass1/Next"),
        (MTT, 'State "pass2" is not reachable.', "/States/pass2"),
    ]
    assert invalid_definition_message(validate(d)) == (
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at "
        '/States/pass1/Next, MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2\''
    )


def test_loop_without_terminal_state():
    d = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}
    assert diags(d) == [("MISSING_END_STATE", "Workflow has no terminal state", None)]


def test_missing_end_state_suppresses_unreachable_states():
    d = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Next": "A"},
            "Unused": {"Type": "Pass", "Next": "A"},
        },
    }
    assert diags(d) == [("MISSING_END_STATE", "Workflow has no terminal state", None)]


def test_dangling_target_comes_before_missing_end_state():
    d = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "NOPE"}}}
    assert diags(d) == [
        (MTT, "Missing 'Next' target: NOPE", "/States/A/Next"),
        ("MISSING_END_STATE", "Workflow has no terminal state", None),
    ]


def test_unreachable_terminal_state_added_to_a_loop():
    d = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Next": "A"},
            "C": {"Type": "Pass", "End": True},
        },
    }
    assert diags(d) == [(MTT, 'State "C" is not reachable.', "/States/C")]


def test_nested_loop_without_terminal_state_is_accepted():
    d = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "End": True,
                "ItemProcessor": {
                    "StartAt": "A",
                    "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}},
                },
            }
        },
    }
    assert diags(d) == []


def test_unreachable_states_in_nested_scopes():
    m = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "End": True,
                "ItemProcessor": {
                    "StartAt": "W",
                    "States": {"W": {"Type": "Pass", "End": True}, "Ghost": {"Type": "Pass", "End": True}},
                },
            }
        },
    }
    assert diags(m) == [(MTT, 'State "Ghost" is not reachable.', "/States/M/ItemProcessor/States/Ghost")]
    p = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "StartAt": "W",
                        "States": {
                            "W": {"Type": "Pass", "End": True},
                            "Ghost": {"Type": "Pass", "End": True},
                        },
                    }
                ],
            }
        },
    }
    assert diags(p) == [(MTT, 'State "Ghost" is not reachable.', "/States/P/Branches[0]/States/Ghost")]


def test_state_name_with_a_slash_is_kept_whole():
    d = {
        "StartAt": "Start",
        "States": {"Start": {"Type": "Pass", "End": True}, "a/b": {"Type": "Pass", "End": True}},
    }
    assert diags(d) == [(MTT, 'State "a/b" is not reachable.', "/States/a/b")]


def test_dangling_start_at_makes_every_state_unreachable():
    d = {"StartAt": "Nope", "States": {"A": {"Type": "Pass", "End": True}}}
    assert diags(d) == [
        (MTT, "Missing 'Next' target: Nope", "/StartAt"),
        (MTT, 'State "A" is not reachable.', "/States/A"),
    ]
    n = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "End": True,
                "ItemProcessor": {"StartAt": "Nope", "States": {"A": {"Type": "Pass", "End": True}}},
            }
        },
    }
    assert diags(n) == [
        (MTT, "Missing 'Next' target: Nope", "/States/M/ItemProcessor/StartAt"),
        (MTT, 'State "A" is not reachable.', "/States/M/ItemProcessor/States/A"),
    ]


def test_states_reached_through_choice_default_and_catch_are_reachable():
    d = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "T"}],
                "Default": "D",
            },
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "End": True,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}],
            },
            "D": {"Type": "Succeed"},
            "F": {"Type": "Fail"},
        },
    }
    assert diags(d) == []


def test_transitions_cannot_leave_or_enter_a_nested_scope():
    out_of_branch = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Next": "Out",
                "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Out"}}}],
            },
            "Out": {"Type": "Succeed"},
        },
    }
    assert diags(out_of_branch) == [
        (MTT, "Missing 'Next' target: Out", "/States/P/Branches[0]/States/X/Next")
    ]
    into_branch = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "X"},
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}],
            },
        },
    }
    assert diags(into_branch) == [
        (MTT, "Missing 'Next' target: X", "/States/A/Next"),
        (MTT, 'State "P" is not reachable.', "/States/P"),
    ]


def test_duplicate_state_name_across_scopes():
    d = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Next": "Out",
                "Branches": [{"StartAt": "Out", "States": {"Out": {"Type": "Succeed"}}}],
            },
            "Out": {"Type": "Succeed"},
        },
    }
    # reported at the occurrence met later in document order (top-level scope first)
    assert diags(d) == [
        ("DUPLICATE_STATE_NAME", "Duplicate State name: Out", "/States/P/Branches[0]/States/Out")
    ]


def test_duplicate_state_name_in_one_states_object():
    text = '{"StartAt": "Add", "States": {"Add": {"Type": "Pass", "End": true}, "Add": {"Type": "Pass", "End": true}}}'
    assert [(d.code, d.message, d.location) for d in validate(text)] == [
        ("DUPLICATE_STATE_NAME", "Duplicate State name: Add", "/States/Add")
    ]
