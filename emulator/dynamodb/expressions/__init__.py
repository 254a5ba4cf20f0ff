"""DynamoDB expressions: one lexer, one grammar, one AST; thin entry points per expression kind.

* :class:`ExpressionContext` binds one request's ExpressionAttributeNames/Values and tracks use.
* :func:`compile_condition` (ConditionExpression, FilterExpression) -> :class:`Condition`.
* :func:`compile_key_condition` (KeyConditionExpression) -> :class:`KeyCondition`.
* :func:`compile_projection` (ProjectionExpression) -> :class:`Projection`.
* :func:`compile_update` (UpdateExpression) -> :class:`Update`.
"""

from __future__ import annotations

from .condition import Condition, compile_condition
from .context import ExpressionContext
from .key_condition import KeyCondition, compile_key_condition
from .projection import Projection, compile_projection
from .update import Update, compile_update

__all__ = ["Condition", "ExpressionContext", "KeyCondition", "compile_condition", "compile_key_condition",
           "Projection", "compile_projection", "Update", "compile_update"]
