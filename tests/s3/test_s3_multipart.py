"""Multipart upload on every door, and boto3's upload_file/download_file (which use it) on the wire doors."""

from __future__ import annotations

import hashlib
import os

import boto3
import pytest

import emulator
from tests.conftest import error_of

MIB = 1024 * 1024


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="parts-bucket")
    return "parts-bucket"


def _upload(s3, bucket: str, parts: list[bytes]) -> tuple[str, list[dict]]:
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="big", ContentType="text/csv")["UploadId"]
    done = [
        {
            "PartNumber": n,
            "ETag": s3.upload_part(Bucket=bucket, Key="big", UploadId=upload_id, PartNumber=n, Body=p)[
                "ETag"
            ],
        }
        for n, p in enumerate(parts, 1)
    ]
    return upload_id, done


def test_a_completed_upload_is_one_object_with_the_md5_of_md5s_etag(s3, bucket):
    parts = [b"a" * (5 * MIB), b"b" * 10]
    upload_id, done = _upload(s3, bucket, parts)
    answer = s3.complete_multipart_upload(
        Bucket=bucket, Key="big", UploadId=upload_id, MultipartUpload={"Parts": done}
    )
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    assert answer["ETag"] == f'"{hashlib.md5(digests).hexdigest()}-2"'
    got = s3.get_object(Bucket=bucket, Key="big")
    assert got["Body"].read() == b"".join(parts) and got["ContentType"] == "text/csv"


def test_a_part_under_5_mib_that_is_not_the_last_is_entity_too_small(s3, bucket):
    upload_id, done = _upload(s3, bucket, [b"a", b"b"])
    with pytest.raises(Exception) as excinfo:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="big", UploadId=upload_id, MultipartUpload={"Parts": done}
        )
    assert error_of(excinfo) == (
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size",
    )


def test_parts_out_of_order_or_unknown_are_refused(s3, bucket):
    upload_id, done = _upload(s3, bucket, [b"a", b"b"])
    with pytest.raises(Exception) as excinfo:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="big", UploadId=upload_id, MultipartUpload={"Parts": done[::-1]}
        )
    assert error_of(excinfo)[0] == "InvalidPartOrder"
    wrong = [{"PartNumber": 1, "ETag": '"00000000000000000000000000000000"'}]
    with pytest.raises(Exception) as excinfo:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="big", UploadId=upload_id, MultipartUpload={"Parts": wrong}
        )
    assert error_of(excinfo)[0] == "InvalidPart"


def test_an_aborted_upload_is_gone(s3, bucket):
    upload_id, _ = _upload(s3, bucket, [b"a"])
    s3.abort_multipart_upload(Bucket=bucket, Key="big", UploadId=upload_id)
    with pytest.raises(s3.exceptions.NoSuchUpload) as excinfo:
        s3.upload_part(Bucket=bucket, Key="big", UploadId=upload_id, PartNumber=2, Body=b"x")
    assert error_of(excinfo)[0] == "NoSuchUpload"
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_upload_file_and_download_file_round_trip_a_multipart_file_in_mock_aws(tmp_path):
    data = os.urandom(9 * MIB)  # over boto3's 8 MiB multipart threshold: two parts
    source, target = tmp_path / "in.bin", tmp_path / "out.bin"
    source.write_bytes(data)
    with emulator.mock_aws() as aws:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="files-bucket")
        s3.upload_file(str(source), "files-bucket", "in.bin")
        assert aws.s3.head_object(Bucket="files-bucket", Key="in.bin")["ETag"].endswith('-2"')
        s3.download_file("files-bucket", "in.bin", str(target))
        boto3.resource("s3").Bucket("files-bucket").upload_file(str(source), "again.bin")
    assert target.read_bytes() == data
    assert aws.s3.get_object(Bucket="files-bucket", Key="again.bin")["Body"].read() == data


def test_upload_file_and_download_file_over_http(tmp_path, aws):
    from emulator.pytest_plugin import shared_server

    server = shared_server()
    previous, server.world = server.world, aws
    try:
        data = os.urandom(9 * MIB)
        (tmp_path / "in.bin").write_bytes(data)
        s3 = boto3.client(
            "s3",
            endpoint_url=server.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(Bucket="files-bucket")
        s3.upload_file(str(tmp_path / "in.bin"), "files-bucket", "in.bin")
        s3.download_file("files-bucket", "in.bin", str(tmp_path / "out.bin"))
    finally:
        server.world = previous
    assert (tmp_path / "out.bin").read_bytes() == data
