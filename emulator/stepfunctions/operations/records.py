"""What the API stores: state machines and their revisions.

A :class:`Revision` is immutable: UpdateStateMachine makes a new one, and a running execution keeps
the revision it started with (API-03; DescribeStateMachineForExecution returns it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Revision:
    arn: str  # the state machine ARN (unqualified)
    name: str
    definition: str
    role_arn: str
    model: Any  # asl.model.StateMachine
    type: str
    logging: dict
    tracing: dict
    encryption: dict
    revision_id: str | None
    update_date: float


@dataclass(slots=True)
class StateMachineRecord:
    arn: str
    name: str
    type: str
    creation_date: float
    current: Revision
    status: str = "ACTIVE"
    publish: bool = False
    version_description: str | None = None
    executions: list = field(default_factory=list)  # newest last (closed ones go: ..retention)
    started: int = 0  # executions ever started (seeds, list order)
    running: int = 0
    versions: dict = field(default_factory=dict)  # number → VersionRecord
    next_version: int = 1
    aliases: dict = field(default_factory=dict)  # name → AliasRecord


@dataclass(frozen=True, slots=True)
class VersionRecord:
    """A published, immutable version (API-16): ``<stateMachineArn>:<number>``."""

    arn: str
    number: int
    revision: Revision
    description: str | None
    creation_date: float


@dataclass(slots=True)
class AliasRecord:
    """A state machine alias (API-17): ``<stateMachineArn>:<name>`` routing to 1-2 versions."""

    arn: str
    name: str
    description: str | None
    routing: list
    creation_date: float
    update_date: float
