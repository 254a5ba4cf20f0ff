"""PutObject, GetObject (Range), HeadObject, DeleteObject, DeleteObjects, CopyObject on every door."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import error_of

BODY = b"0123456789abcdefghij"


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="data-bucket")
    return "data-bucket"


def test_put_object_answers_the_md5_etag_and_get_object_gives_the_body_back(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="dir/file name+1.txt", Body=BODY)["ETag"]
    assert etag == '"' + hashlib.md5(BODY).hexdigest() + '"'
    got = s3.get_object(Bucket=bucket, Key="dir/file name+1.txt")
    assert got["Body"].read() == BODY
    assert (got["ContentLength"], got["ETag"], got["ContentType"]) == (20, etag, "binary/octet-stream")
    assert got["LastModified"].tzinfo is not None


def test_metadata_and_content_headers_are_kept(s3, bucket):
    s3.put_object(
        Bucket=bucket,
        Key="k",
        Body=b"{}",
        ContentType="application/json",
        Metadata={"owner": "team-a"},
        CacheControl="no-cache",
    )
    head = s3.head_object(Bucket=bucket, Key="k")
    assert (head["ContentType"], head["Metadata"], head["CacheControl"]) == (
        "application/json",
        {"owner": "team-a"},
        "no-cache",
    )
    assert head["ContentLength"] == 2


@pytest.mark.parametrize(
    ("spec", "part", "content_range"),
    [
        ("bytes=0-4", b"01234", "bytes 0-4/20"),
        ("bytes=15-", b"fghij", "bytes 15-19/20"),
        ("bytes=-3", b"hij", "bytes 17-19/20"),
        ("bytes=18-100", b"ij", "bytes 18-19/20"),
    ],
)
def test_get_object_with_a_range_answers_206_and_the_bytes(s3, bucket, spec, part, content_range):
    s3.put_object(Bucket=bucket, Key="k", Body=BODY)
    got = s3.get_object(Bucket=bucket, Key="k", Range=spec)
    assert (got["Body"].read(), got["ContentRange"], got["ContentLength"]) == (part, content_range, len(part))


def test_a_range_past_the_end_is_invalid_range(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=BODY)
    with pytest.raises(Exception) as excinfo:
        s3.get_object(Bucket=bucket, Key="k", Range="bytes=20-30")
    assert error_of(excinfo) == ("InvalidRange", "The requested range is not satisfiable")
    assert excinfo.value.response["Error"]["ActualObjectSize"] == "20"


def test_missing_keys_and_buckets_are_no_such_key_and_no_such_bucket(s3, bucket):
    with pytest.raises(s3.exceptions.NoSuchKey) as excinfo:
        s3.get_object(Bucket=bucket, Key="absent")
    assert error_of(excinfo) == ("NoSuchKey", "The specified key does not exist.")
    assert excinfo.value.response["Error"]["Key"] == "absent"
    with pytest.raises(s3.exceptions.NoSuchBucket):
        s3.put_object(Bucket="absent-bucket", Key="k", Body=b"")
    with pytest.raises(Exception) as excinfo:
        s3.head_object(Bucket=bucket, Key="absent")
    assert error_of(excinfo) == ("404", "Not Found")


def test_delete_object_succeeds_for_a_missing_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=BODY)
    s3.delete_object(Bucket=bucket, Key="k")
    s3.delete_object(Bucket=bucket, Key="k")
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_delete_objects_reports_each_key_unless_quiet(s3, bucket):
    for key in ("a", "b", "c"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "zz"}]})
    assert answer["Deleted"] == [{"Key": "a"}, {"Key": "zz"}]
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b"}], "Quiet": True})
    assert "Deleted" not in quiet
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["c"]


def test_copy_object_copies_body_and_metadata(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=BODY, Metadata={"m": "1"}, ContentType="text/plain")
    s3.create_bucket(Bucket="other-bucket")
    answer = s3.copy_object(Bucket="other-bucket", Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert answer["CopyObjectResult"]["ETag"] == '"' + hashlib.md5(BODY).hexdigest() + '"'
    got = s3.get_object(Bucket="other-bucket", Key="dst")
    assert (got["Body"].read(), got["Metadata"], got["ContentType"]) == (BODY, {"m": "1"}, "text/plain")


def test_copy_object_replaces_metadata_when_asked_and_refuses_a_plain_self_copy(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=BODY, Metadata={"m": "1"})
    with pytest.raises(Exception) as excinfo:
        s3.copy_object(Bucket=bucket, Key="src", CopySource=f"{bucket}/src")
    assert error_of(excinfo)[0] == "InvalidRequest"
    s3.copy_object(
        Bucket=bucket, Key="src", CopySource=f"{bucket}/src", MetadataDirective="REPLACE", Metadata={"m": "2"}
    )
    assert s3.head_object(Bucket=bucket, Key="src")["Metadata"] == {"m": "2"}


def test_copy_of_a_missing_source_is_no_such_key(s3, bucket):
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "nothing"})


def test_if_match_that_does_not_hold_is_precondition_failed(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=BODY)
    with pytest.raises(Exception) as excinfo:
        s3.get_object(Bucket=bucket, Key="k", IfMatch='"0000"')
    assert error_of(excinfo)[0] == "PreconditionFailed"


def test_an_object_over_dynamodb_s_16_mb_request_limit_is_put_in_one_request(s3, bucket):
    body = b"x" * (17 * 1024 * 1024)
    s3.put_object(Bucket=bucket, Key="large", Body=body)
    assert s3.head_object(Bucket=bucket, Key="large")["ContentLength"] == len(body)
