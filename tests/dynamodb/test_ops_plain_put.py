"""The plain-PutItem fast path (operations/items.py ``_plain_put``) answers exactly as the general path.

A request with only ``TableName`` and ``Item`` takes the fast path; the same request with
``ReturnValues="NONE"`` (which changes nothing about the answer) takes the general one. For each
item — plain, or with a problem the fast path must hand back — both must store the same item or
raise the same error code and message.
"""

from __future__ import annotations

import pytest

import emulator
from emulator.dynamodb.operations.storage_form import plain_item, prepare_item
from emulator.dynamodb.values import validate_item
from emulator.errors import AWSError

KS = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]
AD = [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "N"}]

ITEMS = {
    "plain": {"p": {"S": "a"}, "s": {"N": "0"}, "v": {"S": "x"}, "n": {"N": "-42"}},
    "long values": {"p": {"S": "a" * 100}, "s": {"N": "9" * 38}, "v": {"S": "y" * 5000}},
    "empty non-key string": {"p": {"S": "a"}, "s": {"N": "1"}, "v": {"S": ""}},
    "non-canonical number": {"p": {"S": "a"}, "s": {"N": "1"}, "n": {"N": "01.50"}},
    "non-canonical key number": {"p": {"S": "a"}, "s": {"N": "1.0"}},
    "negative zero key": {"p": {"S": "a"}, "s": {"N": "-0"}},
    "missing range key": {"p": {"S": "a"}},
    "missing hash key": {"s": {"N": "1"}},
    "wrong key type": {"p": {"N": "1"}, "s": {"N": "1"}},
    "empty hash key": {"p": {"S": ""}, "s": {"N": "1"}},
    "hash key over 2048 bytes": {"p": {"S": "é" * 1100}, "s": {"N": "1"}},
    "hash key of 600 chars, within limit": {"p": {"S": "a" * 600}, "s": {"N": "1"}},
    "other types": {"p": {"S": "a"}, "s": {"N": "2"}, "b": {"BOOL": True}, "m": {"M": {"x": {"S": "y"}}}},
    "two members": {"p": {"S": "a"}, "s": {"N": "1"}, "v": {"S": "x", "N": "1"}},
    "null member": {"p": {"S": "a"}, "s": {"N": "1"}, "v": {"S": None}},
    "empty name": {"p": {"S": "a"}, "s": {"N": "1"}, "": {"S": "x"}},
    "over 400 KB": {"p": {"S": "a"}, "s": {"N": "3"}, "v": {"S": "z" * 410_000}},
    "bad number": {"p": {"S": "a"}, "s": {"N": "1"}, "n": {"N": "abc"}},
}


def _outcome(world: emulator.Emulator, request: dict) -> object:
    ddb = world.dynamodb
    try:
        ddb.put_item(**request)
    except AWSError as err:
        return ("error", err.code, err.message)
    key = {"p": request["Item"]["p"], "s": request["Item"]["s"]}
    stored = ddb.get_item(TableName="tbl", Key=key, ConsistentRead=True).get("Item")
    return ("stored", stored)


@pytest.mark.parametrize("name", list(ITEMS))
def test_plain_and_general_put_agree(name: str) -> None:
    fast, general = emulator.Emulator(seed=1), emulator.Emulator(seed=1)
    for world in (fast, general):
        world.dynamodb.create_table(
            TableName="tbl", KeySchema=KS, AttributeDefinitions=AD, BillingMode="PAY_PER_REQUEST"
        )
    item = ITEMS[name]
    a = _outcome(fast, {"TableName": "tbl", "Item": item})
    b = _outcome(general, {"TableName": "tbl", "Item": item, "ReturnValues": "NONE"})
    assert a == b


def test_plain_put_on_a_missing_table_is_resource_not_found() -> None:
    world = emulator.Emulator(seed=1)
    world.dynamodb.create_table(
        TableName="tbl", KeySchema=KS, AttributeDefinitions=AD, BillingMode="PAY_PER_REQUEST"
    )
    world.dynamodb.delete_table(TableName="tbl")
    with pytest.raises(AWSError) as e:
        world.dynamodb.put_item(TableName="tbl", Item=ITEMS["plain"])
    assert (e.value.code, e.value.message) == ("ResourceNotFoundException", "Requested resource not found")


def test_plain_put_copies_the_callers_item() -> None:
    world = emulator.Emulator(seed=1)
    world.dynamodb.create_table(
        TableName="tbl", KeySchema=KS, AttributeDefinitions=AD, BillingMode="PAY_PER_REQUEST"
    )
    item = {"p": {"S": "a"}, "s": {"N": "1"}, "v": {"S": "before"}}
    world.dynamodb.put_item(TableName="tbl", Item=item)
    item["v"]["S"] = "after"
    stored = world.dynamodb.get_item(TableName="tbl", Key={"p": {"S": "a"}, "s": {"N": "1"}})["Item"]
    assert stored["v"] == {"S": "before"}


@pytest.mark.parametrize("name", [n for n in ITEMS if plain_item(ITEMS[n]) is not None])
def test_plain_item_is_validate_then_prepare(name: str) -> None:
    item = ITEMS[name]
    fused = plain_item(item)
    two_step = validate_item(item)
    bound = prepare_item(two_step)
    assert fused is not None and fused == (two_step, bound)


def test_the_plain_request_takes_the_fast_path() -> None:
    from emulator.dynamodb.operations.items import _plain_put

    world = emulator.Emulator(seed=1)
    world.dynamodb.create_table(
        TableName="tbl", KeySchema=KS, AttributeDefinitions=AD, BillingMode="PAY_PER_REQUEST"
    )
    world.dynamodb.put_item(TableName="tbl", Item=ITEMS["plain"])  # the name is now known valid
    service = world.service("dynamodb")
    assert _plain_put(service, {"TableName": "tbl", "Item": ITEMS["plain"]}) == {}
    assert _plain_put(service, {"TableName": "tbl", "Item": ITEMS["other types"]}) is None


def test_number_bound_covers_the_largest_stored_number() -> None:
    """The size bound both put paths use (sizes.scalar_size_ceiling's formula) charges each number
    at least its largest S1 size: 38 significant digits, an even exponent and a sign take 22 bytes."""
    from emulator.dynamodb.sizes import MAX_NUMBER_BYTES
    from emulator.dynamodb.values import item_size, number_size

    widest = "-1.2345678901234567890123456789012345678"
    assert number_size(widest) == 22 <= MAX_NUMBER_BYTES
    item = {"\U0001f600": {"N": widest}}  # a 4-byte name: no slack left in the 4-bytes-per-char rule
    assert prepare_item(dict(item)) >= item_size(validate_item(item))  # type: ignore[operator]
    for digits in ("-12345678901234567890123456789012345678", "-1234567890123456789012345678901234567"):
        plain = plain_item({"\U0001f600": {"N": digits}})  # the plain path takes integers only
        assert plain is not None and plain[1] >= item_size(plain[0])
