"""Resource-based policies: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy and
CreateTable's ResourcePolicy, through the three doors (rules RP1-RP5, docs/dynamodb-conformance.md).

Policies are stored and returned, never enforced."""

from __future__ import annotations

import json

import pytest

from tests.dynamodb.door_helpers import create_hash_table, err

ACCOUNT = "123456789012"


def policy(action: str = "dynamodb:*", **extra) -> str:
    statement = {"Principal": {"AWS": ACCOUNT}, "Effect": "Allow", "Action": [action], "Resource": "*"}
    statement.update(extra)
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2)


def compact(text: str) -> str:
    return json.dumps(json.loads(text), separators=(",", ":"))


@pytest.fixture
def table_arn(ddb):
    create_hash_table(ddb, "orders")
    return ddb.describe_table(TableName="orders")["Table"]["TableArn"]


def test_put_then_get_returns_the_document_without_its_whitespace_and_the_revision(ddb, table_arn):
    revision = ddb.put_resource_policy(ResourceArn=table_arn, Policy=policy())["RevisionId"]
    got = ddb.get_resource_policy(ResourceArn=table_arn)
    assert (got["Policy"], got["RevisionId"]) == (compact(policy()), revision)
    assert revision.isdigit() and len(revision) == 13  # epoch milliseconds, as AWS's


def test_putting_the_same_document_keeps_the_revision_and_a_new_one_gets_a_later_one(ddb, table_arn):
    first = ddb.put_resource_policy(ResourceArn=table_arn, Policy=policy())["RevisionId"]
    assert ddb.put_resource_policy(ResourceArn=table_arn, Policy=policy())["RevisionId"] == first
    second = ddb.put_resource_policy(ResourceArn=table_arn, Policy=policy("dynamodb:PutItem"))["RevisionId"]
    assert int(second) > int(first)


def test_expected_revision_id_must_be_the_current_one(ddb, table_arn):
    first = ddb.put_resource_policy(ResourceArn=table_arn, Policy=policy())["RevisionId"]
    second = ddb.put_resource_policy(
        ResourceArn=table_arn, Policy=policy("dynamodb:PutItem"), ExpectedRevisionId=first
    )["RevisionId"]
    assert err(
        ddb.put_resource_policy,
        ResourceArn=table_arn,
        Policy=policy("dynamodb:GetItem"),
        ExpectedRevisionId=first,
    ) == (
        "PolicyNotFoundException",
        "Resource-based policy not found for the provided ResourceArn: Requested update for policy with "
        f"revision id {first}, but the policy associated to target table orders has revision id {second}.",
    )
    assert ddb.get_resource_policy(ResourceArn=table_arn)["RevisionId"] == second


def test_no_policy_expects_the_resource_to_have_none(ddb, table_arn):
    revision = ddb.put_resource_policy(
        ResourceArn=table_arn, Policy=policy(), ExpectedRevisionId="NO_POLICY"
    )["RevisionId"]
    assert err(
        ddb.put_resource_policy,
        ResourceArn=table_arn,
        Policy=policy("dynamodb:GetItem"),
        ExpectedRevisionId="NO_POLICY",
    ) == (
        "PolicyNotFoundException",
        "Resource-based policy not found for the provided ResourceArn: Requested policy update expecting "
        f"none to be present for table orders, but a policy exists with revision id {revision}.",
    )


def test_get_and_delete_without_a_policy_are_policy_not_found(ddb, table_arn):
    expected = (
        "PolicyNotFoundException",
        f"Resource-based policy not found for the provided ResourceArn: {table_arn}",
    )
    assert err(ddb.get_resource_policy, ResourceArn=table_arn) == expected
    assert err(ddb.delete_resource_policy, ResourceArn=table_arn) == expected


def test_delete_answers_the_removed_revision_and_checks_the_expected_one(ddb, table_arn):
    old = ddb.put_resource_policy(ResourceArn=table_arn, Policy=policy())["RevisionId"]
    new = ddb.put_resource_policy(ResourceArn=table_arn, Policy=policy("dynamodb:PutItem"))["RevisionId"]
    assert err(ddb.delete_resource_policy, ResourceArn=table_arn, ExpectedRevisionId=old) == (
        "PolicyNotFoundException",
        "Resource-based policy not found for the provided ResourceArn: Requested update for policy with "
        f"revision id {old}, but the policy associated to target table orders has revision id {new}.",
    )
    assert ddb.delete_resource_policy(ResourceArn=table_arn, ExpectedRevisionId=new)["RevisionId"] == new
    assert err(ddb.get_resource_policy, ResourceArn=table_arn)[0] == "PolicyNotFoundException"


def test_a_stream_has_its_own_policy(ddb):
    ddb.create_table(
        TableName="events",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    table = ddb.describe_table(TableName="events")["Table"]
    stream_arn = table["LatestStreamArn"]
    stream_doc = policy("dynamodb:GetRecords", Resource=stream_arn)
    revision = ddb.put_resource_policy(ResourceArn=stream_arn, Policy=stream_doc)["RevisionId"]
    assert ddb.get_resource_policy(ResourceArn=stream_arn)["RevisionId"] == revision
    assert err(ddb.get_resource_policy, ResourceArn=table["TableArn"])[0] == "PolicyNotFoundException"
    bogus = table["TableArn"] + "/stream/2000-01-01T00:00:00.000"
    assert err(ddb.get_resource_policy, ResourceArn=bogus) == (
        "ResourceNotFoundException",
        "Requested resource not found: Stream: 2000-01-01T00:00:00.000 not found for Table: events",
    )


def test_resource_arns_that_name_no_table_or_stream(ddb, table_arn):
    head = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/"
    cases = {
        "orders": (
            "ValidationException",
            "One or more parameter values were invalid: ARNs must start with 'arn:': orders",
        ),
        head + "missing": (
            "ResourceNotFoundException",
            "Requested resource not found: Table: missing not found",
        ),
        head + "ORDERS": (
            "ResourceNotFoundException",
            "Requested resource not found: Table: ORDERS not found",
        ),
        table_arn.replace(ACCOUNT, "111122223333"): (
            "ValidationException",
            "This action is only supported by accounts that match the resource owner\u2019s account.",
        ),
        table_arn.replace("us-east-1", "eu-west-1"): (
            "ValidationException",
            "One or more parameter values were invalid: Invalid resource Arn: "
            + table_arn.replace("us-east-1", "eu-west-1"),
        ),
        table_arn + "/index/byDate": (
            "ValidationException",
            "One or more parameter values were invalid: Invalid resource arn provided, only table or stream "
            f"is accepted. Provided resource arn: {table_arn}/index/byDate",
        ),
        table_arn + "/backup/0170": (
            "ValidationException",
            f"One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: {table_arn}/backup/0170",
        ),
    }
    for arn, expected in cases.items():
        assert err(ddb.get_resource_policy, ResourceArn=arn) == expected, arn
        assert err(ddb.put_resource_policy, ResourceArn=arn, Policy=policy()) == expected, arn
        assert err(ddb.delete_resource_policy, ResourceArn=arn) == expected, arn


@pytest.mark.parametrize(
    "document, message",
    [
        ("{not json", "Invalid policy document: This policy contains invalid Json"),
        ("", "Invalid policy document: This policy contains invalid Json"),
        (
            '{"Version": "2012-10-17", "Statement": []}',
            "Invalid policy document: Could not parse the policy: Statement is empty!",
        ),
        (
            json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem"}]}),
            "Invalid policy document: Missing required field Resource",
        ),
        (policy() + " " * 20480, "Maximum policy size of 20480 bytes exceeded"),
    ],
)
def test_policy_documents_are_checked(ddb, table_arn, document, message):
    assert err(ddb.put_resource_policy, ResourceArn=table_arn, Policy=document) == (
        "ValidationException",
        "One or more parameter values were invalid: " + message,
    )


def test_a_document_of_20480_bytes_whitespace_included_is_accepted(ddb, table_arn):
    document = policy()
    document += " " * (20480 - len(document.encode()))
    ddb.put_resource_policy(ResourceArn=table_arn, Policy=document)
    assert ddb.get_resource_policy(ResourceArn=table_arn)["Policy"] == compact(document)


def test_create_table_attaches_its_resource_policy(ddb):
    ddb.create_table(
        TableName="withpolicy",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        ResourcePolicy=policy(),
    )
    arn = ddb.describe_table(TableName="withpolicy")["Table"]["TableArn"]
    assert ddb.get_resource_policy(ResourceArn=arn)["Policy"] == compact(policy())


def test_create_table_with_an_invalid_policy_creates_nothing(ddb):
    assert err(
        ddb.create_table,
        TableName="badpolicy",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        ResourcePolicy="{not json",
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Invalid policy document: This policy contains invalid Json",
    )
    assert ddb.list_tables()["TableNames"] == []


def test_a_re_created_table_has_no_policy(ddb, table_arn):
    ddb.put_resource_policy(ResourceArn=table_arn, Policy=policy())
    ddb.delete_table(TableName="orders")
    assert err(ddb.get_resource_policy, ResourceArn=table_arn) == (
        "ResourceNotFoundException",
        "Requested resource not found: Table: orders not found",
    )
    create_hash_table(ddb, "orders")
    assert err(ddb.get_resource_policy, ResourceArn=table_arn)[0] == "PolicyNotFoundException"


def test_policies_are_not_enforced(ddb, table_arn):
    deny = json.dumps(
        {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "dynamodb:*", "Resource": "*"}]}
    )
    ddb.put_resource_policy(ResourceArn=table_arn, Policy=deny)
    ddb.put_item(TableName="orders", Item={"id": {"S": "a"}})
    assert ddb.get_item(TableName="orders", Key={"id": {"S": "a"}})["Item"] == {"id": {"S": "a"}}
