"""Request checks shared by the operations: names, ARNs, pagination tokens (reference §11.1).

Messages are AWS's exact texts (``Invalid Name: '<name>'``, ``Invalid Arn: '<arn>'``, the
``1 validation error detected: …`` family).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from ..errors import ERRORS

InvalidName = ERRORS["InvalidName"]
InvalidArn = ERRORS["InvalidArn"]
InvalidToken = ERRORS["InvalidToken"]
ValidationException = ERRORS["ValidationException"]

# API-N-01: whitespace, brackets, wildcards, punctuation, control characters.
_BAD_NAME = re.compile(r"[\s<>{}\[\]?*\"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff]")

ARN_RE = re.compile(r"^arn:(aws[\w-]*):states:([a-z0-9-]+):(\d{12}):([A-Za-z]+):(.+)$")


def check_name(name: Any) -> str:
    if not isinstance(name, str) or not (1 <= len(name) <= 80) or _BAD_NAME.search(name):
        raise InvalidName(f"Invalid Name: '{name}'")
    return name


def required(request: dict, key: str, what: str | None = None) -> Any:
    value = request.get(key)
    if value is None:
        raise ValidationException(
            f"1 validation error detected: Value null at '{key}' failed to satisfy constraint: "
            "Member must not be null")
    return value


def parse_arn(arn: Any, *kinds: str) -> tuple[str, str, str, str, str]:
    """``(partition, region, account, resource_type, rest)``; InvalidArn when malformed."""
    if not isinstance(arn, str):
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    m = ARN_RE.match(arn)
    if not m:
        raise InvalidArn(f"Invalid Arn: '{arn}'")
    if kinds and m.group(4) not in kinds:
        raise InvalidArn(f"Invalid Arn: 'Resource type not valid in this context: {m.group(4)}'")
    return m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)


def max_results(request: dict) -> int:
    n = request.get("maxResults", 0) or 0
    if not isinstance(n, int) or n < 0 or n > 1000:
        if isinstance(n, int) and n > 1000:
            raise ValidationException(
                f"1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy "
                "constraint: Member must have value less than or equal to 1000")
        raise ValidationException(
            f"1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy "
            "constraint: Member must have value greater than or equal to 0")
    return n or 100


def _scope_digest(scope: str) -> str:
    return hashlib.sha1(scope.encode()).hexdigest()[:12]


def page(items: list, request: dict, scope: str) -> tuple[list, str | None]:
    """Slice ``items`` for ``maxResults``/``nextToken``; the token is bound to ``scope``."""
    limit = max_results(request)
    start = 0
    token = request.get("nextToken")
    if token is not None:
        try:
            data = json.loads(base64.urlsafe_b64decode(token.encode()).decode())
            start = int(data["o"])
            if data["s"] != _scope_digest(scope) or start < 0:
                raise ValueError
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise InvalidToken(f"Invalid Token: '{token}'") from None
    chunk = items[start:start + limit]
    nxt = None
    if start + limit < len(items):
        nxt = base64.urlsafe_b64encode(json.dumps(
            {"o": start + limit, "s": _scope_digest(scope)}).encode()).decode()
    return chunk, nxt
