"""The most common ValidationException texts, verbatim, through every door (docs/rules/dynamodb.md §17).

Each case is one request and the exact message AWS answers; the table has a hash key ``id`` (S),
a range key ``r`` (N) and a GSI on ``g`` (S).
"""

from __future__ import annotations

from tests.dynamodb.door_helpers import err

V = "ValidationException"
KR = {"id": {"S": "a"}, "r": {"N": "1"}}
S17_CASES = [
    (
        "put_item",
        {"Item": {"r": {"N": "1"}}},
        "One or more parameter values were invalid: Missing the key id in the item",
    ),
    (
        "put_item",
        {"Item": {"id": {"N": "1"}, "r": {"N": "1"}}},
        "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N",
    ),
    ("get_item", {"Key": {"id": {"S": "a"}}}, "The provided key element does not match the schema"),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": "SET id = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
        "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
    ),
    (
        "put_item",
        {"Item": {"id": {"S": ""}, "r": {"N": "1"}}},
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
        "empty string value. Key: id",
    ),
    (
        "put_item",
        {"Item": {**KR, "ss": {"SS": []}}},
        "1 validation error detected: One or more parameter values were invalid: An string set  may not be empty",
    ),
    (
        "put_item",
        {"Item": {**KR, "g": {"N": "1"}}},
        "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: gsi",
    ),
    (
        "put_item",
        {"Item": {**KR, "big": {"S": "x" * 409_600}}},
        "Item size has exceeded the maximum allowed size",
    ),
    (
        "update_item",
        {
            "Key": KR,
            "UpdateExpression": "SET big = :v",
            "ExpressionAttributeValues": {":v": {"S": "x" * 409_590}},
        },
        "Item size to update has exceeded the maximum allowed size",
    ),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": "SET a = = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
        'Invalid UpdateExpression: Syntax error; token: "=", near: "= = :v"',
    ),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": ""},
        "1 validation error detected: Invalid UpdateExpression: The expression can not be empty;",
    ),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": "SET size = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: size",
    ),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": "SET a = :v"},
        "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v",
    ),
    (
        "update_item",
        {
            "Key": KR,
            "UpdateExpression": "SET a = :v, a = :v",
            "ExpressionAttributeValues": {":v": {"S": "x"}},
        },
        "1 validation error detected: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
        "paths; path one: [a], path two: [a]",
    ),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": "ADD a :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
    ),
    (
        "update_item",
        {
            "Key": KR,
            "UpdateExpression": "SET a = :v SET b = :v",
            "ExpressionAttributeValues": {":v": {"S": "x"}},
        },
        '1 validation error detected: Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    ),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": "SET a = b"},
        "The provided expression refers to an attribute that does not exist in the item",
    ),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": "SET s = s + :v", "ExpressionAttributeValues": {":v": {"N": "1"}}},
        "An operand in the update expression has an incorrect data type",
    ),
    (
        "update_item",
        {"Key": KR, "UpdateExpression": "SET a.b = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}},
        "The document path provided in the update expression is invalid for update",
    ),
    (
        "scan",
        {"FilterExpression": "a = :w", "ExpressionAttributeValues": {":v": {"N": "1"}, ":w": {"N": "1"}}},
        "1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}",
    ),
    (
        "get_item",
        {"Key": KR, "ProjectionExpression": "a", "ExpressionAttributeNames": {"#n": "x"}},
        "1 validation error detected: Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}",
    ),
    (
        "put_item",
        {"Item": KR, "ConditionExpression": "foo(a)"},
        "Invalid ConditionExpression: Invalid function name; function: foo",
    ),
    (
        "scan",
        {"FilterExpression": "size(a)"},
        "Invalid FilterExpression: The function is not allowed to be used this way in an expression; function: size",
    ),
    (
        "query",
        {"KeyConditionExpression": "r = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}},
        "Query condition missed key schema element: id",
    ),
    (
        "query",
        {"KeyConditionExpression": "id > :v", "ExpressionAttributeValues": {":v": {"S": "1"}}},
        "Query key condition not supported",
    ),
    (
        "query",
        {"KeyConditionExpression": "id = :v AND id = :v", "ExpressionAttributeValues": {":v": {"S": "1"}}},
        "KeyConditionExpressions must only contain one condition per key",
    ),
    (
        "query",
        {
            "KeyConditionExpression": "id = :v OR r = :n",
            "ExpressionAttributeValues": {":v": {"S": "1"}, ":n": {"N": "1"}},
        },
        "Invalid operator used in KeyConditionExpression: OR",
    ),
    (
        "query",
        {
            "KeyConditionExpression": "id = :v",
            "FilterExpression": "r = :n",
            "ExpressionAttributeValues": {":v": {"S": "1"}, ":n": {"N": "1"}},
        },
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: r",
    ),
    (
        "query",
        {
            "IndexName": "gsi",
            "ConsistentRead": True,
            "KeyConditionExpression": "g = :v",
            "ExpressionAttributeValues": {":v": {"S": "1"}},
        },
        "Consistent reads are not supported on global secondary indexes",
    ),
    (
        "query",
        {
            "IndexName": "nope",
            "KeyConditionExpression": "g = :v",
            "ExpressionAttributeValues": {":v": {"S": "1"}},
        },
        "The table does not have the specified index: nope",
    ),
    (
        "scan",
        {"ExclusiveStartKey": {"id": {"S": "a"}}},
        "The provided starting key is invalid: The provided key element does not match the schema",
    ),
    (
        "get_item",
        {"Key": KR, "ProjectionExpression": "a", "AttributesToGet": ["a"]},
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
        "{AttributesToGet} Expression parameters: {ProjectionExpression}",
    ),
    ("put_item", {"Item": KR, "ReturnValues": "ALL_NEW"}, "ReturnValues can only be ALL_OLD or NONE"),
    (
        "put_item",
        {"Item": {**KR, "n": {"N": "1e126"}}},
        "Number overflow. Attempting to store a number with magnitude larger than supported range",
    ),
    (
        "put_item",
        {"Item": {**KR, "n": {"N": "1.23456789012345678901234567890123456789"}}},
        "Attempting to store more than 38 significant digits in a Number",
    ),
]


def test_s17_verbatim_validation_messages(ddb):
    ddb.create_table(
        TableName="tbl",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "r", "AttributeType": "N"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.put_item(TableName="tbl", Item={**KR, "s": {"S": "text"}})
    got = [(op, err(getattr(ddb, op), TableName="tbl", **kw)) for op, kw, _ in S17_CASES]
    assert got == [(op, (V, message)) for op, _, message in S17_CASES]
    assert err(ddb.batch_get_item, RequestItems={"tbl": {"Keys": [KR, KR]}}) == (
        V,
        "Provided list of item keys contains duplicates",
    )
    assert err(
        ddb.batch_get_item,
        RequestItems={
            t: {"Keys": [{"id": {"S": str(i)}, "r": {"N": "1"}} for i in range(51)]} for t in ("tbl", "tb2")
        },
    ) == (V, "Too many items requested for the BatchGetItem call")
