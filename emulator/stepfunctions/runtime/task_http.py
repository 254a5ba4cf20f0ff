"""HTTP tasks (``arn:aws:states:::http:invoke``) answered by registered Python callables.

There is no network: a workflow's HTTP Task is answered by the callable registered with
``@aws.stepfunctions.http_endpoint("https://api.example.com/orders")`` (the URL without its query
string; ``method=`` narrows it) or ``http_endpoint(match=lambda method, url: ...)``. The callable
gets an :class:`HttpRequest` (method, URL, headers, query parameters, body; ``context`` as second
argument if it takes two) and returns the response body (a dict, list or str: status 200) or an
:class:`HttpResponse` (status, headers, body).

The task's arguments are checked as AWS's HTTP Task reads them
(https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html): ``ApiEndpoint`` and
``Method`` are required, ``Authentication.ConnectionArn`` (or ``InvocationConfig.ConnectionArn``)
must be an EventBridge connection ARN, ``Headers`` and ``QueryParameters`` objects, and
``Transform`` one of AWS's encodings (``RequestBodyEncoding`` NONE or URL_ENCODED with an
``ArrayFormat`` of BRACKETS, COMMAS, INDICES or REPEAT). The result has AWS's shape
(``Headers`` with lists of values, ``ResponseBody`` parsed when it is JSON, ``StatusCode``,
``StatusText``); a status outside 2xx fails the task with ``States.Http.StatusCode.<status>``.
"""

from __future__ import annotations

import http
import inspect
import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..asl.failures import RUNTIME
from .task_calls import TaskContext, call

if TYPE_CHECKING:
    from .execution import Execution

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
CONNECTION_ARN = re.compile(r"^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:connection/[\w.\-]{1,64}/[\w\-]+$")
ARRAY_FORMATS = ("BRACKETS", "COMMAS", "INDICES", "REPEAT")
#: Headers an HTTP Task may not set: "If you use these headers, the HTTP Task fails with the
#: States.Runtime error" (DG, call-https-apis.html, "Unsupported HTTP request headers", read
#: 2026-12-08).
FORBIDDEN_HEADERS = (
    "a-im",
    "accept-charset",
    "accept-datetime",
    "accept-encoding",
    "cache-control",
    "connection",
    "content-encoding",
    "content-md5",
    "date",
    "expect",
    "forwarded",
    "from",
    "host",
    "http2-settings",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "max-forwards",
    "origin",
    "pragma",
    "proxy-authorization",
    "referer",
    "server",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "warning",
)
FORBIDDEN_PREFIXES = ("x-forwarded-", "x-amz-", "x-amzn-")
SOCKET_ERROR = "States.Http.Socket"


@dataclass(slots=True)
class HttpRequest:
    """What an HTTP endpoint callable receives."""

    method: str
    url: str  # ApiEndpoint, with the encoded query string when there are QueryParameters
    headers: dict[str, str]
    query_parameters: dict[str, Any]
    body: Any  # RequestBody as the workflow gave it (a form string when URL_ENCODED)

    @property
    def json(self) -> Any:
        """The body read as JSON (a JSON text is parsed; anything else is returned as is)."""
        if isinstance(self.body, str):
            try:
                return json.loads(self.body)
            except ValueError:
                return self.body
        return self.body


@dataclass(slots=True)
class HttpResponse:
    """A full answer: status, headers and body (a dict or list is sent as JSON)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Endpoint:
    matches: Callable[[str, str], bool]
    fn: Callable[..., Any]


class HttpEndpoints:
    """The world's registered HTTP endpoints, tried newest first."""

    def __init__(self) -> None:
        self.endpoints: list[Endpoint] = []

    def register(
        self, url: str | None, method: str | None, match: Callable[..., bool] | None, fn: Any
    ) -> None:
        if (url is None) == (match is None):
            raise ValueError("http_endpoint takes a URL or match=, not both")
        if match is None:
            base = _without_query(url or "")
            wanted = None if method is None else method.upper()

            def match(m: str, u: str) -> bool:
                return _without_query(u) == base and (wanted is None or m == wanted)

        self.endpoints.insert(0, Endpoint(match, fn))

    def find(self, method: str, url: str) -> Callable[..., Any] | None:
        return next((e.fn for e in self.endpoints if e.matches(method, url)), None)


def _without_query(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/")


def endpoints(service: Any) -> HttpEndpoints:
    return service.world.shared("stepfunctions.http_endpoints", HttpEndpoints)


# --- the request ---------------------------------------------------------------------------------
class BadRequest(Exception):
    """An HTTP Task argument AWS would refuse (``States.Runtime``; texts [INF: ours])."""


def build_request(args: Any) -> HttpRequest:
    if not isinstance(args, dict):
        raise BadRequest("The HTTP Task's arguments must be an object")
    url = args.get("ApiEndpoint")
    if not isinstance(url, str) or not url.startswith("https://"):
        raise BadRequest("ApiEndpoint is required and must be an https:// URL")
    method = args.get("Method")
    if method not in METHODS:
        raise BadRequest(f"Method is required and must be one of {', '.join(METHODS)}")
    _check_connection(args)
    headers = _headers(args.get("Headers"))
    query = args.get("QueryParameters")
    if query is not None and not isinstance(query, dict):
        raise BadRequest("QueryParameters must be an object")
    body = _transformed_body(args.get("Transform"), args.get("RequestBody"), headers)
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(_flat(query, "REPEAT"))
    return HttpRequest(method, url, headers, dict(query or {}), body)


def _check_connection(args: dict) -> None:
    auth = args.get("Authentication") or args.get("InvocationConfig")
    arn = auth.get("ConnectionArn") if isinstance(auth, dict) else None
    if not isinstance(arn, str):
        raise BadRequest("Authentication.ConnectionArn (an EventBridge connection ARN) is required")
    if not CONNECTION_ARN.match(arn):
        raise BadRequest(f"ConnectionArn is not an EventBridge connection ARN: '{arn}'")


def _headers(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest("Headers must be an object")
    out = {}
    for name, v in value.items():
        low = name.lower()
        if low in FORBIDDEN_HEADERS or low.startswith(FORBIDDEN_PREFIXES):
            raise BadRequest(f"The header '{name}' cannot be set by an HTTP Task")
        out[name] = v if isinstance(v, str) else json.dumps(v, separators=(",", ":"))
    return out


def _transformed_body(transform: Any, body: Any, headers: dict[str, str]) -> Any:
    if transform is None:
        return body
    if not isinstance(transform, dict):
        raise BadRequest("Transform must be an object")
    encoding = transform.get("RequestBodyEncoding", "NONE")
    if encoding not in ("NONE", "URL_ENCODED"):
        raise BadRequest("Transform.RequestBodyEncoding must be NONE or URL_ENCODED")
    options = transform.get("RequestEncodingOptions") or {}
    array_format = options.get("ArrayFormat", "INDICES") if isinstance(options, dict) else None
    if array_format not in ARRAY_FORMATS:
        raise BadRequest(
            f"Transform.RequestEncodingOptions.ArrayFormat must be one of {', '.join(ARRAY_FORMATS)}"
        )
    if encoding == "NONE":
        return body
    if not isinstance(body, dict):
        raise BadRequest("URL_ENCODED needs a RequestBody object")
    headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return urllib.parse.urlencode(_flat(body, array_format))


def _flat(values: dict, array_format: str) -> list[tuple[str, str]]:
    """Key/value pairs of a form or query string, arrays written in ``array_format``."""
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        if isinstance(value, list):
            items = [_text(v) for v in value]
            if array_format == "COMMAS":
                pairs.append((key, ",".join(items)))
            elif array_format == "BRACKETS":
                pairs.extend((f"{key}[]", v) for v in items)
            elif array_format == "INDICES":
                pairs.extend((f"{key}[{i}]", v) for i, v in enumerate(items))
            else:
                pairs.extend((key, v) for v in items)
        else:
            pairs.append((key, _text(value)))
    return pairs


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


# --- the call and its result ---------------------------------------------------------------------
def invoke_http(ex: Execution, args: Any, tctx: TaskContext) -> tuple[bool, Any]:
    """Answer one HTTP Task attempt: ``(True, result)`` or ``(False, (error, cause))``."""
    try:
        request = build_request(args)
    except BadRequest as exc:
        return False, (RUNTIME, str(exc))
    fn = endpoints(ex.service).find(request.method, request.url)
    if fn is None:
        return False, (SOCKET_ERROR, f"No HTTP endpoint is registered for {request.method} {request.url}")
    answered: list[Any] = []

    def run(event: Any, context: Any) -> None:
        two = len(inspect.signature(fn).parameters) >= 2
        answered.append(fn(request, context) if two else fn(request))

    ok, value = call(ex, run, None, tctx)
    if not ok:
        return False, value
    result = http_result(answered[0])
    trace = getattr(ex, "inspection", None)
    if isinstance(trace, dict):  # TestState (TS-09): the raw request and response, for TRACE
        trace["request"], trace["response"] = traced(request, result)
    status = result["StatusCode"]
    if not 200 <= status < 300:
        body = result["ResponseBody"]
        return False, (f"States.Http.StatusCode.{status}", body if isinstance(body, str) else _text(body))
    return True, result


def traced(request: HttpRequest, result: dict) -> tuple[dict, dict]:
    """TestState's ``inspectionData.request`` / ``.response`` of one call (botocore's
    InspectionDataRequest/Response members, all strings). [INF]: headers as
    ``[Name: value, ...]``; the connection adds no secret here (connections are not modelled), so
    ``revealSecrets`` changes nothing."""
    body = request.body
    sent = {
        "protocol": "https",
        "method": request.method,
        "url": request.url,
        "headers": _header_text({k: [v] for k, v in request.headers.items()}),
        "body": "" if body is None else _text(body),
    }
    answer = result["ResponseBody"]
    got = {
        "protocol": "https",
        "statusCode": str(result["StatusCode"]),
        "statusMessage": result["StatusText"],
        "headers": _header_text(result["Headers"]),
        "body": answer if isinstance(answer, str) else _text(answer),
    }
    return sent, got


def _header_text(headers: dict[str, list[str]]) -> str:
    return "[" + ", ".join(f"{k}: {v}" for k, values in headers.items() for v in values) + "]"


def http_result(answer: Any) -> dict:
    """AWS's HTTP Task result from what the callable returned."""
    response = answer if isinstance(answer, HttpResponse) else HttpResponse(200, answer)
    body = response.body
    headers = {k.lower(): str(v) for k, v in response.headers.items()}
    if isinstance(body, (dict, list, int, float, bool)) or body is None:
        headers.setdefault("content-type", "application/json")
        text = "" if body is None else _text(body)
    else:
        text = body.decode() if isinstance(body, bytes) else str(body)
        headers.setdefault("content-type", "text/plain; charset=utf-8")
    headers.setdefault("content-length", str(len(text.encode())))
    parsed: Any = text
    if "json" in headers["content-type"] and text:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
    try:
        reason = http.HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    return {
        "Headers": {k: [v] for k, v in headers.items()},
        "ResponseBody": parsed,
        "StatusCode": int(response.status),
        "StatusText": reason,
    }
