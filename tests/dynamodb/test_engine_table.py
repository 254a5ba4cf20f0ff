"""Engine rules: ordering (O1/Q1), pagination resume (Q5), reverse order, BEGINS_WITH, parallel-scan
segments (Q11), Scan hash order (Q10/CM7), the write funnel and its change log, counts and sizes."""

from __future__ import annotations

import random

import pytest

from emulator.clock import VirtualClock
from emulator.dynamodb.engine import Table
from emulator.dynamodb.engine.sortedpairs import LOAD
from emulator.dynamodb.keys import KeySchema, SortCondition, partition_hash
from emulator.dynamodb.values import item_size


def make(schema: KeySchema, **kw) -> Table:
    return Table(schema, clock=VirtualClock(start=1_000_000.0), rng=random.Random(1), **kw)


def sks(items, name="sk", t="N"):
    return [i[name][t] for i in items]


S_N = KeySchema("pk", "S", "sk", "N")
S_S = KeySchema("pk", "S", "sk", "S")
S_B = KeySchema("pk", "S", "sk", "B")
H_S = KeySchema("id", "S")


def fill(table: Table, pk: str, values, t="N"):
    for v in values:
        table.put({"pk": {"S": pk}, "sk": {t: v}, "v": {"S": "x"}})


# --- ordering ---------------------------------------------------------------------------------


def test_query_orders_numbers_by_value():
    t = make(S_N)
    fill(t, "p", ["10", "-3", "2.5", "100", "0", "-0.5"])
    assert sks(t.query({"S": "p"})) == ["-3", "-0.5", "0", "2.5", "10", "100"]
    t._check()


def test_number_sort_keys_1000_and_1e3_are_the_same_key():
    t = make(S_N)
    t.put({"pk": {"S": "p"}, "sk": {"N": "1000"}, "v": {"S": "first"}})
    old, new = t.put({"pk": {"S": "p"}, "sk": {"N": "1e3"}, "v": {"S": "second"}})
    assert old is not None and old["v"] == {"S": "first"}
    assert t.item_count == 1
    assert t.get({"pk": {"S": "p"}, "sk": {"N": "1000.0"}})["v"] == {"S": "second"}
    t._check()


def test_number_partition_keys_compare_by_value():
    t = make(KeySchema("n", "N"))
    t.put({"n": {"N": "1000"}, "v": {"S": "a"}})
    assert t.get({"n": {"N": "1E3"}}) is not None
    t.put({"n": {"N": "1e3"}, "v": {"S": "b"}})
    assert t.item_count == 1
    t._check()


def test_query_orders_strings_by_code_point():
    t = make(S_S)
    values = ["b", "a", "B", "ä", "aa", "\U0001f600", ""]
    fill(t, "p", values[:-1], "S")
    assert sks(t.query({"S": "p"}), t="S") == sorted(values[:-1], key=lambda s: s.encode())


def test_query_orders_binary_unsigned():
    t = make(S_B)
    fill(t, "p", [b"\x80", b"\x7f", b"\x00\x01", b"\xff", b"\x01"], "B")
    assert sks(t.query({"S": "p"}), t="B") == [b"\x00\x01", b"\x01", b"\x7f", b"\x80", b"\xff"]


def test_reverse_order():
    t = make(S_N)
    fill(t, "p", [str(i) for i in range(10)])
    assert sks(t.query({"S": "p"}, forward=False)) == [str(i) for i in range(9, -1, -1)]


def test_query_only_returns_its_item_collection():
    t = make(S_N)
    fill(t, "a", ["1", "2"])
    fill(t, "b", ["1"])
    assert [i["pk"]["S"] for i in t.query({"S": "a"})] == ["a", "a"]
    assert list(t.query({"S": "zzz"})) == []


def test_query_on_hash_only_table_returns_at_most_one_item():
    t = make(H_S)
    t.put({"id": {"S": "k"}, "v": {"N": "1"}})
    assert [i["id"]["S"] for i in t.query({"S": "k"})] == ["k"]
    assert list(t.query({"S": "k"}, exclusive_start={"id": {"S": "k"}})) == []
    assert list(t.query({"S": "other"})) == []


def test_query_with_wrong_hash_type_matches_nothing():
    t = make(S_N)
    fill(t, "1", ["1"])
    assert list(t.query({"N": "1"})) == []


# --- sort conditions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op, values, expected",
    [
        ("=", ["5"], ["5"]),
        ("<", ["3"], ["0", "1", "2"]),
        ("<=", ["3"], ["0", "1", "2", "3"]),
        (">", ["7"], ["8", "9"]),
        (">=", ["7"], ["7", "8", "9"]),
        ("BETWEEN", ["2", "4"], ["2", "3", "4"]),
        ("BETWEEN", ["2.5", "4.5"], ["3", "4"]),
        ("BETWEEN", ["5", "2"], []),
        ("=", ["5.5"], []),
    ],
)
def test_sort_conditions_on_numbers(op, values, expected):
    t = make(S_N)
    fill(t, "p", [str(i) for i in range(10)])
    cond = SortCondition(op, tuple({"N": v} for v in values))
    assert sks(t.query({"S": "p"}, cond)) == expected
    assert sks(t.query({"S": "p"}, cond, forward=False)) == expected[::-1]


def test_begins_with_on_strings():
    t = make(S_S)
    values = ["a", "ab", "abc", "abd", "ac", "b", "ab\U0010ffff", "ab\U0010ffffz", "aa"]
    fill(t, "p", values, "S")
    cond = SortCondition("BEGINS_WITH", ({"S": "ab"},))
    expected = sorted(v for v in values if v.startswith("ab"))
    assert sks(t.query({"S": "p"}, cond), t="S") == expected
    assert sks(t.query({"S": "p"}, cond, forward=False), t="S") == expected[::-1]


def test_begins_with_max_code_point_prefix():
    t = make(S_S)
    values = ["\U0010ffff", "\U0010ffffa", "z", "\U0010ffff\U0010ffff"]
    fill(t, "p", values, "S")
    cond = SortCondition("BEGINS_WITH", ({"S": "\U0010ffff"},))
    assert sks(t.query({"S": "p"}, cond), t="S") == sorted(values[:1] + values[1:2] + values[3:])


def test_begins_with_on_binary_including_ff_carry():
    t = make(S_B)
    values = [b"\x01\xff", b"\x01\xff\x00", b"\x01\xff\xff", b"\x02", b"\x01\xfe", b"\x01"]
    fill(t, "p", values, "B")
    cond = SortCondition("BEGINS_WITH", ({"B": b"\x01\xff"},))
    assert sks(t.query({"S": "p"}, cond), t="B") == [b"\x01\xff", b"\x01\xff\x00", b"\x01\xff\xff"]
    cond = SortCondition("BEGINS_WITH", ({"B": b"\xff"},))
    fill(t, "p", [b"\xff", b"\xff\xff\x01"], "B")
    assert sks(t.query({"S": "p"}, cond), t="B") == [b"\xff", b"\xff\xff\x01"]


def test_condition_with_wrong_value_type_matches_nothing():
    t = make(S_N)
    fill(t, "p", ["1"])
    assert list(t.query({"S": "p"}, SortCondition("=", ({"S": "1"},)))) == []
    assert list(t.query({"S": "p"}, SortCondition("BEGINS_WITH", ({"N": "1"},)))) == []


# --- pagination -------------------------------------------------------------------------------


def _pages(table: Table, page: int, **kw):
    out, start = [], None
    while True:
        batch = []
        for item in table.query({"S": "p"}, exclusive_start=start, **kw):
            batch.append(item)
            if len(batch) == page:
                break
        out.extend(batch)
        if len(batch) < page:
            return out
        start = {"pk": batch[-1]["pk"], "sk": batch[-1]["sk"]}


@pytest.mark.parametrize("n", [5, 2 * LOAD + 300])
@pytest.mark.parametrize("forward", [True, False])
def test_query_pages_resume_after_exclusive_start(n, forward):
    t = make(S_N)
    fill(t, "p", [str(i) for i in range(n)])
    expected = sks(t.query({"S": "p"}, forward=forward))
    assert len(expected) == n
    assert sks(_pages(t, 7, forward=forward)) == expected


def test_exclusive_start_need_not_exist():
    t = make(S_N)
    fill(t, "p", ["1", "2", "3", "4"])
    start = {"pk": {"S": "p"}, "sk": {"N": "2.5"}}
    assert sks(t.query({"S": "p"}, exclusive_start=start)) == ["3", "4"]
    assert sks(t.query({"S": "p"}, exclusive_start=start, forward=False)) == ["2", "1"]


def test_exclusive_start_with_condition():
    t = make(S_N)
    fill(t, "p", [str(i) for i in range(10)])
    cond = SortCondition("BETWEEN", ({"N": "2"}, {"N": "7"}))
    start = {"pk": {"S": "p"}, "sk": {"N": "4"}}
    assert sks(t.query({"S": "p"}, cond, exclusive_start=start)) == ["5", "6", "7"]
    assert sks(t.query({"S": "p"}, cond, exclusive_start=start, forward=False)) == ["3", "2"]


def test_iterator_survives_writes_between_pulls():
    t = make(S_N)
    fill(t, "p", [str(i) for i in range(300)])
    it = t.query({"S": "p"})
    got = [next(it)["sk"]["N"] for _ in range(150)]
    # items already fetched in the current chunk may be stale; beyond it, writes show
    t.delete({"pk": {"S": "p"}, "sk": {"N": "280"}})
    fill(t, "p", ["299.5", "100.5"])
    got += sks(it)
    assert got[:150] == [str(i) for i in range(150)]
    rest = got[150:]
    assert "280" not in rest and "299.5" in rest and "100.5" not in rest
    assert rest == sorted(rest, key=float) and len(rest) == len(set(rest))


# --- scan -------------------------------------------------------------------------------------


def _scan_key(item):
    return (partition_hash("S", item["pk"]["S"]), float(item["sk"]["N"]))


def test_scan_returns_collections_in_hash_order_and_items_in_sort_order():
    t = make(S_N)
    for p in ["0", "1", "2", "hello", "zapf", "aardman"]:
        fill(t, p, ["3", "1", "2"])
    items = list(t.scan())
    assert [(i["pk"]["S"], i["sk"]["N"]) for i in items] == [
        (i["pk"]["S"], i["sk"]["N"]) for i in sorted(items, key=_scan_key)
    ]
    assert [i["pk"]["S"] for i in items][::3] == ["2", "1", "hello", "0", "aardman", "zapf"]


def test_scan_hash_only_reproduces_live_order():
    t = make(H_S)
    keys = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "aardman", "hello", "zapf", "äáöü"]
    for k in keys:
        t.put({"id": {"S": k}})
    assert [i["id"]["S"] for i in t.scan()] == [
        "2",
        "8",
        "9",
        "1",
        "6",
        "hello",
        "0",
        "5",
        "4",
        "äáöü",
        "aardman",
        "7",
        "3",
        "zapf",
    ]


@pytest.mark.parametrize("partitions", [1, 3, 4, 16])
def test_scan_pages_resume_and_cover_everything_once(partitions):
    t = make(S_N, partitions=partitions)
    for p in range(40):
        fill(t, f"p{p}", [str(i) for i in range(p % 4 + 1)])
    full = [(i["pk"]["S"], i["sk"]["N"]) for i in t.scan()]
    assert len(full) == len(set(full)) == t.item_count
    paged, start = [], None
    while True:
        batch = []
        for item in t.scan(exclusive_start=start):
            batch.append((item["pk"]["S"], item["sk"]["N"]))
            if len(batch) == 9:
                break
        paged += batch
        if len(batch) < 9:
            break
        start = {"pk": {"S": batch[-1][0]}, "sk": {"N": batch[-1][1]}}
    assert paged == full
    t._check()


def test_scan_resume_from_deleted_key():
    t = make(H_S)
    for k in range(50):
        t.put({"id": {"S": str(k)}})
    full = [i["id"]["S"] for i in t.scan()]
    gone = full[20]
    t.delete({"id": {"S": gone}})
    assert [i["id"]["S"] for i in t.scan(exclusive_start={"id": {"S": gone}})] == full[21:]


@pytest.mark.parametrize("total", [1, 2, 3, 7, 16, 4096, 5000])
def test_segments_cover_each_item_exactly_once(total):
    t = make(H_S, partitions=3)
    for k in range(300):
        t.put({"id": {"S": f"k{k}"}})
    full = [i["id"]["S"] for i in t.scan()]
    seen: list[str] = []
    for seg in range(total):
        part = [i["id"]["S"] for i in t.scan(segment=seg, total_segments=total)]
        for k in part:
            assert t.segment_of({"id": {"S": k}}, total) == seg
        seen += part
    assert seen == full  # contiguous hash ranges, in order


def test_segment_resume_stays_in_segment():
    t = make(S_N)
    for p in range(60):
        fill(t, f"p{p}", ["1", "2"])
    seg = [(i["pk"]["S"], i["sk"]["N"]) for i in t.scan(segment=1, total_segments=4)]
    start = {"pk": {"S": seg[4][0]}, "sk": {"N": seg[4][1]}}
    rest = [(i["pk"]["S"], i["sk"]["N"]) for i in t.scan(segment=1, total_segments=4, exclusive_start=start)]
    assert rest == seg[5:]


def test_segment_argument_checked():
    t = make(H_S)
    with pytest.raises(ValueError):
        t.scan(segment=2, total_segments=2)


# --- the write funnel ------------------------------------------------------------------------


def test_write_returns_old_and_new_and_logs_one_record():
    t = make(S_N)
    records = []
    t.change_log.subscribe(records.append)
    key = {"pk": {"S": "p"}, "sk": {"N": "1"}}
    item1 = {**key, "v": {"N": "1"}}
    assert t.write(key, lambda old: item1) == (None, item1)
    item2 = {**key, "v": {"N": "2"}}
    assert t.write(key, lambda old: item2) == (item1, item2)
    assert t.write(key, lambda old: None) == (item2, None)
    assert [(r.seq, r.old, r.new) for r in records] == [(1, None, item1), (2, item1, item2), (3, item2, None)]
    assert all(r.key == key for r in records)
    assert all(r.time == 1_000_000.0 for r in records)
    assert t.item_count == 0 and t.size_bytes == 0
    t._check()


def test_write_returning_old_is_no_change():
    t = make(S_N)
    records = []
    t.change_log.subscribe(records.append)
    key = {"pk": {"S": "p"}, "sk": {"N": "1"}}
    item = {**key}
    t.write(key, lambda old: item)
    assert t.write(key, lambda old: old) == (item, item)
    assert t.write({"pk": {"S": "q"}, "sk": {"N": "1"}}, lambda old: None) == (None, None)
    assert len(records) == 1 and t.change_log.seq == 1


def test_mutate_that_raises_changes_nothing():
    t = make(S_N)
    key = {"pk": {"S": "p"}, "sk": {"N": "1"}}
    t.put({**key, "v": {"S": "keep"}})

    def fail(old):
        raise RuntimeError("condition failed")

    with pytest.raises(RuntimeError):
        t.write(key, fail)
    assert t.get(key)["v"] == {"S": "keep"} and t.change_log.seq == 1
    t._check()


def test_mutate_sees_the_current_item():
    t = make(H_S)
    t.put({"id": {"S": "a"}, "n": {"N": "1"}})
    seen = []
    t.write({"id": {"S": "a"}}, lambda old: seen.append(old) or {**old, "n": {"N": "2"}})
    assert seen == [{"id": {"S": "a"}, "n": {"N": "1"}}]
    assert t.get({"id": {"S": "a"}})["n"] == {"N": "2"}


def test_record_timestamps_come_from_the_clock():
    clock = VirtualClock(start=50.0)
    t = Table(H_S, clock=clock)
    records = []
    t.change_log.subscribe(records.append)
    t.put({"id": {"S": "a"}})
    clock.advance(2.5)
    t.put({"id": {"S": "b"}})
    assert [r.time for r in records] == [50.0, 52.5]


def test_unsubscribe_and_no_retention_without_cursors():
    t = make(H_S)
    records = []
    unsubscribe = t.change_log.subscribe(records.append)
    t.put({"id": {"S": "a"}})
    unsubscribe()
    t.put({"id": {"S": "b"}})
    assert len(records) == 1
    assert len(t.change_log) == 0  # nothing retained: no pull cursor
    assert t.change_log.seq == 2


def test_pull_cursor_sees_records_and_trim_drops_applied():
    t = make(H_S)
    log = t.change_log
    cursor = log.cursor("gsi")
    for k in "abc":
        t.put({"id": {"S": k}})
    pending = list(cursor.pending())
    assert [r.key for r in pending] == [{"id": {"S": k}} for k in "abc"]
    cursor.applied = pending[1].seq
    log.trim()
    assert [r.key["id"]["S"] for r in cursor.pending()] == ["c"]
    assert len(log) == 1
    log._check()
    cursor.close()
    assert len(log) == 0


def test_item_count_and_size_bytes():
    t = make(S_N)
    a = {"pk": {"S": "p"}, "sk": {"N": "1"}, "shirt-color": {"S": "R"}}
    b = {"pk": {"S": "p"}, "sk": {"N": "2"}, "shirt-size": {"S": "M"}}
    t.put(a)
    t.put(b)
    assert t.item_count == 2 and t.size_bytes == item_size(a) + item_size(b)
    a2 = {**a, "more": {"S": "x" * 100}}
    t.put(a2)
    assert t.item_count == 2 and t.size_bytes == item_size(a2) + item_size(b)
    t.delete({"pk": {"S": "p"}, "sk": {"N": "2"}})
    assert t.item_count == 1 and t.size_bytes == item_size(a2)
    t._check()


def test_large_collection_promotes_and_stays_ordered():
    t = make(S_N)
    values = [str(v) for v in random.Random(3).sample(range(100_000), LOAD * 5)]
    fill(t, "p", values)
    for v in values[::3]:
        t.delete({"pk": {"S": "p"}, "sk": {"N": v}})
    t._check()
    kept = sorted({int(v) for v in values} - {int(v) for v in values[::3]})
    assert [int(x) for x in sks(t.query({"S": "p"}))] == kept
    for v in values:
        t.delete({"pk": {"S": "p"}, "sk": {"N": v}})
    assert t.item_count == 0 and list(t.scan()) == []
    t._check()


def test_get_returns_stored_reference_and_none_for_missing():
    t = make(S_N)
    item = {"pk": {"S": "p"}, "sk": {"N": "1"}}
    t.put(item)
    assert t.get({"pk": {"S": "p"}, "sk": {"N": "1"}}) is item
    assert t.get({"pk": {"S": "p"}, "sk": {"N": "2"}}) is None
    assert t.get({"pk": {"S": "q"}, "sk": {"N": "1"}}) is None
