"""The capacity model (``Emulator(capacity="enforce")``, docs/rules/dynamodb.md TH3): token buckets
with 300 seconds of burst for provisioned tables, AWS's per-table quota for on-demand tables,
3,000 RCU / 1,000 WCU per partition, AWS's throttling errors, partial batches, GSI back-pressure,
and the model off by default. Everything on the virtual clock: no real time passes."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import emulator
from emulator.dynamodb import messages as M

pytestmark = [
    pytest.mark.emulator(capacity="enforce"),
    pytest.mark.no_remote("throttling needs the model's clock"),
]

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/"


def _table(ddb, name="Cap", rcu=None, wcu=None, gsi_wcu=None):
    kwargs: dict = {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    }
    if rcu is None:
        kwargs["BillingMode"] = "PAY_PER_REQUEST"
    else:
        kwargs["ProvisionedThroughput"] = {"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu}
    if gsi_wcu is not None:
        kwargs["AttributeDefinitions"].append({"AttributeName": "g", "AttributeType": "S"})
        kwargs["GlobalSecondaryIndexes"] = [
            {
                "IndexName": "byG",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": gsi_wcu},
            }
        ]
    ddb.create_table(**kwargs)
    return name


def _put_until_throttled(ddb, table, limit, key=lambda i: f"k{i}", extra=None):
    """How many puts get through before the first throttle (and that error)."""
    for i in range(limit):
        item = {"pk": {"S": key(i)}, **(extra or {})}
        try:
            ddb.put_item(TableName=table, Item=item)
        except ClientError as err:
            return i, err
    return limit, None


def test_provisioned_table_spends_300_seconds_of_burst_then_throttles(ddb, aws):
    table = _table(ddb, rcu=1, wcu=1)
    done, err = _put_until_throttled(aws.dynamodb, table, 400)
    assert done == 300  # 1 WCU/s with 300 s of unused capacity kept
    with pytest.raises(ClientError) as info:  # the error as every door shows it
        ddb.put_item(TableName=table, Item={"pk": {"S": "k300"}})
    err = info.value
    assert err.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
    assert err.response["Error"]["Message"] == M.PROVISIONED_THROUGHPUT_EXCEEDED
    assert err.response["ThrottlingReasons"] == [
        {"reason": "TableWriteProvisionedThroughputExceeded", "resource": ARN + table}
    ]
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "k300"}}, ConsistentRead=True)
    aws.clock.advance(seconds=2)  # two units earned back
    ddb.put_item(TableName=table, Item={"pk": {"S": "later"}})


def test_hot_key_throttles_at_1000_wcu_while_the_on_demand_table_is_far_below_its_limit(ddb, aws):
    table = _table(ddb)
    done, err = _put_until_throttled(aws.dynamodb, table, 1200, key=lambda i: "hot")
    assert done == 1000  # one partition: 1,000 WCU per second
    with pytest.raises(ClientError) as info:  # the error as every door shows it
        ddb.put_item(TableName=table, Item={"pk": {"S": "hot"}})
    err = info.value
    assert err.response["Error"]["Code"] == "ThrottlingException"
    assert err.response["Error"]["Message"] == M.THROTTLED_ON_DEMAND
    reasons = err.response.get("throttlingReasons") or err.response.get("ThrottlingReasons")
    assert reasons == [{"reason": "TableWriteKeyRangeThroughputExceeded", "resource": ARN + table}]
    ddb.put_item(TableName=table, Item={"pk": {"S": "another-key-elsewhere"}})  # other partitions serve
    aws.clock.advance(seconds=1)
    ddb.put_item(TableName=table, Item={"pk": {"S": "hot"}})


@pytest.mark.native_only
def test_reads_cost_half_when_eventually_consistent(ddb):
    table = _table(ddb, rcu=1, wcu=5)
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    reads = 0
    with pytest.raises(ClientError) as info:
        while reads < 1000:
            ddb.get_item(TableName=table, Key={"pk": {"S": "a"}})
            reads += 1
    assert reads == 600  # 300 RCU of burst, half a unit per eventually consistent read
    assert info.value.response["ThrottlingReasons"][0]["reason"] == "TableReadProvisionedThroughputExceeded"


@pytest.mark.native_only
def test_query_and_scan_are_charged_what_consumed_capacity_reports(ddb):
    table = _table(ddb, rcu=1, wcu=50)
    for i in range(10):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "pad": {"S": "x" * 3000}})
    scans = 0
    with pytest.raises(ClientError) as info:
        while scans < 100:
            ddb.scan(TableName=table, ConsistentRead=True)
            scans += 1
    assert scans == 38  # 8 RCU a scan (30,xxx bytes): 300 RCU of burst admits 38 of them
    assert info.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"


def test_batch_write_answers_unprocessed_items_when_part_of_it_is_throttled(ddb, aws):
    table = _table(ddb, rcu=1, wcu=1)
    _put_until_throttled(aws.dynamodb, table, 299)  # one unit of burst left
    items = [{"PutRequest": {"Item": {"pk": {"S": f"b{i}"}}}} for i in range(3)]
    answer = ddb.batch_write_item(RequestItems={table: items})
    assert answer["UnprocessedItems"] == {table: items[1:]}
    with pytest.raises(ClientError) as info:
        ddb.batch_write_item(RequestItems={table: items[1:]})
    assert info.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"


def test_batch_get_answers_unprocessed_keys_when_part_of_it_is_throttled(ddb, aws):
    table = _table(ddb, rcu=1, wcu=10)
    keys = [{"pk": {"S": f"k{i}"}} for i in range(3)]
    for key in keys:
        ddb.put_item(TableName=table, Item=key)
    for _ in range(299):
        aws.dynamodb.get_item(TableName=table, Key=keys[0], ConsistentRead=True)
    answer = ddb.batch_get_item(RequestItems={table: {"Keys": keys, "ConsistentRead": True}})
    assert len(answer["Responses"][table]) == 1
    assert answer["UnprocessedKeys"] == {table: {"Keys": keys[1:], "ConsistentRead": True}}


def test_a_gsi_without_write_capacity_throttles_the_base_table(ddb, aws):
    table = _table(ddb, rcu=10, wcu=1000, gsi_wcu=1)
    done, err = _put_until_throttled(aws.dynamodb, table, 400, extra={"g": {"S": "x"}})
    assert done == 300  # the index's 1 WCU and burst, not the table's 1,000
    with pytest.raises(ClientError) as info:  # the error as every door shows it
        ddb.put_item(TableName=table, Item={"pk": {"S": "k300"}, "g": {"S": "x"}})
    err = info.value
    assert err.response["Error"]["Message"] == M.INDEX_PROVISIONED_THROUGHPUT_EXCEEDED
    assert err.response["ThrottlingReasons"] == [
        {"reason": "IndexWriteProvisionedThroughputExceeded", "resource": ARN + table + "/index/byG"}
    ]
    ddb.put_item(TableName=table, Item={"pk": {"S": "not-indexed"}})  # no index entry: admitted


@pytest.mark.native_only
def test_update_table_increase_takes_effect_at_once(ddb, aws):
    table = _table(ddb, rcu=1, wcu=1)
    _put_until_throttled(ddb, table, 400)
    ddb.update_table(
        TableName=table, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 100}
    )
    aws.clock.advance(seconds=1)
    done, _err = _put_until_throttled(ddb, table, 200, key=lambda i: f"n{i}")
    assert done == 100


def test_update_and_delete_are_throttled_before_they_apply(ddb, aws):
    table = _table(ddb, rcu=5, wcu=1)
    _put_until_throttled(aws.dynamodb, table, 400)
    with pytest.raises(ClientError):
        ddb.update_item(
            TableName=table,
            Key={"pk": {"S": "k0"}},
            UpdateExpression="SET a = :v",
            ExpressionAttributeValues={":v": {"N": "1"}},
        )
    with pytest.raises(ClientError):
        ddb.delete_item(TableName=table, Key={"pk": {"S": "k0"}})
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "k0"}}, ConsistentRead=True)["Item"] == {
        "pk": {"S": "k0"}
    }


def test_capacity_option_refuses_unknown_values():
    with pytest.raises(ValueError, match="unknown capacity"):
        emulator.Emulator(capacity="throttle")


def test_model_off_by_default_leaves_the_fast_paths_alone():
    aws = emulator.Emulator()
    service = aws.service("dynamodb")
    assert service.capacity is None
    assert service.registry is type(service).registry
    on = emulator.Emulator(capacity="enforce").service("dynamodb")
    assert on.registry.operations["PutItem"].fast is None
    assert type(on).registry.operations["PutItem"].fast is not None


def test_a_throttled_transaction_is_cancelled_with_throttling_error_and_changes_nothing(ddb, aws):
    table = _table(ddb, rcu=1, wcu=1)
    _put_until_throttled(aws.dynamodb, table, 298)  # two units of burst left: one transactional write
    ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {"pk": {"S": "t1"}}}}])
    with pytest.raises(ClientError) as info:
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {"pk": {"S": "t2"}}}},
                {"Put": {"TableName": table, "Item": {"pk": {"S": "t3"}}}},
            ]
        )
    assert info.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert info.value.response["CancellationReasons"] == [
        {"Code": "ThrottlingError", "Message": M.PROVISIONED_THROUGHPUT_EXCEEDED},
        {"Code": "ThrottlingError", "Message": M.PROVISIONED_THROUGHPUT_EXCEEDED},
    ]
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "t2"}}, ConsistentRead=True)


@pytest.mark.native_only
def test_transactional_reads_cost_twice(ddb):
    table = _table(ddb, rcu=1, wcu=5)
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    done = 0
    with pytest.raises(ClientError) as info:
        while done < 500:
            ddb.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}}])
            done += 1
    assert done == 150  # 300 RCU of burst, 2 per transactional read
    assert info.value.response["CancellationReasons"][0]["Code"] == "ThrottlingError"


def test_the_worked_example_shows_the_hot_key_throttling_and_the_sharded_key_not():
    """benchmarks/capacity_hot_key.py, shortened: the same workload, two key designs."""
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).parents[2] / "benchmarks" / "capacity_hot_key.py"
    spec = importlib.util.spec_from_file_location("capacity_hot_key", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    hot = example.run_design(1, seconds=1.0, rate=3000.0, seed=7)
    sharded = example.run_design(10, seconds=1.0, rate=3000.0, seed=7)
    assert hot["throttles"] > 0 and hot["p99_ms"] > 0
    assert sharded["throttles"] == 0 and sharded["writes"] == 3000 and sharded["p99_ms"] == 0
    assert "hot key" in example.render([hot, sharded])


def test_a_write_whose_condition_fails_still_consumes_capacity(ddb, aws):
    """C15: a failed conditional write consumes write capacity (the existing item's size, at least
    1 WCU), so a loop of failing conditional writes throttles like any other writes."""
    table = _table(ddb, rcu=1, wcu=1)
    aws.dynamodb.put_item(TableName=table, Item={"pk": {"S": "taken"}})
    failed = throttled = 0
    for _ in range(400):
        try:
            ddb.put_item(
                TableName=table, Item={"pk": {"S": "taken"}}, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code == "ConditionalCheckFailedException":
                failed += 1
            else:
                assert code == "ProvisionedThroughputExceededException"
                throttled += 1
                break
        try:
            ddb.update_item(
                TableName=table,
                Key={"pk": {"S": "taken"}},
                UpdateExpression="SET v = :v",
                ConditionExpression="attribute_not_exists(pk)",
                ExpressionAttributeValues={":v": {"S": "x"}},
            )
        except ClientError as err:
            if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
                throttled += 1
                break
            failed += 1
    assert throttled == 1 and failed == 299  # 300 s of burst at 1 WCU/s, less the first put
    assert aws.dynamodb.get_item(TableName=table, Key={"pk": {"S": "taken"}})["Item"] == {
        "pk": {"S": "taken"}
    }


def test_partiql_selects_spend_read_capacity_and_throttle_like_getitem_and_scan(ddb, aws):
    """AWS charges a PartiQL SELECT the read units of the GetItem/Query/Scan it runs as, against
    the same provisioned throughput: a whole-key SELECT and a scan-shaped SELECT throttle too."""
    table = _table(ddb, rcu=1, wcu=5)
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    get = f"SELECT * FROM \"{table}\" WHERE pk = 'a'"
    for _ in range(300):  # 1 RCU/s with 300 s of burst; a strong read of a small item is 1 RCU
        aws.dynamodb.execute_statement(Statement=get, ConsistentRead=True)
    with pytest.raises(ClientError) as info:
        ddb.execute_statement(Statement=get, ConsistentRead=True)
    assert info.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
    with pytest.raises(ClientError) as info:
        ddb.execute_statement(Statement=f'SELECT * FROM "{table}"', ConsistentRead=True)
    assert info.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
    assert aws.dynamodb.usage()[table]["consumed_rcu"] == 300


def test_a_throttled_partiql_batch_statement_answers_throttling_error(ddb, aws):
    """BatchExecuteStatement reports a throttled statement with a code of AWS's
    BatchStatementErrorCodeEnum: ``ThrottlingError`` on demand, never ``Throttling``."""
    table = _table(ddb)
    done, _ = _put_until_throttled(aws.dynamodb, table, 1200, key=lambda i: "hot")
    assert done == 1000
    update = f"UPDATE \"{table}\" SET v = 1 WHERE pk = 'hot'"
    answer = ddb.batch_execute_statement(Statements=[{"Statement": update}])["Responses"]
    assert answer[0]["Error"]["Code"] == "ThrottlingError"
    assert answer[0]["Error"]["Message"] == M.THROTTLED_ON_DEMAND
