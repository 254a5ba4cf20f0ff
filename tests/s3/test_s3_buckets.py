"""CreateBucket, HeadBucket, DeleteBucket, ListBuckets through every door, with S3's errors."""

from __future__ import annotations

import pytest

from tests.conftest import error_of


def test_create_bucket_answers_its_location_and_lists_it(s3):
    assert s3.create_bucket(Bucket="alpha-bucket")["Location"] == "/alpha-bucket"
    s3.create_bucket(Bucket="beta-bucket")
    listed = s3.list_buckets()
    assert [b["Name"] for b in listed["Buckets"]] == ["alpha-bucket", "beta-bucket"]
    assert listed["Buckets"][0]["BucketRegion"] == "us-east-1"
    assert "ID" in listed["Owner"]


def test_head_bucket_names_the_region_and_is_a_bare_404_when_missing(s3):
    s3.create_bucket(Bucket="here-bucket")
    assert s3.head_bucket(Bucket="here-bucket")["BucketRegion"] == "us-east-1"
    with pytest.raises(Exception) as excinfo:
        s3.head_bucket(Bucket="missing-bucket")
    assert error_of(excinfo) == ("404", "Not Found")


def test_creating_an_owned_bucket_again_is_a_no_op_in_us_east_1(s3):
    s3.create_bucket(Bucket="twice-bucket")
    assert s3.create_bucket(Bucket="twice-bucket")["Location"] == "/twice-bucket"


def test_creating_an_owned_bucket_again_elsewhere_is_bucket_already_owned_by_you(door_client):
    s3 = door_client("s3", region_name="eu-west-1")
    config = {"LocationConstraint": "eu-west-1"}
    s3.create_bucket(Bucket="twice-bucket", CreateBucketConfiguration=config)
    with pytest.raises(Exception) as excinfo:
        s3.create_bucket(Bucket="twice-bucket", CreateBucketConfiguration=config)
    assert error_of(excinfo) == (
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
    )
    assert s3.head_bucket(Bucket="twice-bucket")["BucketRegion"] == "eu-west-1"


def test_a_bucket_outside_us_east_1_needs_its_location_constraint(door_client):
    s3 = door_client("s3", region_name="eu-west-1")
    with pytest.raises(Exception) as excinfo:
        s3.create_bucket(Bucket="no-constraint")
    assert error_of(excinfo)[0] == "IllegalLocationConstraintException"


def test_a_bucket_name_another_account_owns_is_bucket_already_exists(door_client):
    door_client("s3").create_bucket(Bucket="taken-bucket")
    other = door_client("s3", account_id="210987654321")
    with pytest.raises(Exception) as excinfo:
        other.create_bucket(Bucket="taken-bucket")
    assert error_of(excinfo)[0] == "BucketAlreadyExists"
    assert other.list_buckets()["Buckets"] == []


def test_an_invalid_bucket_name_is_refused(s3):
    with pytest.raises(Exception) as excinfo:
        s3.create_bucket(Bucket="Upper_Case")
    assert error_of(excinfo) == ("InvalidBucketName", "The specified bucket is not valid.")


def test_delete_bucket_refuses_a_bucket_with_objects_and_a_missing_one(s3):
    s3.create_bucket(Bucket="full-bucket")
    s3.put_object(Bucket="full-bucket", Key="k", Body=b"x")
    with pytest.raises(Exception) as excinfo:
        s3.delete_bucket(Bucket="full-bucket")
    assert error_of(excinfo) == ("BucketNotEmpty", "The bucket you tried to delete is not empty")
    s3.delete_object(Bucket="full-bucket", Key="k")
    s3.delete_bucket(Bucket="full-bucket")
    with pytest.raises(s3.exceptions.NoSuchBucket) as excinfo:
        s3.delete_bucket(Bucket="full-bucket")
    assert error_of(excinfo) == ("NoSuchBucket", "The specified bucket does not exist")


def test_an_operation_the_emulator_lacks_answers_not_implemented(s3):
    s3.create_bucket(Bucket="plain-bucket")
    with pytest.raises(Exception) as excinfo:
        s3.get_bucket_versioning(Bucket="plain-bucket")
    assert error_of(excinfo) == (
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
    )


def test_get_bucket_location_is_null_in_us_east_1_and_the_region_elsewhere(door_client):
    door_client("s3").create_bucket(Bucket="virginia-bucket")
    irish = door_client("s3", region_name="eu-west-1")
    irish.create_bucket(Bucket="irish-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3 = door_client("s3")
    assert s3.get_bucket_location(Bucket="virginia-bucket")["LocationConstraint"] is None
    assert s3.get_bucket_location(Bucket="irish-bucket")["LocationConstraint"] == "eu-west-1"
    with pytest.raises(Exception) as excinfo:
        s3.get_bucket_location(Bucket="missing-bucket")
    assert error_of(excinfo)[0] == "NoSuchBucket"
