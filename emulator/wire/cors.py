"""Browsers and CORS (docs/rules/dynamodb.md CR1-CR3): what lets the JavaScript SDK in a page call ``serve``.

A page served from one origin (``http://localhost:3000``) that calls the emulator on another
(``http://127.0.0.1:8000``) is allowed to by its browser only if the emulator says so. A request
carrying ``X-Amz-Target``, ``Authorization`` or a JSON content type is not a "simple" request, so
the browser first asks with a preflight ``OPTIONS`` (``Access-Control-Request-Method`` and
``-Headers``), which is answered here with 200 and ``Access-Control-Allow-*`` (the headers asked
for are echoed, as DynamoDB does: dynalite's live-checked front end); then every answer to a
request with an ``Origin`` carries ``Access-Control-Allow-Origin`` and
``Access-Control-Expose-Headers`` (:data:`EXPOSED`), without which the SDK could not read the
request id, the CRC32 DynamoDB's answers are checked with, or S3's ``ETag``.

Which origins: ``--cors ORIGIN`` (repeatable; ``*`` for any, ``none`` for no CORS at all).
Without the option, any origin is allowed while the server listens on loopback only — a page on
this machine is the only kind of caller — and none beyond loopback, where allowing every web page
a visitor opens to reach the server would be a hole (:func:`policy_for`). A preflight from an
origin that is not allowed gets 403 and no ``Access-Control-Allow-Origin``, which the browser
turns into a network error for the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["ANY", "EXPOSED", "MAX_AGE", "CorsPolicy", "decorate", "is_preflight", "policy_for", "preflight"]

ANY = "*"
AUTO = "auto"  # the default: ANY on loopback, no CORS beyond it
OFF = "none"
MAX_AGE = "172800"  # seconds a browser may cache a preflight (DynamoDB's, as dynalite reproduces it)
METHODS = "GET, HEAD, PUT, POST, DELETE"  # the JSON services' POST and S3's REST methods
#: What a browser sends besides its own headers when the JavaScript SDK calls (v2 and v3); used
#: when a preflight names none.
SDK_HEADERS = (
    "authorization, content-type, x-amz-target, x-amz-date, x-amz-user-agent, x-amz-security-token, "
    "x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, x-amz-api-version, "
    "x-amz-checksum-crc32, x-amz-sdk-checksum-algorithm, content-md5, cache-control, expires, range"
)
#: The answer headers a page may read: request ids, DynamoDB's CRC32 and error type, S3's ETag and
#: object headers.
EXPOSED = (
    "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, x-amz-crc32, x-amz-request-id, "
    "x-amz-id-2, ETag, Content-Length, Content-Range, Accept-Ranges, Last-Modified, Date, "
    "x-amz-version-id, x-amz-delete-marker, x-amz-server-side-encryption"
)


class CorsPolicy:
    """The origins a browser page may call from: any (``*``) or a fixed set."""

    def __init__(self, origins: Iterable[str]) -> None:
        named = {origin.strip().rstrip("/") for origin in origins if origin.strip()}
        self.any = ANY in named
        self.origins = frozenset(named - {ANY})
        if not self.any and not self.origins:
            raise ValueError("a CORS policy needs at least one origin (or '*')")

    def allow(self, origin: str) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for ``origin``, or None if it is refused."""
        if self.any:
            return ANY
        return origin if origin.rstrip("/") in self.origins else None

    def __repr__(self) -> str:
        return f"CorsPolicy({'*' if self.any else sorted(self.origins)})"


def policy_for(spec: Iterable[str] | str | None, loopback: bool) -> CorsPolicy | None:
    """The policy for the server's ``cors`` setting: ``"auto"`` (any origin on loopback, none
    beyond), None or ``"none"`` (no CORS), or the origins allowed."""
    if spec == AUTO:
        return CorsPolicy([ANY]) if loopback else None
    if spec is None or spec == OFF:
        return None
    origins = [spec] if isinstance(spec, str) else list(spec)
    if not origins or OFF in origins:
        return None
    return CorsPolicy(origins)


def is_preflight(headers: Mapping[str, str]) -> bool:
    """Whether an ``OPTIONS`` request is a browser's CORS preflight (it names the method it asks for)."""
    return "origin" in headers and "access-control-request-method" in headers


def preflight(policy: CorsPolicy, headers: Mapping[str, str]) -> tuple[int, dict[str, str]]:
    """The status and headers (no body) of the answer to a preflight."""
    allowed = policy.allow(headers.get("origin", ""))
    if allowed is None:
        return 403, {"Content-Length": "0"}
    answer = {
        "Access-Control-Allow-Origin": allowed,
        "Access-Control-Allow-Methods": METHODS,
        "Access-Control-Allow-Headers": headers.get("access-control-request-headers") or SDK_HEADERS,
        "Access-Control-Expose-Headers": EXPOSED,
        "Access-Control-Max-Age": MAX_AGE,
    }
    if allowed != ANY:
        answer["Vary"] = "Origin"
    if headers.get("access-control-request-private-network", "").lower() == "true":
        answer["Access-Control-Allow-Private-Network"] = "true"  # Chrome's Private Network Access
    answer["Content-Length"] = "0"
    return 200, answer


def decorate(policy: CorsPolicy, origin: str, headers: dict[str, str]) -> dict[str, str]:
    """``headers`` of an answer to a request from ``origin``, with what lets the page read it."""
    allowed = policy.allow(origin)
    if allowed is None:
        return headers
    out = dict(headers)
    out["Access-Control-Allow-Origin"] = allowed
    out["Access-Control-Expose-Headers"] = EXPOSED
    if allowed != ANY:
        out["Vary"] = "Origin"
    return out
