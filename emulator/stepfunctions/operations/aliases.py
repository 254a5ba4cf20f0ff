"""State machine aliases (API-17): Create/Describe/List/Update/DeleteStateMachineAlias.

An alias ``<stateMachineArn>:<name>`` routes StartExecution to one or two published versions by
weight (the pick uses the world's seeded RNG, so runs are reproducible)."""

from __future__ import annotations

import re
from typing import Any

from ..errors import ERRORS
from . import operation
from .records import AliasRecord
from .requests import listing, page, parse_arn, required
from .state_machines import dt, get_record, resolve_alias

ValidationException = ERRORS["ValidationException"]
ConflictException = ERRORS["ConflictException"]
ResourceNotFound = ERRORS["ResourceNotFound"]

_NAME = re.compile(r"^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$")
MAX_ALIASES = 100  # LIM-08
ROUTING_OTHER_MACHINE = (
    "Routing configuration must contain state machine version ARNs of the same state machine"
)
"""``ValidationException`` of an alias routing to versions of another state machine."""


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not (1 <= len(name) <= 80) or not _NAME.match(name):
        raise ValidationException(
            f"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member "
            r"must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$"
        )
    return name


def _check_routing(service: Any, routing: Any) -> tuple[Any, list]:
    """The state machine record the routing's versions belong to, and the normalised routing."""
    if not isinstance(routing, list) or not 1 <= len(routing) <= 2:
        raise ValidationException(
            "1 validation error detected: Value at 'routingConfiguration' failed "
            "to satisfy constraint: Member must have length between 1 and 2"
        )
    out, rec = [], None
    for route in routing:
        arn = route.get("stateMachineVersionArn")
        parse_arn(arn, "stateMachine")
        base, _, number = arn.rpartition(":")
        owner = service.state_machines.get(base)
        if not number.isdigit() or owner is None or int(number) not in owner.versions:
            raise ResourceNotFound(f"Resource not found: '{arn}'", resourceName=arn)
        if rec is not None and owner is not rec:
            raise ValidationException(ROUTING_OTHER_MACHINE)
        rec = owner
        weight = route.get("weight")
        if not isinstance(weight, int) or not 0 <= weight <= 100:
            raise ValidationException(
                f"1 validation error detected: Value '{weight}' at 'weight' failed "
                "to satisfy constraint: Member must have value less than or equal to 100"
            )
        out.append({"stateMachineVersionArn": arn, "weight": weight})
    if sum(r["weight"] for r in out) != 100:
        raise ValidationException("Sum of routing configuration weights must be equal to 100")
    if len(out) == 2 and out[0]["stateMachineVersionArn"] == out[1]["stateMachineVersionArn"]:
        raise ValidationException("Routing configuration must contain distinct state machine version ARNs")
    return rec, out


def _get(service: Any, arn: Any) -> tuple[Any, AliasRecord]:
    parse_arn(arn, "stateMachine")
    found = resolve_alias(service, arn)  # raises ResourceNotFound for an unknown alias
    if found is None:  # not alias-shaped (a state machine or version ARN)
        raise ResourceNotFound(f"Resource not found: '{arn}'", resourceName=arn)
    return found


@operation("CreateStateMachineAlias")
def create_state_machine_alias(service: Any, request: dict) -> dict:
    name = _check_name(required(request, "name"))
    rec, routing = _check_routing(service, required(request, "routingConfiguration"))
    description = request.get("description")
    existing = rec.aliases.get(name)
    if existing is not None:
        if existing.routing == routing and existing.description == description:
            return {"stateMachineAliasArn": existing.arn, "creationDate": dt(existing.creation_date)}
        raise ConflictException(
            f"Failed to create alias because an alias with the same name and a "
            f"different routing configuration already exists: '{existing.arn}'"
        )
    if len(rec.aliases) >= MAX_ALIASES:
        raise ERRORS["ServiceQuotaExceededException"](
            f"Maximum number of aliases ({MAX_ALIASES}) reached for state machine '{rec.arn}'"
        )
    now = service.clock.now()
    alias = AliasRecord(
        arn=f"{rec.arn}:{name}",
        name=name,
        description=description,
        routing=routing,
        creation_date=now,
        update_date=now,
    )
    rec.aliases[name] = alias
    return {"stateMachineAliasArn": alias.arn, "creationDate": dt(now)}


@operation("DescribeStateMachineAlias")
def describe_state_machine_alias(service: Any, request: dict) -> dict:
    _, alias = _get(service, required(request, "stateMachineAliasArn"))
    out: dict[str, Any] = {"stateMachineAliasArn": alias.arn, "name": alias.name}
    if alias.description is not None:
        out["description"] = alias.description
    out.update(
        {
            "routingConfiguration": [dict(r) for r in alias.routing],
            "creationDate": dt(alias.creation_date),
            "updateDate": dt(alias.update_date),
        }
    )
    return out


@operation("ListStateMachineAliases")
def list_state_machine_aliases(service: Any, request: dict) -> dict:
    arn = required(request, "stateMachineArn")
    base, _, qualifier = arn.rpartition(":")
    rec = get_record(service, base if qualifier.isdigit() and base.count(":") == 6 else arn)
    aliases = sorted(rec.aliases.values(), key=lambda a: (a.creation_date, a.arn))
    if qualifier.isdigit() and base.count(":") == 6:
        aliases = [a for a in aliases if any(r["stateMachineVersionArn"] == arn for r in a.routing)]
    chunk, nxt = page(
        aliases, request, f"ListStateMachineAliases:{arn}", key=lambda a: [a.creation_date, a.arn]
    )
    return listing(
        "stateMachineAliases",
        [{"stateMachineAliasArn": a.arn, "creationDate": dt(a.creation_date)} for a in chunk],
        nxt,
    )


@operation("UpdateStateMachineAlias")
def update_state_machine_alias(service: Any, request: dict) -> dict:
    rec, alias = _get(service, required(request, "stateMachineAliasArn"))
    if request.get("description") is None and request.get("routingConfiguration") is None:
        raise ValidationException("Either the description or the RoutingConfiguration must be specified")
    if request.get("routingConfiguration") is not None:
        owner, routing = _check_routing(service, request["routingConfiguration"])
        if owner is not rec:
            raise ValidationException(ROUTING_OTHER_MACHINE)
        alias.routing = routing
    if request.get("description") is not None:
        alias.description = request["description"]
    alias.update_date = service.clock.now()
    return {"updateDate": dt(alias.update_date)}


@operation("DeleteStateMachineAlias")
def delete_state_machine_alias(service: Any, request: dict) -> dict:
    arn = required(request, "stateMachineAliasArn")
    parse_arn(arn, "stateMachine")
    base, _, name = arn.rpartition(":")
    rec = service.state_machines.get(base)
    if rec is not None:
        rec.aliases.pop(name, None)
    return {}
