"""DynamoDB operation handlers: call the engine → shape the response (the registry validates).

One module per concept: ``control`` (tables), ``tags`` (tags, limits, endpoints), ``items``
(single-item reads and writes), ``batch`` (BatchGetItem, BatchWriteItem), ``reads`` (Query, Scan).
Shared request rules live in ``requests`` (expression parameters, legacy mixing, ReturnValues) and
capacity arithmetic in ``capacity``. Handlers register with :data:`registry` on import
(it lives here, not in ``service.py``, so a handler module can be imported on its own).
"""

from ...service import OperationRegistry
from ..validation import check

#: The DynamoDB operation registry (``service.DynamoDB.registry``); handler modules register here
#: with their request shape (``@registry("PutItem", shape=shapes.PUT_ITEM)``), which ``Service.call``
#: checks (``validation.check``) before the handler runs.
registry = OperationRegistry(validate=check)
