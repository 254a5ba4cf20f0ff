"""The boto3 door: ``emulator.mock_aws()`` answers real boto3/botocore clients in-process.

Each test states one promise of the hook: how it is used, that unchanged boto3 code works
(resource API, conditions, batch_writer, paginators, waiters, type (de)serializers), that errors
and retries are botocore's own, that no socket is opened, and that leaving restores everything.
"""

from __future__ import annotations

import asyncio
import json
import os
import unittest
from decimal import Decimal

import boto3
import botocore.auth
import botocore.endpoint
import botocore.exceptions
import botocore.parsers
import pytest
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError

import emulator
from emulator.wire import boto as hook
from emulator.wire.boto import active_emulator, mock_aws
from tests.wire.conftest import HASH_RANGE, ROLE
from tests.wire.fakes import install

# --- usage forms ----------------------------------------------------------------------------------


def test_context_manager_hands_back_a_fresh_emulator_each_time(no_aws_config, no_network):
    with mock_aws() as first:
        assert isinstance(first, emulator.Emulator) and active_emulator() is first
        boto3.client("dynamodb").create_table(TableName="tbl", **HASH_RANGE)
        assert boto3.client("dynamodb").list_tables()["TableNames"] == ["tbl"]
    with mock_aws() as second:
        assert second is not first
        assert boto3.client("dynamodb").list_tables()["TableNames"] == []
    assert active_emulator() is None


def test_an_existing_emulator_can_be_passed(no_aws_config):
    aws = emulator.Emulator()
    aws.dynamodb.create_table(TableName="native", **HASH_RANGE)
    with mock_aws(aws) as world:
        assert world is aws
        assert boto3.client("dynamodb").list_tables()["TableNames"] == ["native"]


def test_decorator_forms(no_aws_config):
    seen = []

    @mock_aws
    def bare():
        seen.append(active_emulator())
        return boto3.client("dynamodb").list_tables()["TableNames"]

    @mock_aws()
    def called():
        seen.append(active_emulator())
        return boto3.client("dynamodb").list_tables()["TableNames"]

    assert bare() == [] and called() == [] and bare() == []
    assert len({id(w) for w in seen}) == 3 and None not in seen
    assert bare.__name__ == "bare"
    assert active_emulator() is None


def test_async_function_decorator(no_aws_config):
    @mock_aws
    async def run():
        return boto3.client("dynamodb").list_tables()["TableNames"]

    assert asyncio.run(run()) == []


def test_class_decorator_on_a_plain_class(no_aws_config):
    @mock_aws
    class Suite:
        def test_one(self):
            return active_emulator()

        def helper(self):
            return active_emulator()

    suite = Suite()
    assert suite.test_one() is not None and suite.helper() is None


def test_class_decorator_on_a_unittest_case_spans_setup_and_test(no_aws_config):
    worlds = []

    @mock_aws
    class Case(unittest.TestCase):
        def setUp(self):
            boto3.client("dynamodb").create_table(TableName="tbl", **HASH_RANGE)

        def test_table_from_setup_is_there(self):
            worlds.append(active_emulator())
            assert boto3.client("dynamodb").list_tables()["TableNames"] == ["tbl"]

        def test_again(self):
            worlds.append(active_emulator())
            assert boto3.client("dynamodb").list_tables()["TableNames"] == ["tbl"]

    result = unittest.TextTestRunner(stream=open(os.devnull, "w")).run(  # noqa: SIM115
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert result.wasSuccessful(), result.failures + result.errors
    assert len(worlds) == 2 and worlds[0] is not worlds[1]
    assert active_emulator() is None


def test_class_decorator_on_a_pytest_class_spans_setup_method_test_and_teardown(no_aws_config):
    """pytest's xunit hooks: setup_method, the test and teardown_method share one fresh Emulator."""
    seen = []

    @mock_aws
    class Suite:
        def setup_method(self, method):
            boto3.client("dynamodb").create_table(TableName="tbl", **HASH_RANGE)

        def teardown_method(self, method):
            seen.append(("teardown", boto3.client("dynamodb").list_tables()["TableNames"]))

        def test_one(self):
            seen.append(("test", active_emulator(), boto3.client("dynamodb").list_tables()["TableNames"]))

    @mock_aws
    class NoTeardown:
        def setup_method(self):  # pytest also accepts it without the method argument
            boto3.client("dynamodb").create_table(TableName="tbl", **HASH_RANGE)

        def test_one(self):
            seen.append(("test", active_emulator(), boto3.client("dynamodb").list_tables()["TableNames"]))

    for cls, with_method in ((Suite, True), (Suite, True), (NoTeardown, False)):
        suite = cls()
        args = (cls.test_one,) if with_method else ()
        suite.setup_method(*args)  # as pytest calls them (it counts the parameters, so the
        suite.test_one()  # wrappers must take exactly what the originals take)
        suite.teardown_method(*args)
        assert active_emulator() is None
    import inspect

    assert list(inspect.signature(Suite.setup_method).parameters) == ["test", "method"]
    assert list(inspect.signature(NoTeardown.setup_method).parameters) == ["test"]
    tests = [entry for entry in seen if entry[0] == "test"]
    assert [entry[2] for entry in tests] == [["tbl"]] * 3
    assert len({id(entry[1]) for entry in tests}) == 3  # a fresh Emulator per test
    assert [entry for entry in seen if entry[0] == "teardown"] == [("teardown", ["tbl"])] * 2


@mock_aws
class TestMockAwsOnAPytestClassWithSetupMethod:
    """Collected and run by pytest itself: the xunit setup_method runs inside the mock."""

    def setup_method(self, method):
        self.client = boto3.client("dynamodb", region_name="us-east-1")
        self.client.create_table(TableName="from-setup", **HASH_RANGE)

    def test_the_table_made_in_setup_method_is_there(self):
        assert self.client.list_tables()["TableNames"] == ["from-setup"]

    def test_each_test_starts_from_a_fresh_emulator(self):
        self.client.create_table(TableName="from-test", **HASH_RANGE)
        assert self.client.list_tables()["TableNames"] == ["from-setup", "from-test"]


def test_generator_decorator_spans_the_iteration(no_aws_config):
    """A decorated generator runs its body when iterated: the mock covers the iteration."""

    @mock_aws
    def steps():
        boto3.client("dynamodb").create_table(TableName="tbl", **HASH_RANGE)
        yield boto3.client("dynamodb").list_tables()["TableNames"]
        yield active_emulator() is not None
        return "done"

    gen = steps()
    assert active_emulator() is None  # calling it starts nothing yet
    assert next(gen) == ["tbl"] and next(gen) is True
    with pytest.raises(StopIteration) as stop:
        next(gen)
    assert stop.value.value == "done" and active_emulator() is None


@pytest.fixture
@mock_aws
def mocked_yield_fixture():
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(TableName="from-fixture", **HASH_RANGE)
    yield client
    client.delete_table(TableName="from-fixture")  # teardown runs inside the mock too


def test_a_yield_fixture_decorated_with_mock_aws_is_mocked_through_the_test(mocked_yield_fixture):
    assert active_emulator() is not None
    assert mocked_yield_fixture.list_tables()["TableNames"] == ["from-fixture"]


def test_nested_contexts_innermost_answers():
    with mock_aws() as outer:
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(TableName="outer", **HASH_RANGE)
        with mock_aws() as inner:
            assert active_emulator() is inner
            assert client.list_tables()["TableNames"] == []
        assert active_emulator() is outer
        assert client.list_tables()["TableNames"] == ["outer"]


# --- restoring botocore and the environment ----------------------------------------------------


def test_leaving_restores_botocore_and_environment_exactly(no_aws_config):
    original = botocore.endpoint.Endpoint.__dict__["_send"]
    parser_attributes = dict(vars(botocore.parsers.JSONParser))
    auth_attributes = dict(vars(botocore.auth.SigV4Auth))
    env_before = dict(os.environ)
    with mock_aws() as aws:
        assert botocore.endpoint.Endpoint.__dict__["_send"] is hook._send
        assert botocore.parsers.JSONParser.__dict__["_do_parse"] is hook._do_parse
        assert os.environ["AWS_DEFAULT_REGION"] == aws.region
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        boto3.client("dynamodb").list_tables()  # creates boto3's default session inside
    assert botocore.endpoint.Endpoint.__dict__["_send"] is original
    assert dict(vars(botocore.parsers.JSONParser)) == parser_attributes
    assert dict(vars(botocore.auth.SigV4Auth)) == auth_attributes
    assert dict(os.environ) == env_before
    assert boto3.DEFAULT_SESSION is None


def test_a_configured_region_and_real_credentials_are_put_back(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "token")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with mock_aws() as aws:
        # botocore reads only AWS_DEFAULT_REGION: without it a client would raise NoRegionError
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1" == os.environ["AWS_REGION"]
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing" and "AWS_SESSION_TOKEN" not in os.environ
        client = boto3.client("dynamodb")
        assert client.meta.region_name == "eu-west-1" == aws.region
        arn = client.create_table(TableName="tbl", **HASH_RANGE)["TableDescription"]["TableArn"]
        assert arn.startswith("arn:aws:dynamodb:eu-west-1:")
    assert "AWS_DEFAULT_REGION" not in os.environ and os.environ["AWS_REGION"] == "eu-west-1"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREAL" and os.environ["AWS_SESSION_TOKEN"] == "token"


def test_a_fresh_emulator_takes_the_configured_default_region(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    with mock_aws() as aws:
        assert aws.region == "ap-south-1"
        sfn = boto3.client("stepfunctions")
        arn = sfn.create_state_machine(
            name="m",
            roleArn=ROLE,
            definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
        )["stateMachineArn"]
        assert arn.startswith("arn:aws:states:ap-south-1:")
    with mock_aws(region="eu-north-1") as aws:  # an explicit region wins; the client's stays
        assert aws.region == "eu-north-1" and os.environ["AWS_DEFAULT_REGION"] == "ap-south-1"
    assert os.environ["AWS_DEFAULT_REGION"] == "ap-south-1"


def test_default_session_credentials_cached_inside_do_not_leak(no_aws_config):
    session = boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    with mock_aws():
        boto3.client("dynamodb")  # resolves and caches the fake credentials on the default session
        assert session._session._credentials is not None
    assert boto3.DEFAULT_SESSION is session
    assert session._session._credentials is None


def test_a_session_made_before_the_context_does_not_keep_the_fake_credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    session = boto3.session.Session(region_name="us-east-1")  # e.g. module-level app code
    explicit = boto3.session.Session(
        aws_access_key_id="mine", aws_secret_access_key="s", region_name="us-east-1"
    )
    session_attributes = dict(vars(botocore.session.Session))
    with mock_aws():
        session.client("dynamodb").list_tables()  # resolves credentials inside: the fake ones
        explicit.client("dynamodb").list_tables()
        assert session.get_credentials().access_key == "testing"
    assert dict(vars(botocore.session.Session)) == session_attributes
    assert session.get_credentials().access_key == "AKIAREAL"
    assert explicit.get_credentials().access_key == "mine"


def test_clients_created_before_entering_are_answered_and_released_after(monkeypatch):
    sent = []

    def recorder(endpoint, request):
        sent.append(request.url)
        response = AWSResponse(request.url, 200, {}, None)
        response._content = b'{"TableNames": ["real"]}'
        return response

    monkeypatch.setattr(botocore.endpoint.Endpoint, "_send", recorder)
    client = boto3.client(
        "dynamodb", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    with mock_aws():
        assert client.list_tables()["TableNames"] == []
    assert sent == []
    assert client.list_tables()["TableNames"] == ["real"]
    assert sent == ["https://dynamodb.us-east-1.amazonaws.com/"]


def test_other_services_are_left_alone(monkeypatch):
    seen = []

    def recorder(endpoint, request):
        seen.append(request.url)
        return AWSResponse(request.url, 200, {}, None)

    monkeypatch.setattr(botocore.endpoint.Endpoint, "_send", recorder)
    # S3 is one of the emulator's services now (tests/s3); SNS is not
    sns = boto3.client("sns", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    with mock_aws():
        sqs_like = boto3.client("sts", region_name="us-east-1")
        try:
            sns.list_topics()
        except Exception:
            pass
        try:
            sqs_like.get_caller_identity()
        except Exception:
            pass
        assert boto3.client("dynamodb").list_tables()["TableNames"] == []
    assert len(seen) >= 2 and all("amazonaws.com" in u for u in seen)
    assert botocore.endpoint.Endpoint.__dict__["_send"] is recorder


# --- errors and retries ---------------------------------------------------------------------------


def test_errors_are_botocore_client_errors_with_aws_codes():
    with mock_aws():
        client = boto3.client("dynamodb")
        with pytest.raises(client.exceptions.ResourceNotFoundException) as e:
            client.describe_table(TableName="missing")
    assert isinstance(e.value, ClientError)
    assert e.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Requested resource not found: Table: missing not found",
    }
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_serialization_errors_reach_boto3_when_validation_is_off():
    with mock_aws():
        client = boto3.client("dynamodb", config=Config(parameter_validation=False))
        client.create_table(TableName="tbl", **HASH_RANGE)
        with pytest.raises(ClientError) as e:
            client.put_item(TableName="tbl", Item={"p": {"S": 123}, "s": {"N": "1"}})
    assert e.value.response["Error"] == {
        "Code": "SerializationException",
        "Message": "NUMBER_VALUE cannot be converted to String",
    }


def test_botocore_retries_throttling_as_against_aws():
    with mock_aws() as aws:
        fake = install(aws)
        fake.failures_left = 2
        client = boto3.client("dynamodb", config=Config(retries={"mode": "legacy"}))
        resp = client.update_item(TableName="tbl", Key={"id": {"S": "a"}})
        assert resp["ResponseMetadata"]["RetryAttempts"] == 2
        assert [op for op, _ in fake.calls] == ["UpdateItem"] * 3
        fake.calls.clear()
        with pytest.raises(client.exceptions.ConditionalCheckFailedException) as e:
            client.put_item(TableName="tbl", Item={"id": {"S": "a"}})
        assert len(fake.calls) == 1  # not retryable
        assert e.value.response["Item"] == {"id": {"S": "a"}, "b": {"B": b"\x00\xff"}}


def test_botocore_checks_our_crc32_and_retries_a_mismatch(monkeypatch):
    corrupted = []
    real = hook.handle

    def corrupt_once(*args, **kwargs):
        answer = real(*args, **kwargs)
        if not corrupted:
            corrupted.append(True)
            answer.headers["x-amz-crc32"] = "1"
        return answer

    monkeypatch.setattr(hook, "handle", corrupt_once)
    with mock_aws():
        resp = boto3.client("dynamodb", config=Config(retries={"mode": "legacy"})).list_tables()
    assert resp["ResponseMetadata"]["RetryAttempts"] == 1


def test_streams_client_gets_unknown_operation_until_the_service_exists(monkeypatch):
    monkeypatch.setitem(emulator.world.SERVICES, "dynamodbstreams", ("emulator.no_such_module", "X"))
    with mock_aws():
        with pytest.raises(ClientError) as e:
            boto3.client("dynamodbstreams").list_streams()
    assert e.value.response["Error"]["Code"] == "UnknownOperationException"


# --- unchanged boto3 code ---------------------------------------------------------------------------


def test_resource_table_conditions_batch_writer_and_type_round_trips():
    with mock_aws():
        ddb = boto3.resource("dynamodb")
        table = ddb.create_table(TableName="tbl", **HASH_RANGE)
        table.wait_until_exists()
        item = {
            "p": "a",
            "s": Decimal(0),
            "num": Decimal("3.14"),
            "big": Decimal("1E+30"),
            "str": "é",
            "bin": Binary(b"\x00\x01"),
            "bool": True,
            "null": None,
            "ss": {"x", "y"},
            "ns": {Decimal(1), Decimal(2)},
            "bs": {Binary(b"a")},
            "list": [Decimal(1), "x", [None]],
            "map": {"k": {"deep": b"\xff"}},
        }
        table.put_item(Item=item)
        got = table.get_item(Key={"p": "a", "s": 0})["Item"]
        expected = dict(item, map={"k": {"deep": Binary(b"\xff")}})
        assert got == expected
        with table.batch_writer() as batch:
            for i in range(1, 60):
                batch.put_item(Item={"p": "a", "s": i, "tag": "odd" if i % 2 else "even"})
        resp = table.query(
            KeyConditionExpression=Key("p").eq("a") & Key("s").between(10, 19),
            FilterExpression=Attr("tag").eq("odd"),
        )
        assert [int(x["s"]) for x in resp["Items"]] == [11, 13, 15, 17, 19]
        assert resp["ScannedCount"] == 10
        scanned = table.scan(FilterExpression=Attr("tag").begins_with("ev"))["Items"]
        assert len(scanned) == 29


def test_type_serializer_round_trip_through_the_low_level_client():
    ser, de = TypeSerializer(), TypeDeserializer()
    value = {"p": "k", "s": Decimal(1), "m": {"a": [Decimal("1.5"), b"\x01", {"x"}]}}
    with mock_aws():
        client = boto3.client("dynamodb")
        client.create_table(TableName="tbl", **HASH_RANGE)
        client.put_item(TableName="tbl", Item={k: ser.serialize(v) for k, v in value.items()})
        item = client.get_item(TableName="tbl", Key={"p": {"S": "k"}, "s": {"N": "1"}})["Item"]
    assert {k: de.deserialize(v) for k, v in item.items()} == {
        **value,
        "m": {"a": [Decimal("1.5"), Binary(b"\x01"), {"x"}]},
    }


def test_paginators_and_waiters():
    with mock_aws():
        client = boto3.client("dynamodb")
        for name in ("t01", "t02", "t03"):
            client.create_table(TableName=name, **HASH_RANGE)
        client.get_waiter("table_exists").wait(TableName="t01", WaiterConfig={"Delay": 0, "MaxAttempts": 1})
        pages = list(client.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2}))
        assert [p["TableNames"] for p in pages] == [["t01", "t02"], ["t03"]]
        for i in range(25):
            client.put_item(TableName="t01", Item={"p": {"S": "a"}, "s": {"N": str(i)}})
        query = client.get_paginator("query").paginate(
            TableName="t01",
            KeyConditionExpression="p = :p",
            ExpressionAttributeValues={":p": {"S": "a"}},
            PaginationConfig={"PageSize": 7},
        )
        assert [len(p["Items"]) for p in query] == [7, 7, 7, 4]
        scan = client.get_paginator("scan").paginate(TableName="t01", PaginationConfig={"PageSize": 10})
        assert sum(p["Count"] for p in scan) == 25
        client.delete_table(TableName="t01")
        client.get_waiter("table_not_exists").wait(
            TableName="t01", WaiterConfig={"Delay": 0, "MaxAttempts": 1}
        )


def test_step_functions_through_boto3():
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": 1}, "End": True}}}
    with mock_aws() as aws:
        sfn = boto3.client("stepfunctions")
        arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
            "stateMachineArn"
        ]
        run = sfn.start_execution(stateMachineArn=arn, input="{}")
        desc = sfn.describe_execution(executionArn=run["executionArn"])
        assert desc["status"] == "SUCCEEDED" and json.loads(desc["output"]) == {"x": 1}
        assert desc["startDate"].timestamp() == pytest.approx(aws.clock.now(), abs=1)
        with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
            sfn.describe_state_machine(stateMachineArn=arn + "x")


def test_parse_handoff_answers_exactly_what_botocore_parses_from_the_bytes(monkeypatch):
    """Every hand-off operation gives the same response with and without the hand-off."""

    def scenario():
        out = []
        with mock_aws():
            c = boto3.client("dynamodb")
            c.create_table(TableName="tbl", **HASH_RANGE)
            item = {
                "p": {"S": "a"},
                "s": {"N": "1"},
                "b": {"B": b"\x00"},
                "l": {"L": [{"NULL": True}]},
                "m": {"M": {"ns": {"NS": ["1", "2.5"]}}},
            }
            out.append(c.put_item(TableName="tbl", Item=item, ReturnConsumedCapacity="TOTAL"))
            out.append(c.put_item(TableName="tbl", Item=item, ReturnValues="ALL_OLD"))
            out.append(c.get_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "1"}}))
            out.append(
                c.update_item(
                    TableName="tbl",
                    Key={"p": {"S": "a"}, "s": {"N": "1"}},
                    UpdateExpression="SET n = :n",
                    ExpressionAttributeValues={":n": {"N": "7"}},
                    ReturnValues="ALL_NEW",
                )
            )
            out.append(
                c.query(
                    TableName="tbl",
                    KeyConditionExpression="p = :p",
                    ExpressionAttributeValues={":p": {"S": "a"}},
                    Limit=1,
                )
            )
            out.append(c.scan(TableName="tbl", ReturnConsumedCapacity="TOTAL"))
            out.append(c.batch_get_item(RequestItems={"tbl": {"Keys": [{"p": {"S": "a"}, "s": {"N": "1"}}]}}))
            out.append(
                c.batch_write_item(
                    RequestItems={"tbl": [{"PutRequest": {"Item": {"p": {"S": "b"}, "s": {"N": "2"}}}}]}
                )
            )
            out.append(
                c.delete_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "1"}}, ReturnValues="ALL_OLD")
            )
        for response in out:
            meta = response.pop("ResponseMetadata")
            assert meta["HTTPStatusCode"] == 200 and meta["RequestId"]
        return out

    def typed(value):  # equality that also tells 1 from 1.0 and bytes from str
        if isinstance(value, dict):
            return {k: typed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [typed(v) for v in value]
        return (type(value).__name__, value)

    with_handoff = scenario()
    monkeypatch.setattr(hook, "HANDOFF_OPERATIONS", frozenset())
    assert typed(scenario()) == typed(with_handoff)
    assert with_handoff[2]["Item"]["b"] == {"B": b"\x00"}


def test_requests_to_our_services_are_not_signed_but_credentials_are_still_required():
    headers = []
    with mock_aws():
        client = boto3.client("dynamodb")
        client.meta.events.register("before-send", lambda request, **_: headers.append(dict(request.headers)))
        client.list_tables()
        authorization = headers[-1]["Authorization"].decode()  # the credential scope only: no signature
        assert (
            "Signature=" not in authorization
            and headers[-1]["X-Amz-Target"] == b"DynamoDB_20120810.ListTables"
        )
        assert authorization == "AWS4-HMAC-SHA256 Credential=testing/00000000/us-east-1/dynamodb/aws4_request"
        client._request_signer._credentials = None
        with pytest.raises(botocore.exceptions.NoCredentialsError):
            client.list_tables()
    sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")

    def answer(request, **_):
        headers.append(dict(request.headers))
        response = AWSResponse(request.url, 200, {}, None)
        response._content = (
            b"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account>"
            b"</GetCallerIdentityResult></GetCallerIdentityResponse>"
        )
        return response

    sts.meta.events.register("before-send", answer)
    with mock_aws():
        sts.get_caller_identity()
    assert "Authorization" in headers[-1]  # other services are still signed
