"""Distributed Map's ItemReader reads the S3 service's buckets: objects that boto3 uploads inside
``mock_aws()`` (or the native ``aws.s3`` client puts) are what the Map iterates over."""

from __future__ import annotations

import json

import boto3

import emulator
from tests.stepfunctions.workflow_helpers import ROLE

DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}


def _map(reader: dict) -> str:
    return json.dumps(
        {
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "End": True,
                    "ItemReader": reader,
                    "ItemProcessor": {
                        "ProcessorConfig": DISTRIBUTED,
                        "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "End": True}},
                    },
                }
            },
        }
    )


def _run(sfn, definition: str) -> dict:
    arn = sfn.create_state_machine(name="reader", definition=definition, roleArn=ROLE)["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn, input="{}")
    return sfn.describe_execution(executionArn=run["executionArn"])


def test_a_csv_uploaded_with_boto3_inside_mock_aws_feeds_the_map():
    with emulator.mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="input-bucket")
        s3.put_object(Bucket="input-bucket", Key="rows.csv", Body=b"id,name\n1,ann\n2,bob\n")
        reader = {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
            "Parameters": {"Bucket": "input-bucket", "Key": "rows.csv"},
        }
        described = _run(boto3.client("stepfunctions", region_name="us-east-1"), _map(reader))
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"id": "1", "name": "ann"}, {"id": "2", "name": "bob"}]


def test_objects_listed_by_list_objects_v2_are_the_uploaded_ones(tmp_path):
    (tmp_path / "a.json").write_text('{"n": 1}')
    with emulator.mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="listing-bucket")
        s3.upload_file(str(tmp_path / "a.json"), "listing-bucket", "in/a.json")
        s3.put_object(Bucket="listing-bucket", Key="in/b.json", Body=b"[2]")
        s3.put_object(Bucket="listing-bucket", Key="other/c.json", Body=b"[3]")
        reader = {
            "Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket": "listing-bucket", "Prefix": "in/"},
        }
        described = _run(boto3.client("stepfunctions", region_name="us-east-1"), _map(reader))
    assert described["status"] == "SUCCEEDED"
    assert [item["Key"] for item in json.loads(described["output"])] == ["in/a.json", "in/b.json"]


def test_put_s3_object_is_an_alias_of_the_s3_service(tmp_path):
    aws = emulator.Emulator()
    aws.stepfunctions.put_s3_object(Bucket="seeded-bucket", Key="k.json", Body="[1, 2]")
    assert aws.s3.get_object(Bucket="seeded-bucket", Key="k.json")["Body"].read() == b"[1, 2]"
    aws.s3.put_object(Bucket="seeded-bucket", Key="j.json", Body=b"[3]")
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON"},
        "Parameters": {"Bucket": "seeded-bucket", "Key": "j.json"},
    }
    assert json.loads(_run(aws.stepfunctions, _map(reader))["output"]) == [3]
