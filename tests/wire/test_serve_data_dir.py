"""A durable server killed mid-load keeps every acknowledged write (``serve --data-dir``).

Eight threads write over HTTP with boto3; the server gets SIGKILL while they write; a new server
on the same directory must hold every write that was acknowledged, and every item it holds must
be whole (a write that was not acknowledged may or may not be there, but never half there).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import boto3
from botocore.config import Config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
THREADS = 8


def serve(data_dir: str) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--data-dir", data_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    line = proc.stdout.readline()
    assert "http://127.0.0.1:" in line, (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc, line.split(" on ", 1)[1].split(" ", 1)[0]


def client(url: str):
    return boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="b",
        config=Config(retries={"max_attempts": 0}, connect_timeout=5, read_timeout=30),
    )


def writer(url: str, thread: int, acknowledged: list[str], stop: threading.Event) -> None:
    ddb = client(url)
    i = 0
    while not stop.is_set():
        key = f"{thread}-{i}"
        try:
            ddb.put_item(
                TableName="Crash", Item={"id": {"S": key}, "payload": {"S": key * 20}, "n": {"N": str(i)}}
            )
        except Exception:  # the server is gone: this write was never acknowledged
            return
        acknowledged.append(key)
        i += 1


def test_every_acknowledged_write_survives_sigkill(tmp_path):
    data_dir = str(tmp_path / "data")
    proc, url = serve(data_dir)
    try:
        client(url).create_table(
            TableName="Crash",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        acknowledged: list[list[str]] = [[] for _ in range(THREADS)]
        stop = threading.Event()
        threads = [
            threading.Thread(target=writer, args=(url, n, acknowledged[n], stop)) for n in range(THREADS)
        ]
        for t in threads:
            t.start()
        while sum(map(len, acknowledged)) < 400:  # mid-load: every thread is writing
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)

    proc, url = serve(data_dir)
    try:
        ddb = client(url)
        items = {}
        for page in ddb.get_paginator("scan").paginate(TableName="Crash"):
            for item in page["Items"]:
                items[item["id"]["S"]] = item
        missing = [key for keys in acknowledged for key in keys if key not in items]
        assert not missing, f"{len(missing)} acknowledged writes lost, e.g. {missing[:5]}"
        for key, item in items.items():  # nothing torn: every item is whole
            assert item["payload"]["S"] == key * 20 and item["n"]["N"] == key.split("-")[1]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def test_serve_refuses_a_data_dir_of_another_version(tmp_path):
    import sqlite3

    from emulator import Emulator
    from emulator.durable.store import FILE_NAME

    Emulator(data_dir=tmp_path).close()
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'emulator'")
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"emulator serve: {tmp_path} was written by emulator 0.0.1" in done.stderr
    assert "Traceback" not in done.stderr
