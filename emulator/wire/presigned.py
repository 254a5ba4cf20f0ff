"""Presigned S3 URLs: authentication carried in the query string instead of a header.

Two forms, both what botocore's ``generate_presigned_url`` makes: Signature Version 4
(``X-Amz-Algorithm``, ``X-Amz-Credential``, ``X-Amz-Date``, ``X-Amz-Expires``,
``X-Amz-SignedHeaders``, ``X-Amz-Signature``) and, for S3 in us-east-1 unless the client asks for
``s3v4``, Signature Version 2 (``AWSAccessKeyId``, ``Expires``, ``Signature``).

Without ``--auth`` such a request is an S3 request like any other: the door recognises it by its
query (:func:`emulator.wire.s3_door.is_presigned`; no ``Authorization`` header names the service),
and the partition is the one ``X-Amz-Credential`` names. With ``--auth`` (:func:`check`) the signature is
recomputed with botocore's own signers (:class:`~botocore.auth.S3SigV4QueryAuth`'s canonical
request over the query without ``X-Amz-Signature``, and :class:`~botocore.auth.HmacV1Auth`'s
string to sign) and the expiry judged on the server's wall clock, with S3's refusals (rules AU8):

* a SigV4 query missing a parameter → ``AuthorizationQueryParametersError`` (400);
* ``X-Amz-Expires`` not a number, negative or over a week (604,800 s) → the same code;
* a SigV4 URL dated more than 15 minutes ahead → ``AccessDenied`` "Request is not valid yet" [INF];
* a URL past its expiry → ``AccessDenied`` "Request has expired" (with ``X-Amz-Expires``,
  ``Expires`` and ``ServerTime``);
* an unknown key → ``InvalidAccessKeyId``; a wrong signature → ``SignatureDoesNotMatch``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hmac
from collections.abc import Mapping
from hashlib import sha1
from urllib.parse import parse_qsl, quote, unquote

from botocore.auth import HmacV1Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest

from .s3_door import bucket_from_host, split_target
from .sigv4 import (
    _STAMP,
    _UTC,
    ALGORITHM,
    SKEW_SECONDS,
    Authenticator,
    Refusal,
    _Key,
    _Signer,
    mismatch,
    unknown_key,
)

__all__ = ["both_mechanisms", "check"]

MAX_EXPIRES = 7 * 86400  # a SigV4 presigned URL is valid for at most a week
V4_PARAMETERS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
)
V2_PARAMETERS = ("AWSAccessKeyId", "Expires", "Signature")
_ISO = "%Y-%m-%dT%H:%M:%SZ"

# S3's texts (docs/rules/dynamodb.md AU8).
V4_REQUIRES = (
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
    "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
)
V2_REQUIRES = "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"
EXPIRES_NOT_A_NUMBER = "X-Amz-Expires should be a number"
EXPIRES_NEGATIVE = "X-Amz-Expires must be non-negative"
EXPIRES_OVER_A_WEEK = (
    "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must "
    "be less than 604800 seconds"
)
BAD_ALGORITHM = 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"'
BAD_DATE = "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
BAD_CREDENTIAL = 'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
EXPIRED = "Request has expired"
BOTH_MECHANISMS = (
    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query "
    "string parameter or the Authorization header should be specified"
)
NOT_YET_VALID = "Request is not valid yet"


def _params(target: str) -> dict[str, str]:
    return dict(parse_qsl(target.partition("?")[2], keep_blank_values=True))


def _query_error(text: str) -> Refusal:
    return Refusal("IncompleteSignatureException", text, "AuthorizationQueryParametersError", text)


def both_mechanisms(authorization: str) -> Refusal:
    """A presigned URL sent with an ``Authorization`` header too (a client forwarding its own
    header to a URL it was handed): S3 refuses it whatever the signatures, ``--auth`` or not."""
    return Refusal(
        "InvalidSignatureException",
        BOTH_MECHANISMS,
        "InvalidArgument",
        BOTH_MECHANISMS,
        {"ArgumentName": "Authorization", "ArgumentValue": authorization},
    )


def _expired(now: _dt.datetime, expires_at: _dt.datetime, extra: dict[str, str]) -> Refusal:
    return Refusal(
        "InvalidSignatureException",
        EXPIRED,
        "AccessDenied",
        EXPIRED,
        {**extra, "Expires": expires_at.strftime(_ISO), "ServerTime": now.strftime(_ISO)},
    )


def check(auth: Authenticator, method: str, target: str, headers: Mapping[str, str]) -> Refusal | None:
    """None if the presigned request is signed by a configured key and not expired; else why."""
    params = _params(target)
    now = _dt.datetime.fromtimestamp(int(auth.now()), _UTC)
    if "X-Amz-Credential" in params or "X-Amz-Signature" in params or "X-Amz-Algorithm" in params:
        return _check_v4(auth, now, method, target, headers, params)
    return _check_v2(auth, now, method, target, headers, params)


def _check_v4(
    auth: Authenticator,
    now: _dt.datetime,
    method: str,
    target: str,
    headers: Mapping[str, str],
    params: dict[str, str],
) -> Refusal | None:
    if any(not params.get(name) for name in V4_PARAMETERS):
        return _query_error(V4_REQUIRES)
    if params["X-Amz-Algorithm"] != ALGORITHM:
        return _query_error(BAD_ALGORITHM)
    try:
        expires = int(params["X-Amz-Expires"])
    except ValueError:
        return _query_error(EXPIRES_NOT_A_NUMBER)
    if expires < 0:
        return _query_error(EXPIRES_NEGATIVE)
    if expires > MAX_EXPIRES:
        return _query_error(EXPIRES_OVER_A_WEEK)
    stamp = params["X-Amz-Date"]
    try:
        signed = _dt.datetime.strptime(stamp, _STAMP).replace(tzinfo=_UTC)
    except ValueError:
        return _query_error(BAD_DATE)
    scope = params["X-Amz-Credential"].split("/")
    if len(scope) != 5:
        return _query_error(BAD_CREDENTIAL)
    if signed > now + _dt.timedelta(seconds=SKEW_SECONDS):
        return Refusal("InvalidSignatureException", NOT_YET_VALID, "AccessDenied", NOT_YET_VALID)
    expires_at = signed + _dt.timedelta(seconds=expires)
    if now > expires_at:
        return _expired(now, expires_at, {"X-Amz-Expires": str(expires)})
    secret = auth.credentials.get(scope[0])
    if secret is None:
        return unknown_key(scope[0])
    return _verify_v4(scope, secret, stamp, expires, method, target, headers, params)


def _canonical(pair: str) -> str:
    """One ``name=value`` of the query as SigV4 canonicalises it (each side decoded, then encoded
    with upper-case hex and only ``-_.~`` left as they are), whatever escaping the URL used:
    ``%2f`` signs as ``%2F``, as S3 reads it."""
    name, eq, value = pair.partition("=")
    return quote(unquote(name), safe="-_.~") + eq + quote(unquote(value), safe="-_.~")


class _QuerySigner(_Signer, S3SigV4QueryAuth):
    """botocore's S3 query signer, over exactly the headers the URL names in ``X-Amz-SignedHeaders``."""


def _verify_v4(
    scope: list[str],
    secret: str,
    stamp: str,
    expires: int,
    method: str,
    target: str,
    headers: Mapping[str, str],
    params: dict[str, str],
) -> Refusal | None:
    key_id, _, region, service, _ = scope
    signer = _QuerySigner(_Key(key_id, secret), service, region, expires=expires)
    signer.signed = tuple(n.strip().lower() for n in params["X-Amz-SignedHeaders"].split(";") if n.strip())
    path, _, query = target.partition("?")
    kept = "&".join(_canonical(pair) for pair in query.split("&") if not pair.startswith("X-Amz-Signature="))
    received = {name: headers[name] for name in signer.signed if name in headers}
    # The URL's host is never read (the signer reads the Host header as received, _Signer), and
    # a Host header such as "[x" is no URL's: urlsplit would raise.
    request = AWSRequest(method=method, url=f"http://localhost{path}?{kept}", headers=received)
    request.context["timestamp"] = stamp
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    expected = signer.signature(string_to_sign, request)
    provided = params["X-Amz-Signature"]
    if hmac.compare_digest(expected.encode(), provided.encode("utf-8", "replace")):
        return None
    return mismatch(key_id, string_to_sign, provided, canonical)


def _check_v2(
    auth: Authenticator,
    now: _dt.datetime,
    method: str,
    target: str,
    headers: Mapping[str, str],
    params: dict[str, str],
) -> Refusal | None:
    if any(not params.get(name) for name in V2_PARAMETERS):
        return Refusal("MissingAuthenticationTokenException", V2_REQUIRES, "AccessDenied", V2_REQUIRES)
    try:
        expires = int(params["Expires"])
    except ValueError:
        return Refusal("InvalidSignatureException", V2_REQUIRES, "AccessDenied", V2_REQUIRES)
    if now.timestamp() > expires:  # compared as numbers: SigV2 sets no limit, past year 9999 included
        return _expired(now, _moment(expires), {})
    key_id = params["AWSAccessKeyId"]
    secret = auth.credentials.get(key_id)
    if secret is None:
        return unknown_key(key_id)
    string_to_sign = _v2_string_to_sign(method, target, headers, expires)
    expected = base64.b64encode(hmac.new(secret.encode(), string_to_sign.encode(), sha1).digest()).decode()
    provided = params["Signature"]
    if hmac.compare_digest(expected.encode(), provided.encode("utf-8", "replace")):
        return None
    return mismatch(key_id, string_to_sign, provided)


def _moment(seconds: int) -> _dt.datetime:
    """Epoch seconds as a UTC time, held to the years a datetime holds (1 to 9999)."""
    epoch = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
    try:
        return epoch + _dt.timedelta(seconds=seconds)
    except OverflowError:
        return _dt.datetime.max.replace(tzinfo=_UTC) if seconds > 0 else _dt.datetime.min.replace(tzinfo=_UTC)


def _v2_string_to_sign(method: str, target: str, headers: Mapping[str, str], expires: int) -> str:
    """Signature Version 2's string to sign for a presigned URL: the verb, Content-MD5,
    Content-Type, the expiry, the ``x-amz-*`` headers and the resource (botocore's own pieces)."""
    signer = HmacV1Auth(_Key("", ""))
    custom = signer.canonical_custom_headers(_Headers(headers))
    split = split_target(target)
    bucket = bucket_from_host(headers.get("host", ""))
    resource = signer.canonical_resource(split, auth_path=f"/{bucket}{split.path}" if bucket else None)
    text = (
        f"{method.upper()}\n{headers.get('content-md5', '')}\n{headers.get('content-type', '')}\n{expires}\n"
    )
    return text + (custom + "\n" if custom else "") + resource


class _Headers(dict):
    """The received headers as botocore's HmacV1Auth reads them (``keys()`` and ``get_all``)."""

    def get_all(self, name: str) -> list[str]:
        value = self.get(name.lower())
        return [] if value is None else [value]
