"""Request checks shared by the operations: names, ARNs, pagination tokens (reference §11.1).

Messages are AWS's exact texts (``Invalid Name: '<name>'``, ``Invalid Arn: '<arn>'``, the
``1 validation error detected: …`` family).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
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


def required(request: dict, key: str) -> Any:
    value = request.get(key)
    if value is None:
        raise ValidationException(
            f"1 validation error detected: Value null at '{key}' failed to satisfy constraint: "
            "Member must not be null"
        )
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


def _max_results_problem(n: Any) -> str | None:
    if isinstance(n, int) and n > 1000:
        return (
            f"Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value "
            "less than or equal to 1000"
        )
    if not isinstance(n, int) or n < 0:
        return (
            f"Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value "
            "greater than or equal to 0"
        )
    return None


def raise_validation(problems: list[str]) -> None:
    """AWS's request-validation message: ``<n> validation error(s) detected: <p1>; <p2>``."""
    if problems:
        noun = "errors" if len(problems) > 1 else "error"
        raise ValidationException(f"{len(problems)} validation {noun} detected: {'; '.join(problems)}")


def _scope_digest(scope: str) -> str:
    return hashlib.sha1(scope.encode()).hexdigest()[:12]


def _sort_key(value: Any) -> Any:
    """A token's key back from JSON: lists (composite keys) compare as tuples."""
    return tuple(value) if isinstance(value, list) else value


def page(
    items: list,
    request: dict,
    scope: str,
    key: Callable[[Any], Any] | None = None,
    descending: bool = False,
    token_max: int = 1024,
) -> tuple[list, str | None]:
    """Slice ``items`` for ``maxResults``/``nextToken``; the token is bound to ``scope``.

    Without ``key`` the token is an offset. With ``key`` (an item's sort key, unique and stable:
    an execution's creation number, an event's index, a state machine's (creationDate, name);
    ``items`` sorted by it, ``descending`` or not; a JSON int or list) the token is the key of
    the first item of the next page, and the next page starts at the first item not before it.
    So a list that grows or changes while it is being paged (a new execution on top of
    ListExecutions, an execution leaving a ``statusFilter``, new events on top of a reverse
    GetExecutionHistory, a state machine created or deleted between pages) neither repeats nor
    skips an item. A ``nextToken`` longer than the operation's limit (API-N-03: 1024,
    ListExecutions 3096) is a ValidationException; an undecodable or foreign one is
    ``InvalidToken``."""
    n = request.get("maxResults", 0) or 0
    token = request.get("nextToken")
    problems = [p for p in [_max_results_problem(n)] if p]
    if isinstance(token, str) and len(token) > token_max:
        problems.append(
            f"Value '{token}' at 'nextToken' failed to satisfy constraint: Member must "
            f"have length less than or equal to {token_max}"
        )
    raise_validation(problems)
    limit = int(n) or 100
    start = 0 if token is None else _page_start(token, items, scope, key, descending)
    chunk = items[start : start + limit]
    nxt = None
    if start + limit < len(items):
        cursor: dict[str, Any] = {"s": _scope_digest(scope)}
        if key is not None:
            cursor["k"] = key(items[start + limit])
        else:
            cursor["o"] = start + limit
        nxt = base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode()
    return chunk, nxt


def _page_start(
    token: str, items: list, scope: str, key: Callable[[Any], Any] | None, descending: bool
) -> int:
    """Where the page of ``token`` starts in ``items`` (see :func:`page`); ``InvalidToken`` when
    the token is undecodable or from another listing."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()).decode())
        if data["s"] != _scope_digest(scope):
            raise ValueError
        if key is None:
            start = int(data["o"])
        else:
            k = _sort_key(data["k"])
            start = next(
                (
                    i
                    for i, item in enumerate(items)
                    if (_sort_key(key(item)) <= k if descending else _sort_key(key(item)) >= k)
                ),
                len(items),
            )
        if start < 0:
            raise ValueError
        return start
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise InvalidToken(f"Invalid Token: '{token}'") from None


def listing(member: str, rows: list, next_token: str | None) -> dict[str, Any]:
    """A List* answer: ``{member: rows}``, plus ``nextToken`` when :func:`page` left a next page."""
    out: dict[str, Any] = {member: rows}
    if next_token:
        out["nextToken"] = next_token
    return out
