"""The Step Functions API actions, registered by name on the service's registry.

One module per resource: state machines, executions, history, tags, task callbacks, validation.
Shared request checks (names, ARNs, pagination) live in ``requests.py``.
"""

from . import activities, aliases, callbacks, executions, history, state_machines, tags, validate  # noqa: F401
