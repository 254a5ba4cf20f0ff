"""Fault injection (emulator/faults/): chosen calls fail on purpose, with AWS's error, text and status,
reproducibly from the world's seed, through every door."""

from __future__ import annotations

import datetime as dt

import pytest

import emulator
from emulator.dynamodb import messages as M
from tests.conftest import error_of

KEY = [{"AttributeName": "id", "KeyType": "HASH"}]
ATTRS = [{"AttributeName": "id", "AttributeType": "S"}]


def make_tables(client, *names: str) -> None:
    for name in names:
        client.create_table(
            TableName=name, KeySchema=KEY, AttributeDefinitions=ATTRS, BillingMode="PAY_PER_REQUEST"
        )


def put(client, table: str, key: str) -> dict:
    return client.put_item(TableName=table, Item={"id": {"S": key}})


def outcomes(client, table: str, n: int) -> str:
    """'.' for each call that succeeds, 'X' for each that fails."""
    out = []
    for i in range(n):
        try:
            put(client, table, str(i))
            out.append(".")
        except client.exceptions.ClientError:
            out.append("X")
    return "".join(out)


# --- errors through the three doors ----------------------------------------------------------
@pytest.mark.parametrize(
    "code, status, message",
    [
        ("ProvisionedThroughputExceededException", 400, M.PROVISIONED_THROUGHPUT_EXCEEDED),
        ("ThrottlingException", 400, M.THROTTLED_ON_DEMAND),
        ("RequestLimitExceeded", 400, M.ACCOUNT_LIMIT_EXCEEDED),
        ("InternalServerError", 500, M.INTERNAL_SERVER_ERROR),
        ("ServiceUnavailable", 503, M.SERVICE_UNAVAILABLE),
        ("TransactionConflictException", 400, M.TRANSACTION_CONFLICT),
    ],
)
def test_injected_error_carries_aws_code_text_and_status(aws, ddb, code, status, message):
    make_tables(ddb, "Orders")
    aws.faults.inject(service="dynamodb", operation="PutItem", error=code, table="Orders")
    with pytest.raises(ddb.exceptions.ClientError) as excinfo:
        put(ddb, "Orders", "a")
    assert error_of(excinfo) == (code, message)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_injected_error_is_the_client_exception_class(aws, ddb):
    make_tables(ddb, "Orders")
    aws.faults.inject(operation="PutItem", error="ProvisionedThroughputExceededException")
    with pytest.raises(ddb.exceptions.ProvisionedThroughputExceededException):
        put(ddb, "Orders", "a")


def test_control_plane_throttling_has_its_own_text(aws, ddb):
    aws.faults.inject(operation="CreateTable", error="ThrottlingException", times=1)
    with pytest.raises(ddb.exceptions.ClientError) as excinfo:
        make_tables(ddb, "Orders")
    assert error_of(excinfo) == ("ThrottlingException", M.THROTTLED_CONTROL)
    make_tables(ddb, "Orders")  # times=1: the next call goes through


def test_message_can_be_given(aws, ddb):
    make_tables(ddb, "Orders")
    aws.faults.inject(operation="GetItem", error="InternalServerError", message="boom")
    with pytest.raises(ddb.exceptions.ClientError) as excinfo:
        ddb.get_item(TableName="Orders", Key={"id": {"S": "a"}})
    assert error_of(excinfo) == ("InternalServerError", "boom")


def test_a_failed_call_changes_nothing(aws, ddb):
    make_tables(ddb, "Orders")
    aws.faults.inject(operation="PutItem", error="InternalServerError", times=1)
    with pytest.raises(ddb.exceptions.ClientError):
        put(ddb, "Orders", "a")
    assert "Item" not in ddb.get_item(TableName="Orders", Key={"id": {"S": "a"}})


# --- TransactionConflict (T5, T11) -----------------------------------------------------------
def transact(client, *items: tuple[str, str]) -> dict:
    return client.transact_write_items(
        TransactItems=[{"Put": {"TableName": t, "Item": {"id": {"S": k}}}} for t, k in items]
    )


def test_transaction_conflict_cancels_then_the_retry_succeeds(aws, ddb):
    make_tables(ddb, "Orders", "Stock")
    aws.faults.inject(operation="TransactWriteItems", error="TransactionConflict", table="Stock", times=1)
    with pytest.raises(ddb.exceptions.TransactionCanceledException) as excinfo:
        transact(ddb, ("Orders", "o1"), ("Stock", "s1"))
    assert error_of(excinfo) == (
        "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]",
    )
    assert excinfo.value.response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"},
    ]
    assert "Item" not in ddb.get_item(TableName="Orders", Key={"id": {"S": "o1"}})
    transact(ddb, ("Orders", "o1"), ("Stock", "s1"))  # the application's retry
    assert ddb.get_item(TableName="Stock", Key={"id": {"S": "s1"}})["Item"] == {"id": {"S": "s1"}}


def test_transaction_conflict_needs_a_transactional_operation(aws):
    with pytest.raises(ValueError, match="TransactionConflict"):
        aws.faults.inject(operation="PutItem", error="TransactionConflict")


# --- matching ----------------------------------------------------------------------------------
@pytest.mark.native_only
def test_table_filter_matches_names_arns_batches_and_transactions(aws):
    ddb = aws.dynamodb
    make_tables(ddb, "Orders", "Other")
    aws.faults.inject(error="InternalServerError", table="Orders")
    put(ddb, "Other", "a")
    arn = ddb.describe_table(TableName="Other")["Table"]["TableArn"].replace("/Other", "/Orders")
    calls = [
        lambda: put(ddb, "Orders", "a"),
        lambda: ddb.get_item(TableName=arn, Key={"id": {"S": "a"}}),
        lambda: ddb.batch_write_item(RequestItems={"Orders": [{"PutRequest": {"Item": {"id": {"S": "b"}}}}]}),
        lambda: transact(ddb, ("Other", "x"), ("Orders", "y")),
    ]
    for call in calls:
        with pytest.raises(ddb.exceptions.InternalServerError):
            call()


@pytest.mark.native_only
def test_operation_may_be_given_in_snake_case(aws):
    make_tables(aws.dynamodb, "Orders")
    fault = aws.faults.inject(operation="put_item", error="InternalServerError")
    assert fault.operation == "PutItem"
    aws.dynamodb.get_item(TableName="Orders", Key={"id": {"S": "a"}})
    with pytest.raises(aws.dynamodb.exceptions.InternalServerError):
        put(aws.dynamodb, "Orders", "a")


@pytest.mark.native_only
def test_times_and_after_count_matching_calls(aws):
    make_tables(aws.dynamodb, "Orders")
    fault = aws.faults.inject(operation="PutItem", error="InternalServerError", after=2, times=3)
    assert outcomes(aws.dynamodb, "Orders", 7) == "..XXX.."
    assert (fault.seen, fault.fired, fault.active, len(aws.faults)) == (5, 3, False, 0)


@pytest.mark.native_only
@pytest.mark.emulator(auto_advance=False)
def test_until_ends_the_fault_at_a_clock_time(aws):
    make_tables(aws.dynamodb, "Orders")
    now = aws.clock.now()
    until = dt.datetime.fromtimestamp(now + 60, dt.timezone.utc)
    aws.faults.inject(operation="PutItem", error="InternalServerError", until=until)
    assert outcomes(aws.dynamodb, "Orders", 2) == "XX"
    aws.clock.advance(seconds=60)
    assert outcomes(aws.dynamodb, "Orders", 2) == ".."
    assert len(aws.faults) == 0


@pytest.mark.native_only
def test_the_handle_removes_the_fault_and_is_a_context_manager(aws):
    make_tables(aws.dynamodb, "Orders")
    with aws.faults.inject(operation="PutItem", error="InternalServerError") as fault:
        assert outcomes(aws.dynamodb, "Orders", 1) == "X"
        assert aws.faults.get(fault.id) is fault
    assert outcomes(aws.dynamodb, "Orders", 1) == "."
    again = aws.faults.inject(operation="PutItem", error="InternalServerError")
    again.remove()
    again.remove()  # removing twice is harmless
    assert outcomes(aws.dynamodb, "Orders", 1) == "."
    assert aws._active_faults is None  # no fault: Service.call's check is one attribute read


@pytest.mark.native_only
def test_the_first_injected_fault_that_fires_answers(aws):
    make_tables(aws.dynamodb, "Orders")
    aws.faults.inject(operation="PutItem", error="InternalServerError", times=1)
    aws.faults.inject(operation="PutItem", error="ServiceUnavailable", times=1)
    codes = []
    for _ in range(3):
        try:
            put(aws.dynamodb, "Orders", "a")
            codes.append("ok")
        except aws.dynamodb.exceptions.ClientError as err:
            codes.append(err.response["Error"]["Code"])
    assert codes == ["InternalServerError", "ServiceUnavailable", "ok"]


# --- reproducibility ---------------------------------------------------------------------------
def failure_pattern(seed: int) -> str:
    world = emulator.Emulator(seed=seed)
    make_tables(world.dynamodb, "Orders")
    world.faults.inject(
        operation="PutItem", error="ProvisionedThroughputExceededException", table="Orders", probability=0.3
    )
    return outcomes(world.dynamodb, "Orders", 60)


def test_the_same_seed_gives_the_same_failures():
    first = failure_pattern(7)
    assert first == failure_pattern(7)
    assert 5 < first.count("X") < 35
    assert first != failure_pattern(8)


# --- refusals ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, problem",
    [
        (dict(error="NoSuchError"), "has no error"),
        (dict(operation="PutItme", error="InternalServerError"), "Did you mean 'PutItem'"),
        (dict(service="lambda", error="InternalServerError"), "not 'lambda'"),
        (dict(error="InternalServerError", probability=2), "probability"),
        (dict(error="InternalServerError", times=-1), "times="),
        (dict(error="InternalServerError", until=dt.datetime(2030, 1, 1)), "aware"),
        (dict(error="Lambda.ServiceException"), "task="),
        (
            dict(service="stepfunctions", operation="StartExecution", task="X", error="States.TaskFailed"),
            "task=",
        ),
        (dict(), "error="),
    ],
)
def test_inject_refuses_what_it_cannot_do(aws, kwargs, problem):
    with pytest.raises(ValueError, match=problem):
        aws.faults.inject(**kwargs)


# --- Step Functions API faults ---------------------------------------------------------------
def test_step_functions_api_fault(aws, sfn):
    aws.faults.inject(
        service="stepfunctions", operation="ListStateMachines", error="ThrottlingException", times=1
    )
    with pytest.raises(sfn.exceptions.ClientError) as excinfo:
        sfn.list_state_machines()
    assert error_of(excinfo) == ("ThrottlingException", "Rate exceeded")
    assert sfn.list_state_machines()["stateMachines"] == []


def test_step_functions_api_error_code_of_its_table(aws, sfn):
    aws.faults.inject(service="stepfunctions", operation="ListStateMachines", error="InternalServerError")
    with pytest.raises(sfn.exceptions.ClientError) as excinfo:
        sfn.list_state_machines()
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


# --- the pytest marker ---------------------------------------------------------------------------
@pytest.mark.emulator_faults(
    dict(operation="PutItem", error="InternalServerError", times=1),
    dict(operation="GetItem", error="ServiceUnavailable", times=1),
)
def test_marker_injects_for_one_test(aws, ddb):
    make_tables(ddb, "Orders")
    assert outcomes(ddb, "Orders", 2) == "X."
    with pytest.raises(ddb.exceptions.ClientError):
        ddb.get_item(TableName="Orders", Key={"id": {"S": "0"}})
    assert len(aws.faults) == 0


def test_without_marker_no_fault(aws):
    assert len(aws.faults) == 0 and aws._active_faults is None


# --- DynamoDB Streams ------------------------------------------------------------------------------
def test_streams_api_fault(aws, door_client):
    streams = door_client("dynamodbstreams")
    aws.faults.inject(
        service="dynamodbstreams", operation="ListStreams", error="LimitExceededException", times=1
    )
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.list_streams()
    assert error_of(excinfo) == ("LimitExceededException", M.TOO_MANY_OPERATIONS)
    assert streams.list_streams()["Streams"] == []
