"""``emulator serve --seed DIR``: the seed directory is loaded before the server listens; a bad
file stops it with exit status 2 and a message naming the file. ``--seed N`` still seeds random
choices."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import boto3

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
    "Items": [{"id": {"S": "a"}}],
}


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


def test_serve_loads_the_seed_directory_before_listening(tmp_path):
    (tmp_path / "dynamodb").mkdir()
    (tmp_path / "dynamodb" / "Orders.json").write_text(json.dumps(TABLE))
    proc = serve("--seed", str(tmp_path))
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, proc.stderr.read() if proc.poll() is not None else line
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        ddb = boto3.client(
            "dynamodb",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="y",
        )
        assert ddb.scan(TableName="Orders")["Items"] == [{"id": {"S": "a"}}]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)


def test_a_bad_seed_file_stops_the_server_with_status_2(tmp_path):
    (tmp_path / "dynamodb").mkdir()
    bad = tmp_path / "dynamodb" / "Orders.json"
    bad.write_text("{oops")
    proc = serve("--seed", str(tmp_path))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert f"emulator serve: seed file {bad}: is not JSON" in err
    assert "serving" not in out


def test_a_seed_that_is_neither_a_directory_nor_a_number_is_a_usage_error(tmp_path):
    proc = serve("--seed", str(tmp_path / "missing"))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "no such seed directory" in err


def test_an_integer_seed_still_seeds_random_choices():
    import argparse

    from emulator.wire.serve_command import _world, add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)

    class Recorder:
        def __init__(self, **options):
            self.options = options

    assert _world(Recorder, parser.parse_args(["--seed", "7"])).options["seed"] == 7
    assert _world(Recorder, parser.parse_args(["--random-seed", "8"])).options["seed"] == 8
