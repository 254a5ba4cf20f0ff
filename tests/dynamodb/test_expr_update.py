"""UpdateExpression (docs/rules/dynamodb.md §5.5): text + item -> new item, or exact error."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.dynamodb import messages as M
from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.expressions import ExpressionContext, compile_update

ITEM = {
    "p": {"S": "k"},
    "n": {"N": "5"},
    "s": {"S": "str"},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2"]},
    "l": {"L": [{"S": "l0"}, {"S": "l1"}, {"S": "l2"}, {"S": "l3"}]},
    "m": {"M": {"x": {"N": "1"}, "deep": {"M": {"y": {"S": "why"}}}}},
}


def update(text, values=None, names=None, item=ITEM, **kw):
    snapshot = copy.deepcopy(item)
    ctx = ExpressionContext(names, values)
    upd = compile_update(text, ctx)
    ctx.check_unused()
    out = upd.apply(item, **kw)
    assert item == snapshot  # the input is never changed
    return out


def error(text, values=None, names=None, item=ITEM, **kw):
    with pytest.raises(ValidationException) as exc:
        update(text, values, names, item, **kw)
    return exc.value.message


def changed(out):
    return {k: v for k, v in out.items() if ITEM.get(k) != v} | {k: None for k in ITEM if k not in out}


# --- SET -------------------------------------------------------------------------------------


def test_set_basic_and_copy():
    v = {":v": {"M": {"a": {"L": [{"S": "x"}]}}}}
    out = update("SET a = :v, b = :v", v)
    assert out["a"] == out["b"] == v[":v"]
    out["a"]["M"]["a"]["L"].append({"S": "y"})
    assert out["b"]["M"]["a"]["L"] == [{"S": "x"}]
    assert v[":v"]["M"]["a"]["L"] == [{"S": "x"}]


def test_set_arithmetic():
    assert update("SET n = n + :one", {":one": {"N": "1"}})["n"] == {"N": "6"}
    assert update("SET n = n - :one", {":one": {"N": "1.5"}})["n"] == {"N": "3.5"}
    assert update("SET n = :a + n", {":a": {"N": "-5"}})["n"] == {"N": "0"}
    assert update("SET c = if_not_exists(c, :z) + :one", {":z": {"N": "0"}, ":one": {"N": "1"}})["c"] == {
        "N": "1"
    }
    assert update("SET c = if_not_exists(n, :z) + :one", {":z": {"N": "0"}, ":one": {"N": "1"}})["c"] == {
        "N": "6"
    }


def test_v11_arithmetic_overflow():
    assert error("SET n = n + :big", {":big": {"N": "1e50"}}) == M.NUMBER_OVERFLOW


def test_u3_reads_before_writes():
    out = update("SET a = n, n = :v", {":v": {"N": "9"}})
    assert out["a"] == {"N": "5"} and out["n"] == {"N": "9"}
    out = update("REMOVE s SET b = s")
    assert "s" not in out and out["b"] == {"S": "str"}
    assert error("SET x = :v, y = x", {":v": {"N": "1"}}) == M.UPDATE_MISSING_ATTRIBUTE


def test_u4_missing_attribute():
    msg = "The provided expression refers to an attribute that does not exist in the item"
    assert error("SET c = zz") == msg
    assert error("SET a = a + :one", {":one": {"N": "1"}}) == msg
    assert error("SET a = a + :one", {":one": {"N": "1"}}, item={}) == msg


def test_u5_u6_operand_types():
    assert error("SET a = :s + n", {":s": {"S": "x"}}) == (
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, "
        "operand type: S"
    )
    assert error("SET a = s + n") == "An operand in the update expression has an incorrect data type"
    assert error("SET a = list_append(l, :s)", {":s": {"S": "x"}}) == (
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: "
        "list_append, operand type: S"
    )
    assert (
        error("SET a = list_append(s, l)") == "An operand in the update expression has an incorrect data type"
    )
    assert error("SET a = list_append(zz, l)") == M.UPDATE_MISSING_ATTRIBUTE


def test_list_append():
    v = {":v": {"L": [{"N": "1"}]}}
    assert update("SET l = list_append(l, :v)", v)["l"]["L"][-1] == {"N": "1"}
    assert update("SET l = list_append(:v, l)", v)["l"]["L"][0] == {"N": "1"}
    out = update("SET q = list_append(if_not_exists(q, :e), :v)", {":e": {"L": []}, ":v": v[":v"]})
    assert out["q"] == {"L": [{"N": "1"}]}


def test_u7_if_not_exists():
    assert error("SET a = if_not_exists(:v, :v)", {":v": {"N": "1"}}) == (
        "Invalid UpdateExpression: Operator or function requires a document path; operator or function: "
        "if_not_exists"
    )
    assert update("SET a = if_not_exists(b, if_not_exists(c, :v))", {":v": {"N": "1"}})["a"] == {"N": "1"}
    assert update("SET n = if_not_exists(n, :v)", {":v": {"N": "1"}})["n"] == {"N": "5"}
    assert error("SET a = if_not_exists(b + c, :v)", {":v": {"N": "1"}}) == (
        'Invalid UpdateExpression: Syntax error; token: "+", near: "b + c"'
    )
    assert update("SET n = if_not_exists(n, :v) + :v", {":v": {"N": "1"}})["n"] == {
        "N": "6"
    }  # f(x)+y is fine


def test_u8_unknown_function():
    assert error("SET a = f(b)") == "Invalid UpdateExpression: Invalid function name; function: f"
    assert (
        error("SET a = List_Append(b, c)")
        == "Invalid UpdateExpression: Invalid function name; function: List_Append"
    )


@pytest.mark.parametrize(
    "function",
    [
        "size(b)",
        "attribute_exists(b)",
        "attribute_not_exists(b)",
        "attribute_type(b, :t)",
        "begins_with(b, :t)",
        "contains(b, :t)",
    ],
)
def test_u8_condition_functions_are_not_allowed_in_updates(function):
    name = function.split("(")[0]
    assert error(f"SET a = {function}", {":t": {"S": "S"}}) == (
        f"Invalid UpdateExpression: The function is not allowed in an update expression; function: {name}"
    )


def test_u8_not_allowed_ranks_with_unknown_functions():
    assert error("SET a = f(b), c = size(d)").endswith("Invalid function name; function: f")
    assert error("SET a = size(b), c = f(d)").endswith("not allowed in an update expression; function: size")
    assert error("SET name = size(b)").endswith("reserved keyword: name")  # reserved outranks it


def test_u9_nested_set():
    assert update("SET m.z = :v", {":v": {"N": "1"}})["m"]["M"]["z"] == {"N": "1"}
    assert update("SET m.deep.y = :v", {":v": {"N": "1"}})["m"]["M"]["deep"]["M"]["y"] == {"N": "1"}
    assert update("SET l[1] = :v", {":v": {"N": "1"}})["l"]["L"][1] == {"N": "1"}
    msg = "The document path provided in the update expression is invalid for update"
    assert error("SET zz.b = :v", {":v": {"N": "1"}}) == msg
    assert error("SET s.b = :v", {":v": {"N": "1"}}) == msg
    assert error("SET zz[0] = :v", {":v": {"N": "1"}}) == msg
    assert error("SET m[0] = :v", {":v": {"N": "1"}}) == msg
    assert error("SET l.x = :v", {":v": {"N": "1"}}) == msg


def test_u10_out_of_range_sets_append_in_index_order():
    vals = {":a": {"N": "1"}, ":b": {"N": "2"}, ":c": {"N": "3"}, ":d": {"N": "4"}}
    out = update("SET l[84] = :a, l[37] = :b, l[17] = :c, l[50] = :d", vals)
    assert out["l"]["L"][4:] == [{"N": "3"}, {"N": "2"}, {"N": "4"}, {"N": "1"}]


def test_u15_replace_nested_with_other_type():
    assert update("SET m.deep = :v", {":v": {"S": "flat"}})["m"]["M"]["deep"] == {"S": "flat"}


# --- REMOVE ----------------------------------------------------------------------------------


def test_u11_remove():
    assert "s" not in update("REMOVE s")
    assert update("REMOVE zz") == ITEM
    assert update("REMOVE m.zz") == ITEM
    assert update("REMOVE l[9]") == ITEM
    assert update("REMOVE m.x")["m"] == {"M": {"deep": {"M": {"y": {"S": "why"}}}}}
    assert update("REMOVE l[1], l[3]")["l"] == {"L": [{"S": "l0"}, {"S": "l2"}]}
    assert update("REMOVE m.deep.y")["m"]["M"]["deep"] == {"M": {}}
    assert error("REMOVE zz.y") == "The document path provided in the update expression is invalid for update"
    assert update("REMOVE zz.y", item={"p": {"S": "k"}}, missing=True) == {"p": {"S": "k"}}
    assert update("REMOVE zz.y", item=None) == {}


# --- ADD / DELETE ----------------------------------------------------------------------------


def test_u12_add():
    assert update("ADD n :v", {":v": {"N": "2"}})["n"] == {"N": "7"}
    assert update("ADD c :v", {":v": {"N": "2.50"}})["c"] == {"N": "2.5"}
    assert update("ADD ss :v", {":v": {"SS": ["b", "c"]}})["ss"] == {"SS": ["a", "b", "c"]}
    assert update("ADD ns :v", {":v": {"NS": ["1.0", "2.00", "3"]}})["ns"] == {"NS": ["1", "2", "3"]}
    assert update("ADD fresh :v", {":v": {"BS": [b"x"]}})["fresh"] == {"BS": [b"x"]}
    assert update("ADD n :v", {":v": {"N": "1"}}, item=None) == {"n": {"N": "1"}}
    assert (
        error("ADD s :v", {":v": {"N": "1"}})
        == "An operand in the update expression has an incorrect data type"
    )
    assert (
        error("ADD ss :v", {":v": {"NS": ["1"]}})
        == "An operand in the update expression has an incorrect data type"
    )
    for av, name in [
        ({"S": "x"}, "STRING"),
        ({"L": []}, "LIST"),
        ({"M": {}}, "MAP"),
        ({"BOOL": True}, "BOOLEAN"),
        ({"NULL": True}, "NULL"),
        ({"B": b"x"}, "BINARY"),
    ]:
        assert error("ADD a :v", {":v": av}) == (
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
            f"operand type: {name}"
        )


def test_u13_delete():
    assert update("DELETE ss :v", {":v": {"SS": ["a", "zz"]}})["ss"] == {"SS": ["b"]}
    assert "ss" not in update("DELETE ss :v", {":v": {"SS": ["a", "b"]}})
    assert update("DELETE ns :v", {":v": {"NS": ["1.0"]}})["ns"] == {"NS": ["2"]}
    assert update("DELETE zz :v", {":v": {"SS": ["a"]}}) == ITEM
    assert (
        error("DELETE s :v", {":v": {"SS": ["a"]}})
        == "An operand in the update expression has an incorrect data type"
    )
    assert error("DELETE a :v", {":v": {"N": "1"}}) == (
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, "
        "operand type: NUMBER"
    )


# --- clauses, overlap, errors ------------------------------------------------------------------


def test_u1_clauses_any_order_case_insensitive():
    out = update("remove s add n :one set a = :one delete ss :d", {":one": {"N": "1"}, ":d": {"SS": ["a"]}})
    assert "s" not in out and out["n"] == {"N": "6"} and out["a"] == {"N": "1"} and out["ss"] == {"SS": ["b"]}


def test_u1_section_once():
    assert error("SET a = :v SET b = :v", {":v": {"N": "1"}}) == (
        '1 validation error detected: Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'
    )
    assert error("REMOVE a, b REMOVE c") == (
        '1 validation error detected: Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;'
    )


def test_u2_overlap_and_conflict():
    assert error("SET a = :v REMOVE a", {":v": {"N": "1"}}) == (
        "1 validation error detected: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of "
        "these paths; path one: [a], path two: [a]"
    )
    assert error("SET m.x = :v REMOVE m", {":v": {"N": "1"}}).endswith("path one: [m, x], path two: [m]")
    assert error("SET a.b = :v REMOVE a[1]", {":v": {"N": "1"}}) == (
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of "
        "these paths; path one: [a, b], path two: [a, [1]]"
    )
    assert update("SET c = n REMOVE n")["c"] == {"N": "5"}


def test_syntax_errors():
    assert error("INVALID SYNTAX HERE") == (
        'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'
    )
    assert error("SET a = :a + :b + :c", {":a": {"N": "1"}, ":b": {"N": "1"}, ":c": {"N": "1"}}) == (
        'Invalid UpdateExpression: Syntax error; token: "+", near: ":b + :c"'
    )
    assert (
        error("ADD hits : incr") == 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"'
    )
    assert (
        error("SET a-b = :v", {":v": {"N": "1"}})
        == 'Invalid UpdateExpression: Syntax error; token: "-", near: "a-b"'
    )
    assert (
        error("") == "1 validation error detected: Invalid UpdateExpression: The expression can not be empty;"
    )
    assert error("SET _a = :v", {":v": {"N": "1"}}).startswith(
        'Invalid UpdateExpression: Syntax error; token: "_"'
    )
    assert error("ADD a b").startswith("Invalid UpdateExpression: Syntax error")


def test_error_priority():
    # reserved > unknown function > section > undefined name > undefined value > overlap > conflict > operand
    assert error("SET a = f(b) SET name = :v").endswith("reserved keyword: name")
    assert error("SET a = f(b) SET b = :v").endswith("function: f")
    assert error("SET a = :zz SET b = #x").endswith("section can only be used once in an update expression;")
    assert error("SET a = :zz, b = #x").endswith("attribute name: #x")
    assert error("SET a = :zz, a = :zz").endswith("attribute value: :zz")
    assert error("SET a = :s + :s, a = :s", {":s": {"S": "x"}}).endswith("path one: [a], path two: [a]")
    assert error("SET a = :s + :s ADD b :s", {":s": {"S": "x"}}).endswith(
        "operator: ADD, operand type: STRING"
    )


def test_reserved_and_placeholders():
    assert error("SET name = :v", {":v": {"N": "1"}}) == (
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"
    )
    assert update("SET #n = :v", {":v": {"N": "1"}}, {"#n": "name"})["name"] == {"N": "1"}
    assert update("SET #a = :v", {":v": {"N": "1"}}, {"#a": "a.b"})["a.b"] == {"N": "1"}


def test_top_level_names_and_paths():
    upd = compile_update(
        "SET a.b = :v, c = :v REMOVE d[1] ADD e :v DELETE f :s",
        ExpressionContext(None, {":v": {"N": "1"}, ":s": {"SS": ["x"]}}),
    )
    assert upd.top_level_names == {"a", "c", "d", "e", "f"}
    assert ("a", "b") in upd.paths and ("d", 1) in upd.paths


def test_e13_size_limit():
    text = "SET a = :v" + " " * 4087
    assert error(text, {":v": {"N": "1"}}) == (
        "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; expression size: 4097"
    )
    assert update("SET a = :v" + " " * 4086, {":v": {"N": "1"}})["a"] == {"N": "1"}


def test_operator_limit():
    text = "SET " + ", ".join(f"a{i} = :v" for i in range(301))
    assert error(text, {":v": {"N": "1"}}) == (
        "Invalid UpdateExpression: The expression contains too many operators; operator count: 301"
    )


# --- U6: list_append may not be nested ----------------------------------------------------------

LISTS = {":a": {"L": [{"S": "a"}]}, ":b": {"L": [{"S": "b"}]}, ":c": {"L": [{"S": "c"}]}}
MISUSED_LIST_APPEND = (
    "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; "
    "function: list_append"
)


@pytest.mark.parametrize(
    "text",
    [
        "SET a = list_append(list_append(:a, :b), :c)",  # [ALT test_update_expression_function_nesting]
        "SET a = list_append(:a, list_append(:b, :c))",
        "SET a = list_append(list_append(list_append(:a, :b), :c), :a)",
        "SET a = if_not_exists(a, list_append(:a, :b)), b = :c",  # only if_not_exists nests (AWS DAX client rule)
        "SET a = list_append(:a, :b) + :n, b = :c",
    ],
)
def test_u6_nested_list_append_is_misused(text):
    assert error(text, LISTS | {":n": {"N": "1"}} if ":n" in text else LISTS) == MISUSED_LIST_APPEND


def test_u6_list_append_at_the_top_and_if_not_exists_nesting_work():
    assert update("SET a = (list_append(:a, :b)), c = :c", LISTS)["a"] == {"L": [{"S": "a"}, {"S": "b"}]}
    out = update("SET l = list_append(if_not_exists(zz, :a), :b), c = :c", LISTS)
    assert out["l"] == {"L": [{"S": "a"}, {"S": "b"}]}
    out = update("SET a = if_not_exists(zz, if_not_exists(yy, :a)), b = :b, c = :c", LISTS)
    assert out["a"] == {"L": [{"S": "a"}]}


def test_u6_misused_priority():
    # unknown function > misused list_append > section > undefined names/values > ... > operand types
    assert error("SET a = list_append(list_append(:a, :b), f(:c))", LISTS).endswith("function: f")
    assert error("SET a = list_append(list_append(:a, :b), :c) SET b = :a", LISTS) == MISUSED_LIST_APPEND
    assert error("SET a = list_append(list_append(:a, :b), :zz)", LISTS) == MISUSED_LIST_APPEND
    assert (
        error("SET a = list_append(list_append(:a, :b), :s)", LISTS | {":s": {"S": "x"}})
        == MISUSED_LIST_APPEND
    )
    assert error("SET name = list_append(list_append(:a, :b), :c)", LISTS).endswith("reserved keyword: name")


# --- P5 / nesting depth ---------------------------------------------------------------------------


def test_document_path_depth_limit():
    v = {":v": {"N": "1"}}
    deep = "m" + ".b" * 31  # 32 levels: allowed (its parent does not exist, so a run-time path error)
    assert error(f"SET {deep} = :v", v) == M.UPDATE_INVALID_PATH
    assert error(f"SET m{'.b' * 32} = :v", v) == (
        "Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33"
    )
    assert error(f"SET a = l{'[0]' * 33}") == (
        "Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 34"
    )
    # a syntax error anywhere in the text comes first
    assert error(f"SET m{'.b' * 32} = :v,").startswith(
        'Invalid UpdateExpression: Syntax error; token: "<EOF>"'
    )


# --- list indexes always mean the item before the update ---------------------------------------

NUMS = {"p": {"S": "k"}, "a": {"L": [{"N": str(n)} for n in (2, 3, 4, 5, 6, 7)]}}


def nums(out, name="a"):
    return [int(x["N"]) if "N" in x else x for x in out[name]["L"]]


@pytest.mark.parametrize("text", ["REMOVE a[1] SET a[3] = :v", "SET a[3] = :v REMOVE a[1]"])
def test_set_and_remove_use_original_indexes(text):
    # [ALT test_update_expression_nested_remove_list_item_original_number], run against AWS
    assert nums(update(text, {":v": {"N": "17"}}, item=NUMS)) == [2, 4, 17, 6, 7]


def test_several_removes_use_original_indexes_in_any_order():
    assert nums(update("REMOVE a[3], a[1]", item=NUMS)) == [2, 4, 6, 7]
    assert nums(update("REMOVE a[0], a[5], a[2]", item=NUMS)) == [3, 5, 6]
    assert nums(update("REMOVE a[5], a[4], a[3], a[2], a[1], a[0]", item=NUMS)) == []
    assert nums(update("REMOVE a[1], a[99]", item=NUMS)) == [2, 4, 5, 6, 7]


def test_nested_paths_below_a_removed_index_use_original_indexes():
    item = {"a": {"L": [{"M": {"x": {"N": str(i)}, "y": {"N": str(i)}}} for i in range(4)]}}
    out = update("REMOVE a[1], a[3].x", item=item)
    assert out["a"]["L"] == [item["a"]["L"][0], item["a"]["L"][2], {"M": {"y": {"N": "3"}}}]
    out = update("REMOVE a[0] SET a[2].x = :v", {":v": {"S": "new"}}, item=item)
    assert [e["M"]["x"] for e in out["a"]["L"]] == [{"N": "1"}, {"S": "new"}, {"N": "3"}]
    out = update("REMOVE a[0] ADD a[3].y :one", {":one": {"N": "10"}}, item=item)
    assert [e["M"]["y"] for e in out["a"]["L"]] == [{"N": "1"}, {"N": "2"}, {"N": "13"}]
    sets = {"a": {"L": [{"M": {"s": {"SS": ["x", "y"]}}} for _ in range(3)]}}
    out = update("REMOVE a[0] DELETE a[2].s :x", {":x": {"SS": ["x"]}}, item=sets)
    assert [e["M"]["s"] for e in out["a"]["L"]] == [{"SS": ["x", "y"]}, {"SS": ["y"]}]


def test_appends_come_after_removes():
    v = {":v": {"N": "99"}}
    assert nums(update("REMOVE a[0] SET a[10] = :v", v, item=NUMS)) == [3, 4, 5, 6, 7, 99]
    # [INF] an index past the original end is a no-op for REMOVE even when SET appends in the same update
    assert nums(update("SET a[10] = :v REMOVE a[6]", v, item=NUMS)) == [2, 3, 4, 5, 6, 7, 99]
    vals = {":x": {"N": "100"}, ":y": {"N": "200"}}
    assert nums(update("SET a[9] = :y, a[8] = :x REMOVE a[0], a[1]", vals, item=NUMS)) == [
        4,
        5,
        6,
        7,
        100,
        200,
    ]


def test_delete_emptying_a_list_element_set_removes_the_element_by_original_index():
    item = {"a": {"L": [{"SS": ["x"]}, {"SS": ["y"]}, {"SS": ["z", "w"]}]}}
    out = update("DELETE a[0] :x, a[2] :z", {":x": {"SS": ["x"]}, ":z": {"SS": ["z"]}}, item=item)
    assert out["a"]["L"] == [{"SS": ["y"]}, {"SS": ["w"]}]


def test_runtime_errors_surface_in_clause_order():
    # SET's path error comes before an ADD type error in the same update
    assert error("ADD s :n SET zz.y = :n", {":n": {"N": "1"}}) == M.UPDATE_INVALID_PATH
    assert error("ADD s :n REMOVE zz.y", {":n": {"N": "1"}}) == M.UPDATE_INVALID_PATH
    assert error("DELETE n :s ADD s :n", {":n": {"N": "1"}, ":s": {"SS": ["a"]}}) == M.UPDATE_OPERAND_TYPE


# --- U13 / U14: empty sets are rejected where the values are read (V12, V17) ----------------------


@pytest.mark.parametrize("text", ["SET a = :v", "DELETE ss :v", "ADD ss :v"])
def test_u13_u14_empty_set_operand(text):
    with pytest.raises(ValidationException) as exc:
        update(text, {":v": {"SS": []}})
    assert exc.value.message == (
        "ExpressionAttributeValues contains invalid value: One or more parameter values "
        "were invalid: An string set  may not be empty for key :v"
    )


def test_u14_empty_list_map_string_binary_are_fine():
    vals = {":l": {"L": []}, ":m": {"M": {}}, ":s": {"S": ""}, ":b": {"B": b""}}
    out = update("SET d = :l, e = :m, f = :s, g = :b", vals)
    assert (out["d"], out["e"], out["f"], out["g"]) == ({"L": []}, {"M": {}}, {"S": ""}, {"B": b""})


def test_v11_arithmetic_magnitude_overflow():
    assert error("SET n = :a + :a", {":a": {"N": "9e125"}}) == M.NUMBER_OVERFLOW
    assert error("ADD n :a", {":a": {"N": "9e125"}}, item={"n": {"N": "9e125"}}) == M.NUMBER_OVERFLOW


# --- property: list indexes in SET and REMOVE against a plain model ----------------------------------


@settings(max_examples=200, deadline=None)
@given(
    length=st.integers(0, 6),
    picks=st.dictionaries(st.integers(0, 9), st.sampled_from(["SET", "REMOVE"]), max_size=6),
    set_first=st.booleans(),
)
def test_property_list_indexes_mean_the_original_list(length, picks, set_first):
    original = [{"N": str(i)} for i in range(length)]
    sets = sorted(i for i, clause in picks.items() if clause == "SET")
    removes = sorted(i for i, clause in picks.items() if clause == "REMOVE")
    values = {f":v{i}": {"S": f"v{i}"} for i in sets}
    set_part = "SET " + ", ".join(f"a[{i}] = :v{i}" for i in sets) if sets else ""
    remove_part = "REMOVE " + ", ".join(f"a[{i}]" for i in removes) if removes else ""
    parts = [set_part, remove_part] if set_first else [remove_part, set_part]
    text = " ".join(p for p in parts if p)
    if not text:
        return
    # model: replace in range, drop removed originals, then append past-the-end SETs in index order
    model = [values[f":v{i}"] if i in sets else av for i, av in enumerate(original)]
    model = [av for i, av in enumerate(model) if i not in removes]
    model += [values[f":v{i}"] for i in sets if i >= length]
    out = update(text, values or None, item={"a": {"L": original}})
    assert out["a"]["L"] == model


def test_v14_nested_set_keeps_the_item_within_32_levels():
    def nested(levels):
        av = {"S": "x"}
        for _ in range(levels):
            av = {"M": {"a": av}}
        return av

    item = {"m": {"M": {}}}
    # the attribute is level 1: m (1) + x's 30 maps = 31 containers, leaf at level 32
    assert update("SET m.x = :v", {":v": nested(30)}, item=item)["m"]["M"]["x"] == nested(30)
    assert error("SET m.x = :v", {":v": nested(31)}, item=item) == M.NESTING_TOO_DEEP  # 33 levels [INF]
    assert update("SET t = :v", {":v": nested(31)}, item=item)["t"] == nested(31)
