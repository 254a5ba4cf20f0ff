"""Fixtures shared by several DynamoDB operation test modules (each creates its table through the
door under test, ``ddb``)."""

from __future__ import annotations

import pytest

from tests.dynamodb.door_helpers import create_hash_table


@pytest.fixture
def tbl(ddb):
    """An on-demand table ``tbl`` with the hash key ``id`` (S)."""
    return create_hash_table(ddb, "tbl")


@pytest.fixture
def pair(ddb):
    """Two on-demand tables: ``hh1`` (hash key ``a`` S) and ``hr1`` (hash ``a`` S, range ``b`` N)."""
    ddb.create_table(
        TableName="hh1",
        KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.create_table(
        TableName="hr1",
        KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "a", "AttributeType": "S"},
            {"AttributeName": "b", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return "hh1", "hr1"
