"""DynamoDB expressions: one lexer, one grammar, one AST; thin entry points per expression kind.

* :class:`ExpressionContext` binds one request's ExpressionAttributeNames/Values and tracks use.
* :func:`compile_condition` (ConditionExpression, FilterExpression) -> :class:`Condition`.
* :func:`compile_key_condition` (KeyConditionExpression) -> :class:`KeyCondition`.
"""

from __future__ import annotations

from .condition import Condition, compile_condition
from .context import ExpressionContext
from .key_condition import KeyCondition, compile_key_condition

__all__ = ["Condition", "ExpressionContext", "KeyCondition", "compile_condition", "compile_key_condition"]
