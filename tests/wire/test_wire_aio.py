"""The boto3 door for async clients: aiobotocore and aioboto3 inside ``emulator.mock_aws()``.

Each test states one promise: async clients (low-level and aioboto3's resource) are answered
in-process like boto3's, with botocore's errors, aiobotocore's async paginators and waiters, no
socket, and everything aiobotocore-side put back on leaving.
"""

from __future__ import annotations

import asyncio
import json
import sys
import types

import aiobotocore.endpoint
import aiobotocore.httpsession
import aiobotocore.parsers
import aiobotocore.session
import boto3
import pytest
from botocore.exceptions import ClientError

from emulator.wire import aio as aio_hook
from emulator.wire import boto as hook
from emulator.wire.boto import mock_aws
from tests.wire.conftest import HASH_RANGE, ROLE


def client(service: str):
    """An aiobotocore client context (``async with client("dynamodb") as c``)."""
    return aiobotocore.session.get_session().create_client(service)


def item(p: str, s: int, **extra: dict) -> dict:
    return {"p": {"S": p}, "s": {"N": str(s)}, **extra}


# --- aiobotocore, low-level client ------------------------------------------------------------------


def test_aiobotocore_client_put_get_query(no_aws_config, no_network):
    async def run():
        async with client("dynamodb") as ddb:
            await ddb.create_table(TableName="tbl", **HASH_RANGE)
            for s in range(3):
                await ddb.put_item(TableName="tbl", Item=item("a", s, v={"S": f"v{s}"}))
            got = await ddb.get_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "1"}})
            query = await ddb.query(
                TableName="tbl",
                KeyConditionExpression="p = :p AND s >= :s",
                ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "1"}},
            )
            return got, query

    with mock_aws() as aws:
        got, query = asyncio.run(run())
        assert got["Item"] == item("a", 1, v={"S": "v1"})
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert [i["s"]["N"] for i in query["Items"]] == ["1", "2"] and query["Count"] == 2
        # the very Emulator the native door sees
        assert aws.dynamodb.get_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "2"}})["Item"][
            "v"
        ] == {"S": "v2"}


def test_aiobotocore_errors_are_botocore_client_errors_with_aws_codes(no_aws_config):
    async def run():
        async with client("dynamodb") as ddb:
            await ddb.create_table(TableName="tbl", **HASH_RANGE)
            await ddb.put_item(TableName="tbl", Item=item("a", 1))
            with pytest.raises(ddb.exceptions.ConditionalCheckFailedException) as modeled:
                await ddb.put_item(
                    TableName="tbl", Item=item("a", 1), ConditionExpression="attribute_not_exists(p)"
                )
            with pytest.raises(ClientError) as missing:
                await ddb.get_item(TableName="nope", Key={"p": {"S": "a"}, "s": {"N": "1"}})
            return modeled.value, missing.value

    with mock_aws():
        modeled, missing = asyncio.run(run())
    assert isinstance(modeled, ClientError)
    assert modeled.operation_name == "PutItem"
    assert modeled.response["Error"] == {
        "Code": "ConditionalCheckFailedException",
        "Message": "The conditional request failed",
    }
    assert modeled.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert missing.response["Error"]["Code"] == "ResourceNotFoundException"
    assert missing.operation_name == "GetItem"


def test_aiobotocore_async_paginators(no_aws_config):
    async def run():
        async with client("dynamodb") as ddb:
            for name in ("t01", "t02", "t03"):
                await ddb.create_table(TableName=name, **HASH_RANGE)
            for s in range(25):
                await ddb.put_item(TableName="t01", Item=item("a", s))
            tables = [
                page["TableNames"]
                async for page in ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2})
            ]
            query = ddb.get_paginator("query").paginate(
                TableName="t01",
                KeyConditionExpression="p = :p",
                ExpressionAttributeValues={":p": {"S": "a"}},
                PaginationConfig={"PageSize": 7},
            )
            sizes = [len(page["Items"]) async for page in query]
            everything = await ddb.get_paginator("scan").paginate(TableName="t01").build_full_result()
            return tables, sizes, everything

    with mock_aws():
        tables, sizes, everything = asyncio.run(run())
    assert tables == [["t01", "t02"], ["t03"]]
    assert sizes == [7, 7, 7, 4]
    assert everything["Count"] == 25 and len(everything["Items"]) == 25


def test_aiobotocore_async_waiters(no_aws_config):
    async def run():
        async with client("dynamodb") as ddb:
            await ddb.create_table(TableName="tbl", **HASH_RANGE)
            await ddb.get_waiter("table_exists").wait(
                TableName="tbl", WaiterConfig={"Delay": 0, "MaxAttempts": 1}
            )
            await ddb.delete_table(TableName="tbl")
            await ddb.get_waiter("table_not_exists").wait(
                TableName="tbl", WaiterConfig={"Delay": 0, "MaxAttempts": 1}
            )
            return (await ddb.list_tables())["TableNames"]

    with mock_aws():
        assert asyncio.run(run()) == []


def test_step_functions_through_aiobotocore(no_aws_config):
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": 1}, "End": True}}}

    async def run():
        async with client("stepfunctions") as sfn:
            arn = (await sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE))[
                "stateMachineArn"
            ]
            run = await sfn.start_execution(stateMachineArn=arn, input="{}")
            desc = await sfn.describe_execution(executionArn=run["executionArn"])
            with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
                await sfn.describe_state_machine(stateMachineArn=arn + "x")
            return desc

    with mock_aws():
        desc = asyncio.run(run())
    assert desc["status"] == "SUCCEEDED" and json.loads(desc["output"]) == {"x": 1}


def test_dynamodb_streams_through_aiobotocore(no_aws_config):
    async def run():
        async with client("dynamodb") as ddb, client("dynamodbstreams") as streams:
            table = await ddb.create_table(
                TableName="tbl",
                StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
                **HASH_RANGE,
            )
            await ddb.put_item(TableName="tbl", Item=item("a", 1))
            arn = table["TableDescription"]["LatestStreamArn"]
            shard = (await streams.describe_stream(StreamArn=arn))["StreamDescription"]["Shards"][0][
                "ShardId"
            ]
            iterator = (
                await streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
                )
            )["ShardIterator"]
            return (await streams.get_records(ShardIterator=iterator))["Records"]

    with mock_aws():
        records = asyncio.run(run())
    assert [r["eventName"] for r in records] == ["INSERT"]
    assert records[0]["dynamodb"]["NewImage"] == item("a", 1)


def test_an_aiobotocore_client_made_before_entering_is_answered_inside(
    no_aws_config, no_network, monkeypatch
):
    async def run():
        async with client("dynamodb") as ddb:  # made with real-looking config, outside any mock
            with mock_aws() as aws:
                aws.dynamodb.create_table(TableName="native", **HASH_RANGE)
                return (await ddb.list_tables())["TableNames"]

    for name, value in {
        "AWS_ACCESS_KEY_ID": "k",
        "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    assert asyncio.run(run()) == ["native"]


def test_other_services_stay_with_aiobotocore(no_aws_config, monkeypatch):
    sent = []

    async def send(http_session, request):
        sent.append(request.url)
        raise ConnectionError("no network in tests")

    monkeypatch.setattr(aiobotocore.httpsession.AIOHTTPSession, "send", send)

    async def run():
        async with client("sts") as sts, client("dynamodb") as ddb:
            with pytest.raises(ConnectionError):
                await sts.get_caller_identity()
            return (await ddb.list_tables())["TableNames"]

    with mock_aws():
        assert asyncio.run(run()) == []
    assert sent and all(url.startswith("https://sts.") for url in sent)


# --- aioboto3 ---------------------------------------------------------------------------------------


def test_aioboto3_resource_and_client_styles(no_aws_config, no_network):
    aioboto3 = pytest.importorskip(
        "aioboto3", reason="aioboto3 pins an older botocore; see pyproject's test extra"
    )
    from boto3.dynamodb.conditions import Key

    async def run():
        session = aioboto3.Session()
        async with session.resource("dynamodb") as ddb:
            table = await ddb.create_table(TableName="users", **HASH_RANGE)
            await table.put_item(Item={"p": "u1", "s": 1, "name": "Ada", "tags": {"x", "y"}})
            got = await table.get_item(Key={"p": "u1", "s": 1})
            async with table.batch_writer() as batch:
                for s in range(2, 6):
                    await batch.put_item(Item={"p": "u1", "s": s})
            queried = await table.query(KeyConditionExpression=Key("p").eq("u1") & Key("s").gte(3))
        async with session.client("dynamodb") as low:
            with pytest.raises(low.exceptions.ConditionalCheckFailedException):
                await low.put_item(
                    TableName="users", Item=item("u1", 1), ConditionExpression="attribute_not_exists(p)"
                )
            pages = [
                page["Count"]
                async for page in low.get_paginator("scan").paginate(
                    TableName="users", PaginationConfig={"PageSize": 2}
                )
            ]
        return got, queried, pages

    with mock_aws():
        got, queried, pages = asyncio.run(run())
    assert got["Item"] == {"p": "u1", "s": 1, "name": "Ada", "tags": {"x", "y"}}
    assert [i["s"] for i in queried["Items"]] == [3, 4, 5]
    assert pages == [2, 2, 1]


# --- adoption and restoring -------------------------------------------------------------------------


def test_leaving_restores_aiobotocore_exactly(no_aws_config):
    classes = (
        aiobotocore.endpoint.AioEndpoint,
        aiobotocore.parsers.AioJSONParser,
        aiobotocore.session.AioSession,
    )
    before = [dict(vars(cls)) for cls in classes]
    with mock_aws():
        assert aiobotocore.endpoint.AioEndpoint.__dict__["_send"] is aio_hook._send
        assert aiobotocore.parsers.AioJSONParser.__dict__["_do_parse"] is aio_hook._do_parse

        async def run():
            async with client("dynamodb") as ddb:
                return await ddb.list_tables()

        asyncio.run(run())
    assert [dict(vars(cls)) for cls in classes] == before


def test_aiobotocore_imported_inside_the_context_is_adapted_at_its_first_request(no_aws_config, monkeypatch):
    # As if aiobotocore had not been imported yet when the context was entered ...
    module = sys.modules["aiobotocore.endpoint"]
    monkeypatch.delitem(sys.modules, "aiobotocore.endpoint")
    with mock_aws():
        assert aiobotocore.endpoint.AioEndpoint.__dict__["_send"] is not aio_hook._send
        monkeypatch.setitem(sys.modules, "aiobotocore.endpoint", module)  # ... and imported inside.

        async def run():
            async with client("dynamodb") as ddb:
                return (await ddb.list_tables())["TableNames"]

        assert asyncio.run(run()) == []
        assert aiobotocore.endpoint.AioEndpoint.__dict__["_send"] is aio_hook._send
    assert aiobotocore.endpoint.AioEndpoint.__dict__["_send"] is not aio_hook._send
    assert "aiobotocore.endpoint" in hook._unadopted


def test_an_aio_session_does_not_keep_the_fake_credentials(monkeypatch, no_aws_config):
    session = aiobotocore.session.get_session()  # made before the context, as a module-level one is

    async def access_key():
        return (await session.get_credentials()).access_key

    with mock_aws():
        assert asyncio.run(access_key()) == "testing"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real")
    assert asyncio.run(access_key()) == "AKIAREAL"


def test_a_library_version_the_adapter_cannot_handle_is_left_alone_with_a_warning(no_aws_config, monkeypatch):
    monkeypatch.setitem(sys.modules, "some_botocore_wrapper", types.ModuleType("some_botocore_wrapper"))
    monkeypatch.setitem(hook.LIBRARY_ADAPTERS, "some_botocore_wrapper", "emulator.wire.no_such_adapter")
    monkeypatch.setitem(hook._unadopted, "some_botocore_wrapper", "emulator.wire.no_such_adapter")
    with pytest.warns(RuntimeWarning, match="cannot adapt to this version of some_botocore_wrapper"):
        with mock_aws():
            assert boto3.client("dynamodb").list_tables()["TableNames"] == []


def test_an_async_client_is_answered_in_its_own_region_and_account():
    """Partitions: the async door routes like the sync one (the client's region, a 12-digit key id)."""

    async def body(aws):
        session = aiobotocore.session.get_session()
        async with session.create_client(
            "dynamodb", region_name="eu-west-1", aws_access_key_id="111122223333", aws_secret_access_key="x"
        ) as ddb:
            created = await ddb.create_table(TableName="Orders", **HASH_RANGE)
        assert (
            created["TableDescription"]["TableArn"] == "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders"
        )
        assert aws.client("dynamodb", region_name="eu-west-1", account_id="111122223333").list_tables()[
            "TableNames"
        ] == ["Orders"]
        assert aws.dynamodb.list_tables()["TableNames"] == []

    with mock_aws() as aws:
        asyncio.run(body(aws))
