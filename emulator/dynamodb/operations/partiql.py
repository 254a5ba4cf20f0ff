"""ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL for DynamoDB.

Thin handlers: the request shape is checked by the registry, the language lives in
``dynamodb/partiql/`` (lexer, parser, planner, executor), and every read and write it makes goes
through the same engine paths and operation internals as the native API.
"""

from __future__ import annotations

from typing import Any

from .. import partiql
from .. import request_shapes as shapes
from ..partiql.fastpath import fast_select
from . import registry


@registry("ExecuteStatement", shape=shapes.EXECUTE_STATEMENT, fast=fast_select)
def execute_statement(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return partiql.execute(service, request)


@registry("BatchExecuteStatement", shape=shapes.BATCH_EXECUTE_STATEMENT)
def batch_execute_statement(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return partiql.batch_execute(service, request)


@registry("ExecuteTransaction", shape=shapes.EXECUTE_TRANSACTION)
def execute_transaction(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return partiql.execute_transaction(service, request)
