"""DynamoDB operation handlers: validate the request → call the engine → shape the response.

One module per concept: ``control`` (tables), ``tags`` (tags, limits, endpoints), ``items``
(single-item reads and writes), ``batch`` (BatchGetItem, BatchWriteItem), ``reads`` (Query, Scan).
Shared request rules live in ``requests`` (expression parameters, legacy mixing, ReturnValues) and
capacity arithmetic in ``capacity``. Handlers register with ``service.registry`` on import.
"""
