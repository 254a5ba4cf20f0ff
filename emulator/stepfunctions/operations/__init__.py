"""The Step Functions API actions, registered by name on the service's registry.

One module per resource: state machines (and their versions), aliases, executions, history,
activities, tags, task callbacks, validation. Shared request checks (names, ARNs, pagination)
live in ``requests.py``; the stored records in ``records.py``.
"""

from . import activities, aliases, callbacks, executions, history, state_machines, tags, validate  # noqa: F401
