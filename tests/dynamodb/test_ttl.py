"""Time to Live: UpdateTimeToLive, DescribeTimeToLive (§13.3 TTL1) and the expiry sweep (§15 TL1-TL4).

The two operations run through all three doors (``ddb``); the sweep is tested natively on the
virtual clock, where it runs after every clock move once ``expiry + delay`` has passed.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emulator
from emulator.dynamodb import messages as M
from emulator.dynamodb.ttl import DEFAULT_SWEEP_DELAY, MAX_PAST_SECONDS, MODIFY_INTERVAL
from tests.conftest import error_of, wait_until

KEYS = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]
DEFS = [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "N"}]


def make_table(client, name: str = "tbl", **extra) -> None:
    client.create_table(
        TableName=name,
        KeySchema=KEYS,
        AttributeDefinitions=extra.pop("defs", DEFS),
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


def enable(client, attribute: str = "exp", name: str = "tbl") -> dict:
    return client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
    )


def disable(client, attribute: str = "exp", name: str = "tbl") -> dict:
    return client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": attribute}
    )


def item(p: str, s: int = 0, exp: dict | None = None, **attrs: dict) -> dict:
    out = {"p": {"S": p}, "s": {"N": str(s)}, **attrs}
    if exp is not None:
        out["exp"] = exp
    return out


def keys_in(client, name: str = "tbl") -> set[str]:
    return {i["p"]["S"] for i in client.scan(TableName=name)["Items"]}


# --- TTL1: the two operations, through every door ----------------------------------------------


def test_ttl1_describe_is_disabled_without_attribute_name_by_default(ddb):
    make_table(ddb)
    assert ddb.describe_time_to_live(TableName="tbl")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "DISABLED"
    }


def test_ttl1_enable_echoes_spec_and_describe_says_enabled(ddb):
    make_table(ddb)
    assert enable(ddb)["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "exp"}
    assert ddb.describe_time_to_live(TableName="tbl")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "exp",
    }


def test_ttl1_disable_after_an_hour_echoes_spec_and_describe_says_disabled(ddb, aws):
    make_table(ddb)
    enable(ddb)
    aws.clock.advance(MODIFY_INTERVAL)
    assert disable(ddb)["TimeToLiveSpecification"] == {"Enabled": False, "AttributeName": "exp"}
    assert ddb.describe_time_to_live(TableName="tbl")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "DISABLED"
    }


def test_ttl1_enabling_twice_is_already_enabled(ddb):
    make_table(ddb)
    enable(ddb)
    with pytest.raises(ddb.exceptions.ClientError) as exc:
        enable(ddb, "other")
    assert error_of(exc) == ("ValidationException", "TimeToLive is already enabled")


def test_ttl1_disabling_when_disabled_is_already_disabled(ddb):
    make_table(ddb)
    with pytest.raises(ddb.exceptions.ClientError) as exc:
        disable(ddb)
    assert error_of(exc) == ("ValidationException", "TimeToLive is already disabled")


def test_ttl1_disabling_another_attribute_names_the_current_one(ddb, aws):
    make_table(ddb)
    enable(ddb)
    aws.clock.advance(MODIFY_INTERVAL)
    with pytest.raises(ddb.exceptions.ClientError) as exc:
        disable(ddb, "other")
    assert error_of(exc) == (
        "ValidationException",
        "TimeToLive is active on a different AttributeName: current AttributeName is exp",
    )


def test_ttl1_second_change_within_an_hour_is_refused(ddb, aws):
    make_table(ddb)
    enable(ddb)
    aws.clock.advance(MODIFY_INTERVAL - 1)
    with pytest.raises(ddb.exceptions.ClientError) as exc:
        disable(ddb)
    assert error_of(exc) == (
        "ValidationException",
        "Time to live has been modified multiple times within a fixed interval",
    )
    aws.clock.advance(1)
    disable(ddb)


def test_ttl1_missing_table_is_resource_not_found(ddb):
    for call in (lambda: ddb.describe_time_to_live(TableName="nope"), lambda: enable(ddb, name="nope")):
        with pytest.raises(ddb.exceptions.ClientError) as exc:
            call()
        assert error_of(exc) == (
            "ResourceNotFoundException",
            "Requested resource not found: Table: nope not found",
        )


def test_ttl1_attribute_name_length_1_to_255(ddb):
    make_table(ddb)
    with pytest.raises(ddb.exceptions.ClientError) as exc:
        enable(ddb, "x" * 256)
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value '"
        + "x" * 256
        + "' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255",
    )
    assert enable(ddb, "x" * 255)["TimeToLiveSpecification"]["AttributeName"] == "x" * 255


def test_ttl1_empty_attribute_name_is_refused(aws):
    make_table(aws.dynamodb)
    with pytest.raises(aws.dynamodb.exceptions.ValidationException) as exc:
        enable(aws.dynamodb, "")
    assert error_of(exc)[1] == (
        "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1"
    )


def test_ttl1_missing_specification_is_refused(aws):
    make_table(aws.dynamodb)
    with pytest.raises(aws.dynamodb.exceptions.ValidationException) as exc:
        aws.dynamodb.update_time_to_live(TableName="tbl")
    assert error_of(exc)[1] == (
        "1 validation error detected: Value null at 'timeToLiveSpecification' "
        "failed to satisfy constraint: Member must not be null"
    )


def test_ttl1_message_constants():
    assert M.TTL_ALREADY_ENABLED == "TimeToLive is already enabled"
    assert (
        M.ttl_different_attribute("a")
        == "TimeToLive is active on a different AttributeName: current AttributeName is a"
    )


def test_ttl1_key_attribute_accepted_string_key_never_expires(aws):
    d = aws.dynamodb
    make_table(d)
    enable(d, "p")  # a string key attribute: accepted
    d.put_item(TableName="tbl", Item=item("1"))
    aws.clock.advance(days=3)
    assert keys_in(d) == {"1"}


def test_ttl1_numeric_range_key_attribute_expires(aws):
    d = aws.dynamodb
    make_table(d)
    enable(d, "s")
    d.put_item(TableName="tbl", Item=item("a", int(aws.clock.now()) - 5))
    aws.clock.advance(hours=49)
    assert keys_in(d) == set()


# --- TL1: eligibility ---------------------------------------------------------------------------


@pytest.fixture
def table(aws):
    make_table(aws.dynamodb)
    enable(aws.dynamodb)
    return aws.dynamodb


def test_tl1_only_top_level_numbers_at_or_before_now_expire(aws, table):
    now = aws.clock.now()
    table.put_item(TableName="tbl", Item=item("past", exp={"N": str(int(now) - 100)}))
    table.put_item(TableName="tbl", Item=item("fraction", exp={"N": f"{now - 1:.1f}"}))
    table.put_item(TableName="tbl", Item=item("exponent", exp={"N": f"{int(now) // 10 - 1}e1"}))
    table.put_item(TableName="tbl", Item=item("future", exp={"N": str(int(now) + 10 * 86400)}))
    table.put_item(TableName="tbl", Item=item("string", exp={"S": str(int(now) - 100)}))
    table.put_item(TableName="tbl", Item=item("set", exp={"NS": [str(int(now) - 100)]}))
    table.put_item(TableName="tbl", Item=item("nested", exp={"M": {"exp": {"N": str(int(now) - 100)}}}))
    table.put_item(TableName="tbl", Item=item("missing"))
    aws.clock.advance(DEFAULT_SWEEP_DELAY + 1)
    assert keys_in(table) == {"future", "string", "set", "nested", "missing"}


def test_tl1_more_than_five_years_past_is_ignored(aws, table):
    now = aws.clock.now()
    table.put_item(TableName="tbl", Item=item("ancient", exp={"N": str(int(now - MAX_PAST_SECONDS) - 1000)}))
    table.put_item(TableName="tbl", Item=item("old", exp={"N": str(int(now - MAX_PAST_SECONDS) + 86400)}))
    aws.clock.advance(DEFAULT_SWEEP_DELAY + 1)
    assert keys_in(table) == {"ancient"}
    assert table.expire_ttl_now() == 0


# --- TL2: a background process; visible until swept -------------------------------------------


def test_tl2_expired_item_stays_visible_and_updatable_until_the_delay_passes(aws, table):
    now = aws.clock.now()
    table.put_item(TableName="tbl", Item=item("a", exp={"N": str(now + 10)}))
    aws.clock.advance(20)  # expired, but the sweep delay has not passed
    assert table.get_item(TableName="tbl", Key=item("a"))["Item"]["exp"] == {"N": str(now + 10)}
    assert (
        table.query(
            TableName="tbl", KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": {"S": "a"}}
        )["Count"]
        == 1
    )
    table.update_item(
        TableName="tbl",
        Key=item("a"),
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"S": "x"}},
    )
    aws.clock.advance(DEFAULT_SWEEP_DELAY - 10 - 1)  # now + 609 < expiry + delay
    assert keys_in(table) == {"a"}
    aws.clock.advance(2)
    assert keys_in(table) == set()


def test_tl2_design_example_advance_49_hours_sweeps(aws, table):
    table.put_item(TableName="tbl", Item=item("a", exp={"N": str(aws.clock.now() + 3600)}))
    aws.clock.advance(hours=49)
    assert keys_in(table) == set()


def test_tl2_updating_or_removing_the_attribute_prevents_expiry(aws, table):
    now = aws.clock.now()
    for p in ("moved", "removed", "retyped", "kept"):
        table.put_item(TableName="tbl", Item=item(p, exp={"N": str(now + 10)}))
    aws.clock.advance(20)
    table.update_item(
        TableName="tbl",
        Key=item("moved"),
        UpdateExpression="SET #e = :e",
        ExpressionAttributeNames={"#e": "exp"},
        ExpressionAttributeValues={":e": {"N": str(now + 86400)}},
    )
    table.update_item(
        TableName="tbl",
        Key=item("removed"),
        UpdateExpression="REMOVE #e",
        ExpressionAttributeNames={"#e": "exp"},
    )
    table.put_item(TableName="tbl", Item=item("retyped", exp={"S": "soon"}))
    aws.clock.advance(DEFAULT_SWEEP_DELAY)
    assert keys_in(table) == {"moved", "removed", "retyped"}
    aws.clock.advance(days=2)
    assert keys_in(table) == {"removed", "retyped"}
    meta = aws.dynamodb.service.catalog.tables["tbl"]
    meta.ttl.index._check(meta.store)


def test_tl2_items_written_before_ttl_was_enabled_are_processed(aws):
    d = aws.dynamodb
    make_table(d)
    d.put_item(TableName="tbl", Item=item("old", exp={"N": str(aws.clock.now() - 10)}))
    d.put_item(TableName="tbl", Item=item("keep", exp={"N": str(aws.clock.now() + 86400)}))
    enable(d)
    assert keys_in(d) == {"old", "keep"}  # not instant (TL4)
    assert d.expire_ttl_now() == 1
    assert keys_in(d) == {"keep"}


def test_tl2_no_sweep_without_ttl_and_disabling_stops_sweeps(aws):
    d = aws.dynamodb
    make_table(d)
    d.put_item(TableName="tbl", Item=item("a", exp={"N": str(aws.clock.now() - 10)}))
    aws.clock.advance(days=1)
    assert d.expire_ttl_now() == 0 and keys_in(d) == {"a"}
    enable(d)
    aws.clock.advance(MODIFY_INTERVAL)  # the sweep runs (delay 600 s < 1 h)
    assert keys_in(d) == set()
    d.put_item(TableName="tbl", Item=item("b", exp={"N": str(aws.clock.now() - 10)}))
    disable(d)
    aws.clock.advance(days=3)
    assert d.expire_ttl_now() == 0 and keys_in(d) == {"b"}


def test_tl2_sweep_forgets_a_deleted_table(aws, table):
    table.put_item(TableName="tbl", Item=item("a", exp={"N": str(aws.clock.now() - 10)}))
    table.delete_table(TableName="tbl")
    aws.clock.advance(days=3)  # the sweep meets a deleted table: no error
    assert aws.dynamodb.service.catalog.ttl_sweeper.tables == {}


def test_tl4_sweep_delay_is_configurable_and_zero_means_next_clock_move():
    aws = emulator.Emulator(ttl_sweep_delay=0)
    d = aws.dynamodb
    make_table(d)
    enable(d)
    d.put_item(TableName="tbl", Item=item("a", exp={"N": str(aws.clock.now())}))
    assert keys_in(d) == {"a"}
    aws.clock.advance(0)
    assert keys_in(d) == set()


def test_tl4_expire_ttl_now_ignores_the_delay_and_can_name_one_table(aws):
    d = aws.dynamodb
    for name in ("one", "two"):
        make_table(d, name)
        enable(d, name=name)
        d.put_item(TableName=name, Item=item("a", exp={"N": str(aws.clock.now())}))
    assert d.expire_ttl_now("one") == 1
    assert keys_in(d, "one") == set() and keys_in(d, "two") == {"a"}
    assert d.expire_ttl_now("missing") == 0
    assert d.expire_ttl_now() == 1
    assert keys_in(d, "two") == set()


# --- TL3: indexes and streams -------------------------------------------------------------------


def test_tl3_ttl_delete_removes_gsi_and_lsi_entries(aws):
    d = aws.dynamodb
    defs = DEFS + [{"AttributeName": "g", "AttributeType": "S"}]
    make_table(
        d,
        defs=defs,
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": [
                    {"AttributeName": "p", "KeyType": "HASH"},
                    {"AttributeName": "g", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    enable(d)
    d.put_item(TableName="tbl", Item=item("a", g={"S": "x"}, exp={"N": str(aws.clock.now())}))
    d.put_item(TableName="tbl", Item=item("a", 1, g={"S": "x"}))
    aws.clock.advance(hours=1)
    gsi = d.query(
        TableName="tbl",
        IndexName="gsi",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "x"}},
    )["Items"]
    lsi = d.query(
        TableName="tbl",
        IndexName="lsi",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
    )["Items"]
    assert [i["s"] for i in gsi] == [{"N": "1"}] == [i["s"] for i in lsi]
    desc = d.describe_table(TableName="tbl")["Table"]
    assert desc["ItemCount"] == 1
    assert [g["ItemCount"] for g in desc["GlobalSecondaryIndexes"]] == [1]


def test_tl3_stream_remove_record_has_service_user_identity(aws):
    d = aws.dynamodb
    make_table(d, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    enable(d)
    expired = item("a", exp={"N": str(aws.clock.now())}, v={"S": "payload"})
    d.put_item(TableName="tbl", Item=expired)
    d.delete_item(TableName="tbl", Key=item("zz"))
    d.put_item(TableName="tbl", Item=item("b"))
    d.delete_item(TableName="tbl", Key=item("b"))
    aws.clock.advance(hours=1)
    streams = aws.dynamodbstreams
    arn = d.describe_table(TableName="tbl")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    records = streams.get_records(ShardIterator=it)["Records"]
    assert [r["eventName"] for r in records] == ["INSERT", "INSERT", "REMOVE", "REMOVE"]
    assert all("userIdentity" not in r for r in records[:3])
    ttl_remove = records[3]
    assert ttl_remove["userIdentity"] == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
    assert ttl_remove["dynamodb"]["OldImage"] == expired
    assert "NewImage" not in ttl_remove["dynamodb"]


@pytest.mark.doors("boto3", "http")
def test_tl3_user_identity_through_the_boto3_and_http_doors(aws, door, request):
    from tests.conftest import _door_client

    d = aws.dynamodb
    make_table(d, StreamSpecification={"StreamEnabled": True, "StreamViewType": "OLD_IMAGE"})
    enable(d)
    d.put_item(TableName="tbl", Item=item("a", exp={"N": str(aws.clock.now())}))
    assert d.expire_ttl_now() == 1
    streams = _door_client("dynamodbstreams", aws, door, request)
    arn = d.describe_table(TableName="tbl")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    last = streams.get_records(ShardIterator=it)["Records"][-1]
    assert last["eventName"] == "REMOVE"
    assert last["userIdentity"] == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}


def test_tl3_transactions_and_batches_feed_the_index(aws, table):
    now = aws.clock.now()
    table.batch_write_item(RequestItems={"tbl": [{"PutRequest": {"Item": item("b", exp={"N": str(now)})}}]})
    table.transact_write_items(
        TransactItems=[{"Put": {"TableName": "tbl", "Item": item("t", exp={"N": str(now)})}}]
    )
    assert table.expire_ttl_now() == 2
    store = aws.dynamodb.service.catalog.tables["tbl"].store
    store._check()
    aws.dynamodb.service.catalog.tables["tbl"].ttl.index._check(store)
    assert len(aws.dynamodb.service.catalog.tables["tbl"].ttl.index) == 0


# --- the system clock ----------------------------------------------------------------------------


def test_system_clock_sweeps_on_a_background_thread(monkeypatch):
    from emulator.dynamodb import ttl

    monkeypatch.setattr(ttl, "SYSTEM_SWEEP_INTERVAL", 0.01)
    aws = emulator.Emulator(clock="system", ttl_sweep_delay=0)
    d = aws.dynamodb
    make_table(d)
    enable(d)
    d.put_item(TableName="tbl", Item=item("a", exp={"N": str(int(aws.clock.now()) - 1)}))
    wait_until(lambda: not keys_in(d), what="the sweep")  # the sweeper's thread, in real time
    assert keys_in(d) == set()
    aws.dynamodb.service.catalog.ttl_sweeper.tables.clear()  # lets the thread end
    aws.close()


# --- property: the table equals the model minus exactly the eligible items ------------------------

_offsets = st.one_of(
    st.none(), st.floats(-6 * 365 * 86400, 3 * 86400, allow_nan=False), st.sampled_from(["S", "NS"])
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 15), _offsets), max_size=30),
    st.lists(st.tuples(st.integers(0, 15), _offsets), max_size=10),
)
def test_property_after_advancing_past_every_expiry_only_eligible_items_are_gone(before, after):
    aws = emulator.Emulator(seed=1)
    d = aws.dynamodb
    make_table(d)
    start = aws.clock.now()
    model: dict[str, dict] = {}

    def put(k: int, offset: object) -> None:
        it = item(f"k{k}")
        if isinstance(offset, float):
            it["exp"] = {"N": repr(round(start + offset, 3))}
        elif offset == "S":
            it["exp"] = {"S": "1"}
        elif offset == "NS":
            it["exp"] = {"NS": [str(int(start))]}
        d.put_item(TableName="tbl", Item=it)
        model[f"k{k}"] = it

    for k, offset in before:
        put(k, offset)
    enable(d)
    for k, offset in after:
        put(k, offset)
    end = aws.clock.advance(days=4)
    expected = set()
    for k, it in model.items():
        n = it.get("exp", {}).get("N")
        # swept at the first clock move (4 days later); expiry must be within 5 years of then
        if n is not None and float(n) <= end - DEFAULT_SWEEP_DELAY and float(n) >= end - MAX_PAST_SECONDS:
            continue
        expected.add(k)
    assert keys_in(d) == expected
    meta = aws.dynamodb.service.catalog.tables["tbl"]
    meta.store._check()
    meta.ttl.index._check(meta.store)


# --- safety: no resurrection, concurrent writers ------------------------------------------------


def test_sweep_never_resurrects_or_double_deletes(aws, table):
    now = aws.clock.now()
    table.put_item(TableName="tbl", Item=item("a", exp={"N": str(now)}))
    table.delete_item(TableName="tbl", Key=item("a"))
    table.put_item(TableName="tbl", Item=item("b", exp={"N": str(now)}))
    assert table.expire_ttl_now() == 1
    assert table.expire_ttl_now() == 0
    aws.clock.advance(days=3)
    assert keys_in(table) == set()


def test_concurrent_writers_and_clock_moves_stay_consistent(aws, table):
    import threading

    now = aws.clock.now()
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            for i in range(200):
                table.put_item(TableName="tbl", Item=item(f"{w}-{i % 20}", exp={"N": str(now + i % 3)}))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def mover() -> None:
        try:
            for _ in range(50):
                aws.clock.advance(DEFAULT_SWEEP_DELAY)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(3)] + [
        threading.Thread(target=mover)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    aws.clock.advance(DEFAULT_SWEEP_DELAY + 3)
    assert keys_in(table) == set()
    meta = aws.dynamodb.service.catalog.tables["tbl"]
    meta.store._check()
    meta.ttl.index._check(meta.store)
    assert len(meta.ttl.index) == 0
