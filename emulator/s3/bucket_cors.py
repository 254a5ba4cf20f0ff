"""PutBucketCors, GetBucketCors, DeleteBucketCors, and the rule matching S3 does with them
(docs/rules/dynamodb.md CR4).

A browser page may call a bucket only if the bucket's CORS configuration has a rule allowing the
page's origin, the method and the headers it asks for; without a configuration S3 refuses every
preflight. The rules are kept on the :class:`~emulator.s3.store.Bucket` as given (members set
only, in order: GetBucketCors gives them back so). The wire (``emulator/wire/s3_cors.py``) reads
the headers of a request and asks :func:`first_match` which rule, if any, allows it.

S3's rules kept here (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html,
https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html,
https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html):

* a configuration has 1 to 100 rules; each names at least one ``AllowedMethod`` and one
  ``AllowedOrigin`` (without, the document does not validate: ``MalformedXML``);
* a method is one of GET, PUT, POST, DELETE, HEAD (``InvalidRequest`` otherwise, naming it);
* an origin or allowed header holds at most one ``*``, which matches any run of characters,
  none included;
* the first rule whose origin, method and (for a preflight) every requested header match wins;
  header names match without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from . import errors as E
from .registry import registry
from .store import store_of

METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
MAX_RULES = 100
MEMBERS = ("ID", "AllowedHeaders", "AllowedMethods", "AllowedOrigins", "ExposeHeaders", "MaxAgeSeconds")
NO_CONFIGURATION = "The CORS configuration does not exist"
UNSUPPORTED_METHOD = "Found unsupported HTTP method in CORS config. Unsupported method is {}"
TOO_MANY_RULES = (
    "The number of CORS rules should not exceed allowed limit of 100 rules."  # INF: AWS's text unconfirmed
)
WILDCARDS = '{} "{}" can not have more than one wildcard.'


@contextmanager
def _bucket(service: Any, name: str) -> Iterator[Any]:
    """The bucket named ``name``, under the store's lock (``NoSuchBucket`` if there is none)."""
    store = store_of(service.world)
    with store.lock:
        bucket = store.buckets.get(name)
        if bucket is None:
            raise E.no_such_bucket(name)
        yield bucket


@registry("PutBucketCors")
def put_bucket_cors(service: Any, request: dict) -> dict:
    name = request.get("Bucket", "")
    rules = _validated((request.get("CORSConfiguration") or {}).get("CORSRules"))
    with _bucket(service, name) as bucket:
        bucket.cors = rules
    return {}


@registry("GetBucketCors")
def get_bucket_cors(service: Any, request: dict) -> dict:
    name = request.get("Bucket", "")
    with _bucket(service, name) as bucket:
        rules = bucket.cors
    if rules is None:
        raise E.error("NoSuchCORSConfiguration", NO_CONFIGURATION, BucketName=name)
    return {"CORSRules": [_copy(rule) for rule in rules]}


@registry("DeleteBucketCors")
def delete_bucket_cors(service: Any, request: dict) -> dict:
    """204 whether or not the bucket had a configuration."""
    name = request.get("Bucket", "")
    with _bucket(service, name) as bucket:
        bucket.cors = None
    return {"ResponseMetadata": {"HTTPStatusCode": 204}}


def _copy(rule: dict) -> dict:
    return {k: list(v) if isinstance(v, list) else v for k, v in rule.items()}


def _validated(rules: Any) -> list[dict]:
    """The rules to keep, or S3's error for the first thing wrong with them."""
    if not isinstance(rules, list) or not rules:
        raise E.error("MalformedXML", E.MALFORMED_XML)
    if len(rules) > MAX_RULES:
        raise E.error("InvalidRequest", TOO_MANY_RULES)
    kept = []
    for rule in rules:
        if not isinstance(rule, dict) or not rule.get("AllowedMethods") or not rule.get("AllowedOrigins"):
            raise E.error("MalformedXML", E.MALFORMED_XML)
        for method in rule["AllowedMethods"]:
            if method not in METHODS:
                raise E.error("InvalidRequest", UNSUPPORTED_METHOD.format(method))
        for kind, member in (("AllowedOrigin", "AllowedOrigins"), ("AllowedHeader", "AllowedHeaders")):
            for value in rule.get(member) or ():
                if str(value).count("*") > 1:
                    raise E.error("InvalidRequest", WILDCARDS.format(kind, value))
        age = rule.get("MaxAgeSeconds")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
            raise E.error("MalformedXML", E.MALFORMED_XML)
        kept.append(_copy({k: rule[k] for k in MEMBERS if rule.get(k) is not None}))
    return kept


# -- matching -----------------------------------------------------------------------------------------
def wildcard_match(pattern: str, text: str) -> bool:
    """S3's pattern: exact, or one ``*`` standing for any run of characters (none included)."""
    head, star, tail = pattern.partition("*")
    if not star:
        return pattern == text
    return len(text) >= len(head) + len(tail) and text.startswith(head) and text.endswith(tail)


def _headers_allowed(rule: dict, requested: Iterable[str]) -> bool:
    allowed = [h.lower() for h in rule.get("AllowedHeaders") or ()]
    return all(any(wildcard_match(pattern, name.lower()) for pattern in allowed) for name in requested)


def first_match(
    rules: list[dict] | None, origin: str, method: str, headers: Iterable[str] = ()
) -> dict | None:
    """The first rule allowing ``origin`` to use ``method`` with ``headers`` (a preflight's
    requested headers; an actual request's own headers are not checked), or None."""
    requested = list(headers)
    for rule in rules or ():
        if method not in rule["AllowedMethods"]:
            continue
        if not any(wildcard_match(pattern, origin) for pattern in rule["AllowedOrigins"]):
            continue
        if _headers_allowed(rule, requested):
            return rule
    return None


def origin_pattern(rule: dict, origin: str) -> str:
    """The first of ``rule``'s origins that ``origin`` matches (``*`` alone: any origin)."""
    return next((p for p in rule["AllowedOrigins"] if wildcard_match(p, origin)), "")


def has_bucket(world: Any, name: str) -> bool:
    return world is not None and bool(name) and name in store_of(world).buckets


def rules_of(world: Any, name: str) -> list[dict] | None:
    """The CORS rules of bucket ``name`` (None: no such bucket, or no configuration)."""
    if world is None or not name:
        return None
    bucket = store_of(world).buckets.get(name)
    return None if bucket is None else bucket.cors
