"""DynamoDB expressions: one lexer, one grammar, one AST; thin entry points per expression kind.

* :class:`ExpressionContext` binds one request's ExpressionAttributeNames/Values and tracks use.
* :func:`compile_condition` (ConditionExpression, FilterExpression) -> :class:`Condition`.
* :func:`compile_key_condition` (KeyConditionExpression) -> :class:`KeyCondition`;
  :func:`compile_multi_key_condition` for a multi-attribute GSI key (``multikey.py``).
* :func:`compile_projection` (ProjectionExpression) -> :class:`Projection`.
* :func:`compile_update` (UpdateExpression) -> :class:`Update`.
* ``legacy``: Expected, QueryFilter/ScanFilter, KeyConditions, AttributeUpdates, AttributesToGet.

Call ``ctx.check_unused()`` after compiling all of a request's expressions (E4).
"""

from __future__ import annotations

from .condition import Condition, compile_condition
from .context import ExpressionContext
from .key_condition import (
    KeyCondition,
    check_key_condition_shape,
    compile_key_condition,
    compile_multi_key_condition,
)
from .legacy import (
    LegacyUpdate,
    attribute_updates_to_update,
    attributes_to_get_projection,
    expected_to_condition,
    filter_to_condition,
    key_conditions_to_key_condition,
)
from .projection import Projection, compile_projection
from .update import Update, compile_update

__all__ = [
    "Condition",
    "ExpressionContext",
    "KeyCondition",
    "compile_condition",
    "check_key_condition_shape",
    "compile_key_condition",
    "compile_multi_key_condition",
    "Projection",
    "compile_projection",
    "Update",
    "compile_update",
    "LegacyUpdate",
    "attribute_updates_to_update",
    "attributes_to_get_projection",
    "expected_to_condition",
    "filter_to_condition",
    "key_conditions_to_key_condition",
]
