"""A real browser calls ``emulator serve`` from another origin (docs/rules/dynamodb.md CR1-CR3).

Headless Chromium (Debian's ``chromium``) driven by Playwright loads a page from one origin
(``http://localhost:<port>``) and calls the emulator on another (``http://127.0.0.1:<port>``) with
``fetch``, sending the headers the AWS SDK for JavaScript sends (``x-amz-target``,
``x-amz-user-agent``, ``amz-sdk-invocation-id``, ...), so the browser makes its CORS preflight and
then reads the answer and its exposed headers, as the SDK does. With ``--auth`` the request is
signed in Python (botocore) for the page to send: the browser's own headers are not signed, as
with the SDK. Skipped, saying why, without Playwright or Chromium."""

from __future__ import annotations

import http.server
import json
import shutil
import threading

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import emulator
from emulator.wire.server import EmulatorServer

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Python playwright is not installed (pip install playwright)"
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("no chromium browser on PATH (Debian: apt-get install chromium)", allow_module_level=True)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KEY, SECRET = "AKIDBROWSER", "browser-secret"
# What the JavaScript SDK v3 sends with a DynamoDB call, besides what the browser adds itself.
SDK_HEADERS = {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "DynamoDB_20120810.ListTables",
    "x-amz-user-agent": "aws-sdk-js/3.600.0 ua/2.1 os/other lang/js md/browser#Chrome api/dynamodb#3.600.0",
    "amz-sdk-invocation-id": "5f1e6c8e-6a1d-4d1f-9a0c-0a8a2f0f3c11",
    "amz-sdk-request": "attempt=1; max=3",
}
FETCH = """async ([url, headers, body]) => {
    const response = await fetch(url, {method: "POST", headers, body});
    return {
        status: response.status,
        body: await response.text(),
        requestId: response.headers.get("x-amzn-requestid"),
        crc32: response.headers.get("x-amz-crc32"),
    };
}"""


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"<!doctype html><title>page</title><p>a page on another origin</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def page_url():
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://localhost:{site.server_address[1]}/"
    site.shutdown()
    site.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # an environment where this chromium cannot start
            pytest.skip(f"chromium at {CHROMIUM} does not start under Playwright: {exc}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, page_url):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(page_url)
    yield tab
    context.close()


def signed(url: str, body: str, secret: str = SECRET) -> dict[str, str]:
    request = AWSRequest(method="POST", url=url, data=body.encode(), headers=dict(SDK_HEADERS))
    SigV4Auth(Credentials(KEY, secret), "dynamodb", "us-east-1").add_auth(request)
    return {k: v for k, v in request.headers.items() if k.lower() != "host"}


def test_a_page_on_another_origin_lists_tables(page):
    world = emulator.Emulator()
    world.dynamodb.create_table(
        TableName="from-the-browser",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    with EmulatorServer(world, port=0) as srv:
        headers = {
            **SDK_HEADERS,
            "authorization": "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
        }
        answer = page.evaluate(FETCH, [srv.endpoint_url + "/", headers, "{}"])
    world.close()
    assert answer["status"] == 200
    assert json.loads(answer["body"]) == {"TableNames": ["from-the-browser"]}
    assert answer["requestId"] and answer["crc32"]  # exposed, so the SDK can read and check them


def test_a_page_sends_a_signed_request_to_an_authenticating_server(page):
    world = emulator.Emulator()
    with EmulatorServer(world, port=0, credentials={KEY: SECRET}) as srv:
        url = srv.endpoint_url + "/"
        good = page.evaluate(FETCH, [url, signed(url, "{}"), "{}"])
        bad = page.evaluate(FETCH, [url, signed(url, "{}", "wrong-secret"), "{}"])
    world.close()
    assert (good["status"], json.loads(good["body"])) == (200, {"TableNames": []})
    assert bad["status"] == 400  # the page reads AWS's refusal, not a CORS failure
    assert json.loads(bad["body"])["__type"] == "com.amazon.coral.service#InvalidSignatureException"


def test_a_page_from_an_origin_not_allowed_cannot_read_the_answer(page):
    with EmulatorServer(emulator.Emulator(), port=0, cors=["http://allowed.example"]) as srv:
        with pytest.raises(sync_api.Error, match="Failed to fetch"):
            page.evaluate(FETCH, [srv.endpoint_url + "/", SDK_HEADERS, "{}"])
        srv.world.close()
