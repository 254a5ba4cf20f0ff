"""The README's picture of an execution is the emulator's own drawing, current: the committed
docs/images/order-execution.svg equals what docs/render_readme_picture.py draws now (re-run the
script after changing the picture's code)."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "docs" / "render_readme_picture.py"


def _script():
    spec = importlib.util.spec_from_file_location("render_readme_picture", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_readme_picture_is_what_the_script_draws_now():
    script = _script()
    committed = script.OUT.read_text(encoding="utf-8")
    assert committed == script.run(), (
        "docs/images/order-execution.svg is stale: run python docs/render_readme_picture.py"
    )


def test_the_readme_shows_the_picture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Seeing what ran" in readme
    assert "docs/images/order-execution.svg" in readme


def test_the_readme_picture_shows_a_retry_a_catch_a_map_and_a_failure():
    svg = _script().OUT.read_text(encoding="utf-8")
    for mark in (
        "↻ retried ×2",
        "⤷ caught: PaymentDeclined",
        "3 iterations (3 succeeded)",
        "✗ failed: OrderFailed",
    ):
        assert mark in svg, mark
