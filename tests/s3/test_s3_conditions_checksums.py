"""Conditional reads and writes, additional checksums, ListParts and UploadPartCopy on every door
(rules and sources: docs/s3-conformance.md)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import zlib

import pytest

from tests.conftest import error_of

BODY = b"0123456789abcdefghij"
MIB = 1024 * 1024
UTC = dt.timezone.utc


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="cond-bucket")
    return "cond-bucket"


def _code(call, **kw):
    with pytest.raises(Exception) as excinfo:
        call(**kw)
    return error_of(excinfo)[0]


def _crc32(body: bytes) -> str:
    return base64.b64encode((zlib.crc32(body) & 0xFFFFFFFF).to_bytes(4, "big")).decode()


def test_if_modified_since_and_if_unmodified_since(s3, bucket, aws):
    s3.put_object(Bucket=bucket, Key="k", Body=BODY)
    written = dt.datetime.fromtimestamp(int(aws.clock.now()), UTC)
    before, after = written - dt.timedelta(hours=1), written + dt.timedelta(hours=1)
    assert s3.get_object(Bucket=bucket, Key="k", IfModifiedSince=before)["Body"].read() == BODY
    assert _code(s3.get_object, Bucket=bucket, Key="k", IfModifiedSince=after) == "304"
    assert _code(s3.head_object, Bucket=bucket, Key="k", IfModifiedSince=written) == "304"
    assert s3.get_object(Bucket=bucket, Key="k", IfUnmodifiedSince=after)["ContentLength"] == len(BODY)
    assert _code(s3.get_object, Bucket=bucket, Key="k", IfUnmodifiedSince=before) == "PreconditionFailed"


def test_if_match_wins_over_if_unmodified_since_and_if_none_match_over_if_modified_since(s3, bucket, aws):
    etag = s3.put_object(Bucket=bucket, Key="k", Body=BODY)["ETag"]
    written = dt.datetime.fromtimestamp(int(aws.clock.now()), UTC)
    before, after = written - dt.timedelta(hours=1), written + dt.timedelta(hours=1)
    # If-Match true and If-Unmodified-Since false: 200 (S3's GetObject documentation).
    assert s3.get_object(Bucket=bucket, Key="k", IfMatch=etag, IfUnmodifiedSince=before)["ETag"] == etag
    # If-None-Match false and If-Modified-Since true: 304.
    assert _code(s3.get_object, Bucket=bucket, Key="k", IfNoneMatch=etag, IfModifiedSince=before) == "304"
    # If-None-Match true wins over If-Modified-Since false.
    answer = s3.get_object(Bucket=bucket, Key="k", IfNoneMatch='"other"', IfModifiedSince=after)
    assert answer["Body"].read() == BODY


def test_conditional_writes(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="k", Body=BODY, IfNoneMatch="*")["ETag"]
    assert (
        _code(s3.put_object, Bucket=bucket, Key="k", Body=b"again", IfNoneMatch="*") == "PreconditionFailed"
    )
    assert _code(s3.put_object, Bucket=bucket, Key="k", Body=b"x", IfMatch='"0000"') == "PreconditionFailed"
    assert _code(s3.put_object, Bucket=bucket, Key="nothing", Body=b"x", IfMatch=etag) == "NoSuchKey"
    s3.put_object(Bucket=bucket, Key="k", Body=b"new", IfMatch=etag)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"new"


def test_a_checksum_is_kept_and_answered_with_checksum_mode(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="k", Body=BODY, ChecksumCRC32=_crc32(BODY))
    assert (put["ChecksumCRC32"], put["ChecksumType"]) == (_crc32(BODY), "FULL_OBJECT")
    assert "ChecksumCRC32" not in s3.head_object(Bucket=bucket, Key="k")
    head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == _crc32(BODY)
    got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert (got["ChecksumCRC32"], got["Body"].read()) == (_crc32(BODY), BODY)


def test_sha256_asked_by_algorithm_is_computed(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=BODY, ChecksumAlgorithm="SHA256")
    head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(BODY).digest()).decode()


def test_a_copy_keeps_the_source_checksum_whatever_the_metadata_directive(s3, bucket):
    """ "When you copy an object, if the source object has a checksum, that checksum value will be
    copied to the new object by default" (API CopyObject, x-amz-checksum-algorithm)."""
    s3.put_object(Bucket=bucket, Key="k", Body=BODY, ChecksumAlgorithm="SHA256")
    expected = base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    source = {"Bucket": bucket, "Key": "k"}
    s3.copy_object(Bucket=bucket, Key="same", CopySource=source)
    s3.copy_object(
        Bucket=bucket, Key="new", CopySource=source, MetadataDirective="REPLACE", Metadata={"a": "b"}
    )
    for key in ("same", "new"):
        assert s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")["ChecksumSHA256"] == expected


@pytest.mark.doors("native", "http")  # boto3 itself refuses to send a checksum that does not match
def test_a_checksum_that_does_not_match_is_bad_digest(s3, bucket):
    with pytest.raises(Exception) as excinfo:
        s3.put_object(Bucket=bucket, Key="k", Body=BODY, ChecksumCRC32=_crc32(b"other"))
    assert error_of(excinfo) == (
        "BadDigest",
        "The CRC32 you specified did not match the calculated checksum.",
    )


@pytest.mark.doors("native", "http")  # boto3 itself refuses to send a checksum that does not match
def test_a_part_checksum_that_does_not_match_is_bad_digest(s3, bucket):
    """UploadPart checks an x-amz-checksum-* value against the part as PutObject does (API
    UploadPart: the checksum "can be used as a data integrity check")."""
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    part = {"Bucket": bucket, "Key": "big", "UploadId": upload_id, "PartNumber": 1, "Body": BODY}
    with pytest.raises(Exception) as excinfo:
        s3.upload_part(**part, ChecksumCRC32=_crc32(b"other"))
    assert error_of(excinfo) == (
        "BadDigest",
        "The CRC32 you specified did not match the calculated checksum.",
    )
    assert s3.list_parts(Bucket=bucket, Key="big", UploadId=upload_id).get("Parts", []) == []
    assert s3.upload_part(**part, ChecksumCRC32=_crc32(BODY))["ETag"]


def test_list_parts_pages_the_uploaded_parts(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    etags = [
        s3.upload_part(Bucket=bucket, Key="big", UploadId=upload_id, PartNumber=n, Body=bytes([n]) * n)[
            "ETag"
        ]
        for n in (1, 2, 3)
    ]
    first = s3.list_parts(Bucket=bucket, Key="big", UploadId=upload_id, MaxParts=2)
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in first["Parts"]] == [
        (1, etags[0], 1),
        (2, etags[1], 2),
    ]
    assert (first["IsTruncated"], first["NextPartNumberMarker"]) == (True, 2)
    rest = s3.list_parts(Bucket=bucket, Key="big", UploadId=upload_id, PartNumberMarker=2)
    assert [p["PartNumber"] for p in rest["Parts"]] == [3] and rest["IsTruncated"] is False
    assert _code(s3.list_parts, Bucket=bucket, Key="big", UploadId="nope") == "NoSuchUpload"


def test_upload_part_copy_makes_a_part_from_a_range_of_an_object(s3, bucket):
    source = b"a" * (5 * MIB) + b"tail"
    s3.put_object(Bucket=bucket, Key="src", Body=source)
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    whole = s3.upload_part_copy(
        Bucket=bucket,
        Key="dst",
        UploadId=upload_id,
        PartNumber=1,
        CopySource={"Bucket": bucket, "Key": "src"},
    )["CopyPartResult"]
    ranged = s3.upload_part_copy(
        Bucket=bucket,
        Key="dst",
        UploadId=upload_id,
        PartNumber=2,
        CopySource=f"{bucket}/src",
        CopySourceRange=f"bytes={5 * MIB}-{5 * MIB + 3}",
    )["CopyPartResult"]
    parts = [{"PartNumber": 1, "ETag": whole["ETag"]}, {"PartNumber": 2, "ETag": ranged["ETag"]}]
    s3.complete_multipart_upload(
        Bucket=bucket, Key="dst", UploadId=upload_id, MultipartUpload={"Parts": parts}
    )
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == source + b"tail"
    again = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    bad = {"CopySource": f"{bucket}/src", "CopySourceRange": f"bytes=0-{len(source)}"}
    assert _code(s3.upload_part_copy, Bucket=bucket, Key="dst", UploadId=again, PartNumber=1, **bad) == (
        "InvalidArgument"
    )


def test_copy_source_conditions_are_412_and_copy_nothing(s3, bucket, aws):
    """CopyObject's x-amz-copy-source-if-*: a false condition is 412 PreconditionFailed (never a
    304) and nothing is copied; if-match true wins over if-unmodified-since, if-none-match true
    over if-modified-since (API CopyObject)."""
    etag = s3.put_object(Bucket=bucket, Key="src", Body=BODY)["ETag"]
    written = dt.datetime.fromtimestamp(int(aws.clock.now()), UTC)
    before, after = written - dt.timedelta(hours=1), written + dt.timedelta(hours=1)
    source = {"Bucket": bucket, "Key": "src"}
    refused = [
        {"CopySourceIfMatch": '"0123"'},
        {"CopySourceIfNoneMatch": etag},
        {"CopySourceIfUnmodifiedSince": before},
        {"CopySourceIfModifiedSince": after},
    ]
    for condition in refused:
        assert (
            _code(s3.copy_object, Bucket=bucket, Key="dst", CopySource=source, **condition)
            == "PreconditionFailed"
        )
    assert _code(s3.head_object, Bucket=bucket, Key="dst") in ("404", "NoSuchKey", "NotFound")
    allowed = [
        {"CopySourceIfMatch": etag, "CopySourceIfUnmodifiedSince": before},
        {"CopySourceIfNoneMatch": '"0123"', "CopySourceIfModifiedSince": after},
    ]
    for condition in allowed:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, **condition)
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == BODY
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="parts")["UploadId"]
    code = _code(
        s3.upload_part_copy,
        Bucket=bucket,
        Key="parts",
        UploadId=upload_id,
        PartNumber=1,
        CopySource=source,
        CopySourceIfMatch='"0123"',
    )
    assert code == "PreconditionFailed"
