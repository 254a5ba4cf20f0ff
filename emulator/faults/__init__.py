"""Fault injection: make chosen calls fail on purpose, reproducibly (issue 16 §1).

``aws.faults.inject(service="dynamodb", operation="PutItem", error="ProvisionedThroughputExceededException",
table="Orders", probability=0.2)`` returns a :class:`Fault`, a handle that ``remove()``\\s it and a
context manager. ``rules.py`` holds the fault and its matching, ``injector.py`` the world's set of
faults and the checks ``Service.call`` and Step Functions Tasks run, ``catalog.py`` the errors
they answer with. The HTTP control path is ``wire/control_routes/faults.py``; the pytest marker
``emulator_faults`` is in ``pytest_plugin.py``.
"""

from __future__ import annotations

from .injector import Faults
from .rules import Fault

__all__ = ["Fault", "Faults"]
