"""The most common ValidationException texts, verbatim, through every door (docs/rules/dynamodb.md §17).

Each case is one request and the exact message AWS answers; the table has a hash key ``id`` (S),
a range key ``r`` (N) and a GSI on ``g`` (S).
"""

from __future__ import annotations

from emulator.dynamodb import messages as M
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


# --- issue 11 rule 1: every check that needs no table runs before the table lookup ------------

_EMPTY = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
_EQ = {":v": {"S": "x"}}
MISSING_TABLE_CASES = [
    (
        "get_item",
        {"Key": {"p": {"S": "a", "N": "1"}}},
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
    ),
    ("get_item", {"Key": {"p": {}}}, _EMPTY),
    ("delete_item", {"Key": {"p": {}}}, _EMPTY),
    ("update_item", {"Key": {"p": {}}}, _EMPTY),
    (
        "query",
        {"KeyConditions": {"p": {"ComparisonOperator": "EQ", "AttributeValueList": []}}},
        "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator",
    ),
    (
        "query",
        {"KeyConditionExpression": "p = ", "ExpressionAttributeValues": _EQ},
        'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "="',
    ),
    (
        "query",
        {"KeyConditionExpression": "p = :v OR p = :v", "ExpressionAttributeValues": _EQ},
        "Invalid operator used in KeyConditionExpression: OR",
    ),
    (
        "query",
        {
            "KeyConditionExpression": "p = :v",
            "ExpressionAttributeValues": _EQ,
            "ExclusiveStartKey": {"p": {}},
        },
        "The provided starting key is invalid: " + _EMPTY,
    ),
    ("scan", {"ExclusiveStartKey": {"p": {}}}, "The provided starting key is invalid: " + _EMPTY),
    (
        "scan",  # Scan's Segment/TotalSegments pairing comes before the ExclusiveStartKey
        {"Segment": 0, "ExclusiveStartKey": {"p": {}}},
        "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
    ),
]


def test_table_free_checks_before_the_table_lookup(ddb):
    got = [(op, err(getattr(ddb, op), TableName="nope", **kw)) for op, kw, _ in MISSING_TABLE_CASES]
    assert got == [(op, (V, message)) for op, _, message in MISSING_TABLE_CASES]
    assert err(ddb.batch_get_item, RequestItems={"nope": {"Keys": [{"p": {}}]}}) == (V, _EMPTY)
    assert err(ddb.batch_write_item, RequestItems={"nope": [{"DeleteRequest": {"Key": {"p": {}}}}]}) == (
        V,
        _EMPTY,
    )
    # a valid request on a missing table still answers ResourceNotFoundException
    assert err(ddb.get_item, TableName="nope", Key={"p": {"S": "a"}}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )
    assert err(ddb.query, TableName="nope", KeyConditionExpression="p = :v", ExpressionAttributeValues=_EQ)[
        0
    ] == ("ResourceNotFoundException")


def _table_p(ddb, name="tpp"):
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_table_free_checks_before_table_dependent_ones_on_an_existing_table(ddb):
    """The same order whether the table exists or not: on an existing table, the checks that need
    no table still win over those that need it (an unknown IndexName, a key against the schema)."""
    _table_p(ddb)
    for op, kw, message in MISSING_TABLE_CASES:
        extra = {"IndexName": "nosuch"} if op in ("query", "scan") else {}
        assert err(getattr(ddb, op), TableName="tpp", **kw, **extra) == (V, message), (op, kw)
    unused = {
        "KeyConditionExpression": "p = :v",
        "ExpressionAttributeValues": {":v": {"S": "x"}, ":w": {"S": "y"}},
    }
    assert err(ddb.query, TableName="tpp", IndexName="nosuch", **unused) == (
        V,
        "1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
    )
    # the table-dependent errors when nothing table-free is wrong
    assert err(
        ddb.query,
        TableName="tpp",
        IndexName="nosuch",
        KeyConditionExpression="p = :v",
        ExpressionAttributeValues=_EQ,
    ) == (
        V,
        M.no_such_index("nosuch"),
    )
    # BatchGetItem/BatchWriteItem: a value error in any table's keys wins over a schema error in another
    _table_p(ddb, "tqq")
    wrong, empty = [{"p": {"N": "1"}}], [{"p": {}}]
    assert err(ddb.batch_get_item, RequestItems={"tpp": {"Keys": wrong}, "tqq": {"Keys": empty}}) == (
        V,
        _EMPTY,
    )
    deletes = {"tpp": [{"DeleteRequest": {"Key": wrong[0]}}], "tqq": [{"DeleteRequest": {"Key": empty[0]}}]}
    assert err(ddb.batch_write_item, RequestItems=deletes) == (V, _EMPTY)


def test_tag_requests_check_before_the_table_lookup(ddb):
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/nope"
    assert err(ddb.tag_resource, ResourceArn=arn, Tags=[]) == (V, M.TAGS_EMPTY)
    assert err(ddb.untag_resource, ResourceArn=arn, TagKeys=[]) == (V, M.TAG_KEYS_EMPTY)
    index_arn = arn + "/index/gsi"
    assert err(ddb.tag_resource, ResourceArn=index_arn, Tags=[])[1] == M.not_table_or_stream_arn(index_arn)
    assert err(ddb.untag_resource, ResourceArn="nope", TagKeys=[])[1] == M.ARN_PREFIX_REQUIRED
    assert err(ddb.list_tags_of_resource, ResourceArn="nope")[1] == M.ARN_PREFIX_REQUIRED
    assert (
        err(ddb.tag_resource, ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])[0]
        == "ResourceNotFoundException"
    )


def test_update_table_checks_before_the_table_lookup(ddb):
    assert err(
        ddb.update_table,
        TableName="nope",
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 1000000000001, "WriteCapacityUnits": 1},
    ) == (V, "Given value 1000000000001 for ReadCapacityUnits is out of bounds")
    assert err(ddb.update_table, TableName="nope", GlobalSecondaryIndexUpdates=[{}]) == (
        V,
        M.GSI_UPDATE_ONE_ACTION,
    )
    assert (
        err(ddb.update_table, TableName="nope", GlobalSecondaryIndexUpdates=[])[1] == M.UPDATE_TABLE_NOTHING
    )


# --- issue 11 rule 2: violations inside maps and lists are counted with the top-level ones ------

_OPERATORS = "[EQ, NE, LE, LT, GE, GT, NOT_NULL, NULL, CONTAINS, NOT_CONTAINS, BEGINS_WITH, IN, BETWEEN]"
_MAP_KEYS = (
    "Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have "
    "length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"
)


def test_nested_violations_are_counted_and_listed(ddb):
    assert err(
        ddb.query,
        TableName="nope",
        Select="XX",
        KeyConditions={"p": {"ComparisonOperator": "XX", "AttributeValueList": [{"S": "x"}]}},
    ) == (
        V,
        "2 validation errors detected: Value 'XX' at 'select' failed to satisfy constraint: Member must satisfy "
        "enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; Value 'XX' at "
        f"'keyConditions.p.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: {_OPERATORS}",
    )
    assert err(ddb.scan, TableName="nope", ScanFilter={"a": {"AttributeValueList": [{"S": "x"}]}}) == (
        V,
        "1 validation error detected: Value null at 'scanFilter.a.member.comparisonOperator' failed to satisfy "
        "constraint: Member must not be null",
    )
    assert err(
        ddb.update_item,
        TableName="nope",
        Key={"p": {"S": "a"}},
        AttributeUpdates={"a": {"Action": "XX", "Value": {"S": "x"}}},
        ReturnValues="XX",
    ) == (
        V,
        "2 validation errors detected: Value 'XX' at 'attributeUpdates.a.member.action' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]; Value 'XX' at 'returnValues' failed "
        "to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
    )
    code, message = err(ddb.batch_get_item, RequestItems={"ab": {"Keys": []}, "abc": {"Keys": []}})
    assert (code, message) == (
        V,
        "3 validation errors detected: Value '{ab={Keys=[]}, abc={Keys=[]}}' at 'requestItems' failed to satisfy "
        f"constraint: {_MAP_KEYS}; Value '[]' at 'requestItems.ab.member.keys' failed to satisfy constraint: Member "
        "must have length greater than or equal to 1; Value '[]' at 'requestItems.abc.member.keys' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1",
    )
    assert err(
        ddb.batch_write_item, RequestItems={"ab": [], "abc": [{"DeleteRequest": {"Key": {"p": {"S": "x"}}}}]}
    )[1].startswith("2 validation errors detected: ")


# --- issue 11 rule 3: the one-error envelope on the texts current AWS wraps ---------------------


def test_current_one_error_envelopes(ddb):
    ddb.create_table(
        TableName="env",
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    one = "1 validation error detected: "
    key = {"p": {"S": "a"}}
    kce = {"KeyConditionExpression": "p = :v", "ExpressionAttributeValues": _EQ}
    cases = [
        ("put_item", {"Item": {**key, "s": {"NS": []}}}, one + M.NS_EMPTY),
        (
            "update_item",
            {"Key": key, "UpdateExpression": ""},
            one + "Invalid UpdateExpression: " + M.EXPRESSION_EMPTY,
        ),
        (
            "put_item",
            {"Item": key, "ConditionExpression": "attribute_exists(p)", "ExpressionAttributeValues": {}},
            one + "ExpressionAttributeValues must not be empty",
        ),
        (
            "query",
            {**kce, "Select": "SPECIFIC_ATTRIBUTES"},
            one
            + "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
        ),
        ("query", {**kce, "Select": "ALL_PROJECTED_ATTRIBUTES"}, one + M.ALL_PROJECTED_ON_TABLE),
        (
            "query",
            {**kce, "Select": "COUNT", "ProjectionExpression": "p"},
            one + "Cannot specify the ProjectionExpression when choosing to get only the Count",
        ),
        # Scan answers the Select texts bare
        (
            "scan",
            {"Select": "SPECIFIC_ATTRIBUTES"},
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
        ),
        # ExpressionAttributeValues keep their own V17 wording around the bare set text
        (
            "update_item",
            {"Key": key, "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"SS": []}}},
            "ExpressionAttributeValues contains invalid value: " + M.SS_EMPTY + " for key :v",
        ),
    ]
    got = [(op, err(getattr(ddb, op), TableName="env", **kw)) for op, kw, _ in cases]
    assert got == [(op, (V, message)) for op, _, message in cases]
