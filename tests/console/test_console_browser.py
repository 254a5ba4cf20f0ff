"""The console in a real browser: Playwright for Python drives the system's chromium against a
served world. A workflow started through boto3 appears on the open page by live update, and when
it fails, its execution page marks the state it failed in.

Skipped only when no browser can be had: without the ``playwright`` package or without a chromium
executable (``.ci/run`` installs both: the Debian ``chromium`` package and the ``console-test``
extra). A browser that is installed but does not start is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import shutil

import boto3
import pytest

from emulator.wire.server import EmulatorServer
from tests.console.console_world import FAILING, ROLE

sync_api = pytest.importorskip(
    "playwright.sync_api", reason='Playwright for Python is not installed (pip install -e ".[console-test]")'
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 15_000


def _chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("no chromium executable found (Debian: apt-get install chromium; .ci/run installs it)")
    return found


@pytest.fixture
def browser_page():
    executable = _chromium()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


@pytest.fixture
def served(aws):
    with EmulatorServer(aws, port=0) as server:
        yield server


def _boto3_sfn(server: EmulatorServer):
    return boto3.client(
        "stepfunctions",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_a_failed_execution_appears_live_with_its_failed_state_marked(browser_page, served, aws):
    page = browser_page
    page.goto(f"{served.endpoint_url}/_emulator/ui/statemachines")
    assert page.locator("main").inner_text().strip().endswith("No state machines.")

    sfn = _boto3_sfn(served)
    arn = sfn.create_state_machine(name="Failing", definition=json.dumps(FAILING), roleArn=ROLE)[
        "stateMachineArn"
    ]
    run = sfn.start_execution(stateMachineArn=arn, name="run-1")["executionArn"]

    link = page.locator("a.execution", has_text="run-1")
    link.wait_for(timeout=WAIT_MS)  # the list page polled its twin and swapped in the new execution
    link.click()
    page.wait_for_url(f"**/_emulator/ui/executions/{run}")
    page.locator('tr.running[data-state="Wait"]').wait_for(timeout=WAIT_MS)

    aws.clock.advance(hours=1)  # the Wait ends; the workflow fails in Boom
    failed = page.locator('tr.failed[data-state="Boom"]')
    failed.wait_for(timeout=WAIT_MS)  # the execution page polled its twin
    assert page.locator(".status").first.inner_text() == "FAILED"
    assert failed.evaluate("row => getComputedStyle(row.cells[0]).color") == "rgb(209, 50, 18)"
    assert page.locator("tr.failed").count() == 1
    assert sfn.describe_execution(executionArn=run)["status"] == "FAILED"
