"""The Step Functions API actions, registered by name on :data:`registry`.

One module per resource: state machines (and their versions), aliases, executions, history,
activities, tags, task callbacks, validation. Shared request checks (names, ARNs, pagination)
live in ``requests.py``; the stored records in ``records.py``. The registry lives here, not in
``service.py``, so that a handler module imports nothing above it (as ``dynamodb/operations``);
``service.py`` imports the handler modules, which registers them.
"""

from ...service import OperationRegistry

#: The Step Functions operation registry (``service.StepFunctions.registry``).
registry = OperationRegistry()
operation = registry
