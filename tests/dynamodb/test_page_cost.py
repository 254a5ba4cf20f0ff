"""The cheap Query/Scan page (reads.py ``_page``, ``Table.max_item_bytes``/``all_scalar``) keeps
AWS's page rules exactly (Q2-Q4, RC2): the 1 MB stop falls on the same item as an exact reference
computed from ``item_size``, ConsumedCapacity is the exact sum, and returned items are fresh
copies of every value kind.

The reference (:func:`reference_pages`) reads the items in the engine's order and stops when
``Limit`` items were read or their exact S1 sizes reach 1 MB, with a LastEvaluatedKey whenever it
stopped (even when nothing follows, Q3).
"""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.dynamodb.values import (
    copy_item,
    copy_scalar_item,
    copy_scalar_items,
    item_size,
    scalar_size_ceiling,
)

PAGE = 1024 * 1024
READ_UNIT = 4096


# --- helpers ----------------------------------------------------------------------------------


def make_table(aws, name="tbl", *, gsis=None, lsis=None, extra_defs=()):
    defs = [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "N"}]
    defs += [{"AttributeName": n, "AttributeType": t} for n, t in extra_defs]
    kw = {}
    if gsis:
        kw["GlobalSecondaryIndexes"] = gsis
    if lsis:
        kw["LocalSecondaryIndexes"] = lsis
    aws.dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        AttributeDefinitions=defs,
        BillingMode="PAY_PER_REQUEST",
        **kw,
    )
    return name


def engine_table(aws, name):
    return aws.service("dynamodb").catalog.get(name).store


def reference_pages(ordered, limit=None):
    """[(items read, exact bytes, stopped)] for paging through ``ordered`` (the engine's order)."""
    pages, i = [], 0
    while True:
        read, total, stopped = [], 0, False
        while i < len(ordered):
            item = ordered[i]
            i += 1
            read.append(item)
            total += item_size(item)
            if len(read) == limit or total >= PAGE:
                stopped = True
                break
        pages.append((read, total, stopped))
        if not stopped:
            return pages


def units(total, consistent):
    u = float(max(1, -(-total // READ_UNIT)))
    return u if consistent else u / 2


def page_through(call, key_names, **kw):
    """Every page of ``call`` (query or scan), following LastEvaluatedKey."""
    pages, start = [], None
    while True:
        args = dict(kw)
        if start is not None:
            args["ExclusiveStartKey"] = start
        r = call(**args)
        pages.append(r)
        start = r.get("LastEvaluatedKey")
        if start is None:
            return pages
        assert sorted(start) == sorted(key_names)


def keyof(item, names=("p", "s")):
    return {n: item[n] for n in names}


def assert_pages_match(pages, ref, *, key_names=("p", "s"), consistent=False, items=True):
    assert len(pages) == len(ref), [p["ScannedCount"] for p in pages]
    for got, (read, total, stopped) in zip(pages, ref):
        assert got["ScannedCount"] == len(read)
        if items:
            assert got["Items"] == read
        if stopped:
            assert got["LastEvaluatedKey"] == keyof(read[-1], key_names)
        else:
            assert "LastEvaluatedKey" not in got
        if "ConsumedCapacity" in got:
            assert got["ConsumedCapacity"]["CapacityUnits"] == units(total, consistent)


_RNG_CHARS = string.ascii_letters + "é中😀"


def small_item(rng, p, s):
    """A small item of varied exact size (non-ASCII text, numbers of several shapes, B, BOOL, NULL)."""
    item = {
        "p": {"S": p},
        "s": {"N": str(s)},
        "t": {"S": "".join(rng.choice(_RNG_CHARS) for _ in range(rng.randrange(0, 40)))},
        "n": {"N": rng.choice(["0", "-1", "12345678901234567890", "3.25", "-0.000125", "1E+100"])},
    }
    if rng.random() < 0.3:
        item["b"] = {"B": bytes(rng.randrange(256) for _ in range(rng.randrange(0, 30)))}
    if rng.random() < 0.3:
        item["f"] = {"BOOL": rng.random() < 0.5}
    if rng.random() < 0.2:
        item["z"] = {"NULL": True}
    return item


def stored(item):
    """The item as the table returns it (numbers canonical)."""
    from emulator.dynamodb.values import validate_item

    return validate_item(item)


# --- the per-item size ceiling ----------------------------------------------------------------


def test_ceiling_bounds_the_worst_number_and_name():
    # a 38-digit negative number with an even exponent is 22 bytes (S1); a 1-character name of a
    # 4-byte UTF-8 character is 4 bytes: the ceiling must still bound the item
    item = {"😀": {"N": "-123456789012345678901234567890123456780"}}
    assert item_size(item) == 4 + 22
    assert scalar_size_ceiling(item) >= item_size(item)
    item = {"😀😀": {"S": "😀" * 10}}  # 4 UTF-8 bytes per character
    assert scalar_size_ceiling(item) >= item_size(item) == 48
    item = {"b": {"B": b"\xff" * 100}, "f": {"BOOL": False}, "z": {"NULL": True}, "n": {"N": "7"}}
    assert scalar_size_ceiling(item) >= item_size(item) == 1 + 100 + 1 + 1 + 1 + 1 + 1 + 2


def test_ceiling_is_minus_one_for_containers():
    for av in ({"SS": ["a"]}, {"NS": ["1"]}, {"BS": [b"x"]}, {"M": {}}, {"L": []}):
        assert scalar_size_ceiling({"k": {"S": "x"}, "c": av}) == -1
    assert scalar_size_ceiling({"k": {"B": b"\x00" * 9}, "f": {"BOOL": False}, "z": {"NULL": True}}) >= 0


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_number = st.sampled_from(
    [
        "0",
        "1",
        "-1",
        "10",
        "-100",
        "99999999999999999999999999999999999999",
        "-12345678901234567890123456789012345678",
        "-123456789012345678901234567890123456780",
        "0.5",
        "-0.000000001",
        "1E+125",
        "-1E-130",
        "12.345",
    ]
)
_scalar = st.one_of(
    _text.map(lambda s: {"S": s}),
    _number.map(lambda n: {"N": n}),
    st.binary(max_size=20).map(lambda b: {"B": b}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.just({"NULL": True}),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_text.filter(bool), _scalar, min_size=1, max_size=8))
def test_ceiling_bounds_item_size(item):
    item = stored(item)
    assert scalar_size_ceiling(item) >= item_size(item)


# --- the per-table bound ----------------------------------------------------------------------


def test_every_write_path_raises_the_bound(aws):
    make_table(aws)
    ddb, table = aws.dynamodb, engine_table(aws, "tbl")
    assert table.max_item_bytes == 0 and table.all_scalar
    ddb.put_item(TableName="tbl", Item={"p": {"S": "a"}, "s": {"N": "1"}})  # the plain-put path
    first = table.max_item_bytes
    assert first >= item_size({"p": {"S": "a"}, "s": {"N": "1"}})
    big = {"p": {"S": "a"}, "s": {"N": "2"}, "x": {"S": "y" * 5000}}
    ddb.put_item(TableName="tbl", Item=big, ReturnValues="ALL_OLD")  # the general path
    assert table.max_item_bytes == item_size(big)  # exact above EXACT_SIZE_ABOVE
    ddb.update_item(
        TableName="tbl",
        Key={"p": {"S": "a"}, "s": {"N": "3"}},
        UpdateExpression="SET x = :x",
        ExpressionAttributeValues={":x": {"S": "z" * 9000}},
    )
    assert table.max_item_bytes == item_size({"p": {"S": "a"}, "s": {"N": "3"}, "x": {"S": "z" * 9000}})
    batch_item = {"p": {"S": "b"}, "s": {"N": "1"}, "x": {"B": b"q" * 20000}}
    ddb.batch_write_item(RequestItems={"tbl": [{"PutRequest": {"Item": batch_item}}]})
    assert table.max_item_bytes == item_size(batch_item)
    assert table.all_scalar
    ddb.put_item(TableName="tbl", Item={"p": {"S": "c"}, "s": {"N": "1"}, "l": {"L": [{"S": "x"}]}})
    assert not table.all_scalar
    table._check()


def test_bound_never_decreases_on_delete_or_overwrite(aws):
    make_table(aws)
    ddb, table = aws.dynamodb, engine_table(aws, "tbl")
    big = {"p": {"S": "a"}, "s": {"N": "1"}, "x": {"S": "y" * 300_000}}
    ddb.put_item(TableName="tbl", Item=big)
    top = table.max_item_bytes
    assert top == item_size(big)
    ddb.put_item(TableName="tbl", Item={"p": {"S": "a"}, "s": {"N": "1"}})  # overwritten small
    ddb.delete_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "1"}})
    assert table.max_item_bytes == top
    ddb.put_item(TableName="tbl", Item={"p": {"S": "a"}, "s": {"N": "1"}, "m": {"M": {"k": {"S": "v"}}}})
    ddb.delete_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "1"}})
    assert not table.all_scalar  # monotone too
    table._check()


# --- pages against the exact reference --------------------------------------------------------


def _mixed_collection(aws, rng, *, big_sizes=(399_000, 390_000, 230_000), smalls=(200, 100, 50, 600)):
    """Partition "a": runs of small items separated by big ones, so 1 MB is reached among small items."""
    ddb = aws.dynamodb
    s, items = 0, []
    for run, big in zip(smalls, list(big_sizes) + [None]):
        for _ in range(run):
            items.append(small_item(rng, "a", s))
            s += 1
        if big is not None:
            items.append({"p": {"S": "a"}, "s": {"N": str(s)}, "x": {"S": "w" * big}})
            s += 1
    for item in items:
        ddb.put_item(TableName="tbl", Item=item)
    return [stored(i) for i in items]


def test_small_items_then_near_400kb_items_stop_exactly(aws):
    make_table(aws)
    ordered = _mixed_collection(aws, random.Random(1))
    ref = reference_pages(ordered)
    assert ref[0][2] and 0 < ref[0][1] - PAGE < 200  # the first page stops among small items
    assert "x" not in ref[0][0][-1]
    q = dict(TableName="tbl", KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    pages = page_through(aws.dynamodb.query, ("p", "s"), ReturnConsumedCapacity="TOTAL", **q)
    assert_pages_match(pages, ref)
    pages = page_through(
        aws.dynamodb.query, ("p", "s"), ReturnConsumedCapacity="TOTAL", ConsistentRead=True, **q
    )
    assert_pages_match(pages, ref, consistent=True)
    for limit in (7, 250, 400, 1000):
        pages = page_through(aws.dynamodb.query, ("p", "s"), Limit=limit, ReturnConsumedCapacity="TOTAL", **q)
        assert_pages_match(pages, reference_pages(ordered, limit))
    back = page_through(aws.dynamodb.query, ("p", "s"), ScanIndexForward=False, **q)
    assert_pages_match(back, reference_pages(ordered[::-1]))


def test_page_stops_on_the_exact_item_at_one_megabyte(aws):
    # identical items whose sizes reach exactly 1 MB on item k: the page ends on item k, not k+1
    make_table(aws)
    base = item_size({"p": {"S": "a"}, "s": {"N": "10"}, "x": {"S": ""}})
    per = PAGE // 16
    for i in range(10, 30):
        aws.dynamodb.put_item(
            TableName="tbl", Item={"p": {"S": "a"}, "s": {"N": str(i)}, "x": {"S": "v" * (per - base)}}
        )
    r = aws.dynamodb.query(
        TableName="tbl",
        KeyConditionExpression="p = :p",
        Select="COUNT",
        ExpressionAttributeValues={":p": {"S": "a"}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert r["ScannedCount"] == 16 and r["LastEvaluatedKey"] == {"p": {"S": "a"}, "s": {"N": "25"}}
    assert r["ConsumedCapacity"]["CapacityUnits"] == 128.0


def test_large_item_written_then_deleted_keeps_pages_exact(aws):
    make_table(aws)
    ddb = aws.dynamodb
    rng = random.Random(2)
    ddb.put_item(TableName="tbl", Item={"p": {"S": "gone"}, "s": {"N": "0"}, "x": {"S": "g" * 400_000}})
    ddb.delete_item(TableName="tbl", Key={"p": {"S": "gone"}, "s": {"N": "0"}})
    ordered = [stored(small_item(rng, "a", s)) for s in range(3000)]
    for item in ordered:
        ddb.put_item(TableName="tbl", Item=item)
    ordered += [
        stored({"p": {"S": "a"}, "s": {"N": str(3000 + i)}, "x": {"S": "h" * 150_000}}) for i in range(8)
    ]
    for item in ordered[3000:]:
        ddb.put_item(TableName="tbl", Item=item)
    q = dict(TableName="tbl", KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    assert_pages_match(
        page_through(ddb.query, ("p", "s"), ReturnConsumedCapacity="TOTAL", **q), reference_pages(ordered)
    )
    engine_table(aws, "tbl")._check()


def test_scan_pages_match_the_reference(aws):
    make_table(aws)
    rng = random.Random(3)
    _mixed_collection(aws, rng)
    for p in "bcdefg":
        for s in range(150):
            aws.dynamodb.put_item(TableName="tbl", Item=small_item(rng, p, s))
    aws.dynamodb.put_item(TableName="tbl", Item={"p": {"S": "h"}, "s": {"N": "0"}, "x": {"S": "k" * 350_000}})
    ordered = list(engine_table(aws, "tbl").items())
    pages = page_through(aws.dynamodb.scan, ("p", "s"), TableName="tbl", ReturnConsumedCapacity="TOTAL")
    assert len(pages) > 1
    assert_pages_match(pages, reference_pages(ordered))
    pages = page_through(aws.dynamodb.scan, ("p", "s"), TableName="tbl", Limit=333)
    assert_pages_match(pages, reference_pages(ordered, 333))
    # Limit counts items read before the filter; the filter only trims what is returned
    pages = page_through(
        aws.dynamodb.scan, ("p", "s"), TableName="tbl", FilterExpression="attribute_exists(x)"
    )
    ref = reference_pages(ordered)
    assert [p["ScannedCount"] for p in pages] == [len(r[0]) for r in ref]
    assert [p["Items"] for p in pages] == [[i for i in r[0] if "x" in i] for r in ref]


def _index_table(aws):
    return make_table(
        aws,
        extra_defs=(("g", "S"), ("r", "N")),
        gsis=[
            {
                "IndexName": "all",
                "KeySchema": [
                    {"AttributeName": "g", "KeyType": "HASH"},
                    {"AttributeName": "r", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "keys",
                "KeySchema": [
                    {"AttributeName": "g", "KeyType": "HASH"},
                    {"AttributeName": "r", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
        lsis=[
            {
                "IndexName": "local",
                "KeySchema": [
                    {"AttributeName": "p", "KeyType": "HASH"},
                    {"AttributeName": "r", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["t"]},
            }
        ],
    )


def test_gsi_and_lsi_pages_match_the_reference(aws):
    _index_table(aws)
    ddb, rng = aws.dynamodb, random.Random(4)
    items = []
    for s in range(400):
        item = small_item(rng, "a", s)
        item.update({"g": {"S": "G"}, "r": {"N": str((s * 7919) % 400)}})
        if s % 50 == 7:
            item["x"] = {"S": "i" * 150_000}  # big, but not projected by "keys" nor "local"
        items.append(stored(item))
    for item in items:
        ddb.put_item(TableName="tbl", Item=item)
    by_r = sorted(items, key=lambda i: (int(i["r"]["N"]), int(i["s"]["N"])))
    names = ("g", "r", "p", "s")
    # ALL: entries are the items; 8 items of 150 KB in 400 push the page over 1 MB
    q = dict(
        TableName="tbl",
        IndexName="all",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "G"}},
        ReturnConsumedCapacity="INDEXES",
    )
    pages = page_through(ddb.query, names, **q)
    ref = reference_pages(by_r)
    assert len(ref) == 2
    assert_pages_match(pages, ref, key_names=names)
    # KEYS_ONLY: sizes are the projections' (all 400 fit), though the table bound is 150 KB
    keys_only = [{n: i[n] for n in names} for i in by_r]
    pages = page_through(ddb.query, names, **{**q, "IndexName": "keys"})
    assert_pages_match(pages, reference_pages(keys_only), key_names=names)
    assert len(pages) == 1
    # LSI with INCLUDE t: projections of the items, ordered by r within p
    lnames = ("p", "r", "s")
    local = [{n: i[n] for n in ("p", "s", "r", "t") if n in i} for i in by_r]
    q = dict(
        TableName="tbl",
        IndexName="local",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        ReturnConsumedCapacity="TOTAL",
        Limit=123,
    )
    assert_pages_match(page_through(ddb.query, lnames, **q), reference_pages(local, 123), key_names=lnames)
    # LSI read with ALL_ATTRIBUTES fetches the table items; what is read (and charged) is the entries
    pages = page_through(ddb.query, lnames, Select="ALL_ATTRIBUTES", **q)
    ref = reference_pages(local, 123)
    assert [p["ScannedCount"] for p in pages] == [len(r[0]) for r in ref]
    assert [p["Items"] for p in pages] == [
        [by_r[by_r.index(next(i for i in by_r if i["s"] == e["s"]))] for e in r[0]] for r in ref
    ]
    # index Scan too
    ordered = list(aws.service("dynamodb").catalog.get("tbl").indexes["all"].scan())
    assert_pages_match(
        page_through(ddb.scan, names, TableName="tbl", IndexName="all"),
        reference_pages(ordered),
        key_names=names,
    )


@settings(max_examples=12, deadline=None)
@given(
    st.lists(st.sampled_from([0, 0, 0, 0, 1_000, 60_000, 200_000, 399_000]), min_size=1, max_size=40),
    st.one_of(st.none(), st.integers(1, 12)),
    st.booleans(),
    st.integers(0, 2**32),
)
def test_random_collections_page_like_the_reference(sizes, limit, forward, seed):
    import emulator

    aws = emulator.Emulator()
    try:
        make_table(aws)
        rng = random.Random(seed)
        items = []
        for s, size in enumerate(sizes):
            item = small_item(rng, "a", s)
            if size:
                item["x"] = {"S": "q" * size}
            items.append(stored(item))
            aws.dynamodb.put_item(TableName="tbl", Item=item)
        ordered = items if forward else items[::-1]
        q = dict(
            TableName="tbl",
            KeyConditionExpression="p = :p",
            ExpressionAttributeValues={":p": {"S": "a"}},
            ScanIndexForward=forward,
            ReturnConsumedCapacity="TOTAL",
        )
        if limit is not None:
            q["Limit"] = limit
        assert_pages_match(page_through(aws.dynamodb.query, ("p", "s"), **q), reference_pages(ordered, limit))
    finally:
        aws.close()


# --- copies -----------------------------------------------------------------------------------

EVERY_KIND = {
    "p": {"S": "a"},
    "s": {"N": "1"},
    "S": {"S": "text"},
    "N": {"N": "12.5"},
    "B": {"B": b"\x00\x01"},
    "BOOL": {"BOOL": True},
    "NULL": {"NULL": True},
    "SS": {"SS": ["x", "y"]},
    "NS": {"NS": ["1", "2"]},
    "BS": {"BS": [b"a", b"b"]},
    "M": {"M": {"k": {"S": "v"}, "n": {"L": [{"N": "1"}]}}},
    "L": {"L": [{"S": "e"}, {"M": {"d": {"SS": ["z"]}}}]},
}


def _mutate_value(av):
    """Change every mutable part of a returned AttributeValue, at every depth."""
    ((tag, val),) = av.items()
    if tag == "M":
        for v in val.values():
            _mutate_value(v)
        val["added"] = {"S": "new"}
    elif tag == "L":
        for v in val:
            _mutate_value(v)
        val.append({"S": "new"})
    elif tag in ("SS", "NS", "BS"):
        val.append(val[0])
    else:
        av[tag] = "changed"
    av["extra"] = True


def _mutate_everything(item):
    for av in item.values():
        _mutate_value(av)
    item["new attribute"] = {"S": "n"}


@pytest.mark.parametrize("kind", [k for k in EVERY_KIND if k not in ("p", "s")])
def test_returned_items_are_independent_per_value_kind(aws, kind):
    make_table(aws)
    ddb = aws.dynamodb
    item = {"p": {"S": "a"}, "s": {"N": "1"}, kind: EVERY_KIND[kind]}
    ddb.put_item(TableName="tbl", Item=item)
    expected = stored(item)
    q = dict(TableName="tbl", KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": {"S": "a"}})
    for read in (
        lambda: ddb.query(**q)["Items"][0],
        lambda: ddb.scan(TableName="tbl")["Items"][0],
        lambda: ddb.get_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "1"}})["Item"],
    ):
        got = read()
        assert got == expected
        _mutate_everything(got)
        assert read() == expected
    assert engine_table(aws, "tbl").all_scalar == (kind in ("S", "N", "B", "BOOL", "NULL"))


def test_all_scalar_page_copies_are_fresh_objects(aws):
    make_table(aws)
    ddb = aws.dynamodb
    for s in range(5):
        ddb.put_item(TableName="tbl", Item={"p": {"S": "a"}, "s": {"N": str(s)}, "v": {"S": "same"}})
    table = engine_table(aws, "tbl")
    assert table.all_scalar
    stored_items = list(table.items())
    got = ddb.query(
        TableName="tbl", KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": {"S": "a"}}
    )
    for a, b in zip(got["Items"], stored_items):
        assert a == b and a is not b and all(a[n] is not b[n] for n in a)
    for a in got["Items"]:
        a["v"]["S"] = "changed"
    assert all(i["v"] == {"S": "same"} for i in table.items())


def test_copy_helpers():
    scalar = {k: v for k, v in EVERY_KIND.items() if k in ("p", "s", "S", "N", "B", "BOOL", "NULL")}
    for copy in (copy_item(scalar), copy_scalar_item(scalar), copy_scalar_items([scalar])[0]):
        assert copy == scalar and copy is not scalar and all(copy[n] is not scalar[n] for n in scalar)
    deep = copy_item(EVERY_KIND)
    assert deep == EVERY_KIND
    _mutate_everything(deep)
    assert deep != EVERY_KIND
    assert EVERY_KIND["M"] == {"M": {"k": {"S": "v"}, "n": {"L": [{"N": "1"}]}}}
    assert EVERY_KIND["L"] == {"L": [{"S": "e"}, {"M": {"d": {"SS": ["z"]}}}]}
    assert EVERY_KIND["SS"] == {"SS": ["x", "y"]}


def test_stale_replica_and_lagging_gsi_pages_stay_exact():
    # replicas and a lagging GSI serve older versions: big ones, overwritten by small ones since
    import emulator

    world = emulator.Emulator(replica_lag=2.0, seed=7)
    try:
        _index_table(world)
        ddb = world.dynamodb
        old = [
            stored(
                {
                    "p": {"S": "a"},
                    "s": {"N": str(s)},
                    "g": {"S": "G"},
                    "r": {"N": str(s)},
                    "x": {"S": "o" * (90_000 + 1000 * s)},
                }
            )
            for s in range(14)
        ]
        for item in old:
            ddb.put_item(TableName="tbl", Item=item)
        world.clock.advance(seconds=3)
        new = [
            stored({"p": {"S": "a"}, "s": {"N": str(s)}, "g": {"S": "G"}, "r": {"N": str(s)}})
            for s in range(14)
        ]
        for item in new:
            ddb.put_item(TableName="tbl", Item=item)
        q = dict(
            TableName="tbl",
            KeyConditionExpression="p = :p",
            ExpressionAttributeValues={":p": {"S": "a"}},
            ReturnConsumedCapacity="TOTAL",
        )
        assert_pages_match(page_through(ddb.query, ("p", "s"), **q), reference_pages(old))
        assert_pages_match(
            page_through(ddb.query, ("p", "s"), ConsistentRead=True, **q),
            reference_pages(new),
            consistent=True,
        )
        gq = dict(
            TableName="tbl",
            IndexName="all",
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": {"S": "G"}},
        )
        names = ("g", "r", "p", "s")
        assert_pages_match(page_through(ddb.query, names, **gq), reference_pages(old), key_names=names)
        world.clock.advance(seconds=3)
        assert_pages_match(page_through(ddb.query, names, **gq), reference_pages(new), key_names=names)
    finally:
        world.close()
