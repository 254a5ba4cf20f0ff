"""An operation of the real API that the emulator does not implement yet answers AWS's
UnknownOperationException through every door — the native client has the method too, as boto3 does."""

from __future__ import annotations

import pytest

import emulator
from emulator.api_operations import DYNAMODB, DYNAMODB_STREAMS, STEP_FUNCTIONS
from emulator.service import snake_case
from tests.conftest import error_of


def test_unimplemented_dynamodb_operation_is_unknown_operation(ddb):
    with pytest.raises(ddb.exceptions.ClientError) as e:
        ddb.describe_kinesis_streaming_destination(TableName="abc")  # (TransactWriteItems is built now)
    assert error_of(e) == (
        "UnknownOperationException",
        "The emulator does not implement the dynamodb operation DescribeKinesisStreamingDestination",
    )


def test_unimplemented_stepfunctions_operation_is_unknown_operation(sfn):
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.redrive_execution(executionArn="arn:aws:states:us-east-1:123456789012:execution:sm:run")
    assert error_of(e) == (
        "UnknownOperationException",
        "The emulator does not implement the stepfunctions operation RedriveExecution",
    )


def test_streams_native_client_implements_every_streams_operation():
    aws = emulator.Emulator()
    assert aws.service("dynamodbstreams").operation_names() == sorted(DYNAMODB_STREAMS)
    assert aws.dynamodbstreams.list_streams()["Streams"] == []


@pytest.mark.parametrize(
    "name, operations",
    [("dynamodb", DYNAMODB), ("dynamodbstreams", DYNAMODB_STREAMS), ("stepfunctions", STEP_FUNCTIONS)],
)
def test_native_client_has_every_api_method_and_no_others(name, operations):
    client = emulator.Emulator().client(name)
    for op in operations:
        assert callable(getattr(client, snake_case(op)))
    with pytest.raises(AttributeError):
        client.no_such_operation  # noqa: B018 - a typo stays an AttributeError, as in boto3


def test_api_operation_lists_match_botocore():
    botocore_session = pytest.importorskip("botocore.session").get_session()
    for name, operations in [
        ("dynamodb", DYNAMODB),
        ("dynamodbstreams", DYNAMODB_STREAMS),
        ("stepfunctions", STEP_FUNCTIONS),
    ]:
        model = botocore_session.get_service_model(name)
        # every name we list is a real operation (a newer botocore may add more; that is fine)
        assert set(operations) <= set(model.operation_names)
