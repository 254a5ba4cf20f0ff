"""DynamoDB operation handlers: validate the request → call the engine → shape the response.

One module per concept: ``control`` (tables), ``tags`` (tags, limits, endpoints), ``items``
(single-item reads and writes), ``batch`` (BatchGetItem, BatchWriteItem), ``reads`` (Query, Scan).
Shared request rules live in ``requests`` (expression parameters, legacy mixing, ReturnValues) and
capacity arithmetic in ``capacity``. Handlers register with :data:`registry` on import
(it lives here, not in ``service.py``, so a handler module can be imported on its own).
"""

from ...service import OperationRegistry

#: The DynamoDB operation registry (``service.DynamoDB.registry``); handler modules register here.
registry = OperationRegistry()
