"""Global tables, version 2019.11.21: UpdateTable ReplicaUpdates, DescribeTable's Replicas and
GlobalTableVersion, replication between the regions of one Emulator after ``global_table_lag``
seconds on the world's clock, last writer wins, and each replica's stream.

The door tests run natively (``aws.client(..., region_name=)``), through the boto3 hook and over
HTTP; in the last two the region is the boto3 client's. Rules and sources: docs/dynamodb-conformance.md
("Global tables").
"""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emulator
from emulator.dynamodb import messages as M
from emulator.dynamodb.global_tables import registry_of
from emulator.dynamodb.operations.replicas import supported_regions
from tests.conftest import error_of

KEYS = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
EU = "eu-west-1"
AP = "ap-southeast-2"


def key(k: str) -> dict:
    return {"id": {"S": k}}


def create(region: str) -> dict:
    return {"ReplicaUpdates": [{"Create": {"RegionName": region}}]}


@pytest.fixture
def pair(door_client):
    """(us-east-1 client, eu-west-1 client) of a global table ``Orders`` with one item."""
    us, eu = door_client("dynamodb"), door_client("dynamodb", region_name=EU)
    us.create_table(TableName="Orders", **KEYS)
    us.put_item(TableName="Orders", Item={"id": {"S": "a"}, "n": {"N": "1"}})
    us.update_table(TableName="Orders", **create(EU))
    return us, eu


def get(client, k: str, **extra) -> dict | None:
    return client.get_item(TableName="Orders", Key=key(k), ConsistentRead=True, **extra).get("Item")


# --- ReplicaUpdates Create and DescribeTable ----------------------------------------------------
def test_replica_create_makes_the_table_in_the_other_region(door_client):
    us, eu = door_client("dynamodb"), door_client("dynamodb", region_name=EU)
    us.create_table(TableName="Orders", **KEYS)
    us.put_item(TableName="Orders", Item={"id": {"S": "a"}, "n": {"N": "1"}})
    answer = us.update_table(TableName="Orders", **create(EU))["TableDescription"]
    assert answer["GlobalTableVersion"] == "2019.11.21"
    assert answer["Replicas"] == [{"RegionName": EU, "ReplicaStatus": "ACTIVE"}]
    # AWS enables a NEW_AND_OLD_IMAGES stream on a table without one.
    assert answer["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    there = eu.describe_table(TableName="Orders")["Table"]
    assert there["TableArn"] == "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders"
    assert there["GlobalTableVersion"] == "2019.11.21"
    assert there["Replicas"] == [{"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"}]
    assert there["KeySchema"] == KEYS["KeySchema"]
    assert there["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert there["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert there["ItemCount"] == 1
    assert eu.get_item(TableName="Orders", Key=key("a"))["Item"] == {"id": {"S": "a"}, "n": {"N": "1"}}


def test_a_regional_table_has_no_replicas_or_version(door_client):
    us = door_client("dynamodb")
    us.create_table(TableName="Orders", **KEYS)
    table = us.describe_table(TableName="Orders")["Table"]
    assert "Replicas" not in table and "GlobalTableVersion" not in table


def test_replica_keeps_the_stream_view_type_indexes_and_ttl(door_client):
    us, ap = door_client("dynamodb"), door_client("dynamodb", region_name=AP)
    us.create_table(
        TableName="Orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-status",
                "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )
    us.update_time_to_live(
        TableName="Orders", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
    )
    us.update_table(TableName="Orders", **create(AP))
    there = ap.describe_table(TableName="Orders")["Table"]
    assert there["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    assert [i["IndexName"] for i in there["GlobalSecondaryIndexes"]] == ["by-status"]
    assert ap.describe_time_to_live(TableName="Orders")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "exp",
    }
    us.put_item(TableName="Orders", Item={"id": {"S": "o1"}, "status": {"S": "open"}})
    found = ap.query(
        TableName="Orders",
        IndexName="by-status",
        KeyConditionExpression="#s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "open"}},
    )["Items"]
    assert found == [{"id": {"S": "o1"}, "status": {"S": "open"}}]


def test_three_regions_list_each_other_in_the_order_they_joined(door_client):
    us, eu, ap = (door_client("dynamodb", region_name=r) for r in ("us-east-1", EU, AP))
    us.create_table(TableName="Orders", **KEYS)
    us.update_table(TableName="Orders", **create(EU))
    eu.update_table(TableName="Orders", **create(AP))  # any member may add a replica
    assert us.describe_table(TableName="Orders")["Table"]["Replicas"] == [
        {"RegionName": EU, "ReplicaStatus": "ACTIVE"},
        {"RegionName": AP, "ReplicaStatus": "ACTIVE"},
    ]
    assert [r["RegionName"] for r in ap.describe_table(TableName="Orders")["Table"]["Replicas"]] == [
        "us-east-1",
        EU,
    ]
    eu.put_item(TableName="Orders", Item={"id": {"S": "x"}})
    assert get(us, "x") == get(ap, "x") == {"id": {"S": "x"}}


# --- replication --------------------------------------------------------------------------------
def test_writes_replicate_at_once_with_the_default_lag(pair):
    us, eu = pair
    us.put_item(TableName="Orders", Item={"id": {"S": "b"}, "n": {"N": "2"}})
    assert get(eu, "b") == {"id": {"S": "b"}, "n": {"N": "2"}}
    eu.update_item(
        TableName="Orders",
        Key=key("b"),
        UpdateExpression="ADD n :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    assert get(us, "b") == {"id": {"S": "b"}, "n": {"N": "3"}}
    us.delete_item(TableName="Orders", Key=key("b"))
    assert get(eu, "b") is None
    us.transact_write_items(TransactItems=[{"Put": {"TableName": "Orders", "Item": {"id": {"S": "t"}}}}])
    us.batch_write_item(RequestItems={"Orders": [{"PutRequest": {"Item": {"id": {"S": "w"}}}}]})
    assert get(eu, "t") == {"id": {"S": "t"}} and get(eu, "w") == {"id": {"S": "w"}}


@pytest.mark.emulator(global_table_lag=5, auto_advance=False)
def test_the_other_region_reads_stale_until_the_lag_has_passed(aws, pair):
    us, eu = pair
    us.put_item(TableName="Orders", Item={"id": {"S": "a"}, "n": {"N": "2"}})
    assert get(us, "a") == {"id": {"S": "a"}, "n": {"N": "2"}}
    assert get(eu, "a") == {"id": {"S": "a"}, "n": {"N": "1"}}  # stale, even strongly consistent
    aws.clock.advance(seconds=4.9)
    assert get(eu, "a") == {"id": {"S": "a"}, "n": {"N": "1"}}
    aws.clock.advance(seconds=0.1)
    assert get(eu, "a") == {"id": {"S": "a"}, "n": {"N": "2"}}  # converged
    eu.delete_item(TableName="Orders", Key=key("a"))
    assert get(us, "a") is not None
    aws.clock.advance(seconds=5)
    assert get(us, "a") is None


@pytest.mark.emulator(global_table_lag=5, auto_advance=False)
def test_concurrent_writes_resolve_last_writer_wins(aws, pair):
    us, eu = pair
    # The same instant: the later call wins in both regions.
    us.put_item(TableName="Orders", Item={"id": {"S": "c"}, "by": {"S": "us"}})
    eu.put_item(TableName="Orders", Item={"id": {"S": "c"}, "by": {"S": "eu"}})
    # One second apart, the earlier write arriving last: the later one still wins.
    eu.put_item(TableName="Orders", Item={"id": {"S": "d"}, "by": {"S": "eu"}})
    aws.clock.advance(seconds=1)
    us.put_item(TableName="Orders", Item={"id": {"S": "d"}, "by": {"S": "us"}})
    assert get(us, "d")["by"] == {"S": "us"} and get(eu, "d")["by"] == {"S": "eu"}  # diverged for now
    # A delete against an older put of the same key: the delete is later and wins.
    us.put_item(TableName="Orders", Item={"id": {"S": "e"}})
    aws.clock.advance(seconds=1)
    eu.delete_item(TableName="Orders", Key=key("a"))
    eu.put_item(TableName="Orders", Item={"id": {"S": "a"}, "again": {"BOOL": True}})
    aws.clock.advance(seconds=10)
    for region in (us, eu):
        assert get(region, "c")["by"] == {"S": "eu"}
        assert get(region, "d")["by"] == {"S": "us"}
        assert get(region, "e") == {"id": {"S": "e"}}
        assert get(region, "a") == {"id": {"S": "a"}, "again": {"BOOL": True}}
    assert us.scan(TableName="Orders")["Count"] == eu.scan(TableName="Orders")["Count"] == 4
    for group in registry_of(aws).groups.values():
        group._check()


@pytest.mark.emulator(global_table_lag=3, auto_advance=False)
def test_each_replica_stream_records_the_change(aws, pair, door_client):
    us, eu = pair
    eu_streams = door_client("dynamodbstreams", region_name=EU)
    arn = eu.describe_table(TableName="Orders")["Table"]["LatestStreamArn"]
    assert arn.startswith("arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/")
    shard = eu_streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = eu_streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    it = it["ShardIterator"]
    us.put_item(TableName="Orders", Item={"id": {"S": "a"}, "n": {"N": "2"}})
    page = eu_streams.get_records(ShardIterator=it)
    assert page["Records"] == []  # the copy made by the Create is no stream record; nothing arrived yet
    aws.clock.advance(seconds=3)
    records = eu_streams.get_records(ShardIterator=page["NextShardIterator"])["Records"]
    assert [r["eventName"] for r in records] == ["MODIFY"]
    change = records[0]["dynamodb"]
    assert change["OldImage"] == {"id": {"S": "a"}, "n": {"N": "1"}}
    # Version 2019.11.21 adds no aws:rep:* attributes (the legacy 2017.11.29 version did).
    assert change["NewImage"] == {"id": {"S": "a"}, "n": {"N": "2"}}
    assert "userIdentity" not in records[0]


def test_replication_waits_for_a_busy_region_then_arrives_at_its_next_call(aws):
    us, eu = aws.dynamodb, aws.client("dynamodb", region_name=EU)
    us.create_table(TableName="Orders", **KEYS)
    us.update_table(TableName="Orders", **create(EU))
    eu_service = aws.service("dynamodb", region=EU)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with eu_service.lock:
            held.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    us.put_item(TableName="Orders", Item={"id": {"S": "z"}})  # eu busy: no wait, no deadlock
    release.set()
    holder.join()
    assert eu.get_item(TableName="Orders", Key=key("z"))["Item"] == {"id": {"S": "z"}}


# --- Update and Delete --------------------------------------------------------------------------
def test_replica_delete_deletes_that_regions_table(pair):
    us, eu = pair
    answer = us.update_table(TableName="Orders", ReplicaUpdates=[{"Delete": {"RegionName": EU}}])
    assert "Replicas" not in answer["TableDescription"]
    with pytest.raises(Exception) as excinfo:
        eu.describe_table(TableName="Orders")
    assert error_of(excinfo) == ("ResourceNotFoundException", M.table_not_found("Orders"))
    table = us.describe_table(TableName="Orders")["Table"]
    assert "Replicas" not in table and "GlobalTableVersion" not in table
    # The stream AWS enabled stays; a new table of that name in eu-west-1 is a stranger.
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    eu.create_table(TableName="Orders", **KEYS)
    us.put_item(TableName="Orders", Item={"id": {"S": "n"}})
    assert get(eu, "n") is None


def test_deleting_a_replicas_table_takes_it_out_of_the_group(pair):
    us, eu = pair
    eu.delete_table(TableName="Orders")
    assert "Replicas" not in us.describe_table(TableName="Orders")["Table"]
    us.put_item(TableName="Orders", Item={"id": {"S": "n"}})
    assert registry_of_groups(us) == 0


def registry_of_groups(client) -> int:
    aws = getattr(client, "_native", client).service.world
    return len(registry_of(aws).groups)


def test_replica_update_sets_the_replicas_table_class(pair):
    us, eu = pair
    us.update_table(
        TableName="Orders",
        ReplicaUpdates=[{"Update": {"RegionName": EU, "TableClassOverride": "STANDARD_INFREQUENT_ACCESS"}}],
    )
    assert eu.describe_table(TableName="Orders")["Table"]["TableClassSummary"] == {
        "TableClass": "STANDARD_INFREQUENT_ACCESS"
    }


# --- errors -------------------------------------------------------------------------------------
def refused(client, **request) -> tuple[str, str]:
    with pytest.raises(Exception) as excinfo:
        client.update_table(TableName="Orders", **request)
    return error_of(excinfo)


def test_replica_updates_must_be_the_only_change(door_client):
    us = door_client("dynamodb")
    us.create_table(TableName="Orders", **KEYS)
    for other in (
        {"DeletionProtectionEnabled": True},
        {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}},
        {"TableClass": "STANDARD"},
    ):
        assert refused(us, **create(EU), **other) == ("ValidationException", M.REPLICA_UPDATE_ONLY)


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        ([{"Create": {"RegionName": EU}, "Delete": {"RegionName": EU}}], M.REPLICA_MIXED_ACTIONS),
        ([{}], M.REPLICA_NO_ACTION),
        ([{"Update": {"RegionName": EU}}], M.REPLICA_NO_ACTION),
        ([{"Create": {"RegionName": EU}}, {"Create": {"RegionName": AP}}], M.REPLICA_SEVERAL_ACTIONS),
        ([{"Create": {"RegionName": "us-east-1"}}], M.REPLICA_LOCAL_REGION),
        ([{"Delete": {"RegionName": "us-east-1"}}], M.REPLICA_LOCAL_REGION),
        ([{"Delete": {"RegionName": EU}}], M.replica_not_member([EU])),
        ([{"Update": {"RegionName": EU, "TableClassOverride": "STANDARD"}}], M.replica_not_member([EU])),
    ],
)
def test_replica_update_shape_errors(door_client, updates, message):
    us = door_client("dynamodb")
    us.create_table(TableName="Orders", **KEYS)
    assert refused(us, ReplicaUpdates=updates) == ("ValidationException", message)
    assert "Replicas" not in us.describe_table(TableName="Orders")["Table"]


def test_an_unknown_region_is_not_supported(door_client):
    us = door_client("dynamodb")
    us.create_table(TableName="Orders", **KEYS)
    message = M.replica_region_unsupported("us-fake-1", list(supported_regions()))
    assert refused(us, **create("us-fake-1")) == ("ValidationException", message)
    assert message.startswith("Region us-fake-1 is not supported. The latest version of global tables")
    assert refused(us, **create("EU-WEST-1"))[1].startswith("Region EU-WEST-1 is not supported.")


def test_identical_creates_count_once(door_client):
    us, eu = door_client("dynamodb"), door_client("dynamodb", region_name=EU)
    us.create_table(TableName="Orders", **KEYS)
    us.update_table(TableName="Orders", ReplicaUpdates=[{"Create": {"RegionName": EU}}] * 2)
    assert eu.describe_table(TableName="Orders")["Table"]["Replicas"][0]["RegionName"] == "us-east-1"


def test_a_provisioned_table_needs_autoscaled_write_capacity(door_client):
    us = door_client("dynamodb")
    us.create_table(
        TableName="Orders",
        KeySchema=KEYS["KeySchema"],
        AttributeDefinitions=KEYS["AttributeDefinitions"],
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )
    assert refused(us, **create(EU)) == ("ValidationException", M.REPLICA_WRITE_CAPACITY)


def test_create_of_an_existing_replica_or_table_is_refused(pair, door_client):
    us, eu = pair
    assert refused(us, **create(EU)) == ("ValidationException", M.replica_exists("Orders"))
    assert refused(eu, **create("us-east-1")) == ("ValidationException", M.replica_exists("Orders"))
    assert refused(eu, **create(EU)) == ("ValidationException", M.REPLICA_LOCAL_REGION)
    ap = door_client("dynamodb", region_name=AP)
    ap.create_table(TableName="Orders", **KEYS)  # a stranger of the same name
    assert refused(us, **create(AP)) == ("ValidationException", M.replica_exists("Orders"))
    assert M.replica_exists("Orders") == (
        "Failed to create a the new replica of table with name: \u2018Orders\u2019 because one or more "
        "replicas already existed as tables."
    )


def test_a_replicas_stream_cannot_be_disabled(pair):
    us, eu = pair
    for client in (us, eu):
        assert refused(client, StreamSpecification={"StreamEnabled": False}) == (
            "ValidationException",
            M.REPLICA_STREAM_DISABLE,
        )


def test_a_deletion_protected_replica_is_not_deleted(pair):
    us, eu = pair
    eu.update_table(TableName="Orders", DeletionProtectionEnabled=True)
    assert refused(us, ReplicaUpdates=[{"Delete": {"RegionName": EU}}]) == (
        "ValidationException",
        M.replica_deletion_protected("Orders", EU),
    )
    assert eu.describe_table(TableName="Orders")["Table"]["Replicas"]


def test_missing_table_is_resource_not_found(door_client):
    us = door_client("dynamodb")
    assert refused(us, **create(EU)) == ("ResourceNotFoundException", M.table_not_found("Orders"))


# --- the Emulator option ------------------------------------------------------------------------
def test_global_table_lag_is_a_validated_option():
    assert emulator.Emulator().global_table_lag == 0.0
    assert emulator.Emulator(global_table_lag=2).global_table_lag == 2.0
    with pytest.raises(ValueError, match="global_table_lag must be >= 0"):
        emulator.Emulator(global_table_lag=-1)
    with pytest.raises(TypeError, match="Did you mean 'global_table_lag'"):
        emulator.Emulator(global_tabel_lag=1)


# --- property: whatever the interleaving, the regions converge on the last write ----------------
_REGIONS = ("us-east-1", EU, AP)
_STEP = st.one_of(
    st.tuples(st.just("put"), st.sampled_from(_REGIONS), st.sampled_from("abc"), st.integers(0, 9)),
    st.tuples(st.just("delete"), st.sampled_from(_REGIONS), st.sampled_from("abc"), st.just(0)),
    st.tuples(st.just("advance"), st.just(""), st.just(""), st.integers(0, 4)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_STEP, max_size=25))
def test_property_regions_converge_on_the_last_write(steps):
    aws = emulator.Emulator(global_table_lag=3, auto_advance=False, seed=1)
    clients = {r: aws.client("dynamodb", region_name=r) for r in _REGIONS}
    clients["us-east-1"].create_table(TableName="Orders", **KEYS)
    clients["us-east-1"].update_table(TableName="Orders", **create(EU))
    clients["us-east-1"].update_table(TableName="Orders", **create(AP))
    last: dict[str, dict | None] = {}  # the last call per key
    for op, region, k, n in steps:
        if op == "put":
            item = {"id": {"S": k}, "n": {"N": str(n)}, "from": {"S": region}}
            clients[region].put_item(TableName="Orders", Item=item)
            last[k] = item
        elif op == "delete":
            clients[region].delete_item(TableName="Orders", Key=key(k))
            last[k] = None
        else:
            aws.clock.advance(seconds=n)
    aws.clock.advance(seconds=3)
    for k, expected in last.items():
        seen = [c.get_item(TableName="Orders", Key=key(k)).get("Item") for c in clients.values()]
        assert all(item == seen[0] for item in seen)  # converged
        # The last put wins. A delete wins only if it deleted something in its region: deleting
        # an item the region does not hold (yet) changes nothing and so replicates nothing.
        if expected is not None:
            assert seen[0] == expected
    for group in registry_of(aws).groups.values():
        group._check()
