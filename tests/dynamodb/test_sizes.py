"""Item sizes (emulator/dynamodb/sizes.py): one upper bound, used by every path that bounds an
item's size, and the doctests of the S1 rules."""

from __future__ import annotations

import doctest

import pytest

from emulator.dynamodb import sizes
from emulator.dynamodb.operations.storage_form import plain_item, prepare_item
from emulator.dynamodb.values import validate_item

ITEMS = [
    {"p": {"S": "a"}, "s": {"N": "0"}},
    {"p": {"S": "é" * 10}, "n": {"N": "-12345678901234567890123456789012345678"}},
    {"\U0001f600": {"S": "x" * 100}, "v": {"N": "7"}},
]


def test_size_rules_doctests() -> None:
    assert doctest.testmod(sizes).failed == 0


@pytest.mark.parametrize("item", ITEMS)
def test_both_put_paths_bound_an_item_with_the_one_ceiling(item: dict) -> None:
    plain = plain_item(item)
    assert plain is not None
    general = validate_item(item)
    assert plain[1] == prepare_item(general) == sizes.scalar_size_ceiling(general)
    assert plain[1] >= sizes.item_size(general)


def test_bound_of_other_scalars_and_containers() -> None:
    item = validate_item({"b": {"B": b"xyz"}, "t": {"BOOL": True}, "z": {"NULL": True}})
    assert prepare_item(item) == sizes.scalar_size_ceiling(item) == 4 * (1 + 3 + 1 + 1 + 1 + 1)
    assert prepare_item(validate_item({"l": {"L": []}})) is None
