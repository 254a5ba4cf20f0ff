"""The examples in the docstrings run as written (keeps them true), with the default suite.

The modules listed hold rules crisp enough to state by example: the canonical form, range and
precision of numbers (V6-V11) and the sizes of values and items (S1) in ``dynamodb/sizes.py``;
the ordered encoding of key values (O1, V10), the placement hash (Q10) and the key-size limits
(K2/K3) in ``dynamodb/keys.py``. Add a module here when its docstrings gain examples.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["emulator.dynamodb.values", "emulator.dynamodb.sizes", "emulator.dynamodb.keys"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.attempted > 0, f"{name} has no docstring examples"
    assert result.failed == 0, f"{result.failed} docstring examples of {name} fail (see the output above)"
