"""ASL-VAL-16 / JA-03 / JA-06: which reads a JSONata expression may make, decided from the
adapter's read analysis (``jsonata.references``; the engine exposes no syntax tree).

AWS measured (floci-io/floci #2670/#2745/#2786): a bare top-level field name and ``$$`` are refused;
``$states.errorOutput`` only in a catcher's ``Output``/``Assign``; ``$states.result`` only in the
top-level ``Output``/``Assign`` of a Task/Map/Parallel (INF by analogy). ``$.a`` → ``'$'`` and a
single diagnostic for ``$$.Execution.Id`` are INF (the path under ``$``/``$$`` is not a bare name).
"""

from __future__ import annotations

import json

import pytest

from emulator.stepfunctions.asl import jsonata
from emulator.stepfunctions.asl.validate import validate

U = "UNSUPPORTED_JSONATA_EXPRESSION"
LAMBDA = "arn:aws:states:::lambda:invoke"
NO_RESULT = "Field '$states.result' does not exist."
NO_ERROR_OUTPUT = "Field '$states.errorOutput' does not exist."


def top(name):
    return f"Reference to '{name}' at the top level is not supported."


def errors(definition):
    return [
        (d.code, d.message, d.location) for d in validate(json.dumps(definition)) if d.severity == "ERROR"
    ]


def machine(**states):
    first = next(iter(states))
    return {"QueryLanguage": "JSONata", "StartAt": first, "States": states}


def pass_output(expr):
    return machine(E={"Type": "Pass", "Output": {"v": "{% " + expr + " %}"}, "End": True})


def task(**fields):
    states = {"T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields}}
    if "Catch" in fields:
        states["Z"] = {"Type": "Pass", "End": True}
    return machine(**states)


# ------------------------------------------------------------------- top-level input references


@pytest.mark.parametrize(
    "expr,names",
    [
        ("phone", ["phone"]),
        ('"Hello " & name', ["name"]),
        ("$uppercase(customer.name)", ["customer"]),
        ("a[b = 1].c", ["a"]),
        ("`$`", ["$"]),
        ("$", ["$"]),
        ("$[0]", ["$"]),
        ("$.a", ["$"]),
        ("1 + $.a.b", ["$"]),
        ("$.a & phone", ["phone", "$"]),
    ],
)
def test_top_level_input_references_are_refused(expr, names):
    assert errors(pass_output(expr)) == [(U, top(name), "/States/E/Output/v") for name in names]


@pytest.mark.parametrize(
    "expr,messages",
    [
        ("$$", ["Reference to '$$' is not supported."]),
        ("$$.Execution.Id", ["Reference to '$$' is not supported."]),
        ("$states.input.x & $$.Execution.Name", ["Reference to '$$' is not supported."]),
        ("$exists($$)", ["Reference to '$$' is not supported."]),
        ("$$.a & b", ["Reference to '$$' is not supported.", top("b")]),
    ],
)
def test_dollar_dollar_is_refused_once_and_its_path_is_not_a_top_level_name(expr, messages):
    assert errors(pass_output(expr)) == [(U, m, "/States/E/Output/v") for m in messages]


@pytest.mark.parametrize(
    "expr",
    [
        "$states.input.items[price > 10].name",
        "$states.input.items[$.price > 10]",
        "$states.input.items^(price)",
        "$states.input.items{category: $sum(price)}",
        "$states.input ~> $map(function($v){ $v.a })",
        "($x := $states.input.a; $x.b)",
        "$myVar.field",
        "'$' & \"$$.x\"",
        "/* $$ and $ */ 1",
        "$match($states.input.s, /^a$/)",
        "$count($)",
        "$states.context.Execution.Id",
    ],
)
def test_reads_anchored_to_states_variables_or_literals_are_accepted(expr):
    assert errors(pass_output(expr)) == []


# -------------------------------------------------------------- $states.result / errorOutput


@pytest.mark.parametrize(
    "definition,location",
    [
        (pass_output("$states.result"), "/States/E/Output/v"),
        (task(Arguments={"p": "{% $states.result %}"}), "/States/T/Arguments/p"),
        (
            machine(
                C={
                    "Type": "Choice",
                    "Choices": [{"Condition": "{% $states.result.ok %}", "Next": "Z"}],
                    "Default": "Z",
                },
                Z={"Type": "Succeed"},
            ),
            "/States/C/Choices[0]/Condition",
        ),
        (machine(W={"Type": "Wait", "Seconds": "{% $states.result.n %}", "End": True}), "/States/W/Seconds"),
    ],
)
def test_states_result_where_no_result_exists(definition, location):
    assert errors(definition) == [(U, NO_RESULT, location)]


@pytest.mark.parametrize(
    "fields,location",
    [
        ({"Output": "{% $states.errorOutput %}"}, "/States/T/Output"),
        ({"Assign": {"e": "{% $states.errorOutput.Cause %}"}}, "/States/T/Assign/e"),
        ({"Arguments": {"p": "{% $states.errorOutput %}"}}, "/States/T/Arguments/p"),
    ],
)
def test_states_error_output_outside_a_catcher(fields, location):
    assert errors(task(**fields)) == [(U, NO_ERROR_OUTPUT, location)]


def test_error_output_in_pass_output_is_refused():
    assert errors(pass_output("$states.errorOutput.Error")) == [(U, NO_ERROR_OUTPUT, "/States/E/Output/v")]


def test_result_and_error_output_where_they_exist():
    ok = task(
        Output={"r": "{% $states.result.Payload %}"},
        Assign={"r": "{% $states.result %}"},
        Catch=[
            {
                "ErrorEquals": ["States.ALL"],
                "Next": "Z",
                "Output": "{% $states.errorOutput %}",
                "Assign": {"cause": "{% $states.errorOutput.Cause & $states.input.id %}"},
            }
        ],
    )
    assert errors(ok) == []


def test_result_is_not_available_in_a_catcher():
    d = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Z", "Output": "{% $states.result %}"}])
    assert errors(d) == [(U, NO_RESULT, "/States/T/Catch[0]/Output")]


def test_the_checks_come_from_the_read_analysis(monkeypatch):
    # without the adapter's read analysis none of the refusals above would be found
    monkeypatch.setattr(jsonata, "references", lambda text: jsonata.References((), False, False, frozenset()))
    assert errors(pass_output("phone")) == []
