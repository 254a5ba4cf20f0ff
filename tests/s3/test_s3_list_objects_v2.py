"""ListObjectsV2: Prefix, Delimiter, StartAfter, MaxKeys and continuation tokens, on every door."""

from __future__ import annotations

import pytest

from tests.conftest import error_of

KEYS = ["a.txt", "logs/2024/01.log", "logs/2024/02.log", "logs/2025/01.log", "logs/x.log", "z é.txt"]


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="list-bucket")
    for key in reversed(KEYS):
        s3.put_object(Bucket="list-bucket", Key=key, Body=key.encode())
    return "list-bucket"


def test_keys_come_in_utf8_order_with_sizes_and_count(s3, bucket):
    answer = s3.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in answer["Contents"]] == KEYS
    assert answer["KeyCount"] == 6 and answer["IsTruncated"] is False
    assert answer["Contents"][0]["Size"] == 5 and answer["Contents"][0]["StorageClass"] == "STANDARD"
    assert (answer["Name"], answer["Prefix"], answer["MaxKeys"]) == (bucket, "", 1000)


def test_prefix_and_delimiter_roll_keys_up_into_common_prefixes(s3, bucket):
    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [o["Key"] for o in top["Contents"]] == ["a.txt", "z é.txt"]
    assert top["CommonPrefixes"] == [{"Prefix": "logs/"}]
    assert top["KeyCount"] == 3
    inner = s3.list_objects_v2(Bucket=bucket, Prefix="logs/", Delimiter="/")
    assert [o["Key"] for o in inner["Contents"]] == ["logs/x.log"]
    assert inner["CommonPrefixes"] == [{"Prefix": "logs/2024/"}, {"Prefix": "logs/2025/"}]


def test_start_after_skips_up_to_and_including_the_key(s3, bucket):
    answer = s3.list_objects_v2(Bucket=bucket, StartAfter="logs/2024/02.log")
    assert [o["Key"] for o in answer["Contents"]] == KEYS[3:]
    assert answer["StartAfter"] == "logs/2024/02.log"


def test_continuation_tokens_walk_every_page_once(s3, bucket):
    seen, token = [], None
    while True:
        kwargs = {"ContinuationToken": token} if token else {}
        page = s3.list_objects_v2(Bucket=bucket, MaxKeys=2, **kwargs)
        seen += [o["Key"] for o in page["Contents"]]
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
        assert page["KeyCount"] == 2
    assert seen == KEYS


def test_a_common_prefix_counts_once_and_a_page_resumes_past_it(s3, bucket):
    first = s3.list_objects_v2(Bucket=bucket, Delimiter="/", MaxKeys=2)
    assert [o["Key"] for o in first["Contents"]] == ["a.txt"]
    assert first["CommonPrefixes"] == [{"Prefix": "logs/"}] and first["IsTruncated"] is True
    rest = s3.list_objects_v2(
        Bucket=bucket, Delimiter="/", MaxKeys=2, ContinuationToken=first["NextContinuationToken"]
    )
    assert [o["Key"] for o in rest["Contents"]] == ["z é.txt"] and "CommonPrefixes" not in rest


def test_the_paginator_reads_all_pages(s3, bucket):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 4})
    assert [o["Key"] for page in pages for o in page["Contents"]] == KEYS


def test_listing_a_missing_bucket_is_no_such_bucket_and_a_bad_token_invalid_argument(s3, bucket):
    with pytest.raises(s3.exceptions.NoSuchBucket):
        s3.list_objects_v2(Bucket="no-such-bucket")
    with pytest.raises(Exception) as excinfo:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="%%%")
    assert error_of(excinfo) == ("InvalidArgument", "The continuation token provided is incorrect")


def test_list_objects_v1_pages_with_markers(s3, bucket):
    first = s3.list_objects(Bucket=bucket, MaxKeys=2)
    assert [o["Key"] for o in first["Contents"]] == KEYS[:2] and first["IsTruncated"] is True
    assert "NextMarker" not in first  # only with a Delimiter
    rest = s3.list_objects(Bucket=bucket, Marker=KEYS[1])
    assert [o["Key"] for o in rest["Contents"]] == KEYS[2:]
    rolled = s3.list_objects(Bucket=bucket, Delimiter="/", MaxKeys=2)
    assert rolled["NextMarker"] == "logs/"
    after = s3.list_objects(Bucket=bucket, Delimiter="/", Marker=rolled["NextMarker"])
    assert [o["Key"] for o in after["Contents"]] == ["z é.txt"] and "CommonPrefixes" not in after
    pages = s3.get_paginator("list_objects").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2})
    assert [o["Key"] for page in pages for o in page["Contents"]] == KEYS
