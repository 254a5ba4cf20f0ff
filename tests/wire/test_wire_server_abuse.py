"""The HTTP door under hostile or careless clients: every size is checked before it is read, every
unreadable request is answered (400, 408, 413, 414, 431, 501) rather than dropped, idle connections
are closed, threads stay bounded however many connections are open, and long polls cannot starve
the other requests.

Each test bounds its own waiting with socket timeouts: a server that hangs fails the test, and no
test asserts how long anything took.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading

import pytest

import emulator
from emulator.wire.awsjson import MAX_REQUEST_BYTES
from emulator.wire.server import EmulatorServer

JSON10 = "application/x-amz-json-1.0"
LIST_TABLES = "DynamoDB_20120810.ListTables"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT = 20.0  # the longest any single read may wait before the test fails


@pytest.fixture(scope="module")
def server():
    srv = EmulatorServer(emulator.Emulator(), port=0, idle_timeout=0.5).start()
    yield srv
    srv.stop()
    srv.world.close()


def connection(server) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=WAIT)
    return sock


def head(target: str = LIST_TABLES, *extra: str, length: int | None = None) -> bytes:
    lines = ["POST / HTTP/1.1", "Host: x", f"X-Amz-Target: {target}", f"Content-Type: {JSON10}", *extra]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunked_head(*extra: str) -> bytes:
    return head(LIST_TABLES, "Transfer-Encoding: chunked", *extra)


def read_response(
    sock: socket.socket, buffered: bytearray | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One response from ``sock``: (status, lower-cased headers, body)."""
    buf = buffered if buffered is not None else bytearray()
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        assert data, f"the server closed the connection without an answer (got {bytes(buf)!r})"
        buf += data
    end = buf.index(b"\r\n\r\n") + 4
    lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
    del buf[:end]
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(buf) < length:
        data = sock.recv(65536)
        assert data, "the server closed the connection mid-answer"
        buf += data
    body = bytes(buf[:length])
    del buf[:length]
    return int(lines[0].split()[1]), headers, body


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closes ``sock`` (read until EOF; a timeout fails the test)."""
    while True:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            return True
        if not data:
            return True


def send_quietly(sock: socket.socket, data: bytes) -> None:
    """Send what the server may refuse to read to the end (it answers and closes first)."""
    try:
        sock.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass


def answer_to(server, data: bytes) -> tuple[int, dict[str, str], bytes]:
    with connection(server) as sock:
        send_quietly(sock, data)
        return read_response(sock)


def still_serves(sock: socket.socket) -> bool:
    sock.sendall(head(length=2) + b"{}")
    status, _, body = read_response(sock)
    return (status, body) == (200, b'{"TableNames":[]}')


# --- chunked bodies ---------------------------------------------------------------------------------


def test_a_chunk_size_beyond_16_mb_is_413_before_the_chunk_is_read(server):
    for size in (b"FFFFFFFFFFFF", b"40000000", b"0000000000000000000000040000000"):  # 281 TB, 1 GB, padded
        with connection(server) as sock:
            send_quietly(sock, chunked_head() + size + b"\r\n" + b"x" * 1000)
            status, headers, body = read_response(sock)
            assert (status, body) == (413, b"") and headers["connection"] == "close"
            assert closed_by_server(sock)


@pytest.mark.parametrize("size_line", [b"zz", b"0x10", b"1_0", b"-5", b"+5", b"", b" ; ext", b"1 0"])
def test_a_malformed_chunk_size_is_400(server, size_line):
    status, headers, _ = answer_to(server, chunked_head() + size_line + b"\r\n{}\r\n0\r\n\r\n")
    assert status == 400 and headers["connection"] == "close"


def test_an_overlong_chunk_size_line_is_400(server):
    for line in (b"2;" + b"e" * 70_000, b"0" * 70_000 + b"2"):
        status, _, _ = answer_to(server, chunked_head() + line + b"\r\n{}\r\n0\r\n\r\n")
        assert status == 400


def test_chunk_data_longer_than_its_size_is_400(server):
    status, _, _ = answer_to(server, chunked_head() + b"1\r\n{}\r\n0\r\n\r\n")
    assert status == 400


def test_chunks_adding_up_past_16_mb_are_413_and_the_connection_survives(server):
    megabyte = b"100000\r\n" + b" " * (1 << 20) + b"\r\n"
    with connection(server) as sock:
        sock.sendall(chunked_head() + megabyte * 17 + b"0\r\n\r\n")
        status, _, body = read_response(sock)
        assert (status, body) == (413, b"")
        assert still_serves(sock)


def test_chunks_adding_up_far_past_16_mb_are_413_without_reading_them_all(server):
    with connection(server) as sock:
        send_quietly(
            sock,
            chunked_head()
            + b"F00000\r\n"
            + b" " * 0xF00000
            + b"\r\n"
            + b"F00000\r\n"
            + b" " * 0xF00000
            + b"\r\n"
            + b"F00000\r\n",
        )
        status, headers, _ = read_response(sock)
        assert status == 413 and headers["connection"] == "close"


def test_a_chunked_body_with_trailers_is_read(server):
    status, _, body = answer_to(server, chunked_head() + b"2;name=v\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n")
    assert (status, body) == (200, b'{"TableNames":[]}')


def test_an_unknown_transfer_coding_is_501(server):
    for coding in ("gzip", "gzip, chunked", "identity"):
        status, _, _ = answer_to(server, head(LIST_TABLES, f"Transfer-Encoding: {coding}") + b"{}")
        assert status == 501


# --- Content-Length -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "-1", "+2", "1_0", "2, 2", "", "\u0662", "0x2", "2.0"])
def test_a_malformed_content_length_is_400(server, value):
    status, headers, _ = answer_to(server, head(LIST_TABLES, f"Content-Length: {value}") + b"{}")
    assert status == 400 and headers["connection"] == "close"


def test_two_different_content_lengths_are_400(server):
    status, _, _ = answer_to(server, head(LIST_TABLES, "Content-Length: 2", "Content-Length: 3") + b"{} ")
    assert status == 400


def test_a_huge_content_length_is_413_without_waiting_for_the_body(server):
    for length in (10 * 1024**3, 10**30):
        with connection(server) as sock:
            sock.sendall(head(length=length) + b"{")
            status, headers, body = read_response(sock)
            assert (status, body) == (413, b"") and headers["connection"] == "close"
            assert closed_by_server(sock)


def test_an_announced_body_over_16_mb_is_refused_before_100_continue(server):
    with connection(server) as sock:
        sock.sendall(head(LIST_TABLES, "Expect: 100-continue", length=MAX_REQUEST_BYTES + 1))
        status, headers, _ = read_response(sock)
        assert status == 413 and headers["connection"] == "close"


def test_a_body_just_over_16_mb_by_content_length_is_413_and_drained(server):
    with connection(server) as sock:
        sock.sendall(head(length=MAX_REQUEST_BYTES + 1) + b" " * (MAX_REQUEST_BYTES + 1))
        status, _, _ = read_response(sock)
        assert status == 413
        assert still_serves(sock)


def test_a_body_cut_short_by_the_client_is_400(server):
    with connection(server) as sock:
        sock.sendall(head(length=100) + b'{"x": ')
        sock.shutdown(socket.SHUT_WR)
        status, _, _ = read_response(sock)
        assert status == 400
        assert closed_by_server(sock)


def test_a_body_that_stops_arriving_is_408_after_the_idle_timeout(server):
    with connection(server) as sock:
        sock.sendall(head(length=100) + b'{"x": ')
        status, headers, _ = read_response(sock)
        assert status == 408 and headers["connection"] == "close"
        assert closed_by_server(sock)


def test_a_head_that_stops_arriving_is_408_after_the_idle_timeout(server):
    with connection(server) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nX-Amz-Target: Dynamo")
        status, _, _ = read_response(sock)
        assert status == 408
        assert closed_by_server(sock)


# --- heads ---------------------------------------------------------------------------------------


def test_too_many_header_lines_are_431(server):
    flood = [f"X-Flood-{i}: {i}" for i in range(101)]
    status, _, _ = answer_to(server, head(LIST_TABLES, *flood, length=2) + b"{}")
    assert status == 431


def test_an_overlong_header_line_is_431(server):
    status, _, _ = answer_to(server, head(LIST_TABLES, "X-Big: " + "h" * 70_000, length=2) + b"{}")
    assert status == 431


def test_headers_adding_up_past_the_head_limit_are_431(server):
    flood = [f"X-Flood-{i}: " + "h" * 60_000 for i in range(3)]
    status, _, _ = answer_to(server, head(LIST_TABLES, *flood, length=2) + b"{}")
    assert status == 431


def test_an_overlong_request_line_is_414(server):
    status, _, _ = answer_to(server, b"POST /" + b"p" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert status == 414


def test_a_request_line_without_an_end_is_414(server):
    status, _, _ = answer_to(server, b"POST /" + b"p" * 200_000)
    assert status == 414


# --- connections ------------------------------------------------------------------------------------


def test_an_idle_connection_is_closed_after_the_idle_timeout(server):
    with connection(server) as sock:
        assert still_serves(sock)
        assert closed_by_server(sock)
    with connection(server) as sock:  # connected, never sent a byte
        assert closed_by_server(sock)


def test_the_idle_timeout_must_be_positive():
    with pytest.raises(ValueError):
        EmulatorServer(None, port=0, idle_timeout=0)


def test_many_concurrent_connections_are_answered_by_a_bounded_pool():
    n = 300
    with EmulatorServer(emulator.Emulator(), port=0, threads=4) as srv:
        threads_before = threading.active_count()
        socks = [socket.create_connection((srv.host, srv.port), timeout=WAIT) for _ in range(n)]
        try:
            for sock in socks:
                sock.sendall(head(length=2) + b"{}")
            answers = [read_response(sock) for sock in socks]
            assert all(status == 200 for status, _, _ in answers)
            assert srv.open_connections == n
            assert srv.request_threads <= 4
            assert threading.active_count() - threads_before <= 4
            for sock in socks:  # the connections stay usable once idle
                assert still_serves(sock)
        finally:
            for sock in socks:
                sock.close()
        srv.world.close()


def test_connections_past_the_limit_wait_to_be_accepted():
    with EmulatorServer(emulator.Emulator(), port=0, max_connections=2) as srv:
        first, second = (socket.create_connection((srv.host, srv.port), timeout=WAIT) for _ in range(2))
        assert still_serves(first) and still_serves(second)
        third = socket.create_connection((srv.host, srv.port), timeout=WAIT)  # in the listen queue
        third.sendall(head(length=2) + b"{}")
        assert srv.open_connections == 2
        first.close()
        status, _, _ = read_response(third)
        assert status == 200
        for sock in (second, third):
            sock.close()
        srv.world.close()


def test_long_polls_cannot_starve_the_other_requests():
    """More GetActivityTask long polls than request threads: other calls are still answered."""
    world = emulator.Emulator(clock="system")
    with EmulatorServer(world, port=0, threads=2) as srv:
        arn = world.stepfunctions.create_activity(name="work")["activityArn"]
        poll = json.dumps({"activityArn": arn}).encode()
        pollers = [socket.create_connection((srv.host, srv.port), timeout=90) for _ in range(4)]
        for sock in pollers:
            sock.sendall(head("AWSStepFunctions.GetActivityTask", length=len(poll)) + poll)
        with connection(srv) as sock:
            for _ in range(3):
                assert still_serves(sock)
            delete = json.dumps({"activityArn": arn}).encode()
            sock.sendall(head("AWSStepFunctions.DeleteActivity", length=len(delete)) + delete)
            assert read_response(sock)[0] == 200
        for sock in pollers:  # the deleted activity's pollers answer with no task
            status, _, body = read_response(sock)
            assert (status, json.loads(body)) == (200, {})
            sock.close()
    world.close()


# --- listening beyond loopback ------------------------------------------------------------------------


def test_serving_on_every_interface_names_that_address_and_warns():
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--host", "0.0.0.0", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        line = proc.stdout.readline()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert " on http://0.0.0.0:" in line, line
    assert "warning" in err and "accepts any credentials" in err and "anyone who can reach" in err


def test_serving_on_loopback_does_not_warn():
    with EmulatorServer(None, port=0) as srv:
        from emulator.wire.serve_command import exposure_warning

        assert srv.loopback_only and exposure_warning(srv) is None
        assert srv.url == srv.endpoint_url == f"http://127.0.0.1:{srv.port}"


# --- emulator serve ---------------------------------------------------------------------------------


def test_serve_answers_abuse_without_a_traceback():
    """The probe's malformed chunks once dropped the connection and printed a traceback."""
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--idle-timeout", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        url = proc.stdout.readline().split(" on ", 1)[1].split(" ", 1)[0]
        host, port = url.removeprefix("http://").split(":")
        srv = type("Address", (), {"host": host, "port": int(port)})
        for size_line in (b"FFFFFFFFFFFF", b"2;" + b"e" * 70_000, b"zz"):
            status, _, _ = answer_to(srv, chunked_head() + size_line + b"\r\n{}\r\n0\r\n\r\n")
            assert status in (400, 413)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err, err


@pytest.mark.parametrize(
    "option",
    [
        ["--idle-timeout", "0"],
        ["--idle-timeout", "soon"],
        ["--idle-timeout", "inf"],
        ["--max-connections", "0"],
        ["--max-connections", "many"],
    ],
)
def test_serve_refuses_a_bad_limit_as_a_usage_error(option, capsys):
    from emulator.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", "0", *option])
    assert exit_info.value.code == 2
    assert f"argument {option[0]}: invalid" in capsys.readouterr().err
