"""CreateStateMachine, UpdateStateMachine, DeleteStateMachine, DescribeStateMachine,
ListStateMachines (reference API-01..API-05), and versions: PublishStateMachineVersion,
ListStateMachineVersions, DeleteStateMachineVersion.

DeleteStateMachine is asynchronous (API-04): the machine is DELETING while executions run and is
removed when the last one ends."""

from __future__ import annotations

import uuid
from typing import Any

from ..asl import model as aslmodel
from ..errors import ERRORS
from ..runtime.history import api_datetime as dt
from . import operation
from .records import Revision, StateMachineRecord, VersionRecord
from .requests import check_name, listing, page, parse_arn, required
from .tags import apply_tags, check_tags

InvalidDefinition = ERRORS["InvalidDefinition"]
StateMachineAlreadyExists = ERRORS["StateMachineAlreadyExists"]
StateMachineDoesNotExist = ERRORS["StateMachineDoesNotExist"]
StateMachineDeleting = ERRORS["StateMachineDeleting"]
ValidationException = ERRORS["ValidationException"]
MissingRequiredParameter = ERRORS["MissingRequiredParameter"]
InvalidLoggingConfiguration = ERRORS["InvalidLoggingConfiguration"]

DESCRIPTION_WITHOUT_PUBLISH = "Version description can only be set when publish is true"
"""``ValidationException`` of CreateStateMachine/UpdateStateMachine with ``versionDescription``
but no ``publish``."""


def does_not_exist(arn: str) -> str:
    """``StateMachineDoesNotExist`` (AWS's text)."""
    return f"State Machine Does Not Exist: '{arn}'"


def being_deleted(arn: str) -> str:
    """``StateMachineDeleting`` of a state machine whose deletion is under way (wording INF)."""
    return f"State Machine is being deleted: '{arn}'"


DEFAULT_LOGGING = {"level": "OFF", "includeExecutionData": False}
DEFAULT_TRACING = {"enabled": False}
DEFAULT_ENCRYPTION = {"type": "AWS_OWNED_KEY"}
TYPES = ("STANDARD", "EXPRESS")
MAX_VERSIONS = 1000  # LIM-08


def load_definition(definition: Any, sm_type: str) -> Any:
    if not isinstance(definition, str):
        raise ValidationException(
            "1 validation error detected: Value null at 'definition' failed to "
            "satisfy constraint: Member must not be null"
        )
    try:
        return aslmodel.load(definition, type=sm_type)
    except aslmodel.DefinitionError as exc:
        raise InvalidDefinition(exc.message) from None


def _logging(cfg: Any) -> dict:
    if cfg is None:
        return dict(DEFAULT_LOGGING)
    out: dict[str, Any] = dict(DEFAULT_LOGGING)
    out.update(cfg)
    if out.get("level", "OFF") != "OFF":
        dests = out.get("destinations") or []
        if len(dests) != 1:
            raise InvalidLoggingConfiguration(
                "Invalid Logging Configuration: Must specify exactly one Log Destination."
            )
    return out


def get_record(service: Any, arn: Any) -> StateMachineRecord:
    parse_arn(arn, "stateMachine")
    rec = service.state_machines.get(arn)
    if rec is None:
        raise StateMachineDoesNotExist(does_not_exist(arn))
    return rec


def resolve(service: Any, arn: Any) -> tuple[StateMachineRecord, VersionRecord | None]:
    """A state machine ARN, or a version ARN ``<arn>:<n>`` (API-02, API-06)."""
    parse_arn(arn, "stateMachine")
    base, _, qualifier = arn.rpartition(":")
    if qualifier.isdigit() and base.count(":") == 6:
        rec = service.state_machines.get(base)
        version = rec.versions.get(int(qualifier)) if rec is not None else None
        if version is None:
            raise StateMachineDoesNotExist(does_not_exist(arn))
        return rec, version
    return get_record(service, arn), None


def resolve_alias(service: Any, arn: Any) -> tuple[StateMachineRecord, Any] | None:
    """``(record, alias)`` when ``arn`` is an alias ARN ``<arn>:<alias name>``, else None."""
    if not isinstance(arn, str):
        return None
    base, _, qualifier = arn.rpartition(":")
    if base.count(":") != 6 or qualifier.isdigit() or ":stateMachine:" not in base:
        return None
    rec = service.state_machines.get(base)
    alias = rec.aliases.get(qualifier) if rec is not None else None
    if alias is None:
        raise ERRORS["ResourceNotFound"](f"Resource not found: '{arn}'", resourceName=arn)
    return rec, alias


def publish_version(service: Any, rec: StateMachineRecord, description: str | None) -> VersionRecord:
    """Publish the current revision; idempotent when the latest version is that revision."""
    latest = rec.versions.get(rec.next_version - 1)
    if latest is not None and latest.revision is rec.current:
        return latest
    if len(rec.versions) >= MAX_VERSIONS:
        raise ERRORS["ServiceQuotaExceededException"](
            f"Maximum number of versions ({MAX_VERSIONS}) reached for state machine '{rec.arn}'"
        )
    number = rec.next_version
    rec.next_version += 1
    version = VersionRecord(
        arn=f"{rec.arn}:{number}",
        number=number,
        revision=rec.current,
        description=description,
        creation_date=service.clock.now(),
    )
    rec.versions[number] = version
    return version


@operation("CreateStateMachine")
def create_state_machine(service: Any, request: dict) -> dict:
    name = check_name(required(request, "name"))
    definition = required(request, "definition")
    role_arn = required(request, "roleArn")
    sm_type = request.get("type", "STANDARD")
    if sm_type not in TYPES:
        raise ValidationException(
            f"1 validation error detected: Value '{sm_type}' at 'type' failed to satisfy constraint: "
            "Member must satisfy enum value set: [STANDARD, EXPRESS]"
        )
    if request.get("versionDescription") is not None and not request.get("publish"):
        raise ValidationException(DESCRIPTION_WITHOUT_PUBLISH)
    logging = _logging(request.get("loggingConfiguration"))
    tracing = dict(request.get("tracingConfiguration") or DEFAULT_TRACING)
    encryption = dict(request.get("encryptionConfiguration") or DEFAULT_ENCRYPTION)
    check_tags(request.get("tags") or [])
    arn = service.arn("states", f"stateMachine:{name}")
    existing = service.state_machines.get(arn)
    if existing is not None:
        cur = existing.current
        if existing.status == "DELETING":
            raise StateMachineDeleting(being_deleted(arn))
        if (
            cur.definition == definition
            and existing.type == sm_type
            and cur.logging == logging
            and cur.tracing == tracing
            and cur.encryption == encryption
        ):
            return {"stateMachineArn": arn, "creationDate": dt(existing.creation_date)}
        raise StateMachineAlreadyExists(f"State Machine Already Exists: '{arn}'")
    model = load_definition(definition, sm_type)
    now = service.clock.now()
    rev = Revision(
        arn=arn,
        name=name,
        definition=definition,
        role_arn=role_arn,
        model=model,
        type=sm_type,
        logging=logging,
        tracing=tracing,
        encryption=encryption,
        revision_id=None,
        update_date=now,
    )
    rec = StateMachineRecord(arn=arn, name=name, type=sm_type, creation_date=now, current=rev)
    service.state_machines[arn] = rec
    tags = request.get("tags") or []
    if tags:
        apply_tags(service, arn, tags)
    out = {"stateMachineArn": arn, "creationDate": dt(now)}
    if request.get("publish"):
        out["stateMachineVersionArn"] = publish_version(service, rec, request.get("versionDescription")).arn
    return out


@operation("DescribeStateMachine")
def describe_state_machine(service: Any, request: dict) -> dict:
    rec, version = resolve(service, required(request, "stateMachineArn"))
    if version is None:
        return describe_revision(rec, rec.current, request.get("includedData"))
    out = describe_revision(rec, version.revision, request.get("includedData"))
    out["stateMachineArn"] = version.arn
    out["creationDate"] = dt(version.creation_date)
    if version.description is not None:
        out["description"] = version.description
    return out


def describe_revision(rec: StateMachineRecord, rev: Revision, included: Any = None) -> dict:
    out: dict[str, Any] = {
        "stateMachineArn": rec.arn,
        "name": rec.name,
        "status": rec.status,
        "definition": rev.definition if included != "METADATA_ONLY" else "{}",
        "roleArn": rev.role_arn,
        "type": rec.type,
        "creationDate": dt(rec.creation_date),
        "loggingConfiguration": dict(rev.logging),
        "tracingConfiguration": dict(rev.tracing),
        "encryptionConfiguration": dict(rev.encryption),
    }
    if rev.revision_id:
        out["revisionId"] = rev.revision_id
    return out


@operation("UpdateStateMachine")
def update_state_machine(service: Any, request: dict) -> dict:
    rec = get_record(service, required(request, "stateMachineArn"))
    keys = (
        "definition",
        "roleArn",
        "loggingConfiguration",
        "tracingConfiguration",
        "encryptionConfiguration",
    )
    if all(request.get(k) is None for k in keys):
        raise MissingRequiredParameter(
            "Either the definition, the role ARN, the LoggingConfiguration, "
            "or the TracingConfiguration must be specified"
        )
    if rec.status == "DELETING":
        raise StateMachineDeleting(being_deleted(rec.arn))
    if request.get("versionDescription") is not None and not request.get("publish"):
        raise ValidationException(DESCRIPTION_WITHOUT_PUBLISH)
    cur = rec.current
    definition = request.get("definition", cur.definition)
    model = cur.model if definition == cur.definition else load_definition(definition, rec.type)
    logging = (
        _logging(request["loggingConfiguration"]) if request.get("loggingConfiguration") else cur.logging
    )
    now = service.clock.now()
    # Seeded (EMU-02) but chained on the previous revision: every update is a new revision id, also
    # when several happen at one virtual instant (PublishStateMachineVersion's revisionId check).
    seed = f"sfn-rev:{rec.arn}:{rec.creation_date}:{cur.revision_id}:{now}"
    rev_id = str(uuid.UUID(int=service.rng(seed).getrandbits(128), version=4))
    rec.current = Revision(
        arn=rec.arn,
        name=rec.name,
        definition=definition,
        role_arn=request.get("roleArn", cur.role_arn),
        model=model,
        type=rec.type,
        logging=logging,
        tracing=dict(request.get("tracingConfiguration") or cur.tracing),
        encryption=dict(request.get("encryptionConfiguration") or cur.encryption),
        revision_id=rev_id,
        update_date=now,
    )
    out = {"updateDate": dt(now), "revisionId": rev_id}
    if request.get("publish"):
        out["stateMachineVersionArn"] = publish_version(service, rec, request.get("versionDescription")).arn
    return out


@operation("PublishStateMachineVersion")
def publish_state_machine_version(service: Any, request: dict) -> dict:
    rec = get_record(service, required(request, "stateMachineArn"))
    if rec.status == "DELETING":
        raise StateMachineDeleting(being_deleted(rec.arn))
    expected = request.get("revisionId")
    current = rec.current.revision_id or "INITIAL"
    if expected is not None and expected != current:
        raise ERRORS["ConflictException"](
            f"Failed to publish the State Machine version for revision {expected}. "
            f"The current State Machine revision is {current}."
        )
    version = publish_version(service, rec, request.get("description"))
    return {"creationDate": dt(version.creation_date), "stateMachineVersionArn": version.arn}


@operation("ListStateMachineVersions")
def list_state_machine_versions(service: Any, request: dict) -> dict:
    rec = get_record(service, required(request, "stateMachineArn"))
    versions = sorted(rec.versions.values(), key=lambda v: -v.number)
    chunk, nxt = page(
        versions, request, f"ListStateMachineVersions:{rec.arn}", key=lambda v: v.number, descending=True
    )
    return listing(
        "stateMachineVersions",
        [{"stateMachineVersionArn": v.arn, "creationDate": dt(v.creation_date)} for v in chunk],
        nxt,
    )


@operation("DeleteStateMachineVersion")
def delete_state_machine_version(service: Any, request: dict) -> dict:
    arn = required(request, "stateMachineVersionArn")
    parse_arn(arn, "stateMachine")
    base, _, qualifier = arn.rpartition(":")
    if not qualifier.isdigit():
        raise ValidationException(f"Invalid Arn: '{arn}'")
    rec = service.state_machines.get(base)
    if rec is not None:
        for alias in rec.aliases.values():
            if any(r["stateMachineVersionArn"] == arn for r in alias.routing):
                raise ERRORS["ConflictException"](
                    f"Version to be deleted must not be referenced by an alias. Current list of aliases "
                    f"referencing this version: [{alias.name}]"
                )
        rec.versions.pop(int(qualifier), None)
    return {}


@operation("DeleteStateMachine")
def delete_state_machine(service: Any, request: dict) -> dict:
    arn = required(request, "stateMachineArn")
    parse_arn(arn, "stateMachine")
    rec = service.state_machines.get(arn)
    if rec is None or rec.status == "DELETING":
        return {}
    # API-04: asynchronous. With executions running, the machine shows ``status: DELETING``
    # (StartExecution / UpdateStateMachine → StateMachineDeleting) and goes — with its versions
    # and aliases — when the last one ends; running Standard executions are terminated at their
    # next state transition (ExecutionAborted, reference §12), Express ones run to their end.
    running = [ex for ex in rec.executions if ex.status == "RUNNING"]
    if not running:
        _remove(service, rec)
        return {}
    rec.status = "DELETING"
    for ex in running:
        if not ex.express:
            ex.terminating = True
        ex.on_finish.append(lambda _ex, rec=rec: _remove_when_idle(service, rec))
    return {}


def _remove_when_idle(service: Any, rec: StateMachineRecord) -> None:
    if all(ex.status != "RUNNING" for ex in rec.executions):
        _remove(service, rec)


def _remove(service: Any, rec: StateMachineRecord) -> None:
    """The state machine goes, its versions and aliases with it (they live on the record)."""
    if service.state_machines.get(rec.arn) is rec:
        del service.state_machines[rec.arn]
        service.tags.pop(rec.arn, None)


@operation("ListStateMachines")
def list_state_machines(service: Any, request: dict) -> dict:
    recs = sorted(service.state_machines.values(), key=lambda r: (r.creation_date, r.name))
    chunk, nxt = page(recs, request, "ListStateMachines", key=lambda r: [r.creation_date, r.name])
    return listing(
        "stateMachines",
        [
            {"stateMachineArn": r.arn, "name": r.name, "type": r.type, "creationDate": dt(r.creation_date)}
            for r in chunk
        ],
        nxt,
    )
