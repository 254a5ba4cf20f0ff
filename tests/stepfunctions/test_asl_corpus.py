"""Definitions AWS accepts are accepted (issue 11, rule 20): every state machine of the committed
corpus of deployed AWS samples (``asl_corpus/README.md``) validates with no diagnostics and can be
created, through every door."""

from __future__ import annotations

import json
from pathlib import Path

from tests.stepfunctions.workflow_helpers import ROLE

CORPUS = Path(__file__).parent / "asl_corpus"
DEFINITIONS = sorted(CORPUS.glob("*.asl.json"))


def test_the_corpus_is_there():
    assert len(DEFINITIONS) >= 77


def test_deployed_definitions_are_accepted(sfn):
    """One pass over the corpus per door (the door's set-up is paid once, so the test stays fast
    as the corpus grows); the first refusal names its file."""
    for path in DEFINITIONS:
        definition = path.read_text(encoding="utf-8")
        answer = sfn.validate_state_machine_definition(definition=definition, type="STANDARD")
        assert (answer["result"], answer["diagnostics"]) == ("OK", []), path.name
        name = path.name.removesuffix(".asl.json")[:80]
        arn = sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE)["stateMachineArn"]
        described = sfn.describe_state_machine(stateMachineArn=arn)["definition"]
        assert json.loads(described) == json.loads(definition), path.name


def test_every_definition_names_its_source():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in DEFINITIONS if f"`{p.name}`" not in readme] == []
