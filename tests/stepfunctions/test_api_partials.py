"""Step Functions API rules closed after the conformance audit (reference §11: API-04, API-10,
API-18, API-21) — request → response, or exact error code + message.  Texts marked INF in the
emulator are not captured from AWS; the tests pin what the emulator answers."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of

ROLE = "arn:aws:iam::123456789012:role/sfn"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
KEY_PATTERN = r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"


def create(sfn, name="sm", definition=PASS, **kw):
    return sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE, **kw)["stateMachineArn"]


# --- API-10 ListExecutions ---------------------------------------------------------------------
def test_list_executions_state_machine_and_map_run_together(sfn):
    arn = create(sfn)
    run = "arn:aws:states:us-east-1:123456789012:mapRun:sm/m:1"
    with pytest.raises(Exception) as exc:
        sfn.list_executions(stateMachineArn=arn, mapRunArn=run)
    assert error_of(exc) == ("ValidationException",
                             "Must provide either a StateMachine ARN or a MapRun ARN, not both")


def test_list_executions_pending_redrive_needs_a_map_run(sfn):
    with pytest.raises(Exception) as exc:
        sfn.list_executions(stateMachineArn=create(sfn), statusFilter="PENDING_REDRIVE")
    assert error_of(exc) == ("ValidationException",
                             "The PENDING_REDRIVE statusFilter can only be used with a MapRun ARN")


# --- API-21 tags -------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["aws:owner", "a#b", "semi;colon", "x<y"])
def test_reserved_or_malformed_tag_key_refused(sfn, key):
    arn = create(sfn)
    with pytest.raises(Exception) as exc:
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "ok", "value": "v"}, {"key": key, "value": "v"}])
    assert error_of(exc) == ("ValidationException", (
        f"1 validation error detected: Value '{key}' at 'tags.2.member.key' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {KEY_PATTERN}"))
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == []  # nothing stored


def test_malformed_tag_value_refused(sfn):
    with pytest.raises(Exception) as exc:
        sfn.tag_resource(resourceArn=create(sfn), tags=[{"key": "k", "value": "a|b"}])
    assert error_of(exc)[0] == "ValidationException"
    assert "at 'tags.1.member.value'" in error_of(exc)[1]


def test_allowed_tag_characters_accepted(sfn):
    arn = create(sfn)
    tags = [{"key": "Équipe _.:/=+-@ 1", "value": "été 2 _.:/=+-@"}, {"key": "AWS-like", "value": ""}]
    sfn.tag_resource(resourceArn=arn, tags=tags)
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == tags


def test_create_with_reserved_tag_creates_nothing(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, tags=[{"key": "aws:x", "value": "v"}])
    assert error_of(exc)[0] == "ValidationException"
    assert sfn.list_state_machines()["stateMachines"] == []
    with pytest.raises(Exception) as exc:
        sfn.create_activity(name="act", tags=[{"key": "aws:x", "value": "v"}])
    assert error_of(exc)[0] == "ValidationException"
    assert sfn.list_activities()["activities"] == []
