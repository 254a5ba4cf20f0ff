"""A native client is as strict as a boto3 client and offers the same helpers.

* An unknown parameter name is botocore's ``ParamValidationError`` before the call, with botocore's
  text (checked against a real boto3 client, whose validation fails before any request is sent).
* Errors are ``botocore.exceptions.ClientError`` instances in every door, with ``.response`` and
  ``.operation_name``; ``client.exceptions.<Code>`` catches them.
* ``get_paginator``, ``can_paginate`` and ``get_waiter`` come from botocore's models, in every door.
* ``Emulator()`` refuses an option it does not have, naming the nearest valid one.
"""

from __future__ import annotations

import json
import pickle

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, OperationNotPageableError, ParamValidationError, WaiterError

import emulator
from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import ROLE

KEY_SCHEMA = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
ATTRS = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}]
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def create_table(ddb, name="orders"):
    ddb.create_table(
        TableName=name, KeySchema=KEY_SCHEMA, AttributeDefinitions=ATTRS, BillingMode="PAY_PER_REQUEST"
    )


def botocore_refusal(service: str, method: str, **params) -> str:
    """The text of a real boto3 client's client-side ``ParamValidationError`` (nothing is sent)."""
    client = boto3.session.Session(
        aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1"
    ).client(service, config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(ParamValidationError) as e:
        getattr(client, method)(**params)
    return str(e.value)


# --- unknown parameter names ----------------------------------------------------------------------


def test_misspelt_parameter_is_refused_before_the_call(aws):
    ddb = aws.dynamodb
    create_table(ddb)
    ddb.put_item(TableName="orders", Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "old"}})
    with pytest.raises(ParamValidationError) as e:
        ddb.put_item(
            TableName="orders",
            Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "new"}},
            ConditonExpression="attribute_not_exists(pk)",
        )
    assert str(e.value).startswith(
        'Parameter validation failed:\nUnknown parameter in input: "ConditonExpression", '
        "must be one of: TableName, Item, Expected, "
    )
    item = ddb.get_item(TableName="orders", Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]
    assert item["v"] == {"S": "old"}  # nothing was written


@pytest.mark.parametrize(
    "service, method, params",
    [
        ("dynamodb", "put_item", {"TableName": "orders", "Item": {}, "ConditonExpression": "x"}),
        ("dynamodb", "get_item", {"TableName": "orders", "Key": {}, "Consistent": True, "Projection": "a"}),
        ("dynamodb", "list_tables", {"Limit": 1, "Marker": "a"}),
        ("dynamodbstreams", "list_streams", {"TableName": "orders", "Table": "orders"}),
        ("stepfunctions", "start_execution", {"stateMachineArn": "arn", "inputs": "{}"}),
        ("stepfunctions", "describe_execution", {"executionArn": "arn", "ExecutionArn": "arn"}),
    ],
)
def test_unknown_parameter_text_is_botocores(aws, service, method, params):
    with pytest.raises(ParamValidationError) as e:
        getattr(aws.client(service), method)(**params)
    assert str(e.value) == botocore_refusal(service, method, **params)


def test_unknown_parameter_is_refused_for_an_unimplemented_operation_too(aws):
    with pytest.raises(ParamValidationError):
        aws.dynamodb.execute_statement(Statment="SELECT * FROM t")


def test_only_names_are_checked_client_side_the_service_validates_the_rest(aws):
    with pytest.raises(aws.dynamodb.exceptions.ValidationException):  # a missing member: the service's answer
        aws.dynamodb.get_item(TableName="orders")


def test_positional_arguments_are_refused_as_by_boto3(aws):
    with pytest.raises(TypeError):
        aws.dynamodb.list_tables({"Limit": 1})


# --- errors are botocore ClientErrors ---------------------------------------------------------------


def test_errors_are_client_errors_in_every_door(ddb):
    create_table(ddb)
    ddb.put_item(TableName="orders", Item={"pk": {"S": "a"}, "sk": {"N": "1"}})
    for catch in (ClientError, ddb.exceptions.ClientError, ddb.exceptions.ConditionalCheckFailedException):
        with pytest.raises(catch) as e:
            ddb.put_item(
                TableName="orders",
                Item={"pk": {"S": "a"}, "sk": {"N": "1"}},
                ConditionExpression="attribute_not_exists(pk)",
            )
        assert isinstance(e.value, ClientError)
        assert e.value.operation_name == "PutItem"
        assert error_of(e) == ("ConditionalCheckFailedException", "The conditional request failed")
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert str(e.value) == (
            "An error occurred (ConditionalCheckFailedException) when calling the PutItem "
            "operation: The conditional request failed"
        )


def test_step_functions_errors_are_client_errors_in_every_door(sfn):
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist) as e:
        sfn.describe_state_machine(stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:none")
    assert isinstance(e.value, ClientError) and e.value.operation_name == "DescribeStateMachine"


def test_native_error_keeps_pickling_and_its_extra_fields():
    from emulator.errors import InternalServerError

    err = InternalServerError("boom", Item={"pk": {"S": "a"}})
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is InternalServerError and isinstance(again, ClientError)
    assert again.response == err.response and again.response["Item"] == {"pk": {"S": "a"}}


def test_native_error_response_has_extra_fields(aws):
    create_table(aws.dynamodb)
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    aws.dynamodb.put_item(TableName="orders", Item=item)
    with pytest.raises(ClientError) as e:
        aws.dynamodb.put_item(
            TableName="orders",
            Item=item,
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert e.value.response["Item"] == item


def test_exceptions_client_error_is_botocores(aws):
    assert aws.dynamodb.exceptions.ClientError is ClientError
    assert aws.dynamodb.exceptions.from_code("NoSuchCode") is ClientError
    assert (
        aws.dynamodb.exceptions.from_code("ResourceNotFoundException")
        is aws.dynamodb.exceptions.ResourceNotFoundException
    )


# --- paginators -------------------------------------------------------------------------------------


def test_can_paginate(ddb):
    assert ddb.can_paginate("query") and ddb.can_paginate("scan") and ddb.can_paginate("list_tables")
    assert not ddb.can_paginate("get_item")
    with pytest.raises(OperationNotPageableError):
        ddb.get_paginator("get_item")


def test_list_tables_paginator(ddb):
    for i in range(5):
        create_table(ddb, f"table{i}")
    pages = list(ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2}))
    assert [p["TableNames"] for p in pages] == [["table0", "table1"], ["table2", "table3"], ["table4"]]
    full = ddb.get_paginator("list_tables").paginate(PaginationConfig={"MaxItems": 3}).build_full_result()
    assert full["TableNames"] == ["table0", "table1", "table2"] and "NextToken" in full


def test_query_and_scan_paginators(ddb):
    create_table(ddb)
    for i in range(7):
        ddb.put_item(TableName="orders", Item={"pk": {"S": "c"}, "sk": {"N": str(i)}})
    query = ddb.get_paginator("query").paginate(
        TableName="orders",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "c"}},
        PaginationConfig={"PageSize": 3},
    )
    pages = list(query)
    assert [p["Count"] for p in pages] == [3, 3, 1]
    assert [i["sk"]["N"] for p in pages for i in p["Items"]] == [str(i) for i in range(7)]
    scan = ddb.get_paginator("scan").paginate(TableName="orders", PaginationConfig={"PageSize": 4})
    assert scan.build_full_result()["Count"] == 7


def test_paginator_is_strict_too(aws):
    with pytest.raises(ParamValidationError):
        list(aws.dynamodb.get_paginator("scan").paginate(TableName="orders", FilterExpresion="a = b"))


def test_list_executions_paginator(sfn):
    arn = sfn.create_state_machine(name="sm", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    for i in range(5):
        sfn.start_execution(stateMachineArn=arn, name=f"run{i}")
    pages = list(
        sfn.get_paginator("list_executions").paginate(stateMachineArn=arn, PaginationConfig={"PageSize": 2})
    )
    assert [len(p["executions"]) for p in pages] == [2, 2, 1]
    assert sorted(e["name"] for p in pages for e in p["executions"]) == [f"run{i}" for i in range(5)]


# --- waiters ----------------------------------------------------------------------------------------


def test_table_exists_and_table_not_exists_waiters(ddb):
    fast = {"Delay": 1, "MaxAttempts": 2}
    create_table(ddb)
    ddb.get_waiter("table_exists").wait(TableName="orders", WaiterConfig=fast)
    ddb.delete_table(TableName="orders")
    ddb.get_waiter("table_not_exists").wait(TableName="orders", WaiterConfig=fast)
    assert "table_exists" in ddb.waiter_names


def test_unknown_waiter_is_a_value_error_as_in_boto3(ddb, sfn):
    with pytest.raises(ValueError, match="Waiter does not exist: table_exist"):
        ddb.get_waiter("table_exist")
    with pytest.raises(ValueError, match="Waiter does not exist: execution_done"):
        sfn.get_waiter("execution_done")  # Step Functions has no waiters


def test_native_waiter_waits_on_the_worlds_clock(aws):
    """Between attempts the virtual clock moves by the delay; no real time passes."""
    start = aws.clock.now()
    with pytest.raises(WaiterError) as e:
        aws.dynamodb.get_waiter("table_exists").wait(
            TableName="missing", WaiterConfig={"Delay": 20, "MaxAttempts": 4}
        )
    assert "Max attempts exceeded" in str(e.value)
    assert aws.clock.now() - start == 60  # three delays between four attempts
    aws.dynamodb.get_waiter("table_not_exists").wait(TableName="missing")  # default config: first try
    assert aws.clock.now() - start == 60


def test_native_waiter_sees_a_table_that_appears_while_it_waits(aws):
    """A delay that moves the clock runs what is due then, so the next attempt can see it."""
    created: list[float] = []

    def create_late(now: float) -> None:
        if not created:
            created.append(now)
            create_table(aws.dynamodb, "late")

    start = aws.clock.now()
    aws.clock.subscribe(create_late)
    aws.dynamodb.get_waiter("table_exists").wait(
        TableName="late", WaiterConfig={"Delay": 5, "MaxAttempts": 3}
    )
    assert created == [start + 5]


# --- Emulator options -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option, nearest",
    [("replcia_lag", "replica_lag"), ("ttl_sweep_dealy", "ttl_sweep_delay"), ("acount_id", "account_id")],
)
def test_unknown_emulator_option_names_the_nearest(option, nearest):
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{option}'. Did you mean '{nearest}'"):
        emulator.Emulator(**{option: 5})


def test_unknown_emulator_option_without_a_near_name_lists_the_valid_ones():
    with pytest.raises(TypeError, match="Valid options: .*replica_lag.*ttl_sweep_delay"):
        emulator.Emulator(frobnicate=True)


def test_known_extra_option_is_accepted():
    assert emulator.Emulator(ttl_sweep_delay=0).options == {"ttl_sweep_delay": 0}
