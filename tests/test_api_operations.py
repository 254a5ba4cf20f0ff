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


def unimplemented_stepfunctions_operation() -> str | None:
    """An operation of AWS's Step Functions API the emulator lacks (None once it has them all)."""
    from emulator.stepfunctions.service import StepFunctions

    missing = sorted(set(STEP_FUNCTIONS) - set(StepFunctions.registry.handlers))
    return missing[0] if missing else None


def test_unimplemented_stepfunctions_operation_is_unknown_operation(sfn):
    operation = unimplemented_stepfunctions_operation()
    if operation is None:
        pytest.skip("every Step Functions operation is implemented")
    import botocore.session

    model = botocore.session.get_session().get_service_model("stepfunctions").operation_model(operation)
    arn = "arn:aws:states:us-east-1:123456789012:execution:sm:run"  # any string its shape accepts
    request = {name: arn for name in model.input_shape.required_members}
    with pytest.raises(sfn.exceptions.ClientError) as e:
        getattr(sfn, snake_case(operation))(**request)
    assert error_of(e) == (
        "UnknownOperationException",
        f"The emulator does not implement the stepfunctions operation {operation}",
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
