"""Condition and filter expressions (docs/rules/dynamodb.md §5.1, §5.2, O2-O4): text -> result or exact error."""

from __future__ import annotations

import pytest

from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.expressions import ExpressionContext, compile_condition

ITEM = {
    "s": {"S": "hello"},
    "n": {"N": "5"},
    "b": {"B": b"\x01\x02\x03"},
    "t": {"BOOL": True},
    "z": {"NULL": True},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2"]},
    "bs": {"BS": [b"x"]},
    "l": {"L": [{"S": "x"}, {"N": "1"}, {"BOOL": True}]},
    "m": {"M": {"k": {"S": "v"}, "d": {"M": {"e": {"N": "1"}}}}},
    "dot.name": {"S": "dotted"},
    "e": {"S": ""},
}


def run(text, values=None, names=None, item=ITEM, kind="ConditionExpression"):
    ctx = ExpressionContext(names, values)
    cond = compile_condition(text, ctx, kind=kind)
    ctx.check_unused()
    return cond.evaluate(item)


def error(text, values=None, names=None, kind="ConditionExpression"):
    with pytest.raises(ValidationException) as exc:
        run(text, values, names, kind=kind)
    return exc.value.message


S = {"S": "hello"}
N5 = {"N": "5"}


# --- comparisons and O2-O4 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,values,expected",
    [
        ("s = :v", {":v": S}, True),
        ("s <> :v", {":v": S}, False),
        ("n = :v", {":v": {"N": "5.0"}}, True),
        ("n = :v", {":v": {"N": "50e-1"}}, True),
        ("n < :v", {":v": {"N": "10"}}, True),
        ("n <= :v", {":v": N5}, True),
        ("n > :v", {":v": {"N": "-1"}}, True),
        ("n >= :v", {":v": {"N": "6"}}, False),
        ("s < :v", {":v": {"S": "help"}}, True),
        ("b < :v", {":v": {"B": b"\x80"}}, True),
        ("n < :v", {":v": {"S": "x"}}, False),  # O2: different types -> false, no error
        ("l < :v", {":v": N5}, False),  # O2: an item list is not ordered (a list constant: C18)
        ("n = :v", {":v": {"S": "5"}}, False),  # O3
        ("n <> :v", {":v": {"S": "5"}}, True),
        ("ss = :v", {":v": {"SS": ["b", "a"]}}, True),  # O3: set equality ignores order
        ("ns = :v", {":v": {"NS": ["2.0", "1"]}}, True),
        ("l = :v", {":v": {"L": [{"S": "x"}, {"N": "1.0"}, {"BOOL": True}]}}, True),
        ("m = :v", {":v": {"M": {"d": {"M": {"e": {"N": "1"}}}, "k": {"S": "v"}}}}, True),
        ("nothere = :v", {":v": S}, False),  # O4
        ("nothere <> :v", {":v": S}, True),
        ("nothere < :v", {":v": S}, False),
        ("s < n", None, False),  # C14: two paths
        ("n > size(s)", None, False),
        ("n = size(s)", None, True),
        ("e = :v", {":v": {"S": ""}}, True),
    ],
)
def test_comparisons(text, values, expected):
    assert run(text, values) is expected


def test_o4_two_missing_attributes():
    assert run("x1 = x2") is False
    assert run("x1 <> x2") is True
    assert run("x1 < x2") is False


def test_condition_on_missing_item():
    ctx = ExpressionContext(None, None)
    assert compile_condition("attribute_not_exists(a)", ctx).evaluate(None) is True
    assert compile_condition("attribute_exists(a)", ctx).evaluate(None) is False


# --- BETWEEN, IN, logic, precedence ---------------------------------------------------------


def test_between_and_in():
    assert run("n BETWEEN :a AND :b", {":a": {"N": "1"}, ":b": {"N": "5"}}) is True
    assert run("n BETWEEN :a AND :b", {":a": {"N": "6"}, ":b": {"N": "9"}}) is False
    assert run("s BETWEEN :a AND :b", {":a": {"N": "1"}, ":b": {"N": "9"}}) is False
    assert run("n IN (:a, :b)", {":a": {"N": "5.00"}, ":b": {"S": "x"}}) is True
    assert run("n IN (:a)", {":a": {"N": "4"}}) is False
    assert run("nothere IN (:a)", {":a": {"N": "4"}}) is False


def test_precedence_and_before_or_and_not_before_and():
    v = {":t": {"BOOL": True}, ":f": {"BOOL": False}}

    def run(text, values):
        return compile_condition(text, ExpressionContext(None, values)).evaluate(ITEM)

    assert run("t = :t OR t = :f AND t = :f", v) is True  # a OR (b AND c)
    assert run("(t = :t OR t = :f) AND t = :f", v) is False
    assert run("NOT t = :f AND t = :f", v) is False  # (NOT a) AND b
    assert run("NOT (t = :f AND t = :f)", v) is True
    assert run("n BETWEEN :a AND :b AND t = :t", {":a": N5, ":b": N5, ":t": {"BOOL": True}}) is True
    assert run("t = :t and not t = :f or t = :f", v) is True  # keywords case-insensitive


# --- functions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,values,expected",
    [
        ("attribute_exists(s)", None, True),
        ("attribute_exists(nothere)", None, False),
        ("attribute_not_exists(nothere)", None, True),
        ("attribute_exists(m.k)", None, True),
        ("attribute_exists(m.d.e)", None, True),
        ("attribute_exists(m.x)", None, False),
        ("attribute_exists(l[2])", None, True),
        ("attribute_exists(l[3])", None, False),
        ("attribute_exists(s.x)", None, False),
        ("attribute_exists(#d)", {"#d": "dot.name"}, True),
        ("attribute_type(s, :t)", {":t": {"S": "S"}}, True),
        ("attribute_type(ns, :t)", {":t": {"S": "NS"}}, True),
        ("attribute_type(s, :t)", {":t": {"S": "N"}}, False),
        ("begins_with(s, :p)", {":p": {"S": "he"}}, True),
        ("begins_with(s, :p)", {":p": {"S": "lo"}}, False),
        ("begins_with(b, :p)", {":p": {"B": b"\x01"}}, True),
        ("begins_with(n, :p)", {":p": {"S": "5"}}, False),  # C7: item of another type -> false
        ("contains(s, :p)", {":p": {"S": "ell"}}, True),
        ("contains(b, :p)", {":p": {"B": b"\x02\x03"}}, True),
        ("contains(ss, :p)", {":p": {"S": "a"}}, True),
        ("contains(ss, :p)", {":p": {"N": "1"}}, False),
        ("contains(ns, :p)", {":p": {"N": "2.0"}}, True),
        ("contains(bs, :p)", {":p": {"B": b"x"}}, True),
        ("contains(l, :p)", {":p": {"BOOL": True}}, True),
        ("contains(l, :p)", {":p": {"N": "1.0"}}, True),
        ("contains(m, :p)", {":p": {"S": "k"}}, False),  # C8: maps never contain
        ("contains(:p, s)", {":p": {"S": "oh hello there"}}, True),
        ("size(s) = :v", {":v": N5}, True),
        ("size(b) = :v", {":v": {"N": "3"}}, True),
        ("size(ss) = :v", {":v": {"N": "2"}}, True),
        ("size(l) = :v", {":v": {"N": "3"}}, True),
        ("size(m) = :v", {":v": {"N": "2"}}, True),
        ("size(n) = :v", {":v": {"N": "1"}}, False),  # C10: no value for N
        ("size(t) <> :v", {":v": {"N": "1"}}, True),
        ("size(:v) = :w", {":v": {"S": "abc"}, ":w": {"N": "3"}}, True),
        ("size(s) = :v", {":v": {"S": "5"}}, False),
    ],
)
def test_functions(text, values, expected):
    names = {k: v for k, v in (values or {}).items() if k.startswith("#")} or None
    vals = {k: v for k, v in (values or {}).items() if k.startswith(":")} or None
    assert run(text, vals, names) is expected


def test_size_counts_utf8_bytes():
    assert run("size(u) = :v", {":v": {"N": "2"}}, item={"u": {"S": "é"}}) is True


def test_function_names_are_case_sensitive():
    assert (
        error("Attribute_Exists(a)")
        == "Invalid ConditionExpression: Invalid function name; function: Attribute_Exists"
    )


# --- errors (exact texts and priorities) ---------------------------------------------------------


def test_e7_empty():
    assert error("") == "Invalid ConditionExpression: The expression can not be empty;"
    assert error("", kind="FilterExpression") == "Invalid FilterExpression: The expression can not be empty;"


@pytest.mark.parametrize(
    "text,token,near",
    [
        ("a-b", "-", "a-b"),
        ("a", "<EOF>", "a"),
        ("a = ", "<EOF>", "="),
        ("s", "<EOF>", "s"),
        (":v", "<EOF>", ":v"),
        ("INVALID SYNTAX HERE", "SYNTAX", "INVALID SYNTAX HERE"),
        ("!!", "!", "!!"),
        ("()", ")", "()"),
        ("_abc = :v", "_", "_abc"),
        ("a[:i] = :v", ":i", "[:i]"),
        ("a[#i] = :v", "#i", "[#i]"),
        ("a = :v AND", "<EOF>", "AND"),
        ("a BETWEEN :v", "<EOF>", ":v"),
        ("begins_with(sk, tenantAgent:abc123-x)", ":abc123", "tenantAgent:abc123-"),
    ],
)
def test_e8_syntax_errors(text, token, near):
    assert (
        error(text, {":v": S})
        == f'Invalid ConditionExpression: Syntax error; token: "{token}", near: "{near}"'
    )


def test_e10_reserved_words():
    assert error("size = :v", {":v": S}) == (
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size"
    )
    assert error("a.Name = :v", {":v": S}) == (
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Name"
    )
    assert run("#n = :v", {":v": S}, {"#n": "name"}, item={"name": S}) is True


def test_e11_placeholder_stands_for_one_component():
    assert run("#a = :v", {":v": {"S": "dotted"}}, {"#a": "dot.name"}) is True


def test_e12_list_index_range():
    assert error("a[99999999999999] = :v", {":v": S}) == (
        "Invalid ConditionExpression: List index is not within the allowable range; index: [99999999999999]"
    )


def test_e13_limits():
    long = "a = :v AND " * 400 + "a = :v"
    assert error(long, {":v": S}).startswith(
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: "
    )
    ops = " OR ".join(["a = :v"] * 151)  # 151 comparisons + 150 ORs
    assert error(ops, {":v": S}) == (
        "Invalid ConditionExpression: The expression contains too many operators; operator count: 301"
    )
    ok = " OR ".join(["a = :v"] * 150)
    assert run(ok, {":v": S}) is False
    # function calls are not operators: 150 comparisons + 150 ORs (+ a function) is still 300
    assert run(ok + " OR attribute_exists(s)", {":v": S}) is True
    assert run(" OR ".join(["attribute_exists(a)"] * 170), None) is False  # 169 operators
    # exact size in the message, bytes not characters (é is two bytes)
    text = "s = :v" + " " * 4089 + "é"
    assert len(text.encode()) == 4097
    assert error(text, {":v": S}) == (
        "Invalid ConditionExpression: Expression size has exceeded the maximum "
        "allowed size; expression size: 4097"
    )
    assert run("s = :v" + " " * 4090, {":v": S}) is True  # exactly 4096 bytes


def test_e5_undefined_placeholders():
    assert error("#a = :v", {":v": S}) == (
        "Invalid ConditionExpression: An expression attribute name used in "
        "the document path is not defined; attribute name: #a"
    )
    assert error("a = :v") == (
        "Invalid ConditionExpression: An expression attribute value used in expression "
        "is not defined; attribute value: :v"
    )


def test_e4_unused():
    with pytest.raises(ValidationException) as exc:
        run("a = :v", {":v": S, ":w": S, ":x": S})
    assert (
        exc.value.message
        == "1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: {:w, :x}"
    )
    with pytest.raises(ValidationException) as exc:
        run("a = :v", {":v": S}, {"#a": "a", "#b": "b"})
    assert (
        exc.value.message
        == "1 validation error detected: Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
    )


def test_e4_short_circuit_does_not_cause_unused():
    assert run("attribute_exists(s) OR s = :v", {":v": S}) is True


def test_e1_e2_context_checks():
    with pytest.raises(ValidationException) as exc:
        ExpressionContext({}, None)
    assert exc.value.message == "ExpressionAttributeNames must not be empty"
    with pytest.raises(ValidationException) as exc:
        ExpressionContext(None, {})
    assert exc.value.message == "1 validation error detected: ExpressionAttributeValues must not be empty"
    with pytest.raises(ValidationException) as exc:
        ExpressionContext({"a": "x"}, None)
    assert exc.value.message == 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'
    with pytest.raises(ValidationException) as exc:
        ExpressionContext(None, {":a-b": S})
    assert exc.value.message == 'ExpressionAttributeValues contains invalid key: Syntax error; key: ":a-b"'
    with pytest.raises(ValidationException) as exc:
        ExpressionContext(None, {":a": {"N": "x"}})
    assert exc.value.message == (
        "ExpressionAttributeValues contains invalid value: The parameter cannot be "
        "converted to a numeric value: x for key :a"
    )


def test_c1_bare_operand_is_syntax_error():
    assert error("a") == 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"'


def test_c2_size_misuse():
    assert error("size(a)") == (
        "Invalid ConditionExpression: The function is not allowed to be used this way "
        "in an expression; function: size"
    )
    assert error("size(a) AND a = :v", {":v": S}).endswith("function: size")
    assert error("attribute_exists(a) < :v", {":v": N5}) == (
        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
        "function: attribute_exists"
    )


def test_c3_unknown_functions():
    assert error("foo(a)") == "Invalid ConditionExpression: Invalid function name; function: foo"
    assert (
        error("Size(a) = :v", {":v": N5})
        == "Invalid ConditionExpression: Invalid function name; function: Size"
    )


def test_c3_update_functions_are_not_allowed_in_conditions():
    # AWS: "not allowed in a condition expression" (live-call quotes in [3P]; [ALT] matches "not allowed").
    for f in ("if_not_exists(a, :v) = :v", "list_append(a, :v) = :v", "if_not_exists(a, :v)"):
        name = f.split("(")[0]
        assert error(f, {":v": S}) == (
            f"Invalid ConditionExpression: The function is not allowed in a condition expression; function: {name}"
        )
    assert error("a < if_not_exists(c, :v)", {":v": S}, kind="FilterExpression") == (
        "Invalid FilterExpression: The function is not allowed in a condition expression; function: if_not_exists"
    )
    # same category as an unknown function: the first one in source order wins
    assert error("foo(a) AND list_append(a, :v) = :v", {":v": S}).endswith(
        "Invalid function name; function: foo"
    )
    assert error("list_append(a, :v) = :v AND foo(a)", {":v": S}).endswith(
        "not allowed in a condition expression; function: list_append"
    )
    # and it outranks a misused function or a reserved word
    assert error("size(a) AND name = :v AND if_not_exists(a, :v) = :v", {":v": S}).endswith(
        "function: if_not_exists"
    )


def test_c4_arity():
    assert error("attribute_exists(s, n)") == (
        "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or "
        "function: attribute_exists, number of operands: 2"
    )


def test_c5_requires_path():
    assert error("attribute_exists(:v)", {":v": S}) == (
        "Invalid ConditionExpression: Operator or function requires a document path; operator or function: "
        "attribute_exists"
    )


def test_c6_attribute_type_argument():
    assert error("attribute_type(a, :t)", {":t": {"N": "1"}}) == (
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: "
        "attribute_type, operand type: N"
    )
    assert error("attribute_type(a, :t)", {":t": {"S": "X"}}) == (
        "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: "
        "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"
    )


def test_c7_begins_with_constant_type():
    assert error("begins_with(a, :v)", {":v": N5}) == (
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: "
        "begins_with, operand type: N"
    )


def test_c9_distinct_operands():
    assert error("contains(a, a)") == (
        "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this "
        "operator or function; operator: contains, first operand: [a]"
    )
    assert error("begins_with(a.b[1], a.b[1])").endswith("operator: begins_with, first operand: [a, b, [1]]")
    assert error("a = a").endswith("operator: =, first operand: [a]")


def test_c11_c12_between_constants():
    assert error("a BETWEEN :a AND :b", {":a": {"N": "1"}, ":b": {"S": "a"}}) == (
        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; "
        "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}"
    )
    assert error("a BETWEEN :a AND :b", {":a": {"N": "5"}, ":b": {"N": "1"}}) == (
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to "
        "lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"
    )


def test_c13_redundant_parentheses():
    assert (
        error("((a = :v))", {":v": S})
        == "Invalid ConditionExpression: The expression has redundant parentheses;"
    )
    assert (
        error("((a)) = :v", {":v": S})
        == "Invalid ConditionExpression: The expression has redundant parentheses;"
    )
    assert run("(s = :v)", {":v": S}) is True
    assert run("(s) = :v", {":v": S}) is True
    assert run("(s = :v) AND (n = :n)", {":v": S, ":n": N5}) is True


def test_in_operand_limit():
    values = {f":v{i}": {"N": str(i)} for i in range(101)}
    text = "n IN (" + ", ".join(values) + ")"
    assert error(text, values).startswith(
        "Invalid ConditionExpression: The IN operator is provided with too many"
    )
    del values[":v100"]
    assert run("n IN (" + ", ".join(values) + ")", values) is True


def test_error_priority():
    # redundant parentheses > unknown function > misused function > reserved word > per-condition errors
    assert error("((foo(a) = :v))").endswith("redundant parentheses;")
    assert error("size = :v AND foo(a)").endswith("Invalid function name; function: foo")
    assert error("size = :v AND attribute_exists(a) < :x").endswith("function: attribute_exists")
    assert error("a = :undefined AND size = :v", {":v": S}).endswith("reserved keyword: size")
    # within the first failing condition: undefined placeholder > operand count > distinct > type
    assert error("attribute_exists(a, :x)").endswith("attribute value: :x")
    assert error("begins_with(a, :n) AND b = :missing", {":n": N5}).endswith("operand type: N")
    assert error("b = :missing AND begins_with(a, :n)", {":n": N5}).endswith("attribute value: :missing")
    # syntax errors come before everything
    assert error("size = :v AND").startswith("Invalid ConditionExpression: Syntax error")


def test_filter_kind_prefix_and_names():
    ctx = ExpressionContext({"#k": "key"}, {":v": S})
    cond = compile_condition("#k = :v AND m.k = :v AND size(l) > :v", ctx, kind="FilterExpression")
    assert cond.top_level_names == {"key", "m", "l"}
    assert (
        error("foo(a)", kind="FilterExpression")
        == "Invalid FilterExpression: Invalid function name; function: foo"
    )


def test_parse_is_cached():
    from emulator.dynamodb.expressions.parser import parse_condition

    assert parse_condition("a = :v") is parse_condition("a = :v")


def test_compiled_cache_replays_placeholder_use():
    from emulator.dynamodb.expressions import compile_projection

    for _ in range(2):  # the second round is served from the compile cache
        ctx = ExpressionContext({"#a": "a"}, {":v": S})
        compile_projection("#a", ctx)
        first = compile_condition("#a = :v", ctx)
        ctx.check_unused()
        assert first.evaluate({"a": S}) is True
    ctx = ExpressionContext({"#a": "a"}, {":v": S})
    compile_condition("#a = :v", ctx)  # cached, yet it must mark #a and :v as used
    ctx.check_unused()
    ctx = ExpressionContext({"#a": "a"}, {":v": S, ":w": S})
    compile_condition("#a = :v", ctx)
    with pytest.raises(ValidationException) as exc:
        ctx.check_unused()
    assert (
        exc.value.message
        == "1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"
    )


def test_compiled_cache_distinguishes_values():
    ctx1 = ExpressionContext(None, {":v": S})
    ctx2 = ExpressionContext(None, {":v": {"S": "other"}})
    assert compile_condition("s = :v", ctx1).evaluate(ITEM) is True
    assert compile_condition("s = :v", ctx2).evaluate(ITEM) is False


def test_p5_nesting_depth_applies_to_conditions():
    assert run("attribute_exists(m" + ".b" * 31 + ")") is False
    assert error("attribute_exists(m" + ".b" * 32 + ")") == (
        "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33"
    )


def test_e13_operator_count_is_reported_as_301():
    # AWS stops counting past the limit: 909 operators still say 301 [ALT test_deeply_nested_expression_2]
    text = "a<b " + "or (a<b " * 200 + ")" * 200
    assert (
        error(text)
        == "Invalid ConditionExpression: The expression contains too many operators; operator count: 301"
    )
    ok = "a<b " + "or (a<b " * 149 + ")" * 149  # 299 operators; parentheses are not operators
    assert run(ok) is False


def test_l3_name_key_length():
    key = "#" + "k" * 254  # 255 bytes
    assert run(f"{key} = :v", {":v": S}, {key: "s"}) is True
    with pytest.raises(ValidationException) as exc:
        ExpressionContext({key + "k": "s"}, None)
    assert exc.value.message == (
        "ExpressionAttributeNames contains invalid key: The expression attribute map "
        "contains a key that is too long; size of key: 256"
    )
    assert run(f"#a = :{'v' * 300}", {":" + "v" * 300: S}, {"#a": "s"}) is True  # no limit on value keys
