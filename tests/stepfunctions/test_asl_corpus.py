"""Definitions AWS accepts are accepted (issue 11, rule 20): every state machine of the committed
corpus of deployed AWS samples (``asl_corpus/README.md``) validates with no diagnostics and can be
created, through every door."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.stepfunctions.workflow_helpers import ROLE

CORPUS = Path(__file__).parent / "asl_corpus"
DEFINITIONS = sorted(CORPUS.glob("*.asl.json"))


def test_the_corpus_is_there():
    assert len(DEFINITIONS) >= 19


@pytest.mark.parametrize("path", DEFINITIONS, ids=[p.name.removesuffix(".asl.json") for p in DEFINITIONS])
def test_deployed_definition_is_accepted(sfn, path):
    definition = path.read_text(encoding="utf-8")
    answer = sfn.validate_state_machine_definition(definition=definition, type="STANDARD")
    assert (answer["result"], answer["diagnostics"]) == ("OK", [])
    name = path.name.removesuffix(".asl.json")[:80]
    arn = sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE)["stateMachineArn"]
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == json.loads(definition)
