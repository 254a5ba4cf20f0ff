"""S3's CORS over HTTP (docs/rules/dynamodb.md CR4): a bucket answers browsers by its own rules.

On AWS a page may call a bucket only if the bucket's CORS configuration (PutBucketCors,
:mod:`emulator.s3.bucket_cors`) has a rule allowing the page's origin, the method and the headers
it asks for; a bucket without one refuses every preflight. Answering S3 with the server-wide
policy of :mod:`emulator.wire.cors` (any origin on loopback) would let a page pass here that
fails on AWS, so S3's preflights and answers are decided here instead:

* :func:`is_s3_options`: which ``OPTIONS`` are S3's: a path naming a bucket (``/bucket[/key]``)
  or a bucket's virtual host. The JSON services' preflights are ``OPTIONS /`` and keep CR1; an
  ``OPTIONS /`` asking for ``x-amz-content-sha256`` but not ``x-amz-target`` is the JavaScript
  SDK's ListBuckets, which S3 answers without CORS (refused, as on AWS).
* :func:`preflight`: the first matching rule's ``Access-Control-Allow-*`` (200), or S3's 403/400
  error document naming the ``Method`` and ``ResourceType``.
* :func:`actual`: the headers an actual S3 answer gains for a request with an ``Origin`` (none
  when no rule allows its origin and method: the answer is still given, the browser hides it).

The server-wide policy stays an outer gate (CR3): an origin it refuses gets no CORS at all, so a
server beyond loopback answers no page unless ``--cors`` names its origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..s3.bucket_cors import first_match, has_bucket, origin_pattern, rules_of
from . import control, cors, restxml
from .request_ids import s3_request_id
from .s3_door import address, split_target

__all__ = ["actual", "is_s3_options", "preflight"]

VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
NOT_ENABLED = "CORSResponse: CORS is not enabled for this bucket."
NO_BUCKET = "CORSResponse: Bucket not found"
NOT_ALLOWED = (  # "evalution" (sic) is S3's own spelling
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, "
    "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
    "whitelisted by the resource's CORS spec."
)
NO_METHOD = "Insufficient information. Access-Control-Request-Method request header needed."
NO_ORIGIN = "Insufficient information. Origin request header needed."

Answer = tuple[int, dict[str, str], bytes]


def _bucket_and_key(headers: Mapping[str, str], target: str) -> tuple[str, str]:
    return address(headers.get("host", ""), split_target(target).path)


def is_s3_options(headers: Mapping[str, str], target: str) -> bool:
    """Whether an ``OPTIONS`` from a browser (it carries ``Origin`` or ``Access-Control-Request-Method``)
    is S3's to answer."""
    if "origin" not in headers and "access-control-request-method" not in headers:
        return False
    if control.is_control(target):
        return False
    if _bucket_and_key(headers, target)[0]:
        return True
    asked = {h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",")}
    return "x-amz-content-sha256" in asked and "x-amz-target" not in asked


def _refusal(world: Any, status: int, code: str, message: str, extra: dict[str, str]) -> Answer:
    request_id = s3_request_id(world)
    body = restxml.write_error(code, message, extra, request_id)
    headers = {
        "Content-Type": "application/xml",
        "x-amz-request-id": request_id,
        "x-amz-id-2": request_id,
        "Content-Length": str(len(body)),
    }
    return status, headers, body


def _allowing(rule: dict, origin: str) -> dict[str, str]:
    """The headers a matching rule gives any answer: origin, methods, exposed headers, max age,
    credentials (S3's recorded GET carries the max age too)."""
    allowed = "*" if origin_pattern(rule, origin) == "*" else origin
    out = {
        "Access-Control-Allow-Origin": allowed,
        "Access-Control-Allow-Methods": ", ".join(rule["AllowedMethods"]),
    }
    if rule.get("ExposeHeaders"):
        out["Access-Control-Expose-Headers"] = ", ".join(rule["ExposeHeaders"])
    if rule.get("MaxAgeSeconds") is not None:
        out["Access-Control-Max-Age"] = str(rule["MaxAgeSeconds"])
    if allowed != "*":
        out["Access-Control-Allow-Credentials"] = "true"
    out["Vary"] = VARY
    return out


def preflight(policy: cors.CorsPolicy, world: Any, target: str, headers: Mapping[str, str]) -> Answer:
    """The answer (status, headers, body) to a browser's ``OPTIONS`` on a bucket or object."""
    origin = headers.get("origin")
    method = headers.get("access-control-request-method")
    if origin is None:
        return _refusal(world, 400, "BadRequest", NO_ORIGIN, {})
    if policy.allow(origin) is None:  # the server-wide gate (CR3)
        return 403, {"Content-Length": "0"}, b""
    bucket, key = _bucket_and_key(headers, target)
    rules = rules_of(world, bucket)
    if rules is None:  # recorded: no bucket, or no configuration, refuse even without a method
        text = NOT_ENABLED if has_bucket(world, bucket) else NO_BUCKET
        extra = {"Method": method or "OPTIONS", "ResourceType": "BUCKET"}
        return _refusal(world, 403, "AccessForbidden", text, extra)
    if method is None:
        return _refusal(world, 400, "BadRequest", NO_METHOD, {})
    requested = [h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",")]
    requested = [h for h in requested if h]
    rule = first_match(rules, origin, method, requested)
    if rule is None:
        resource = "OBJECT" if key else "BUCKET"
        return _refusal(
            world, 403, "AccessForbidden", NOT_ALLOWED, {"Method": method, "ResourceType": resource}
        )
    out = _allowing(rule, origin)
    if requested:
        out["Access-Control-Allow-Headers"] = ", ".join(requested)
    if headers.get("access-control-request-private-network", "").lower() == "true":
        out["Access-Control-Allow-Private-Network"] = "true"  # Chrome's Private Network Access (CR1)
    request_id = s3_request_id(world)
    out.update({"x-amz-request-id": request_id, "x-amz-id-2": request_id, "Content-Length": "0"})
    return 200, out, b""


def actual(
    policy: cors.CorsPolicy | None, world: Any, method: str, target: str, headers: Mapping[str, str]
) -> dict[str, str]:
    """The CORS headers of the answer to an actual S3 request (empty: none).

    The rule is matched by origin and method only (a request's own headers are not checked);
    an ``Access-Control-Request-Method`` sent along stands for the method, as on S3."""
    origin = headers.get("origin")
    if origin is None or policy is None or policy.allow(origin) is None:
        return {}
    bucket, _ = _bucket_and_key(headers, target)
    asked = headers.get("access-control-request-method") or method
    rule = first_match(rules_of(world, bucket), origin, asked)
    return {} if rule is None else _allowing(rule, origin)
