"""``emulator serve --tasks``: Python callables back task ARNs for HTTP clients, loaded at startup
as ``emulator run`` loads them; a module that cannot load stops the server before it listens."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import boto3
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLE = "arn:aws:iam::123456789012:role/r"
FN = "arn:aws:lambda:us-east-1:123456789012:function:double"


def serve(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def started(proc: subprocess.Popen) -> str:
    line = proc.stdout.readline()
    assert "http://127.0.0.1:" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
    return line.split(" on ", 1)[1].split(" ", 1)[0]


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)


def sfn_client(url: str):
    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="b",
    )


def run_to_end(sfn, definition: dict, payload: dict) -> dict:
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"]
    for _ in range(200):
        desc = sfn.describe_execution(executionArn=ex)
        if desc["status"] != "RUNNING":
            return desc
        time.sleep(0.05)
    raise AssertionError("the execution did not end")


def lambda_task_machine(resource: str, **extra) -> dict:
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True, **extra}}}


def test_tasks_module_with_a_tasks_dict_backs_a_lambda_invoke_over_http(tmp_path):
    module = tmp_path / "double.py"
    module.write_text(f"TASKS = {{{FN!r}: lambda event, context: {{'n': event['n'] * 2}}}}\n")
    proc = serve("--tasks", str(module))
    try:
        sfn = sfn_client(started(proc))
        machine = lambda_task_machine(
            "arn:aws:states:::lambda:invoke",
            Parameters={"FunctionName": FN, "Payload.$": "$"},
            OutputPath="$.Payload",
        )
        desc = run_to_end(sfn, machine, {"n": 21})
        assert desc["status"] == "SUCCEEDED", desc
        assert json.loads(desc["output"]) == {"n": 42}
    finally:
        stop(proc)


def test_several_tasks_modules_and_register_aws(tmp_path):
    first = tmp_path / "first.py"
    first.write_text(
        textwrap.dedent(
            f"""
            def register(aws):
                @aws.stepfunctions.task({FN!r})
                def double(event, context):
                    return event * 2
            """
        )
    )
    second = tmp_path / "second.py"
    second.write_text("TASKS = {'arn:aws:lambda:us-east-1:123456789012:function:inc': lambda e, c: e + 1}\n")
    proc = serve("--tasks", str(first), "--tasks", str(second))
    try:
        sfn = sfn_client(started(proc))
        machine = {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Task", "Resource": FN, "Next": "B"},
                "B": {
                    "Type": "Task",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:inc",
                    "End": True,
                },
            },
        }
        desc = run_to_end(sfn, machine, 20)
        assert desc["status"] == "SUCCEEDED", desc
        assert json.loads(desc["output"]) == 41
    finally:
        stop(proc)


@pytest.mark.parametrize(
    "content, why",
    [
        (None, "no such file"),
        ("def register(aws):\n    return (\n", "SyntaxError"),
        ("import no_such_module_anywhere\n", "ModuleNotFoundError"),
        ("def register(aws):\n    raise RuntimeError('no database')\n", "RuntimeError: no database"),
        ("TASKS = ['not', 'a', 'dict']\n", "TASKS must be a dict"),
        ("X = 1\n", "neither register(aws) nor TASKS"),
    ],
)
def test_a_missing_or_broken_tasks_module_is_a_startup_error_naming_the_file(tmp_path, content, why):
    module = tmp_path / "broken_tasks.py"
    if content is not None:
        module.write_text(content)
    proc = serve("--tasks", str(module))
    try:
        out, err = proc.communicate(timeout=30)
    finally:
        stop(proc)
    assert proc.returncode == 2
    assert "Traceback" not in err and "serving" not in out
    assert err.startswith("emulator serve: cannot load tasks from ") and str(module) in err
    assert why in err


def test_emulator_run_reports_a_broken_tasks_module_without_a_traceback(tmp_path):
    module = tmp_path / "broken.py"
    module.write_text("raise ValueError('bad config')\n")
    definition = tmp_path / "m.json"
    definition.write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "run", str(definition), "--tasks", str(module)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"cannot load tasks from {module}: ValueError: bad config" in done.stderr


# --- emulator serve --mock-config / SFN_MOCK_CONFIG ------------------------------------------------
SFN_LOCAL = os.path.join(REPO, "tests", "stepfunctions", "sfn_local")


def run_test_case(sfn, case: str) -> dict:
    with open(os.path.join(SFN_LOCAL, "LambdaSQSIntegration.asl.json"), encoding="utf-8") as f:
        definition = f.read()
    arn = sfn.create_state_machine(name="LambdaSQSIntegration", definition=definition, roleArn=ROLE)[
        "stateMachineArn"
    ]
    ex = sfn.start_execution(stateMachineArn=f"{arn}#{case}", name=case)["executionArn"]
    for _ in range(400):
        desc = sfn.describe_execution(executionArn=ex)
        if desc["status"] != "RUNNING":
            return desc
        time.sleep(0.05)
    raise AssertionError("the execution did not end")


def test_mock_config_flag_runs_a_test_case_over_http():
    proc = serve("--mock-config", os.path.join(SFN_LOCAL, "MockConfigFile.json"), "--clock", "virtual")
    try:
        desc = run_test_case(sfn_client(started(proc)), "RetryPath")
    finally:
        stop(proc)
    assert desc["status"] == "SUCCEEDED", desc
    assert json.loads(desc["output"])["MessageId"] == "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"


def test_sfn_mock_config_environment_variable_is_read_as_step_functions_local_reads_it(monkeypatch):
    monkeypatch.setenv("SFN_MOCK_CONFIG", os.path.join(SFN_LOCAL, "MockConfigFile.json"))
    proc = serve("--clock", "virtual")
    try:
        desc = run_test_case(sfn_client(started(proc)), "HappyPath")
    finally:
        stop(proc)
    assert desc["status"] == "SUCCEEDED", desc


@pytest.mark.parametrize(
    "content, why", [(None, "cannot read"), ("{", "is not JSON"), ('{"Oops": 1}', "unknown")]
)
def test_a_missing_or_malformed_mock_config_is_a_startup_error_naming_the_file(tmp_path, content, why):
    path = tmp_path / "MockConfigFile.json"
    if content is not None:
        path.write_text(content)
    proc = serve("--mock-config", str(path))
    try:
        out, err = proc.communicate(timeout=30)
    finally:
        stop(proc)
    assert proc.returncode == 2 and "Traceback" not in err and "serving" not in out
    assert str(path) in err and why in err
