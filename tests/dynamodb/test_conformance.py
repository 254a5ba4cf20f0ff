"""Rules found untested or wrong by the conformance audit (docs/dynamodb-conformance.md).

Each test names the reference row it states (reference/dynamodb.md).
"""

from __future__ import annotations

import json

import pytest

import emulator
from emulator.dynamodb.errors import SerializationException
from emulator.wire import awsjson
from tests.conftest import error_of


def err(fn, **kw):
    with pytest.raises(Exception) as e:
        fn(**kw)
    return error_of(e)


# --- W2/W3: error envelopes -----------------------------------------------------------------------

def test_w3_serialization_exception_raised_by_the_service_uses_capital_message():
    world = emulator.Emulator()
    try:
        resp = awsjson.error_response(world, "dynamodb",
                                      SerializationException("NUMBER_VALUE cannot be converted to String"))
    finally:
        world.close()
    assert resp.status == 400
    assert json.loads(resp.body) == {"__type": "com.amazon.coral.service#SerializationException",
                                     "Message": "NUMBER_VALUE cannot be converted to String"}
