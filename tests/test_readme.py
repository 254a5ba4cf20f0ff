"""The README's Python examples run as written (keeps the README true).

Blocks run in order in one namespace, as a reader would paste them. A block may use names from the
blocks before it, never from the emulator's internals.
"""

from __future__ import annotations

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 4


def test_readme_python_blocks_run(capsys, monkeypatch):
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
    ):
        monkeypatch.delenv(var, raising=False)
    namespace: dict = {"__name__": "readme"}
    for index, block in enumerate(BLOCKS):
        try:
            exec(compile(block, f"README block {index}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README python block {index} failed: {type(exc).__name__}: {exc}\n{block}")
    out = capsys.readouterr().out
    assert "The conditional request failed" in out
    assert "SUCCEEDED" in out
