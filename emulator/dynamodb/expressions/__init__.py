"""DynamoDB expressions: one lexer, one grammar, one AST; thin entry points per expression kind.

* :class:`ExpressionContext` binds one request's ExpressionAttributeNames/Values and tracks use.
* :func:`compile_condition` (ConditionExpression, FilterExpression) -> :class:`Condition`.
"""

from __future__ import annotations

from .condition import Condition, compile_condition
from .context import ExpressionContext

__all__ = ["Condition", "ExpressionContext", "compile_condition"]
