"""The control path (/_emulator/): routing by exact path and by prefix, 404 and 405 answers."""

from __future__ import annotations

import http.client
import json

import pytest

from emulator import Emulator
from emulator.wire import control
from emulator.wire.server import EmulatorServer


@pytest.fixture
def server():
    with EmulatorServer(Emulator(), port=0) as srv:
        yield srv


@pytest.fixture
def echo_routes(monkeypatch):
    monkeypatch.setattr(control, "_EXACT", {})
    monkeypatch.setattr(control, "_PREFIXES", {})
    monkeypatch.setattr(control, "_loaded", True)

    @control.route("POST", "/_emulator/echo")
    def echo(request):
        return control.json_answer({"got": request.json(), "query": request.query})

    @control.route("GET", "/_emulator/pages/", prefix=True)
    def pages(request):
        return control.ControlAnswer(200, request.path.encode(), {"Content-Type": "text/plain"})


def _call(server, method, path, body=b""):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_an_exact_route_reads_body_and_query(server, echo_routes):
    status, _, body = _call(server, "POST", "/_emulator/echo?service=dynamodb", b'{"a": 1}')
    assert status == 200
    assert json.loads(body) == {"got": {"a": 1}, "query": {"service": "dynamodb"}}


def test_a_prefix_route_takes_every_path_below_it(server, echo_routes):
    status, headers, body = _call(server, "GET", "/_emulator/pages/tables/Orders")
    assert (status, body) == (200, b"/_emulator/pages/tables/Orders")
    assert headers["Content-Type"] == "text/plain"


def test_an_unknown_control_path_is_a_json_404(server, echo_routes):
    status, _, body = _call(server, "GET", "/_emulator/nothing-here")
    assert status == 404
    assert json.loads(body)["message"] == "no control endpoint at /_emulator/nothing-here"


def test_another_method_on_a_known_path_is_405_with_allow(server, echo_routes):
    status, headers, _ = _call(server, "GET", "/_emulator/echo")
    assert status == 405
    assert headers["Allow"] == "POST"


def test_a_body_that_is_not_json_is_400(server, echo_routes):
    status, _, body = _call(server, "POST", "/_emulator/echo", b"{not json")
    assert status == 400
    assert json.loads(body)["error"] == "BadRequest"


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/_emulator/info"),
        ("POST", "/_emulator/reset"),
        ("GET", "/_emulator/faults"),
        ("GET", "/_emulator/usage"),
        ("GET", "/_emulator/ui"),
    ],
)
def test_every_route_of_a_server_without_an_emulator_is_503(method, path):
    """Once only the state routes checked; the others dropped the connection with a traceback."""
    with EmulatorServer(None, port=0) as srv:
        status, _, body = _call(srv, method, path)
    assert status == 503
    assert json.loads(body)["error"] == "NoEmulator"


def test_a_route_must_live_under_the_prefix():
    with pytest.raises(ValueError):
        control.route("GET", "/elsewhere")


def test_paths_outside_the_prefix_keep_aws_answers(server):
    status, _, _ = _call(server, "GET", "/_emulatorx")
    assert status == 404
    status, _, body = _call(server, "GET", "/")
    assert status == 200
