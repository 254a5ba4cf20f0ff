"""Control plane rules (reference §13, W8-W11, §17): request → response, or exact code + message."""

from __future__ import annotations

import datetime

import pytest

from emulator.dynamodb import messages as M
from tests.conftest import error_of
from tests.dynamodb.door_helpers import err as raised

V = "ValidationException"

HASH = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
}
PPR = {"BillingMode": "PAY_PER_REQUEST"}


def create(ddb, name="tbl", **kw):
    args = {"TableName": name, **HASH, **PPR}
    args.update(kw)
    return ddb.create_table(**args)


def err(ddb, op, **kw):
    with pytest.raises(Exception) as e:
        getattr(ddb, op)(**kw)
    return error_of(e)


# --- CreateTable -----------------------------------------------------------------------------


def test_create_table_returns_active_description(ddb, aws):
    desc = create(ddb)["TableDescription"]
    assert desc["TableName"] == "tbl"
    assert desc["TableStatus"] == "ACTIVE"
    assert desc["KeySchema"] == HASH["KeySchema"]
    assert desc["AttributeDefinitions"] == HASH["AttributeDefinitions"]
    assert desc["TableArn"] == "arn:aws:dynamodb:us-east-1:123456789012:table/tbl"
    assert len(desc["TableId"]) == 36 and desc["TableId"].count("-") == 4
    assert desc["ItemCount"] == 0 and desc["TableSizeBytes"] == 0
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert desc["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": 0,
        "WriteCapacityUnits": 0,
    }
    assert desc["DeletionProtectionEnabled"] is False
    created = desc["CreationDateTime"]
    assert isinstance(created, datetime.datetime) and created.tzinfo is not None
    assert created.timestamp() == pytest.approx(aws.clock.now())


def test_create_table_provisioned_describes_throughput(ddb):
    desc = ddb.create_table(
        TableName="prov", **HASH, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7}
    )["TableDescription"]
    assert desc["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": 5,
        "WriteCapacityUnits": 7,
    }
    assert "BillingModeSummary" not in desc


def test_create_table_hash_and_range(ddb):
    ks = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]
    ad = [{"AttributeName": "s", "AttributeType": "N"}, {"AttributeName": "p", "AttributeType": "B"}]
    desc = ddb.create_table(TableName="hrt", KeySchema=ks, AttributeDefinitions=ad, **PPR)["TableDescription"]
    assert desc["KeySchema"] == ks
    assert desc["AttributeDefinitions"] == ad


def test_create_table_already_exists(ddb):
    create(ddb)
    assert err(ddb, "create_table", TableName="tbl", **HASH, **PPR) == (
        "ResourceInUseException",
        "Table already exists: tbl",
    )


def test_create_table_name_pattern_and_length_errors_in_order(ddb):
    assert err(ddb, "create_table", TableName="a;", **HASH, **PPR) == (
        "ValidationException",
        "2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'tableName' failed to satisfy "
        "constraint: Member must have length greater than or equal to 3",
    )


def test_create_table_name_too_long(ddb):
    name = "a" * 256
    assert err(ddb, "create_table", TableName=name, **HASH, **PPR) == (
        "ValidationException",
        f"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: Member "
        "must have length less than or equal to 255",
    )


def test_create_table_missing_key_schema_and_definitions(ddb):
    assert err(ddb, "create_table", TableName="abc", **PPR) == (
        "ValidationException",
        "2 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy constraint: "
        "Member must not be null; Value null at 'keySchema' failed to satisfy constraint: Member must not be "
        "null",
    )


def test_create_table_bad_key_type_enum(ddb):
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASHY"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "L"}],
        **PPR,
    ) == (
        "ValidationException",
        "2 validation errors detected: Value 'L' at 'attributeDefinitions.1.member.attributeType' failed to "
        "satisfy constraint: Member must satisfy enum value set: [B, N, S]; Value 'HASHY' at "
        "'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: "
        "[HASH, RANGE]",
    )


def test_create_table_first_key_not_hash(ddb):
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        KeySchema=[{"AttributeName": "id", "KeyType": "RANGE"}],
        AttributeDefinitions=HASH["AttributeDefinitions"],
        **PPR,
    ) == ("ValidationException", M.FIRST_KEY_NOT_HASH)


def test_create_table_second_key_not_range(ddb):
    ks = [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}]
    ad = [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]
    assert err(ddb, "create_table", TableName="abc", KeySchema=ks, AttributeDefinitions=ad, **PPR) == (
        "ValidationException",
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
    )


def test_create_table_same_key_names(ddb):
    ks = [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "a", "KeyType": "RANGE"}]
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        KeySchema=ks,
        AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
        **PPR,
    ) == (
        "ValidationException",
        "Both the Hash Key and the Range Key element in the KeySchema have the same name",
    )


def test_create_table_too_many_keys(ddb):
    ks = [{"AttributeName": n, "KeyType": "HASH"} for n in "abc"]
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        KeySchema=ks,
        AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
        **PPR,
    )[1].endswith(
        "at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2"
    )


def test_create_table_key_not_defined(ddb):
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
        **PPR,
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Some index key attributes are not defined in "
        "AttributeDefinitions. Keys: [id], AttributeDefinitions: [x]",
    )


def test_create_table_spurious_definition(ddb):
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        KeySchema=HASH["KeySchema"],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "x", "AttributeType": "S"},
        ],
        **PPR,
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
        "number of attributes defined in AttributeDefinitions",
    )


def test_create_table_duplicate_definition(ddb):
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        KeySchema=HASH["KeySchema"],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "id", "AttributeType": "N"},
        ],
        **PPR,
    ) == ("ValidationException", "Attribute Name is duplicated: id")


def test_create_table_provisioned_needs_throughput(ddb):
    assert err(ddb, "create_table", TableName="abc", **HASH) == (
        "ValidationException",
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
        "specified when BillingMode is PROVISIONED",
    )


def test_create_table_on_demand_forbids_throughput(ddb):
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        **HASH,
        **PPR,
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
        "specified when BillingMode is PAY_PER_REQUEST",
    )


def test_create_table_throughput_bounds(ddb):
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        **HASH,
        ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1},
    ) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1",
    )
    assert err(
        ddb,
        "create_table",
        TableName="abc",
        **HASH,
        ProvisionedThroughput={"ReadCapacityUnits": 1000000000001, "WriteCapacityUnits": 1},
    ) == ("ValidationException", "Given value 1000000000001 for ReadCapacityUnits is out of bounds")


def test_create_table_billing_mode_enum(ddb):
    assert err(ddb, "create_table", TableName="abc", **HASH, BillingMode="FREE") == (
        "ValidationException",
        "1 validation error detected: Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must "
        "satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    )


def test_create_table_with_tags_class_and_protection(ddb):
    desc = create(
        ddb,
        Tags=[{"Key": "k", "Value": "v"}],
        TableClass="STANDARD_INFREQUENT_ACCESS",
        DeletionProtectionEnabled=True,
    )["TableDescription"]
    assert desc["TableClassSummary"] == {"TableClass": "STANDARD_INFREQUENT_ACCESS"}
    assert desc["DeletionProtectionEnabled"] is True
    assert ddb.list_tags_of_resource(ResourceArn=desc["TableArn"])["Tags"] == [{"Key": "k", "Value": "v"}]


def test_create_table_stream_specification(ddb):
    desc = create(ddb, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})[
        "TableDescription"
    ]
    assert desc["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert desc["LatestStreamArn"] == desc["TableArn"] + "/stream/" + desc["LatestStreamLabel"]
    assert err(
        ddb, "create_table", TableName="tb2", **HASH, **PPR, StreamSpecification={"StreamEnabled": True}
    ) == ("ValidationException", M.STREAM_VIEW_TYPE_REQUIRED)


@pytest.mark.native_only  # botocore's endpoint resolution rejects a non-string TableName client-side
def test_wrong_python_type_is_serialization_exception(ddb):
    assert err(ddb, "create_table", TableName=5, **HASH, **PPR) == (
        "SerializationException",
        "NUMBER_VALUE cannot be converted to String",
    )


# --- DescribeTable / DeleteTable ---------------------------------------------------------------


def test_describe_table(ddb):
    created = create(ddb)["TableDescription"]
    assert ddb.describe_table(TableName="tbl")["Table"] == created


def test_describe_table_by_arn(ddb):
    arn = create(ddb)["TableDescription"]["TableArn"]
    assert ddb.describe_table(TableName=arn)["Table"]["TableName"] == "tbl"


def test_describe_missing_table(ddb):
    assert err(ddb, "describe_table", TableName="nope") == (
        "ResourceNotFoundException",
        "Requested resource not found: Table: nope not found",
    )


def test_describe_bad_name_is_validation_before_existence(ddb):
    assert err(ddb, "describe_table", TableName="x")[0] == "ValidationException"


def test_describe_missing_name(ddb):
    assert err(ddb, "describe_table") == (
        "ValidationException",
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not "
        "be null",
    )


def test_delete_table(ddb):
    create(ddb)
    desc = ddb.delete_table(TableName="tbl")["TableDescription"]
    assert desc["TableStatus"] == "DELETING"
    assert ddb.list_tables()["TableNames"] == []
    assert err(ddb, "delete_table", TableName="tbl") == (
        "ResourceNotFoundException",
        "Requested resource not found: Table: tbl not found",
    )


def test_delete_table_answers_the_reduced_description(ddb):
    """DT1 (ALT test_table.py::test_delete_table_description, _with_si): DeleteTable's description
    has the name, status, id, ARN, throughput, size and count, but neither the creation time, the
    key schema, the attribute definitions nor the secondary indexes."""
    create(
        ddb,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "s", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": [
                    {"AttributeName": "id", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    desc = ddb.delete_table(TableName="tbl")["TableDescription"]
    for absent in (
        "CreationDateTime",
        "KeySchema",
        "AttributeDefinitions",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
    ):
        assert absent not in desc
    assert desc["TableName"] == "tbl"
    assert desc["TableStatus"] == "DELETING"
    assert desc["TableArn"].endswith(":table/tbl")
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert desc["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": 0,
        "WriteCapacityUnits": 0,
    }
    assert (desc["TableSizeBytes"], desc["ItemCount"]) == (0, 0)
    assert len(desc["TableId"]) == 36


def test_delete_protected_table(ddb):
    create(ddb, DeletionProtectionEnabled=True)
    assert err(ddb, "delete_table", TableName="tbl") == ("ValidationException", M.DELETION_PROTECTED)
    ddb.update_table(TableName="tbl", DeletionProtectionEnabled=False)
    ddb.delete_table(TableName="tbl")


def test_data_plane_on_missing_table(ddb):
    assert err(ddb, "get_item", TableName="nope", Key={"id": {"S": "a"}}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


# --- ListTables ---------------------------------------------------------------------------------


def test_list_tables_sorted_and_paged(ddb):
    for n in ("ccc", "aaa", "bbb", "ddd"):
        create(ddb, n)
    assert ddb.list_tables()["TableNames"] == ["aaa", "bbb", "ccc", "ddd"]
    assert "LastEvaluatedTableName" not in ddb.list_tables()
    page = ddb.list_tables(Limit=2)
    assert page["TableNames"] == ["aaa", "bbb"] and page["LastEvaluatedTableName"] == "bbb"
    page = ddb.list_tables(Limit=2, ExclusiveStartTableName="bbb")
    assert page["TableNames"] == ["ccc", "ddd"] and "LastEvaluatedTableName" not in page
    assert ddb.list_tables(ExclusiveStartTableName="bba")["TableNames"] == ["bbb", "ccc", "ddd"]


def test_list_tables_limit_bounds(ddb):
    assert err(ddb, "list_tables", Limit=0) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have "
        "value greater than or equal to 1",
    )
    assert err(ddb, "list_tables", Limit=101) == (
        "ValidationException",
        "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have "
        "value less than or equal to 100",
    )


# --- UpdateTable ----------------------------------------------------------------------------------


def test_update_table_nothing(ddb):
    create(ddb)
    assert err(ddb, "update_table", TableName="tbl") == ("ValidationException", M.UPDATE_TABLE_NOTHING)


def test_update_table_missing(ddb):
    assert err(ddb, "update_table", TableName="nope", BillingMode="PAY_PER_REQUEST") == (
        "ResourceNotFoundException",
        "Requested resource not found: Table: nope not found",
    )


def test_update_table_billing_and_throughput(ddb, aws):
    ddb.create_table(
        TableName="tbl", **HASH, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    )
    aws.clock.advance(60)
    desc = ddb.update_table(
        TableName="tbl", ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}
    )["TableDescription"]
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 10
    assert desc["ProvisionedThroughput"]["LastIncreaseDateTime"].timestamp() == pytest.approx(aws.clock.now())
    desc = ddb.update_table(
        TableName="tbl", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    )["TableDescription"]
    assert desc["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 1
    desc = ddb.update_table(TableName="tbl", BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert ddb.describe_table(TableName="tbl")["Table"]["TableStatus"] == "ACTIVE"


def test_update_table_same_throughput(ddb):
    ddb.create_table(
        TableName="tbl", **HASH, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6}
    )
    assert err(
        ddb,
        "update_table",
        TableName="tbl",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6},
    ) == ("ValidationException", M.throughput_unchanged(5, 6))


def test_update_table_to_provisioned_needs_throughput(ddb):
    create(ddb)
    assert err(ddb, "update_table", TableName="tbl", BillingMode="PROVISIONED") == (
        "ValidationException",
        M.THROUGHPUT_REQUIRED,
    )
    desc = ddb.update_table(
        TableName="tbl",
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 3},
    )["TableDescription"]
    assert desc["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert desc["ProvisionedThroughput"]["WriteCapacityUnits"] == 3


def test_update_table_streams(ddb):
    create(ddb)
    assert err(ddb, "update_table", TableName="tbl", StreamSpecification={"StreamEnabled": False}) == (
        "ValidationException",
        "Table has no stream to disable: TableName: tbl",
    )
    ddb.update_table(
        TableName="tbl", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )
    assert err(
        ddb,
        "update_table",
        TableName="tbl",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    ) == ("ValidationException", "Table already has an enabled stream: TableName: tbl")


def test_update_table_multi_region_consistency_unsupported(ddb):
    # ReplicaUpdates (global tables 2019.11.21) is dynamodb/test_global_tables.py.
    create(ddb)
    assert err(ddb, "update_table", TableName="tbl", MultiRegionConsistency="STRONG") == (
        "ValidationException",
        "One or more parameter values were invalid: MultiRegionConsistency is not supported by this emulator",
    )


# --- Tags, limits, endpoints -----------------------------------------------------------------


def test_tags_roundtrip(ddb):
    arn = create(ddb)["TableDescription"]["TableArn"]
    resp = ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}])
    assert {k: v for k, v in resp.items() if k != "ResponseMetadata"} == {}
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "2"}])
    tags = ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("a", "2"), ("b", "")]
    ddb.untag_resource(ResourceArn=arn, TagKeys=["a", "zzz"])
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": ""}]


def test_tag_errors(ddb):
    arn = create(ddb)["TableDescription"]["TableArn"]
    assert err(ddb, "tag_resource", ResourceArn=arn, Tags=[]) == ("ValidationException", M.TAGS_EMPTY)
    assert err(ddb, "untag_resource", ResourceArn=arn, TagKeys=[]) == (
        "ValidationException",
        M.TAG_KEYS_EMPTY,
    )
    missing = arn[:-2] + "zz"
    assert err(ddb, "list_tags_of_resource", ResourceArn=missing) == (
        "ResourceNotFoundException",
        f"Requested resource not found: ResourcArn: {missing} not found",
    )
    assert err(ddb, "list_tags_of_resource", ResourceArn="table/tbl") == (
        "ValidationException",
        "ARNs must start with 'arn:'",
    )
    assert err(
        ddb, "tag_resource", ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": ""} for i in range(51)]
    ) == ("ValidationException", M.TAGS_TOO_MANY)
    assert err(ddb, "tag_resource", ResourceArn=arn, Tags=[{"Key": "", "Value": ""}]) == (
        "ValidationException",
        "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must "
        "have length greater than or equal to 1",
    )


@pytest.mark.parametrize("arn", ["I_do_not_exist", "x" * 125, ":/" * 30, " ", "незаконные буквы"])
@pytest.mark.parametrize("op", ["tag_resource", "untag_resource", "list_tags_of_resource"])
def test_tag_resource_arn_without_the_arn_prefix(ddb, op, arn):
    """TG1 (ALT test_tag.py::test_tag_resource_incorrect, newest: "newer [DynamoDB] returns
    ValidationException saying \"ARNs must start with 'arn:'\"", replacing AccessDeniedException)."""
    create(ddb)
    extra = {"tag_resource": {"Tags": [{"Key": "x", "Value": "y"}]}, "untag_resource": {"TagKeys": ["x"]}}
    assert err(ddb, op, ResourceArn=arn, **extra.get(op, {})) == (
        "ValidationException",
        "ARNs must start with 'arn:'",
    )


def test_tag_resource_arn_that_names_no_table(ddb):
    """TG1 (ALT test_tag.py::test_tag_lsi_gsi, AWS text of 2026-01): an index ARN, another
    service's ARN or a malformed ``arn:`` string is a ValidationException naming the ARN."""
    desc = create(
        ddb,
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )["TableDescription"]
    for arn in (
        desc["GlobalSecondaryIndexes"][0]["IndexArn"],
        "arn:not/a/good/format",
        "arn:" + "scylla/" * 15,
        "arn:aws:s3:::bucket",
    ):
        assert err(ddb, "tag_resource", ResourceArn=arn, Tags=[{"Key": "x", "Value": "y"}]) == (
            "ValidationException",
            "One or more parameter values were invalid: Invalid resource arn provided, only table or stream is "
            f"accepted. Provided resource arn: {arn}",
        )


def test_tag_resource_arn_of_another_account_or_a_missing_table(ddb):
    """TG1: a well-formed table ARN of a missing table is ResourceNotFoundException (ALT
    test_tag_resource_subtly_incorrect_arn); one of another account is AccessDeniedException [INF]."""
    arn = create(ddb)["TableDescription"]["TableArn"]
    account = arn.split(":")[4]
    other = arn.replace(f":{account}:", ":999999999999:")
    code, message = err(ddb, "list_tags_of_resource", ResourceArn=other)
    assert code == "AccessDeniedException"
    assert message == (
        f"User: arn:aws:iam::{account}:root is not authorized to perform: dynamodb:ListTagsOfResource on "
        f"resource: {other} because no resource-based policy allows the dynamodb:ListTagsOfResource action"
    )
    assert err(ddb, "tag_resource", ResourceArn=arn + "x", Tags=[{"Key": "x", "Value": "y"}]) == (
        "ResourceNotFoundException",
        f"Requested resource not found: ResourcArn: {arn}x not found",
    )


TAG_PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"


@pytest.mark.parametrize(
    "key,value",
    [
        ("hi!", "dog"),
        ("dog", "hi!"),
        ("d%g", "ok"),
        ("ok", '"hello"'),
        ("ok", "#!%%^$$&"),
        ("->>;-)])", "ok"),
    ],
)
def test_tag_characters_outside_the_tag_alphabet_are_refused(ddb, key, value):
    """TG1 (ALT test_tag.py::test_tag_forbidden_chars, test_tag_resource_incorrect): keys and
    values hold letters, digits, spaces and ``_ . : / = + - @`` only; nothing is tagged."""
    arn = create(ddb)["TableDescription"]["TableArn"]
    field, shown = ("key", key) if value in ("dog", "ok") and key not in ("dog", "ok") else ("value", value)
    assert err(ddb, "tag_resource", ResourceArn=arn, Tags=[{"Key": key, "Value": value}]) == (
        "ValidationException",
        f"1 validation error detected: Value '{shown}' at 'tags.1.member.{field}' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {TAG_PATTERN}",
    )
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == []


def test_tag_alphabet_allows_letters_digits_spaces_and_the_listed_punctuation(ddb):
    """TG1: Unicode letters count as letters (ALT's xfail is an Alternator gap, not AWS's);
    CreateTable's Tags follow the same alphabet."""
    tags = [{"Key": "a b_c.d:e/f=g+h-i@j 7", "Value": ""}, {"Key": "ѮѮ Ѯ", "Value": "законные буквы"}]
    arn = create(ddb, Tags=tags)["TableDescription"]["TableArn"]
    assert sorted(ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], key=lambda t: t["Key"]) == sorted(
        tags, key=lambda t: t["Key"]
    )
    assert err(
        ddb, "create_table", TableName="tb2", **HASH, **PPR, Tags=[{"Key": "!!!\\|", "Value": "<><"}]
    ) == (
        "ValidationException",
        "2 validation errors detected: Value '!!!\\|' at 'tags.1.member.key' failed to satisfy constraint: Member "
        f"must satisfy regular expression pattern: {TAG_PATTERN}; Value '<><' at 'tags.1.member.value' failed "
        f"to satisfy constraint: Member must satisfy regular expression pattern: {TAG_PATTERN}",
    )


def test_describe_limits_and_endpoints(ddb):
    limits = ddb.describe_limits()
    assert limits["AccountMaxReadCapacityUnits"] == 80000 and limits["TableMaxWriteCapacityUnits"] == 40000
    assert ddb.describe_endpoints()["Endpoints"] == [
        {"Address": "dynamodb.us-east-1.amazonaws.com", "CachePeriodInMinutes": 1440}
    ]


def test_unregistered_operation_is_unknown_operation(aws):
    with pytest.raises(Exception) as e:
        aws.service("dynamodb").call("TransactWriteItemsX", {})
    assert error_of(e)[0] == "UnknownOperationException"


def test_response_metadata(aws):
    meta = aws.dynamodb.list_tables()["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 200 and len(meta["RequestId"]) == 52


def test_item_count_and_size_are_exact(ddb):
    create(ddb)
    ddb.put_item(TableName="tbl", Item={"id": {"S": "a"}, "x": {"S": "hello"}})  # 3 + 6 = 9 bytes
    ddb.put_item(TableName="tbl", Item={"id": {"S": "bb"}})  # 2 + 2 = 4 bytes
    desc = ddb.describe_table(TableName="tbl")["Table"]
    assert desc["ItemCount"] == 2
    assert desc["TableSizeBytes"] == 9 + 4 + 2 * 100  # S1 sizes plus the 100-byte per-item overhead (S4)


# --- L2 / CT4 / X4: per-table index and projection limits ---------------------------------------


def test_l2_index_count_and_projected_attribute_limits(ddb):
    ad = [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]
    hash_range = [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}]

    def lsi(i):
        return {"IndexName": f"lsi{i}", "KeySchema": hash_range, "Projection": {"ProjectionType": "ALL"}}

    def gsi(i, non_key=None):
        projection = (
            {"ProjectionType": "INCLUDE", "NonKeyAttributes": non_key}
            if non_key
            else {"ProjectionType": "ALL"}
        )
        return {
            "IndexName": f"gsi{i}",
            "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}],
            "Projection": projection,
        }

    def create(name, **kw):
        return ddb.create_table(
            TableName=name, KeySchema=hash_range, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST", **kw
        )

    invalid = "One or more parameter values were invalid: "
    assert raised(create, name="lsis", LocalSecondaryIndexes=[lsi(i) for i in range(6)]) == (
        V,
        invalid + "Number of LocalSecondaryIndexes exceeds per-table limit of 5",
    )
    assert raised(create, name="gsis", GlobalSecondaryIndexes=[gsi(i) for i in range(21)]) == (
        V,
        invalid + "GlobalSecondaryIndex count exceeds the per-table limit of 20",
    )
    five_by_20 = [gsi(i, [f"x{i}_{j}" for j in range(20)]) for i in range(5)]
    assert raised(create, name="proj", GlobalSecondaryIndexes=five_by_20 + [gsi(5, ["one_more"])]) == (
        V,
        invalid + "Number of projected attributes in all indexes exceeds limit of 100",
    )
    create("proj", GlobalSecondaryIndexes=five_by_20, LocalSecondaryIndexes=[lsi(0)])  # exactly 100 is fine
    assert raised(
        ddb.update_table,
        TableName="proj",
        AttributeDefinitions=ad,
        GlobalSecondaryIndexUpdates=[{"Create": gsi(9, ["again"])}],
    ) == (V, invalid + "Number of projected attributes in all indexes exceeds limit of 100")
    assert raised(create, name="tags", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)]) == (
        V,
        "Number of Tags exceed the current limit for the provided ResourceArn",
    )


def test_v16_key_attribute_names_are_at_most_255_bytes(ddb):
    n = "a" * 256
    assert raised(
        ddb.create_table,
        TableName="ttt",
        KeySchema=[{"AttributeName": n, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    ) == (
        V,
        f"2 validation errors detected: Value '{n}' at 'attributeDefinitions.1.member.attributeName' failed to "
        f"satisfy constraint: Member must have length less than or equal to 255; Value '{n}' at "
        "'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length less than or "
        "equal to 255",
    )
    ddb.create_table(
        TableName="ttt",
        KeySchema=[{"AttributeName": n[:255], "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": n[:255], "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_v16_projected_non_key_attribute_names_are_at_most_255_bytes(ddb):
    ad = [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]

    def create(names):
        return ddb.create_table(
            TableName="nka",
            KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}],
            AttributeDefinitions=ad,
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "gsi",
                    "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": names},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )

    n = "n" * 256
    assert raised(create, names=[n, "x"]) == (
        V,
        f"1 validation error detected: Value '[{n}, x]' at 'globalSecondaryIndexes.1.member.projection."
        "nonKeyAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must have length "
        "less than or equal to 255, Member must have length greater than or equal to 1]",
    )
    create([n[:255], "x"])
