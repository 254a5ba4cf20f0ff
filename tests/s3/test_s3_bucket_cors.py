"""PutBucketCors, GetBucketCors, DeleteBucketCors through every door (docs/rules/dynamodb.md CR4),
and the rule matching S3 does with a bucket's configuration. The preflights and answers over HTTP
are tests/wire/test_wire_s3_cors.py."""

from __future__ import annotations

import pytest

from emulator.s3.bucket_cors import first_match, wildcard_match
from tests.conftest import error_of

RULE = {
    "AllowedHeaders": ["Authorization", "x-amz-*"],
    "AllowedMethods": ["GET", "PUT"],
    "AllowedOrigins": ["http://localhost:3000", "http://*.example.com"],
    "ExposeHeaders": ["ETag", "x-amz-request-id"],
    "MaxAgeSeconds": 3000,
}


def refusal(s3, rules):
    with pytest.raises(Exception) as excinfo:
        s3.put_bucket_cors(Bucket="cors-bucket", CORSConfiguration={"CORSRules": rules})
    return error_of(excinfo)


def test_put_bucket_cors_is_given_back_by_get_bucket_cors(s3):
    s3.create_bucket(Bucket="cors-bucket")
    s3.put_bucket_cors(
        Bucket="cors-bucket",
        CORSConfiguration={"CORSRules": [RULE, {"AllowedMethods": ["HEAD"], "AllowedOrigins": ["*"]}]},
    )
    assert s3.get_bucket_cors(Bucket="cors-bucket")["CORSRules"] == [
        RULE,
        {"AllowedMethods": ["HEAD"], "AllowedOrigins": ["*"]},
    ]


def test_put_bucket_cors_replaces_the_configuration(s3):
    s3.create_bucket(Bucket="cors-bucket")
    s3.put_bucket_cors(Bucket="cors-bucket", CORSConfiguration={"CORSRules": [RULE]})
    only = {"AllowedMethods": ["GET"], "AllowedOrigins": ["https://app.example"]}
    s3.put_bucket_cors(Bucket="cors-bucket", CORSConfiguration={"CORSRules": [only]})
    assert s3.get_bucket_cors(Bucket="cors-bucket")["CORSRules"] == [only]


def test_get_bucket_cors_without_a_configuration_is_no_such_cors_configuration(s3):
    s3.create_bucket(Bucket="cors-bucket")
    with pytest.raises(Exception) as excinfo:
        s3.get_bucket_cors(Bucket="cors-bucket")
    assert error_of(excinfo) == ("NoSuchCORSConfiguration", "The CORS configuration does not exist")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_delete_bucket_cors_removes_the_configuration_and_may_be_repeated(s3):
    s3.create_bucket(Bucket="cors-bucket")
    s3.put_bucket_cors(Bucket="cors-bucket", CORSConfiguration={"CORSRules": [RULE]})
    s3.delete_bucket_cors(Bucket="cors-bucket")  # 204 on the wire: tests/wire/test_wire_s3_cors.py
    s3.delete_bucket_cors(Bucket="cors-bucket")
    with pytest.raises(Exception) as excinfo:
        s3.get_bucket_cors(Bucket="cors-bucket")
    assert error_of(excinfo)[0] == "NoSuchCORSConfiguration"


@pytest.mark.parametrize("operation", ["put_bucket_cors", "get_bucket_cors", "delete_bucket_cors"])
def test_the_cors_operations_on_a_missing_bucket_are_no_such_bucket(s3, operation):
    kwargs = {"CORSConfiguration": {"CORSRules": [RULE]}} if operation == "put_bucket_cors" else {}
    with pytest.raises(Exception) as excinfo:
        getattr(s3, operation)(Bucket="missing-bucket", **kwargs)
    assert error_of(excinfo) == ("NoSuchBucket", "The specified bucket does not exist")


@pytest.mark.parametrize("method", ["OPTIONS", "PATCH", "get"])
def test_a_method_s3_does_not_support_is_invalid_request(s3, method):
    s3.create_bucket(Bucket="cors-bucket")
    assert refusal(s3, [{"AllowedMethods": ["GET", method], "AllowedOrigins": ["*"]}]) == (
        "InvalidRequest",
        f"Found unsupported HTTP method in CORS config. Unsupported method is {method}",
    )


def test_an_origin_with_two_wildcards_is_invalid_request(s3):
    s3.create_bucket(Bucket="cors-bucket")
    assert refusal(s3, [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*example*.com"]}]) == (
        "InvalidRequest",
        'AllowedOrigin "*example*.com" can not have more than one wildcard.',
    )


def test_more_than_a_hundred_rules_is_invalid_request(s3):
    s3.create_bucket(Bucket="cors-bucket")
    rules = [{"AllowedMethods": ["GET"], "AllowedOrigins": [f"http://o{i}.example"]} for i in range(101)]
    assert refusal(s3, rules)[0] == "InvalidRequest"
    s3.put_bucket_cors(Bucket="cors-bucket", CORSConfiguration={"CORSRules": rules[:100]})


def test_no_rules_is_malformed_xml(s3):
    s3.create_bucket(Bucket="cors-bucket")
    assert refusal(s3, [])[0] == "MalformedXML"


def test_an_origin_wildcard_matches_any_run_of_characters():
    assert wildcard_match("http://*.example.com", "http://app.example.com")
    assert wildcard_match("http://*.example.com", "http://a.b.example.com")
    assert not wildcard_match("http://*.example.com", "https://app.example.com")
    assert wildcard_match("*", "http://anything")
    assert wildcard_match("http://a*", "http://a")  # the wildcard may match nothing


def test_the_first_rule_that_allows_origin_method_and_every_header_wins():
    rules = [
        {"AllowedMethods": ["PUT"], "AllowedOrigins": ["*"], "ID": "put"},
        RULE | {"ID": "page"},
        {"AllowedMethods": ["GET"], "AllowedOrigins": ["*"], "ID": "any"},
    ]
    assert first_match(rules, "http://localhost:3000", "GET", ["AUTHORIZATION", "x-amz-date"])["ID"] == "page"
    assert first_match(rules, "http://other", "GET", [])["ID"] == "any"
    assert first_match(rules, "http://other", "GET", ["authorization"]) is None  # "any" allows no header
    assert first_match(rules, "http://other", "DELETE") is None
    assert first_match(None, "http://other", "GET") is None
