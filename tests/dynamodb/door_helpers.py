"""Helpers shared by the DynamoDB operation tests (were copied into each test module).

* :func:`err` — the (code, message) of the AWS error a call raises, through any door.
* :func:`create_hash_table` / :func:`create_ranged_table` — the two on-demand tables most tests
  use: a hash key ``id``, or a hash key ``p`` (S) with a range key ``s`` (N).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import error_of


def err(fn: Any, **kw: Any) -> tuple[str, str]:
    """Call ``fn(**kw)``, which must raise an AWS error; return its (code, message)."""
    with pytest.raises(Exception) as e:
        fn(**kw)
    return error_of(e)


def create_hash_table(ddb: Any, name: str, key_type: str = "S") -> str:
    """An on-demand table with the hash key ``id`` of ``key_type``; returns its name."""
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": key_type}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def create_ranged_table(ddb: Any, name: str) -> str:
    """An on-demand table with the hash key ``p`` (S) and the range key ``s`` (N); returns its name."""
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "s", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return name
