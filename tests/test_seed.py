"""Seed directories (emulator/seed.py): tables with items, state machines and S3 objects loaded
from files; loading twice gives the same world; a bad file is an error that names it."""

from __future__ import annotations

import json

import pytest

from emulator import Emulator
from emulator.seed import SeedError

ORDERS = {
    "TableName": "Orders",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
    "Items": [
        {"id": {"S": "o-1"}, "total": {"N": "12.50"}, "tags": {"SS": ["new"]}},
        {"id": {"S": "o-2"}, "raw": {"B": "aGk="}, "lines": {"L": [{"M": {"sku": {"S": "x"}}}]}},
    ],
}
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}


def _write(path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value if isinstance(value, str) else json.dumps(value))


@pytest.fixture
def seed_dir(tmp_path):
    _write(tmp_path / "dynamodb" / "Orders.json", ORDERS)
    _write(tmp_path / "stepfunctions" / "Hello.asl.json", PASS)
    _write(
        tmp_path / "stepfunctions" / "Express.json",
        {"definition": PASS, "type": "EXPRESS", "roleArn": "arn:aws:iam::123456789012:role/custom"},
    )
    _write(tmp_path / "s3" / "inputs-bucket" / "2024" / "a.json", '{"n": 1}')
    _write(tmp_path / "README.md", "top-level files are ignored")
    return tmp_path


def _world_state(aws: Emulator) -> dict:
    sfn = aws.stepfunctions
    machines = sfn.list_state_machines()["stateMachines"]
    return {
        "items": sorted(aws.dynamodb.scan(TableName="Orders")["Items"], key=lambda i: i["id"]["S"]),
        "machines": sorted(
            (
                m["name"],
                m["type"],
                sfn.describe_state_machine(stateMachineArn=m["stateMachineArn"])["roleArn"],
            )
            for m in machines
        ),
        "objects": [o["Key"] for o in aws.s3.list_objects_v2(Bucket="inputs-bucket")["Contents"]],
    }


def test_a_seed_directory_loads_tables_state_machines_and_objects(seed_dir):
    aws = Emulator()
    assert aws.load_seed(str(seed_dir)) == {"dynamodb": 1, "stepfunctions": 2, "s3": 1}
    state = _world_state(aws)
    assert state["items"][0] == {"id": {"S": "o-1"}, "total": {"N": "12.5"}, "tags": {"SS": ["new"]}}
    assert state["items"][1]["raw"] == {"B": b"hi"}  # DynamoDB JSON's base64 becomes bytes
    assert state["machines"] == [
        ("Express", "EXPRESS", "arn:aws:iam::123456789012:role/custom"),
        ("Hello", "STANDARD", "arn:aws:iam::123456789012:role/emulator-seed"),
    ]
    assert state["objects"] == ["2024/a.json"]
    assert aws.s3.get_object(Bucket="inputs-bucket", Key="2024/a.json")["Body"].read() == b'{"n": 1}'


def test_loading_twice_gives_the_same_world(seed_dir):
    aws = Emulator()
    aws.load_seed(seed_dir)
    once = _world_state(aws)
    aws.load_seed(seed_dir)
    assert _world_state(aws) == once


def test_a_changed_state_machine_file_updates_the_machine(seed_dir):
    aws = Emulator()
    aws.load_seed(seed_dir)
    changed = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": True}}}
    _write(seed_dir / "stepfunctions" / "Hello.asl.json", changed)
    aws.load_seed(seed_dir)
    arn = "arn:aws:states:us-east-1:123456789012:stateMachine:Hello"
    assert json.loads(aws.stepfunctions.describe_state_machine(stateMachineArn=arn)["definition"]) == changed


def test_a_table_name_defaults_to_the_file_name(tmp_path):
    _write(tmp_path / "dynamodb" / "Customers.json", {k: v for k, v in ORDERS.items() if k != "TableName"})
    aws = Emulator()
    aws.load_seed(tmp_path)
    assert aws.dynamodb.list_tables()["TableNames"] == ["Customers"]


def test_seeded_tables_wait_for_their_transition_on_the_clock(tmp_path):
    _write(tmp_path / "dynamodb" / "Orders.json", ORDERS)
    aws = Emulator(table_transition_seconds=5)
    aws.load_seed(tmp_path)
    assert aws.dynamodb.describe_table(TableName="Orders")["Table"]["ItemCount"] == 2


@pytest.mark.parametrize(
    "relative, content, reason",
    [
        ("dynamodb/Orders.json", "{not json", "is not JSON"),
        ("dynamodb/Orders.json", "[]", "must be a JSON object"),
        ("dynamodb/Orders.json", {**ORDERS, "KeySchema": []}, "ValidationException"),
        ("dynamodb/Orders.json", {**ORDERS, "Bogus": 1}, "Unknown parameter"),
        (
            "dynamodb/Orders.json",
            {**ORDERS, "Items": [{"total": {"N": "1"}}]},
            "Items[0]: ValidationException",
        ),
        ("dynamodb/Orders.json", {**ORDERS, "Items": [{"id": {"B": "!!"}}]}, "Items[0]: "),
        ("dynamodb/Orders.yaml", "x", "a table file is <TableName>.json"),
        ("stepfunctions/Bad.asl.json", {"StartAt": "Nowhere", "States": {}}, "InvalidDefinition"),
        ("stepfunctions/Bad.json", "[1]", "CreateStateMachine request"),
        ("s3/loose-file.txt", "x", "s3/<bucket>/<key>"),
        ("s3/Bad_Bucket/k", "x", "InvalidBucketName"),
    ],
)
def test_a_bad_file_is_an_error_that_names_it(tmp_path, relative, content, reason):
    _write(tmp_path / relative, content)
    named = tmp_path / relative if not relative.startswith("s3/Bad_") else tmp_path / "s3" / "Bad_Bucket"
    with pytest.raises(SeedError) as caught:
        Emulator().load_seed(tmp_path)
    assert str(caught.value).startswith(f"seed file {named}: ")
    assert reason in str(caught.value)


def test_an_unknown_service_directory_is_an_error(tmp_path):
    (tmp_path / "dynamo").mkdir()
    with pytest.raises(SeedError, match="unknown seed directory"):
        Emulator().load_seed(tmp_path)


def test_a_missing_directory_is_an_error(tmp_path):
    with pytest.raises(SeedError, match="is not a directory"):
        Emulator().load_seed(tmp_path / "nowhere")


def test_a_region_directory_seeds_that_region(tmp_path):
    _write(tmp_path / "dynamodb" / "Orders.json", ORDERS)
    _write(tmp_path / "eu-west-1" / "dynamodb" / "Orders.json", {**ORDERS, "Items": ORDERS["Items"][:1]})
    _write(tmp_path / "eu-west-1" / "stepfunctions" / "Hello.asl.json", PASS)
    _write(tmp_path / "eu-west-1" / "s3" / "irish-bucket" / "k.txt", "v")
    aws = Emulator()
    loaded = aws.load_seed(tmp_path)
    assert loaded == {"dynamodb": 1, "eu-west-1/dynamodb": 1, "eu-west-1/stepfunctions": 1, "eu-west-1/s3": 1}
    assert aws.dynamodb.scan(TableName="Orders")["Count"] == 2
    irish = aws.client("dynamodb", region_name="eu-west-1")
    assert irish.scan(TableName="Orders")["Count"] == 1
    machines = aws.client("stepfunctions", region_name="eu-west-1").list_state_machines()["stateMachines"]
    assert [m["stateMachineArn"] for m in machines] == [
        "arn:aws:states:eu-west-1:123456789012:stateMachine:Hello"
    ]
    assert aws.stepfunctions.list_state_machines()["stateMachines"] == []
    assert aws.s3.head_bucket(Bucket="irish-bucket")["BucketRegion"] == "eu-west-1"
    assert aws.load_seed(tmp_path) == loaded  # idempotent, the region's too


def test_a_misspelt_directory_inside_a_region_is_an_error(tmp_path):
    _write(tmp_path / "eu-west-1" / "dynamo" / "Orders.json", ORDERS)
    with pytest.raises(SeedError, match="eu-west-1/dynamo: unknown seed directory"):
        Emulator().load_seed(tmp_path)
