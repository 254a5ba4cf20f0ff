"""ProjectionExpression and AttributesToGet (docs/rules/dynamodb.md §5.4)."""

from __future__ import annotations

import pytest

from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.expressions import ExpressionContext, compile_projection
from emulator.dynamodb.expressions.legacy import attributes_to_get_projection

ITEM = {
    "p": {"S": "k"},
    "a": {"M": {"b": {"N": "1"}, "c": {"M": {"d": {"S": "x"}, "e": {"S": "y"}}}}},
    "l": {"L": [{"S": "l0"}, {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}, {"S": "l2"}, {"S": "l3"}]},
    "dot.name": {"S": "dotted"},
    "s": {"SS": ["a"]},
}


def project(text, names=None, item=ITEM):
    ctx = ExpressionContext(names, None)
    proj = compile_projection(text, ctx)
    ctx.check_unused()
    return proj.apply(item)


def error(text, names=None):
    with pytest.raises(ValidationException) as exc:
        project(text, names)
    return exc.value.message


def test_p1_top_level_only_and_no_keys_added():
    assert project("a") == {"a": ITEM["a"]}
    assert project("s, l") == {"s": {"SS": ["a"]}, "l": ITEM["l"]}


def test_p1_nothing_found_is_empty_item():
    assert project("zz, yy") == {}


def test_p2_nested_paths_keep_structure():
    assert project("a.b") == {"a": {"M": {"b": {"N": "1"}}}}
    assert project("a.c.d, a.b") == {"a": {"M": {"c": {"M": {"d": {"S": "x"}}}, "b": {"N": "1"}}}}
    assert project("a.zz") == {}
    assert project("a[0]") == {}  # a is a map, not a list


def test_p2_list_indexes_are_compacted():
    assert project("l[2], l[0]") == {"l": {"L": [{"S": "l0"}, {"S": "l2"}]}}
    assert project("l[1].y") == {"l": {"L": [{"M": {"y": {"N": "2"}}}]}}
    assert project("l[999]") == {}
    assert project("l[999], p") == {"p": {"S": "k"}}


def test_placeholder_is_one_component():
    assert project("#d", {"#d": "dot.name"}) == {"dot.name": {"S": "dotted"}}


def test_result_is_a_copy():
    out = project("a")
    out["a"]["M"]["b"]["N"] = "2"
    assert ITEM["a"]["M"]["b"] == {"N": "1"}


def test_p3_overlap_and_conflict():
    assert error("a.b, a.b.c") == (
        "Invalid ProjectionExpression: Two document paths overlap with each other; "
        "must remove or rewrite one of these paths; path one: [a, b], path two: [a, b, c]"
    )
    assert error("a, a") == (
        "Invalid ProjectionExpression: Two document paths overlap with each other; must "
        "remove or rewrite one of these paths; path one: [a], path two: [a]"
    )
    assert error("a.b, a[1]") == (
        "Invalid ProjectionExpression: Two document paths conflict with each other; "
        "must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]"
    )
    assert project("a.b, a.c.e") == {"a": {"M": {"b": {"N": "1"}, "c": {"M": {"e": {"S": "y"}}}}}}


def test_errors():
    assert error("") == "Invalid ProjectionExpression: The expression can not be empty;"
    assert error("a,") == 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'
    assert error("!!") == 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'
    assert error("a, name") == (
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"
    )
    assert error("#x") == (
        "Invalid ProjectionExpression: An expression attribute name used in the document "
        "path is not defined; attribute name: #x"
    )
    assert error("a[99999999999999]") == (
        "Invalid ProjectionExpression: List index is not within the allowable range; index: [99999999999999]"
    )
    assert error("a[:i]").startswith("Invalid ProjectionExpression: Syntax error")


def test_top_level_names():
    proj = compile_projection("a.b, #n[1], p", ExpressionContext({"#n": "l"}, None))
    assert proj.top_level_names == {"a", "l", "p"}


def test_p4_attributes_to_get():
    proj = attributes_to_get_projection(["p", "dot.name", "zz"])
    assert proj.apply(ITEM) == {"p": {"S": "k"}, "dot.name": {"S": "dotted"}}
    with pytest.raises(ValidationException) as exc:
        attributes_to_get_projection(["a", "a"])
    assert (
        exc.value.message == "One or more parameter values were invalid: Duplicate value in attribute name: a"
    )


def test_p5_nesting_depth_limit():
    # [ALT test_projection_expression_path_nesting_levels]: 32 levels (top-level included) work, 33 do not
    assert project("a" + ".b" * 31) == {}
    assert error("a" + ".b" * 32) == (
        "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33"
    )
    assert error("p, l" + "[0]" * 40) == (
        "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 41"
    )
    # a syntax error anywhere comes first
    assert error("a" + ".b" * 32 + ", !").startswith('Invalid ProjectionExpression: Syntax error; token: "!"')


def test_e13_expression_size_limit():
    ok = ",".join(f"a{i:04d}" for i in range(682)) + ",abcd"  # exactly 4096 bytes: allowed
    assert len(ok) == 4096 and project(ok) == {}
    big = ok + "e"
    assert error(big) == (
        f"Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; "
        f"expression size: {len(big)}"
    )


def test_e14_error_priority():
    # syntax > reserved word > undefined name > overlap > conflict
    assert error("name, #x, a, a").endswith("reserved keyword: name")
    assert error("#x, a, a").endswith("attribute name: #x")
    assert error("a.b, a[1], c, c") == (
        "Invalid ProjectionExpression: Two document paths overlap with each other; "
        "must remove or rewrite one of these paths; path one: [c], path two: [c]"
    )
