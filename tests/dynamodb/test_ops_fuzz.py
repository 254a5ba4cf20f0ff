"""Fuzz: arbitrary request shapes never escape as anything but an AWS error (DESIGN §3).

Random requests (member names from each operation's model; values mostly of the member's type,
sometimes of any JSON-ish shape) go to the DynamoDB operations (all but DeleteTable, which would
empty the shared world) on a world with a plain table and an indexed one. The
answer must be a response or an ``AWSError`` other than ``InternalServerError`` (which is what
``Service.call`` turns a Python exception into).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import emulator
from emulator.errors import AWSError

MEMBERS = {
    "PutItem": [
        "TableName",
        "Item",
        "Expected",
        "ReturnValues",
        "ReturnConsumedCapacity",
        "ConditionalOperator",
        "ConditionExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "ReturnValuesOnConditionCheckFailure",
        "ReturnItemCollectionMetrics",
    ],
    "GetItem": [
        "TableName",
        "Key",
        "AttributesToGet",
        "ConsistentRead",
        "ProjectionExpression",
        "ExpressionAttributeNames",
        "ReturnConsumedCapacity",
    ],
    "UpdateItem": [
        "TableName",
        "Key",
        "AttributeUpdates",
        "Expected",
        "UpdateExpression",
        "ConditionExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "ReturnValues",
    ],
    "DeleteItem": [
        "TableName",
        "Key",
        "Expected",
        "ConditionExpression",
        "ExpressionAttributeValues",
        "ReturnValues",
    ],
    "Query": [
        "TableName",
        "IndexName",
        "Select",
        "AttributesToGet",
        "Limit",
        "ConsistentRead",
        "KeyConditions",
        "QueryFilter",
        "ConditionalOperator",
        "ScanIndexForward",
        "ExclusiveStartKey",
        "ProjectionExpression",
        "FilterExpression",
        "KeyConditionExpression",
        "ExpressionAttributeNames",
        "ExpressionAttributeValues",
        "ReturnConsumedCapacity",
    ],
    "Scan": [
        "TableName",
        "IndexName",
        "AttributesToGet",
        "Limit",
        "Select",
        "ScanFilter",
        "ExclusiveStartKey",
        "TotalSegments",
        "Segment",
        "ProjectionExpression",
        "FilterExpression",
        "ExpressionAttributeValues",
    ],
    "BatchGetItem": ["RequestItems", "ReturnConsumedCapacity"],
    "BatchWriteItem": ["RequestItems", "ReturnConsumedCapacity", "ReturnItemCollectionMetrics"],
    "CreateTable": [
        "TableName",
        "KeySchema",
        "AttributeDefinitions",
        "BillingMode",
        "ProvisionedThroughput",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
        "Tags",
        "StreamSpecification",
    ],
    "UpdateTable": [
        "TableName",
        "BillingMode",
        "ProvisionedThroughput",
        "GlobalSecondaryIndexUpdates",
        "AttributeDefinitions",
        "StreamSpecification",
        "DeletionProtectionEnabled",
    ],
    "DescribeTable": ["TableName"],
    "ListTables": ["Limit", "ExclusiveStartTableName"],
    "TagResource": ["ResourceArn", "Tags"],
    "UntagResource": ["ResourceArn", "TagKeys"],
    "ListTagsOfResource": ["ResourceArn"],
}

NAMES = st.sampled_from(
    [
        "fzz",
        "ixx",
        "p",
        "s",
        "g",
        "#p",
        ":v",
        "a.b",
        "",
        "x" * 300,
        "arn:aws:dynamodb:us-east-1:123456789012:table/fzz",
    ]
)
TEXTS = st.sampled_from(
    [
        "p = :v",
        "attribute_exists(p)",
        "SET a = :v",
        "p = :v AND s > :v",
        "#p",
        "a, b",
        "REMOVE a",
        "size(a) > :v",
        "",
        "(((",
        "g = :v",
    ]
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), NAMES, TEXTS, st.binary(max_size=3))
AVS = st.one_of(
    st.fixed_dictionaries({"S": NAMES}),
    st.fixed_dictionaries({"N": st.sampled_from(["1", "x", "1e400"])}),
    st.fixed_dictionaries({"B": st.binary(max_size=2)}),
    st.fixed_dictionaries({"SS": st.lists(NAMES)}),
    st.fixed_dictionaries({"NULL": st.booleans()}),
    st.just({}),
    st.just({"S": "a", "N": "1"}),
)
VALUES = st.recursive(
    st.one_of(SCALARS, AVS),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(NAMES, inner, max_size=3)),
    max_leaves=8,
)


KEY_AVS = st.one_of(
    st.fixed_dictionaries({"S": st.sampled_from(["a", "b", ""])}),
    st.fixed_dictionaries({"N": st.sampled_from(["1", "2", "1.0", "x"])}),
    AVS,
)
KEYS = st.fixed_dictionaries({"p": KEY_AVS, "s": KEY_AVS}, optional={"g": KEY_AVS, "zz": AVS})
ITEMS = st.fixed_dictionaries(
    {"p": KEY_AVS, "s": KEY_AVS},
    optional={
        "g": KEY_AVS,
        "a": AVS,
        "m": st.fixed_dictionaries({"M": st.dictionaries(NAMES, AVS, max_size=2)}),
    },
)
EXPRS = st.one_of(
    TEXTS,
    st.sampled_from(
        [
            "p = :v AND s BETWEEN :v AND :w",
            "#p = :v",
            "SET #p = :v",
            "ADD a :v",
            "contains(a, :v)",
            "p = :v OR s = :w",
            "begins_with(s, :v)",
        ]
    ),
)
CONDITIONS = st.dictionaries(
    st.sampled_from(["p", "s", "a", "g"]),
    st.one_of(
        st.fixed_dictionaries(
            {
                "ComparisonOperator": st.sampled_from(["EQ", "LT", "BETWEEN", "NULL", "IN", "BAD"]),
                "AttributeValueList": st.lists(KEY_AVS, max_size=2),
            }
        ),
        st.fixed_dictionaries({}, optional={"Value": KEY_AVS, "Exists": st.booleans()}),
    ),
    max_size=2,
)
TYPED = {
    "TableName": st.sampled_from(
        ["fzz", "ixx", "nope", "arn:aws:dynamodb:us-east-1:123456789012:table/fzz", "a;"]
    ),
    "IndexName": st.sampled_from(["gsi", "nope"]),
    "Item": ITEMS,
    "Key": KEYS,
    "ExclusiveStartKey": KEYS,
    "ConditionExpression": EXPRS,
    "UpdateExpression": EXPRS,
    "ProjectionExpression": EXPRS,
    "FilterExpression": EXPRS,
    "KeyConditionExpression": EXPRS,
    "ExpressionAttributeNames": st.dictionaries(
        st.sampled_from(["#p", "#a", "p"]), st.sampled_from(["p", "a", "s"]), max_size=2
    ),
    "ExpressionAttributeValues": st.dictionaries(st.sampled_from([":v", ":w", "v"]), KEY_AVS, max_size=2),
    "ReturnValues": st.sampled_from(["NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "bad"]),
    "ReturnValuesOnConditionCheckFailure": st.sampled_from(["NONE", "ALL_OLD", "ALL_NEW"]),
    "ReturnConsumedCapacity": st.sampled_from(["NONE", "TOTAL", "INDEXES"]),
    "ReturnItemCollectionMetrics": st.sampled_from(["NONE", "SIZE"]),
    "Select": st.sampled_from(["ALL_ATTRIBUTES", "COUNT", "SPECIFIC_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"]),
    "Limit": st.integers(0, 4),
    "Segment": st.integers(0, 2),
    "TotalSegments": st.integers(1, 3),
    "ConsistentRead": st.booleans(),
    "ScanIndexForward": st.booleans(),
    "AttributesToGet": st.lists(st.sampled_from(["p", "a", "s"]), max_size=3),
    "Expected": CONDITIONS,
    "QueryFilter": CONDITIONS,
    "ScanFilter": CONDITIONS,
    "KeyConditions": CONDITIONS,
    "ConditionalOperator": st.sampled_from(["AND", "OR", "XOR"]),
    "AttributeUpdates": st.dictionaries(
        st.sampled_from(["a", "p", "n"]),
        st.fixed_dictionaries(
            {}, optional={"Action": st.sampled_from(["PUT", "ADD", "DELETE"]), "Value": KEY_AVS}
        ),
        max_size=2,
    ),
    "ResourceArn": st.sampled_from(
        [
            "arn:aws:dynamodb:us-east-1:123456789012:table/fzz",
            "arn:x",
            "fzz",
            "arn:aws:dynamodb:us-east-1:123456789012:table/fzz/index/gsi",
        ]
    ),
    "Tags": st.lists(
        st.fixed_dictionaries(
            {"Key": st.sampled_from(["k", "", "aws:x"]), "Value": st.sampled_from(["v", ""])}
        ),
        max_size=2,
    ),
    "TagKeys": st.lists(st.sampled_from(["k", "x"]), max_size=2),
    "ExclusiveStartTableName": st.sampled_from(["fzz", "a", "zzz"]),
    "KeySchema": st.lists(
        st.fixed_dictionaries(
            {"AttributeName": st.sampled_from(["p", "s", "g"]), "KeyType": st.sampled_from(["HASH", "RANGE"])}
        ),
        max_size=3,
    ),
    "AttributeDefinitions": st.lists(
        st.fixed_dictionaries(
            {
                "AttributeName": st.sampled_from(["p", "s", "g"]),
                "AttributeType": st.sampled_from(["S", "N", "B", "L"]),
            }
        ),
        max_size=3,
    ),
    "BillingMode": st.sampled_from(["PROVISIONED", "PAY_PER_REQUEST"]),
    "ProvisionedThroughput": st.fixed_dictionaries(
        {"ReadCapacityUnits": st.integers(0, 3), "WriteCapacityUnits": st.integers(0, 3)}
    ),
    "StreamSpecification": st.fixed_dictionaries(
        {"StreamEnabled": st.booleans()}, optional={"StreamViewType": st.sampled_from(["KEYS_ONLY", "X"])}
    ),
    "DeletionProtectionEnabled": st.just(False),
}
_INDEX = st.fixed_dictionaries(
    {
        "IndexName": st.sampled_from(["gsi", "g2", "l1"]),
        "KeySchema": TYPED["KeySchema"],
        "Projection": st.fixed_dictionaries(
            {},
            optional={
                "ProjectionType": st.sampled_from(["ALL", "KEYS_ONLY", "INCLUDE"]),
                "NonKeyAttributes": st.lists(st.just("a"), max_size=1),
            },
        ),
    },
    optional={"ProvisionedThroughput": TYPED["ProvisionedThroughput"]},
)
TYPED["GlobalSecondaryIndexes"] = st.lists(_INDEX, max_size=2)
TYPED["LocalSecondaryIndexes"] = st.lists(_INDEX, max_size=2)
TYPED["GlobalSecondaryIndexUpdates"] = st.lists(
    st.one_of(
        st.fixed_dictionaries({"Create": _INDEX}),
        st.fixed_dictionaries(
            {"Delete": st.fixed_dictionaries({"IndexName": st.sampled_from(["gsi", "g2"])})}
        ),
        st.fixed_dictionaries(
            {"Update": st.fixed_dictionaries({"IndexName": st.sampled_from(["gsi", "g2"])})}
        ),
    ),
    max_size=2,
)


@st.composite
def requests(draw):
    op = draw(st.sampled_from(sorted(MEMBERS)))
    members = draw(st.lists(st.sampled_from(MEMBERS[op]), unique=True, max_size=6))
    request: dict = {}
    if draw(st.booleans()):  # start from a plausible request, so the fuzz reaches the engine
        valid_key = {
            "p": {"S": draw(st.sampled_from(["a", "b"]))},
            "s": {"N": draw(st.sampled_from(["1", "2"]))},
        }
        request["TableName"] = draw(st.sampled_from(["fzz", "ixx"]))
        if op == "PutItem":
            request["Item"] = {
                **valid_key,
                **draw(st.dictionaries(st.sampled_from(["a", "g", "n"]), KEY_AVS, max_size=2)),
            }
        elif op in ("GetItem", "UpdateItem", "DeleteItem"):
            request["Key"] = valid_key
        elif op == "Query":
            request["KeyConditionExpression"] = "p = :v"
            request["ExpressionAttributeValues"] = {":v": valid_key["p"]}
    for m in members:
        typed = TYPED.get(m)
        request[m] = draw(typed) if typed is not None and draw(st.integers(0, 29)) else draw(VALUES)
    if op == "BatchGetItem" and draw(st.booleans()):
        request["RequestItems"] = {draw(TYPED["TableName"]): {"Keys": draw(st.lists(KEYS, max_size=3))}}
    if op == "BatchWriteItem" and draw(st.booleans()):
        request["RequestItems"] = {
            draw(TYPED["TableName"]): draw(
                st.lists(
                    st.one_of(
                        st.fixed_dictionaries({"PutRequest": st.fixed_dictionaries({"Item": ITEMS})}),
                        st.fixed_dictionaries({"DeleteRequest": st.fixed_dictionaries({"Key": KEYS})}),
                    ),
                    max_size=3,
                )
            )
        }
    return op, request


@pytest.fixture(scope="module")
def world():
    aws = emulator.Emulator(seed=5)
    ddb = aws.dynamodb
    ks = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]
    ad = [
        {"AttributeName": "p", "AttributeType": "S"},
        {"AttributeName": "s", "AttributeType": "N"},
        {"AttributeName": "g", "AttributeType": "S"},
    ]
    ddb.create_table(
        TableName="fzz", KeySchema=ks, AttributeDefinitions=ad[:2], BillingMode="PAY_PER_REQUEST"
    )
    ddb.create_table(
        TableName="ixx",
        KeySchema=ks,
        AttributeDefinitions=ad,
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    ddb.put_item(TableName="fzz", Item={"p": {"S": "a"}, "s": {"N": "1"}, "a": {"M": {"b": {"S": "x"}}}})
    return aws


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(requests())
def test_no_internal_errors(world, req):
    op, request = req
    service = world.service("dynamodb")
    try:
        response = service.call(op, request)
    except AWSError as err:
        assert err.code != "InternalServerError", f"{op} {request!r}: {err.message}"
    else:
        assert isinstance(response, dict)
