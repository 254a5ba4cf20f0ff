"""The picture of a state machine and of one execution (issue 15 section 1): every state drawn,
the path taken highlighted, failed / caught / retried states marked, Map iterations and Parallel
branches counted, durations on the execution's clock; Mermaid text that parses, SVG that is
well-formed with no overlapping boxes, and an HTML page that embeds it."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET

import pytest

from emulator.cli import main
from emulator.stepfunctions.picture import MissingExtra, draw
from emulator.stepfunctions.picture.labels import duration
from emulator.stepfunctions.picture.source import render
from tests.stepfunctions.workflow_helpers import create

FN = "arn:aws:lambda:us-east-1:123456789012:function:"
SVG = "{http://www.w3.org/2000/svg}"

ORDER = {
    "StartAt": "Fetch",
    "States": {
        "Fetch": {
            "Type": "Task",
            "Resource": FN + "flaky",
            "Retry": [{"ErrorEquals": ["TimeoutError"], "IntervalSeconds": 2, "MaxAttempts": 3}],
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ResultPath": "$.doubled",
            "ItemProcessor": {
                "StartAt": "Double",
                "States": {"Double": {"Type": "Task", "Resource": FN + "double", "End": True}},
            },
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "ResultPath": None,
            "Branches": [
                {"StartAt": "Quick", "States": {"Quick": {"Type": "Pass", "End": True}}},
                {"StartAt": "Day", "States": {"Day": {"Type": "Wait", "Seconds": 86400, "End": True}}},
            ],
            "Next": "Charge",
        },
        "Charge": {
            "Type": "Task",
            "Resource": FN + "charge",
            "Catch": [{"ErrorEquals": ["ValueError"], "ResultPath": "$.error", "Next": "Refund"}],
            "Next": "Done",
        },
        "Refund": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Done"}],
            "Default": "Failed",
        },
        "Done": {"Type": "Succeed"},
        "Failed": {"Type": "Fail", "Error": "Refunded", "Cause": "the charge was declined"},
    },
}
NAMES = ["Fetch", "Each", "Double", "Both", "Quick", "Day", "Charge", "Refund", "Done", "Failed"]


def _register(aws):
    sfn, calls = aws.stepfunctions, {"n": 0}

    @sfn.task(FN + "flaky")
    def flaky(event, context):
        calls["n"] += 1
        if calls["n"] < 3:
            raise TimeoutError("try again")
        return {"ok": False, "items": [1, 2, 3]}

    sfn.task(FN + "double")(lambda n, context: n * 2)

    @sfn.task(FN + "charge")
    def charge(event, context):
        raise ValueError("card declined")


@pytest.fixture
def order(aws):
    """The ORDER workflow run once: retried, mapped, a day's wait, caught, failed."""
    _register(aws)
    arn = create(aws.stepfunctions, json.dumps(ORDER), name="order")
    ex = aws.stepfunctions.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    assert aws.stepfunctions.describe_execution(executionArn=ex)["status"] == "FAILED"
    return ex


def _states(svg_text):
    """data-state → (classes, text lines, rect geometry) of each state group of an SVG."""
    root = ET.fromstring(svg_text)
    out = {}
    for g in root.iter(SVG + "g"):
        if g.get("data-state"):
            rect = g.find(SVG + "rect")
            box = tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))
            out[g.get("data-state")] = (
                set(g.get("class").split()),
                [t.text for t in g.iter(SVG + "text")],
                box,
            )
    return out


def test_every_state_is_drawn_in_every_format(aws, order):
    svg = aws.stepfunctions.render(order, format="svg")
    assert sorted(_states(svg)) == sorted(NAMES)
    mermaid = aws.stepfunctions.render(order, format="mermaid")
    for name in NAMES:
        assert re.search(rf'\["{name}(<br/>| · )', mermaid), name


def test_the_path_taken_carries_the_path_class_and_the_rest_not_run(aws, order):
    states = _states(aws.stepfunctions.render(order, format="svg"))
    for name in ("Fetch", "Each", "Double", "Both", "Quick", "Day", "Charge", "Refund", "Failed"):
        assert "path" in states[name][0], name
    assert "notrun" in states["Done"][0] and "path" not in states["Done"][0]


def test_the_failed_state_is_red(aws, order):
    svg = aws.stepfunctions.render(order, format="svg")
    classes, lines, _ = _states(svg)["Failed"]
    assert "failed" in classes and "✗ failed: Refunded" in lines
    assert re.search(r"\.failed > rect \{[^}]*stroke: #d13212", svg)  # red, as the console's
    assert not any("failed" in c for n, (c, _, _) in _states(svg).items() if n != "Failed")


def test_a_caught_error_and_a_retried_task_are_marked(aws, order):
    states = _states(aws.stepfunctions.render(order, format="svg"))
    assert "caught" in states["Charge"][0] and "⤷ caught: ValueError" in states["Charge"][1]
    assert "retried" in states["Fetch"][0] and "↻ retried ×2" in states["Fetch"][1]
    assert "retried" not in states["Double"][0]  # three entries (iterations) are not retries


def test_the_catch_taken_is_drawn_dashed_and_on_the_path(aws, order):
    root = ET.fromstring(aws.stepfunctions.render(order, format="svg"))
    edges = [set(p.get("class").split()) for p in root.iter(SVG + "path") if "edge" in (p.get("class") or "")]
    assert {"edge", "catch", "taken"} in edges
    mermaid = aws.stepfunctions.render(order, format="mermaid")
    assert '-.->|"Catch ValueError"|' in mermaid


def test_map_iterations_and_parallel_branches_are_counted(aws, order):
    states = _states(aws.stepfunctions.render(order, format="svg"))
    assert "3 iterations (3 succeeded)" in states["Each"][1]
    assert any("2 branches" in line for line in states["Both"][1])
    assert any("×3" in line for line in states["Double"][1])  # entered once per item


def test_each_state_shows_its_duration_on_the_execution_clock(aws, order):
    states = _states(aws.stepfunctions.render(order, format="svg"))
    assert "Wait · 1 d" in states["Day"][1]  # a day, though the virtual clock ran it at once
    assert "Task · 6 s" in states["Fetch"][1]  # two retry intervals: 2 s, then 4 s
    assert any(line.endswith("· 1 d") for line in states["Both"][1])


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "0 ms"),
        (0.25, "250 ms"),
        (2.5, "2.5 s"),
        (6, "6 s"),
        (125, "2 min 5 s"),
        (3600, "1 h"),
        (86400, "1 d"),
    ],
)
def test_durations_read_as_a_person_says_them(seconds, text):
    assert duration(seconds) == text


def _mermaid_problems(text):
    """What a Mermaid flowchart parser would reject: the basics of the grammar we emit."""
    lines = text.splitlines()
    problems = [] if lines[0] == "flowchart TD" else ["no flowchart header"]
    depth, defined, links = 0, {"start", "finish"}, 0
    for line in lines[1:]:
        s = line.strip()
        if m := re.fullmatch(r'subgraph (\w+) \["[^"]*"\]', s):
            depth += 1
            defined.add(m[1])
        elif s == "end":
            depth -= 1
        elif m := re.fullmatch(r'(\w+)\["[^"]*"\]', s):
            defined.add(m[1])
        elif m := re.fullmatch(r'(\w+) (-->|-\.->)(\|"[^"]*"\|)? (\w+)', s):
            links += 1
            problems += [f"undefined {n}" for n in (m[1], m[4]) if n not in defined]
        elif m := re.fullmatch(r"linkStyle ([\d,]+) .+", s):
            problems += [f"no link {i}" for i in m[1].split(",") if int(i) >= links]
        elif m := re.fullmatch(r"class ([\w,]+) (\w+)", s):
            problems += [f"class of undefined {n}" for n in m[1].split(",") if n not in defined]
        elif not re.fullmatch(r'(direction TB|classDef \w+ [\w:#,.-]+|\w+\(\("[^"]*"\)\))', s):
            problems.append(f"unparsed: {s}")
        if depth < 0:
            problems.append("end without subgraph")
    return problems + (["unclosed subgraph"] if depth else [])


def test_mermaid_output_is_a_valid_flowchart(aws, order):
    text = aws.stepfunctions.render(order, format="mermaid")
    assert _mermaid_problems(text) == []
    assert "classDef failed" in text and re.search(r"^  class \S+ failed$", text, re.M)
    assert _mermaid_problems(draw(ORDER, format="mermaid")) == []


def test_mermaid_labels_escape_quotes():
    definition = {"StartAt": 'Say "hi"', "States": {'Say "hi"': {"Type": "Pass", "End": True}}}
    text = draw(definition, format="mermaid")
    assert "Say #quot;hi#quot;" in text and _mermaid_problems(text) == []


def _overlaps(states):
    """Pairs of state boxes that overlap without one holding the other (a cluster holds its states)."""
    boxes = sorted((name, box) for name, (_, _, box) in states.items())
    bad = []
    for i, (a, (ax, ay, aw, ah)) in enumerate(boxes):
        for b, (bx, by, bw, bh) in boxes[i + 1 :]:
            apart = ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
            inside = (ax <= bx and ay <= by and bx + bw <= ax + aw and by + bh <= ay + ah) or (
                bx <= ax and by <= ay and ax + aw <= bx + bw and ay + ah <= by + bh
            )
            if not (apart or inside):
                bad.append((a, b))
    return bad


WIDE = {
    "StartAt": "Route",
    "States": {
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericEquals": i, "Next": f"Case{i}"} for i in range(5)],
            "Default": "Again",
        },
        **{f"Case{i}": {"Type": "Pass", "Next": "Join"} for i in range(5)},
        "Again": {"Type": "Wait", "Seconds": 1, "Next": "Route"},  # a loop back
        "Join": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": f"B{i}", "States": {f"B{i}": {"Type": "Pass", "End": True}}} for i in range(3)
            ],
            "Next": "Self",
        },
        "Self": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.again", "BooleanEquals": True, "Next": "Self"}],
            "Default": "End",
        },
        "End": {"Type": "Succeed"},
    },
}


@pytest.mark.parametrize("definition", [ORDER, WIDE], ids=["order", "wide"])
def test_svg_is_well_formed_with_no_overlapping_boxes(definition):
    svg = draw(definition, format="svg")
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == SVG + "svg"
    states = _states(svg)
    assert len(states) == sum(1 for _ in _all_names(definition))
    assert _overlaps(states) == []
    width, height = float(root.get("width")), float(root.get("height"))
    assert all(
        x >= 0 and y >= 0 and x + w <= width and y + h <= height for _, _, (x, y, w, h) in states.values()
    )


def _all_names(definition):
    for name, state in definition["States"].items():
        yield name
        for inner in state.get("Branches", []) + [state.get("ItemProcessor") or {"States": {}}]:
            yield from _all_names(inner)


def test_svg_of_the_execution_has_no_overlapping_boxes(aws, order):
    assert _overlaps(_states(aws.stepfunctions.render(order, format="svg"))) == []


def test_html_embeds_the_svg_and_each_states_input_and_output(aws, order):
    page = aws.stepfunctions.render(order, format="html")
    assert page.startswith("<!DOCTYPE html>")
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    assert sorted(_states(svg)) == sorted(NAMES)
    data = json.loads(
        re.search(r'<script type="application/json" id="state-runs">(.*?)</script>', page, re.S)[1]
    )
    assert [run["output"] for run in data["Double"]["runs"]] == [2, 4, 6]
    assert data["Fetch"]["runs"] == [{"input": {}, "output": {"ok": False, "items": [1, 2, 3]}}]
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no external assets: it opens offline


def test_a_state_machine_arn_or_definition_draws_without_an_execution(aws):
    arn = create(aws.stepfunctions, json.dumps(ORDER), name="order")
    for source in (arn, ORDER, json.dumps(ORDER)):
        states = _states(aws.stepfunctions.render(source, format="svg"))
        assert sorted(states) == sorted(NAMES)
        assert not any({"path", "notrun"} & classes for classes, _, _ in states.values())


def test_unknown_formats_and_sources_are_refused(aws):
    with pytest.raises(ValueError, match="unknown picture format"):
        aws.stepfunctions.render(ORDER, format="png")
    with pytest.raises(ValueError, match="execution ARN, a state machine ARN or a definition"):
        aws.stepfunctions.render("not an arn")


def test_svg_without_grandalf_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "grandalf", None)
    monkeypatch.setitem(sys.modules, "grandalf.graphs", None)
    with pytest.raises(MissingExtra, match=r"\[picture\]"):
        draw(ORDER, format="svg")
    assert draw(ORDER, format="mermaid").startswith("flowchart TD")  # Mermaid needs nothing


def test_a_failure_inside_a_map_iteration_marks_the_state_and_the_map(aws):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "C",
                    "States": {
                        "C": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}],
                            "Default": "OK",
                        },
                        "F": {"Type": "Fail", "Error": "Boom"},
                        "OK": {"Type": "Pass", "End": True},
                    },
                },
                "End": True,
            }
        },
    }
    arn = create(aws.stepfunctions, json.dumps(definition))
    ex = aws.stepfunctions.start_execution(stateMachineArn=arn, input="[1, 2]")["executionArn"]
    states = _states(aws.stepfunctions.render(ex))
    assert "failed" in states["F"][0] and "failed" in states["M"][0]
    assert "failed" not in states["OK"][0]
    assert any(line.startswith("2 iterations (") and "1 failed" in line for line in states["M"][1])


def test_a_distributed_map_counts_its_map_runs_items(aws):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
    arn = create(aws.stepfunctions, json.dumps(definition))
    ex = aws.stepfunctions.start_execution(stateMachineArn=arn, input="[1, 2, 3, 4]")["executionArn"]
    states = _states(aws.stepfunctions.render(ex))
    assert "Map (distributed) · 0 ms" in states["M"][1][1]
    assert "4 iterations (4 succeeded)" in states["M"][1]


def test_render_reads_only_the_public_api(aws, order, sfn):
    """The same picture from a boto3 client or one over HTTP as from the native client."""
    assert render(sfn, order, "mermaid") == aws.stepfunctions.render(order, format="mermaid")


@pytest.mark.parametrize(
    "suffix, head",
    [
        (".svg", "<svg"),
        (".html", "<!DOCTYPE html>"),
        (".mmd", "flowchart TD"),
        (".md", "```mermaid\nflowchart TD"),
    ],
)
def test_run_graph_writes_the_picture_by_the_files_suffix(tmp_path, capsys, suffix, head):
    d = tmp_path / "flow.json"
    d.write_text(
        json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": True}}})
    )
    out = tmp_path / ("picture" + suffix)
    assert main(["run", str(d), "--graph", str(out), "--no-timeline"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(head) and "Wait · 1 d" in text


def test_run_graph_refuses_an_unknown_suffix(tmp_path, capsys):
    d = tmp_path / "flow.json"
    d.write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    assert main(["run", str(d), "--graph", str(tmp_path / "picture.png")]) == 2
    assert "the suffix says the format" in capsys.readouterr().err


def test_a_state_waiting_on_a_task_token_is_in_progress(aws):
    definition = {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "ask", "Payload": {"token.$": "$$.Task.Token"}},
                "End": True,
            }
        },
    }
    aws.stepfunctions.task("ask")(lambda event, context: None)
    arn = create(aws.stepfunctions, json.dumps(definition))
    ex = aws.stepfunctions.start_execution(stateMachineArn=arn)["executionArn"]
    aws.clock.advance(hours=2)
    classes, lines, _ = _states(aws.stepfunctions.render(ex))["Ask"]
    assert "running" in classes and lines == ["Ask", "Task", "… in progress"]
    assert "class n0 running" in aws.stepfunctions.render(ex, format="mermaid")


def test_a_task_that_fails_after_its_retries_shows_the_time_they_took(aws):
    definition = {
        "StartAt": "Flaky",
        "States": {
            "Flaky": {
                "Type": "Task",
                "Resource": FN + "always",
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 60, "MaxAttempts": 2}],
                "End": True,
            }
        },
    }

    @aws.stepfunctions.task(FN + "always")
    def always(event, context):
        raise RuntimeError("no")

    arn = create(aws.stepfunctions, json.dumps(definition))
    ex = aws.stepfunctions.start_execution(stateMachineArn=arn)["executionArn"]
    classes, lines, _ = _states(aws.stepfunctions.render(ex))["Flaky"]
    assert {"failed", "retried"} <= classes
    assert "Task · 3 min" in lines and "↻ retried ×2" in lines and "✗ failed: RuntimeError" in lines


def test_a_distributed_map_child_execution_draws_its_item_processor(aws):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
    sfn = aws.stepfunctions
    arn = create(sfn, json.dumps(definition))
    ex = sfn.start_execution(stateMachineArn=arn, input="[1, 2]")["executionArn"]
    run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    child = sfn.list_executions(mapRunArn=run)["executions"][0]["executionArn"]
    states = _states(sfn.render(child))
    assert list(states) == ["P"] and "path" in states["P"][0]


def test_run_graph_of_an_express_execution_draws_the_state_machine(tmp_path, capsys):
    d = tmp_path / "flow.json"
    d.write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    out = tmp_path / "picture.mmd"
    assert main(["run", str(d), "--type", "EXPRESS", "--graph", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert '["P<br/>Pass"]' in text and "class " not in text  # Express keeps no history to overlay


def test_html_keeps_markup_in_a_states_input_inside_its_data_island(aws):
    pass_through = {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}}
    arn = create(aws.stepfunctions, json.dumps(pass_through), name="echo")
    markup = {"x": "<!--<script></script>"}  # unescaped, the island would swallow the page script
    run = aws.stepfunctions.start_execution(stateMachineArn=arn, input=json.dumps(markup))["executionArn"]
    aws.stepfunctions.run_until_idle()
    page = aws.stepfunctions.render(run, format="html")
    island = re.search(r'<script type="application/json" id="state-runs">(.*?)</script>', page, re.S)[1]
    assert "<" not in island and json.loads(island)["Echo"]["runs"] == [{"input": markup, "output": markup}]
