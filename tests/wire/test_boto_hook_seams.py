"""The botocore seams the boto3 hook patches are still there, as the hook expects them; where one is
not, the hook falls back to the public ``before-send`` event and still answers."""

from __future__ import annotations

import importlib

import boto3
import botocore.endpoint
import botocore.parsers
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSPreparedRequest, HeadersDict
from botocore.credentials import Credentials
from botocore.handlers import BUILTIN_HANDLERS
from botocore.session import Session as BotocoreSession

from emulator.wire import boto as hook
from emulator.wire.boto import mock_aws
from emulator.wire.patches import Seam
from tests.wire.conftest import HASH_RANGE


def _adapter_patches() -> list:
    """The patches of every library adapter whose library is installed."""
    patches = []
    for library, adapter in hook.LIBRARY_ADAPTERS.items():
        try:
            importlib.import_module(library)
        except ImportError:
            continue
        patches.extend(importlib.import_module(adapter).PATCHES)
    return patches


@pytest.mark.parametrize(
    "patch",
    [*hook._PATCHES, *_adapter_patches()],
    ids=lambda p: f"{p.cls.__module__}.{p.cls.__qualname__}.{p.name}",
)
def test_each_patched_attribute_exists_with_the_expected_signature(patch):
    for seam in patch.seams():
        assert seam.parameters() == seam.params, f"{seam.cls.__qualname__}.{seam.name} changed"
        assert seam.fits()
    assert patch.fits()


def test_the_private_instance_attributes_the_hook_reads_exist():
    auth = SigV4Auth(Credentials("AKID", "secret"), "dynamodb", "eu-west-1")
    assert (auth._region_name, auth._service_name) == ("eu-west-1", "dynamodb")
    assert hasattr(BotocoreSession(), "_credentials")
    headers = HeadersDict({"X-Amz-Target": "DynamoDB_20120810.ListTables"})
    assert hook._target(headers) == "DynamoDB_20120810.ListTables"
    assert hook._TARGET_KEY is not None and hook._TARGET_KEY in headers._dict
    request = AWSPreparedRequest("POST", "https://example", headers, b"{}", True)
    assert hook._target(request.headers) == "DynamoDB_20120810.ListTables"


def test_a_missing_send_falls_back_to_the_before_send_event(monkeypatch, no_aws_config, no_network):
    original = botocore.endpoint.Endpoint._send
    monkeypatch.delattr(botocore.endpoint.Endpoint, "_send")
    assert not hook._SEND.fits()
    with mock_aws():
        assert botocore.endpoint.Endpoint.__dict__.get("_send") is None  # not patched
        assert hook._BEFORE_SEND in BUILTIN_HANDLERS
        client = boto3.client("dynamodb")
        client.create_table(TableName="tbl", **HASH_RANGE)
        client.put_item(TableName="tbl", Item={"p": {"S": "a"}, "s": {"N": "1"}})
        assert client.get_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "1"}})["Item"] == {
            "p": {"S": "a"},
            "s": {"N": "1"},
        }
        assert client.list_tables()["TableNames"] == ["tbl"]
    assert hook._BEFORE_SEND not in BUILTIN_HANDLERS
    monkeypatch.undo()
    assert botocore.endpoint.Endpoint._send is original


def test_a_changed_send_signature_is_not_patched(monkeypatch, no_aws_config, no_network):
    def changed(self, request, stream, extra):  # a botocore that wants more than we pass
        raise AssertionError("never called for our services")

    monkeypatch.setattr(botocore.endpoint.Endpoint, "_send", changed)
    assert not hook._SEND.fits()
    with mock_aws():
        assert botocore.endpoint.Endpoint._send is changed
        assert boto3.client("stepfunctions").list_state_machines()["stateMachines"] == []
    assert botocore.endpoint.Endpoint._send is changed


def test_a_missing_parse_seam_turns_the_hand_off_off(monkeypatch, no_aws_config, no_network):
    # as if botocore had renamed the metadata helper the hand-off calls (botocore's own parsing
    # still needs it, so it is the seam's name that changes here, not botocore)
    monkeypatch.setattr(
        hook._DO_PARSE,
        "uses",
        (Seam(botocore.parsers.JSONParser, "_renamed_metadata", ("self", "parsed", "headers")),),
    )
    assert not hook._DO_PARSE.fits()
    with mock_aws():
        assert not hook._handoff[0]
        client = boto3.client("dynamodb")
        client.create_table(TableName="tbl", **HASH_RANGE)
        client.put_item(TableName="tbl", Item={"p": {"S": "a"}, "s": {"N": "1"}})
        got = client.query(
            TableName="tbl", KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": {"S": "a"}}
        )
        assert got["Items"] == [{"p": {"S": "a"}, "s": {"N": "1"}}]
        assert botocore.parsers.JSONParser.__dict__["_do_parse"] is not hook._do_parse  # left alone


def test_all_seams_fit_again_after_the_fallbacks(no_aws_config):
    assert all(patch.fits() for patch in hook._PATCHES)
    with mock_aws():
        assert all(patch.applied for patch in hook._PATCHES)
        assert hook._handoff[0]
    assert not any(patch.applied for patch in hook._PATCHES)
