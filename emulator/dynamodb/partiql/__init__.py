"""PartiQL for DynamoDB: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.

One language, small modules: ``lexer`` (text → tokens with positions), ``parser`` (tokens →
``ast``, cached by text), ``render`` (values bound to parameters; conditions and SET/REMOVE as
DynamoDB expression text, evaluated by ``expressions/``), ``planner`` (get / query / scan for
reads; the native PutItem/UpdateItem/DeleteItem request for writes), ``executor`` (one statement)
and ``multi`` (batches and transactions). The operations register in ``operations/partiql.py``.
"""

from __future__ import annotations

from .executor import execute
from .multi import batch_execute, execute_transaction
from .parser import parse

__all__ = ["execute", "batch_execute", "execute_transaction", "parse"]
