"""``emulator serve --auth``: Signature Version 4 checked as AWS checks it, with AWS's refusals.

Off by default: the emulator accepts any credentials, as DynamoDB Local does. With credentials
configured (``EmulatorServer(credentials={key: secret})``, ``--auth --credentials KEY:SECRET``), a
request is answered only if it is signed by one of them. The signature is recomputed with
botocore's own signer (:class:`botocore.auth.SigV4Auth`, :class:`~botocore.auth.S3SigV4Auth` for
S3) over what was received: the method, the path and query as sent, the headers the client named
in ``SignedHeaders`` (those only, whatever botocore would have chosen), and the body; the two
signatures are compared in constant time (:func:`hmac.compare_digest`).

The checks run in the order AWS's JSON front end runs them (dynalite's notes of live DynamoDB
answers, docs/rules/dynamodb.md AU1-AU6), each refusal with AWS's code and text:

1. no ``Authorization`` header (or not a SigV4 one) → ``MissingAuthenticationTokenException``;
2. a header missing ``Credential``, ``SignedHeaders``, ``Signature`` or a date →
   ``IncompleteSignatureException``; an algorithm other than ``AWS4-HMAC-SHA256`` likewise;
3. a date more than 15 minutes away from the server's wall clock → ``InvalidSignatureException``
   ("Signature expired: ..." or "Signature not yet current: ...");
4. a credential scope for another service → ``InvalidSignatureException``;
5. an access key that is not configured → ``UnrecognizedClientException``;
6. a signature that does not match → ``InvalidSignatureException``.

S3 answers the same failures in its XML dialect (``AccessDenied``, ``RequestTimeTooSkewed``,
``InvalidAccessKeyId``, ``SignatureDoesNotMatch``, ...; :data:`S3_REFUSALS`), and also refuses a
body whose SHA-256 differs from the signed ``x-amz-content-sha256`` (otherwise a body changed after
signing would pass, since S3 signs the header rather than the body).

"Now" is real time (:func:`emulator.clock.wall_time`), never the Emulator's clock: the client signs
with its wall clock, and a virtual clock standing still must not expire every signature.
"""

from __future__ import annotations

import configparser
import datetime as _dt
import hashlib
import hmac
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders

from ..clock import wall_time
from ..errors import AWSError
from . import chunk_signatures, restxml
from .awsjson import WireResponse, error_response
from .messages import CORAL_SERVICE
from .request_ids import s3_request_id

__all__ = [
    "S3_REFUSALS",
    "SKEW_SECONDS",
    "Authenticator",
    "Refusal",
    "as_error",
    "json_answer",
    "s3_answer",
    "signing_name",
]

SKEW_SECONDS = 15 * 60  # AU3: AWS accepts a request dated up to 15 minutes from its clock
ALGORITHM = "AWS4-HMAC-SHA256"
_STAMP = "%Y%m%dT%H%M%SZ"
_UTC = _dt.timezone.utc

# --- AWS's texts (docs/rules/dynamodb.md AU1-AU6) ------------------------------------------------------
MISSING_TOKEN = "Request is missing Authentication Token"
REQUIRES_PARAMETER = "Authorization header requires '{name}' parameter. "
REQUIRES_DATE = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
UNSUPPORTED_ALGORITHM = "Unsupported AWS 'algorithm': '{algorithm}' (only AWS4-HMAC-SHA256 for now). "
BAD_DATE = "Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601"
CREDENTIAL_ELEMENTS = "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
EXPIRED = "Signature expired: {date} is now earlier than {limit} ({now} - 15 min.)"
NOT_YET_CURRENT = "Signature not yet current: {date} is still later than {limit} ({now} + 15 min.)"
WRONG_SERVICE = "Credential should be scoped to correct service: '{service}'. "
UNRECOGNIZED = "The security token included in the request is invalid."
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: the JSON services' code and text; ``s3`` the S3 dialect's."""

    code: str
    message: str
    s3_code: str = "AccessDenied"
    s3_message: str = "Access Denied"
    s3_extra: dict[str, str] = field(default_factory=dict)

    @property
    def s3_status(self) -> int:
        return S3_REFUSALS.get(self.s3_code, 403)


#: S3's status for each of its refusals (AU7): 403, except a malformed header or a body whose
#: hash is not the signed one, which are 400.
S3_REFUSALS = {
    "AccessDenied": 403,
    "AuthorizationHeaderMalformed": 400,
    "AuthorizationQueryParametersError": 400,
    "InvalidArgument": 400,
    "RequestTimeTooSkewed": 403,
    "InvalidAccessKeyId": 403,
    "SignatureDoesNotMatch": 403,
    "XAmzContentSHA256Mismatch": 400,
}

#: The signing name of each service the emulator serves (the credential scope's fourth element):
#: botocore signs DynamoDB Streams as ``dynamodb`` and Step Functions as ``states``.
_SIGNING_NAMES = {
    "dynamodb": "dynamodb",
    "dynamodbstreams": "dynamodb",
    "stepfunctions": "states",
    "s3": "s3",
}


def signing_name(service: str) -> str:
    return _SIGNING_NAMES.get(service, service)


@dataclass(frozen=True)
class _Header:
    """A parsed ``Authorization`` header."""

    algorithm: str
    params: dict[str, str]

    @classmethod
    def parse(cls, value: str) -> _Header:
        algorithm, _, rest = value.strip().partition(" ")
        params: dict[str, str] = {}
        for part in rest.split(","):
            name, eq, val = part.strip().partition("=")
            if eq:
                params[name.strip()] = val.strip()
        return cls(algorithm, params)


class Authenticator:
    """The server's credentials (access key id → secret) and the checks a request must pass.

    ``now``: epoch seconds of the server's wall clock (a parameter so tests can name the time)."""

    def __init__(self, credentials: Mapping[str, str], *, now: Callable[[], float] = wall_time) -> None:
        if not credentials:
            raise ValueError("authentication needs at least one access key id and secret")
        self.credentials = dict(credentials)
        self.now = now

    def check(
        self, service: str | None, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Refusal | None:
        """None if the request is signed by a configured key for ``service`` (any service when
        None: the control path); else why not. ``headers`` have lower-case names; ``target`` is
        the request line's path and query, as sent."""
        authorization = headers.get("authorization", "")
        if not authorization.strip().startswith("AWS4-"):
            return Refusal("MissingAuthenticationTokenException", MISSING_TOKEN)
        header = _Header.parse(authorization)
        date = headers.get("x-amz-date") or headers.get("date")
        signed_at = _signed_at(date)
        refusal = _incomplete(header, date, authorization) or self._expired(date, signed_at)
        if refusal is not None:
            return refusal
        scope = header.params["Credential"].split("/")
        if len(scope) != 5:
            credential = header.params["Credential"]
            return _incomplete_refusal(CREDENTIAL_ELEMENTS.format(credential=credential))
        expected = signing_name(service) if service else scope[3]
        if scope[3] != expected:
            return Refusal(
                "InvalidSignatureException",
                WRONG_SERVICE.format(service=expected),
                "AuthorizationHeaderMalformed",
                f'The authorization header is malformed; incorrect service "{scope[3]}". '
                f'This endpoint belongs to "{expected}".',
            )
        secret = self.credentials.get(scope[0])
        if secret is None:
            return unknown_key(scope[0])
        stamp = signed_at[0] if signed_at else None  # not None here: _expired refuses an unreadable date
        return _verify(header, scope, secret, stamp, method, target, headers, body)

    def _expired(self, date: str | None, signed_at: tuple[str, _dt.datetime] | None) -> Refusal | None:
        """AU3: a request dated more than 15 minutes before or after now."""
        if signed_at is None:
            return _incomplete_refusal(BAD_DATE.format(date=date))
        stamp, signed = signed_at
        now = _dt.datetime.fromtimestamp(int(self.now()), _UTC)
        window = _dt.timedelta(seconds=SKEW_SECONDS)
        if signed < now - window:
            text = EXPIRED.format(date=stamp, limit=_fmt(now - window), now=_fmt(now))
        elif signed > now + window:
            text = NOT_YET_CURRENT.format(date=stamp, limit=_fmt(now + window), now=_fmt(now))
        else:
            return None
        skew = {
            "RequestTime": stamp,
            "ServerTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "MaxAllowedSkewMilliseconds": str(SKEW_SECONDS * 1000),
        }
        return Refusal(
            "InvalidSignatureException",
            text,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
            skew,
        )


def unknown_key(key_id: str) -> Refusal:
    """AU5: an access key id that is not configured."""
    return Refusal(
        "UnrecognizedClientException",
        UNRECOGNIZED,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        {"AWSAccessKeyId": key_id},
    )


def mismatch(key_id: str, string_to_sign: str, provided: str, canonical: str | None = None) -> Refusal:
    """AU6: a signature that is not the one computed (S3 shows what it signed)."""
    extra = {"AWSAccessKeyId": key_id, "StringToSign": string_to_sign, "SignatureProvided": provided}
    if canonical is not None:
        extra["CanonicalRequest"] = canonical
    return Refusal(
        "InvalidSignatureException",
        MISMATCH,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
        extra,
    )


def _incomplete_refusal(text: str) -> Refusal:
    return Refusal(
        "IncompleteSignatureException",
        text,
        "AuthorizationHeaderMalformed",
        "The authorization header that you provided is not valid.",
    )


def _incomplete(header: _Header, date: str | None, authorization: str) -> Refusal | None:
    """AU2: every part the signature needs is there, and the algorithm is the one AWS knows."""
    text = "".join(
        REQUIRES_PARAMETER.format(name=name)
        for name in ("Credential", "Signature", "SignedHeaders")
        if not header.params.get(name)
    )
    if not date:
        text += REQUIRES_DATE
    if text:
        return _incomplete_refusal(f"{text}Authorization={authorization}")
    if header.algorithm != ALGORITHM:
        return _incomplete_refusal(UNSUPPORTED_ALGORITHM.format(algorithm=header.algorithm))
    return None


def _signed_at(date: str | None) -> tuple[str, _dt.datetime] | None:
    """The request's date as SigV4 writes it (``20240101T000000Z``: ``X-Amz-Date`` as sent, or an
    HTTP ``Date`` header converted) and as a UTC time, read once; None for a date that is neither."""
    if not date:
        return None
    try:
        return date, _dt.datetime.strptime(date, _STAMP).replace(tzinfo=_UTC)
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_UTC)
    moment = parsed.astimezone(_UTC).replace(microsecond=0)
    return _fmt(moment), moment


def _fmt(moment: _dt.datetime) -> str:
    return moment.strftime(_STAMP)


class _Key(NamedTuple):
    """What botocore's signer reads of a credential (``botocore.credentials`` costs 30 ms to import)."""

    access_key: str
    secret_key: str
    token: str | None = None


class _Signer(SigV4Auth):
    """botocore's signer, told which headers the client signed: exactly the ``SignedHeaders``
    list (botocore's own choice would drop some, such as ``user-agent``, that a browser SDK signs)."""

    signed: tuple[str, ...] = ()

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        chosen = HTTPHeaders()
        for name in self.signed:
            value = request.headers.get(name)
            chosen[name] = "" if value is None else value
        return chosen


class _S3Signer(_Signer, S3SigV4Auth):
    """S3's variant: the path is signed as sent (no normalisation), as botocore's S3 signer does."""


def _verify(
    header: _Header,
    scope: list[str],
    secret: str,
    stamp: str | None,
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
) -> Refusal | None:
    """AU6: the signature botocore computes for what was received, against the one sent."""
    key_id, _, region, service, _ = scope
    signed = tuple(name.strip().lower() for name in header.params["SignedHeaders"].split(";") if name.strip())
    signer: _Signer = (_S3Signer if service == "s3" else _Signer)(_Key(key_id, secret), service, region)
    signer.signed = signed
    path = target if target.startswith("/") else "/" + target.split("://", 1)[-1].partition("/")[2]
    # The URL's host is never read (the signer reads the Host header as received, _Signer), and
    # a Host header such as "[x" is no URL's: urlsplit would raise.
    request = AWSRequest(
        method=method, url=f"http://localhost{path}", headers=_received(headers, signed), data=body
    )
    request.context["timestamp"] = stamp
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    expected = signer.signature(string_to_sign, request)
    provided = header.params["Signature"]
    if not hmac.compare_digest(expected.encode(), provided.encode("utf-8", "replace")):
        return mismatch(key_id, string_to_sign, provided, canonical)
    if service == "s3" and headers.get("x-amz-content-sha256") in chunk_signatures.SIGNED_STREAMING:
        broken = chunk_signatures.check(
            lambda text: signer.signature(text, request), str(stamp), "/".join(scope[1:]), provided, body
        )
        return None if broken is None else mismatch(key_id, *broken)
    if "x-amz-content-sha256" in signed:
        return _payload(headers, body, service == "s3")
    return None


def _received(headers: Mapping[str, str], signed: tuple[str, ...]) -> dict[str, Any]:
    """The signed headers as received (and ``x-amz-content-sha256``, which botocore's signer
    reads in place of hashing the body, when the client signed it)."""
    chosen = {name: headers[name] for name in signed if name in headers}
    if "x-amz-content-sha256" in headers and "x-amz-content-sha256" in signed:
        chosen["X-Amz-Content-SHA256"] = headers["x-amz-content-sha256"]
    return chosen


def _payload(headers: Mapping[str, str], body: bytes, s3: bool) -> Refusal | None:
    """AU6/AU7: botocore's signer takes a signed ``x-amz-content-sha256`` in place of hashing the
    body, so that header must be the body's digest. For S3 (AU7) ``UNSIGNED-PAYLOAD`` and the
    ``STREAMING-*`` (aws-chunked) forms are not a digest and pass; the JSON services always hash
    the body themselves, so for them any other value is a mismatch (AU6)."""
    claimed = headers.get("x-amz-content-sha256", "")
    if s3 and len(claimed) != 64:
        return None
    computed = hashlib.sha256(body).hexdigest()
    if hmac.compare_digest(claimed.lower(), computed):
        return None
    return Refusal(
        "InvalidSignatureException",
        MISMATCH,
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        {"ClientComputedContentSHA256": claimed, "S3ComputedContentSHA256": computed},
    )


# --- the server's credentials, from the command line ------------------------------------------------
def read_credentials(specs: Iterable[str]) -> dict[str, str]:
    """``--credentials`` values: ``KEY:SECRET``, or a file holding one ``KEY:SECRET`` a line (``#``
    comments) or in the AWS shared credentials format (``aws_access_key_id`` and
    ``aws_secret_access_key`` in each profile). ValueError names what cannot be read."""
    found: dict[str, str] = {}
    for spec in specs:
        if os.path.isfile(spec):
            found.update(_credentials_file(spec))
            continue
        key, sep, secret = spec.partition(":")
        if not (sep and key.strip() and secret):
            raise ValueError(f"--credentials {spec!r}: expected KEY:SECRET or a file")
        found[key.strip()] = secret
    return found


def _credentials_file(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if "aws_access_key_id" in text:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text, source=path)
        except configparser.Error as exc:
            raise ValueError(f"--credentials {path}: {exc}") from None
        pairs = {
            section.get("aws_access_key_id", "").strip(): section.get("aws_secret_access_key", "").strip()
            for section in parser.values()
        }
        pairs.pop("", None)
    else:
        lines = [line.strip() for line in text.splitlines()]
        pairs = dict(line.partition(":")[::2] for line in lines if line and not line.startswith("#"))
    if not pairs or not all(pairs.values()):
        raise ValueError(
            f"--credentials {path}: no KEY:SECRET pair (one a line) and no AWS profile with both keys"
        )
    return pairs


# --- what the HTTP door calls ----------------------------------------------------------------------
def refusal(
    auth: Authenticator | None,
    service: str | None,
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
) -> Refusal | None:
    """Why ``auth`` refuses a request; None when it is accepted, or when there is no ``auth``."""
    return None if auth is None else auth.check(service, method, target, headers, body)


def gate(
    auth: Authenticator | None, target: str, headers: Mapping[str, str], body: bytes
) -> Callable[[str], AWSError | None] | None:
    """The check :func:`~emulator.wire.awsjson.handle` runs on a POST once it knows the service."""
    if auth is None:
        return None

    def check(service: str) -> AWSError | None:
        refused = auth.check(service, "POST", target, headers, body)
        return None if refused is None else as_error(refused)

    return check


# --- the refusal on the wire -----------------------------------------------------------------------
class AuthError(AWSError):
    """A refusal of the JSON front end (``com.amazon.coral.service#<code>``, 400, ``message``)."""

    namespace = CORAL_SERVICE


_AUTH_ERRORS: dict[str, type[AuthError]] = {
    code: type(code, (AuthError,), {"code": code})
    for code in (
        "MissingAuthenticationTokenException",
        "IncompleteSignatureException",
        "InvalidSignatureException",
        "UnrecognizedClientException",
    )
}


def as_error(refusal: Refusal) -> AWSError:
    """The JSON services' error for ``refusal`` (encoded like any service error)."""
    return _AUTH_ERRORS[refusal.code](refusal.message)


def json_answer(world: Any, refusal: Refusal, service: str = "dynamodb") -> WireResponse:
    """The JSON answer of ``refusal`` outside an operation (the control path)."""
    return error_response(world, service, as_error(refusal))


def s3_answer(world: Any, refusal: Refusal) -> WireResponse:
    """S3's XML error document for ``refusal``."""
    request_id = s3_request_id(world)
    body = restxml.write_error(refusal.s3_code, refusal.s3_message, refusal.s3_extra, request_id)
    headers = {
        "Content-Type": "application/xml",
        "x-amz-request-id": request_id,
        "x-amz-id-2": request_id,
        "Content-Length": str(len(body)),
    }
    return WireResponse(refusal.s3_status, headers, body)
