"""The bounded compile caches: eviction of the oldest entry, the bound, and ``emulator.reset_caches()``."""

from __future__ import annotations

import pytest

import emulator
from emulator.caches import BoundedCache, memoize, registered, reset_caches
from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.expressions import (
    ExpressionContext,
    compile_cache,
    compile_condition,
    compile_key_condition,
)
from emulator.stepfunctions.asl import jsonpath


def test_bounded_cache_evicts_the_oldest_entry_when_full():
    cache: BoundedCache[str, int] = BoundedCache("test.order", 3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    assert cache.get("a") == 0  # a hit does not make an entry younger
    cache.put("d", 3)
    assert "a" not in cache
    assert [k for k in "bcd" if k in cache] == ["b", "c", "d"]
    cache.put("e", 4)
    assert "b" not in cache and "c" in cache and "e" in cache


def test_bounded_cache_never_holds_more_than_its_bound():
    cache: BoundedCache[int, int] = BoundedCache("test.bound", 5)
    for i in range(100):
        cache.put(i, i)
        assert len(cache) <= 5
    assert sorted(cache.entries) == [95, 96, 97, 98, 99]


def test_bounded_cache_replacing_a_key_keeps_one_entry():
    cache: BoundedCache[str, int] = BoundedCache("test.replace", 2)
    cache.put("a", 1)
    cache.put("a", 2)
    cache.put("b", 3)
    assert cache.entries == {"a": 2, "b": 3}


def test_memoize_computes_once_per_argument_and_evicts_the_oldest():
    calls: list[str] = []

    @memoize(2)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert [upper("x"), upper("x"), upper("y")] == ["X", "X", "Y"]
    assert calls == ["x", "y"]
    upper("z")  # evicts "x", the oldest
    upper("y")
    upper("x")
    assert calls == ["x", "y", "z", "x"]
    assert len(upper.cache) == 2  # type: ignore[attr-defined]


def test_memoize_does_not_cache_errors():
    calls: list[int] = []

    @memoize(4)
    def fails(n: int) -> int:
        calls.append(n)
        raise ValueError(n)

    for _ in range(2):
        try:
            fails(1)
        except ValueError:
            pass
    assert calls == [1, 1]
    assert len(fails.cache) == 0  # type: ignore[attr-defined]


def test_memoize_caches_none():
    calls: list[str] = []

    @memoize(4)
    def nothing(text: str) -> None:
        calls.append(text)

    nothing("a")
    nothing("a")
    assert calls == ["a"]


def test_reset_caches_empties_every_registered_cache():
    cache: BoundedCache[str, int] = BoundedCache("test.reset", 4)
    cache.put("a", 1)
    jsonpath.compile_path("$.reset.probe")
    ctx = ExpressionContext(values={":v": {"S": "x"}})
    compile_condition("attribute_exists(a) AND b = :v", ctx)
    assert len(cache) and len(compile_cache._cache)
    emulator.reset_caches()
    assert all(len(c) == 0 for c in registered())
    assert len(cache) == 0 and len(compile_cache._cache) == 0
    cache.put("b", 2)  # usable after a reset
    assert cache.get("b") == 2
    reset_caches()


def test_compile_caches_are_registered_bounded_caches():
    names = {c.name for c in registered()}
    assert "dynamodb.expressions.compiled" in names
    assert any(name.endswith("jsonpath_syntax._compile") for name in names)
    assert all(c.maxsize >= 1 for c in registered())


def test_compiled_expression_cache_evicts_the_oldest_not_everything(monkeypatch):
    reset_caches()
    monkeypatch.setattr(compile_cache._cache, "maxsize", 3)
    ctx = ExpressionContext()
    first = [compile_condition(f"attribute_exists(a{i})", ctx) for i in range(3)]
    compile_condition("attribute_exists(a3)", ctx)
    assert len(compile_cache._cache) == 3
    assert compile_condition("attribute_exists(a2)", ctx) is first[2]  # still cached
    assert compile_condition("attribute_exists(a0)", ctx) is not first[0]  # the oldest went
    reset_caches()


def test_key_conditions_are_cached_per_key_schema():
    reset_caches()
    schema = {"hash_name": "pk", "range_name": "sk", "hash_type": "S", "range_type": "N"}
    text = "pk = :p AND sk > :s"

    def ctx() -> ExpressionContext:
        return ExpressionContext(values={":p": {"S": "a"}, ":s": {"N": "1"}})

    first = compile_key_condition(text, ctx(), **schema)
    again = ctx()
    assert compile_key_condition(text, again, **schema) is first
    assert again.used_values == {":p", ":s"}  # a hit still marks its placeholders used
    with pytest.raises(ValidationException):  # the same text on a schema whose sort key is S
        compile_key_condition(text, ctx(), **{**schema, "range_type": "S"})
    index = compile_key_condition(
        "sk = :p AND pk > :s", ctx(), hash_name="sk", range_name="pk", hash_type="S", range_type="N"
    )
    assert index is not first and index.hash_name == "sk"
    changed = compile_key_condition(
        text, ExpressionContext(values={":p": {"S": "b"}, ":s": {"N": "1"}}), **schema
    )
    assert changed.hash_value == {"S": "b"}
    reset_caches()
