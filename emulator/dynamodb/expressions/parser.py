"""The one grammar: text -> AST for condition/filter/key-condition, update and projection expressions.

Recursive descent over the lexer's tokens, no backtracking. The one ambiguity of the grammar, an
opening parenthesis that may start a grouped condition or a parenthesised operand (``(a) = :v``),
is settled by looking at the token after the matching ``)``: a comparator, BETWEEN or IN means an
operand. Matching parentheses are found once per parse, so parsing is linear.

Parses are cached by expression text (:func:`emulator.caches.memoize`); a syntax error is raised as
:class:`ExpressionError` carrying AWS's ``Syntax error; token: ..., near: ...`` text, without the
``Invalid <Kind>:`` prefix, which the entry points add.

Precedence (strongest first): comparators, IN, BETWEEN, functions, parentheses, NOT, AND, OR.

Document paths deeper than 32 levels (names and list indexes each count one level) are rejected
with ``The document path has too many nesting levels; nesting levels: N`` (P5). AWS is only known
to check this in ProjectionExpression ([ALT]); since all kinds share one path grammar, the
emulator applies it to every kind [INF]. It is reported after the whole text parsed cleanly.
"""

from __future__ import annotations

from ...caches import memoize
from .. import messages as M
from . import ast as A
from .lexer import EOF, INT, NAME, NAMEREF, PUNCT, VALUEREF, Token, syntax_message, tokenize

COMPARATORS = frozenset(("=", "<>", "<", "<=", ">", ">="))
CONDITION_KEYWORDS = frozenset(("AND", "OR", "NOT", "BETWEEN", "IN"))
UPDATE_KEYWORDS = frozenset(("SET", "REMOVE", "ADD", "DELETE"))
MAX_LIST_INDEX = 2**31 - 1
MAX_PATH_DEPTH = 32  # P5: "nested attributes up to 32 levels deep" [DG Limits], [ALT]


class ExpressionError(Exception):
    """An expression problem; ``message`` lacks the ``Invalid <Kind>Expression:`` prefix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Fail(Exception):
    def __init__(self, index: int) -> None:
        self.index = index


class _Parser:
    def __init__(self, text: str, keywords: frozenset[str]) -> None:
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.i = 0
        self.keywords = keywords
        self.redundant = False
        self.operators = 0
        self.too_deep: str | None = None
        self.match: dict[int, int] = {}
        stack: list[int] = []
        for n, tok in enumerate(self.tokens):
            if tok.kind == PUNCT:
                if tok.text == "(":
                    stack.append(n)
                elif tok.text == ")" and stack:
                    self.match[stack.pop()] = n

    # --- token helpers -------------------------------------------------------------------
    def peek(self) -> Token:
        return self.tokens[self.i]

    def fail(self) -> _Fail:
        return _Fail(self.i)

    def at_punct(self, text: str) -> bool:
        tok = self.tokens[self.i]
        return tok.kind == PUNCT and tok.text == text

    def expect_punct(self, text: str) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != PUNCT or tok.text != text:
            raise self.fail()
        self.i += 1
        return tok

    def at_keyword(self, word: str) -> bool:
        tok = self.tokens[self.i]
        return tok.kind == NAME and tok.text.upper() == word

    def expect_eof(self) -> None:
        if self.tokens[self.i].kind != EOF:
            raise self.fail()

    def after_match(self, index: int) -> Token | None:
        close = self.match.get(index)
        return None if close is None else self.tokens[close + 1]

    # --- paths and operands --------------------------------------------------------------
    def path(self) -> A.Path:
        tok = self.peek()
        tok0_pos = tok.start
        if tok.kind == NAME and tok.text.upper() not in self.keywords:
            first: A.PathElement = A.NameRef(tok.text, False, tok.start)
        elif tok.kind == NAMEREF:
            first = A.NameRef(tok.text, True, tok.start)
        else:
            raise self.fail()
        self.i += 1
        elements: list[A.PathElement] = [first]
        while True:
            tok = self.peek()
            if tok.kind != PUNCT:
                break
            if tok.text == ".":
                self.i += 1
                nxt = self.peek()
                if nxt.kind == NAME and nxt.text.upper() not in self.keywords:
                    elements.append(A.NameRef(nxt.text, False, nxt.start))
                elif nxt.kind == NAMEREF:
                    elements.append(A.NameRef(nxt.text, True, nxt.start))
                else:
                    raise self.fail()
                self.i += 1
            elif tok.text == "[":
                self.i += 1
                nxt = self.peek()
                if nxt.kind != INT:
                    raise self.fail()
                index = int(nxt.text)
                if index > MAX_LIST_INDEX:
                    raise ExpressionError(
                        f"List index is not within the allowable range; index: [{nxt.text}]"
                    )
                self.i += 1
                self.expect_punct("]")
                elements.append(index)
            else:
                break
        if len(elements) > MAX_PATH_DEPTH and self.too_deep is None:
            self.too_deep = M.path_too_deep(len(elements))
        return A.Path(tuple(elements), tok0_pos)

    def operand(self, *, arith: bool = False) -> A.Operand:
        """An operand, possibly in parentheses; two pairs around one operand are redundant."""
        if self.at_punct("("):
            start = self.i
            self.i += 1
            if self.at_punct("(") and self.match.get(self.i, -1) + 1 == self.match.get(start, -2):
                self.redundant = True
            inner = self.operand(arith=arith)
            self.expect_punct(")")
            del start
            return inner
        tok = self.peek()
        if tok.kind == VALUEREF:
            self.i += 1
            return A.ValueRef(tok.text, tok.start)
        if tok.kind == NAME and tok.text.upper() not in self.keywords:
            nxt = self.tokens[self.i + 1]
            if nxt.kind == PUNCT and nxt.text == "(":
                return self.call(arith=arith)
        return self.path()

    def call(self, *, arith: bool) -> A.Call:
        tok = self.peek()
        self.i += 2  # name and "("
        args = [self.operand(arith=arith)]
        while self.at_punct(","):
            self.i += 1
            args.append(self.operand(arith=arith))
        self.expect_punct(")")
        return A.Call(tok.text, tuple(args), tok.start)

    # --- conditions ----------------------------------------------------------------------
    def condition(self) -> tuple[A.ConditionNode, bool]:
        """OR level; returns (node, is-a-bare-parenthesised-group)."""
        left, grouped = self.and_condition()
        while self.at_keyword("OR"):
            pos = self.peek().start
            self.i += 1
            self.operators += 1
            right, _ = self.and_condition()
            left, grouped = A.Or(left, right, pos), False
        return left, grouped

    def and_condition(self) -> tuple[A.ConditionNode, bool]:
        left, grouped = self.not_condition()
        while self.at_keyword("AND"):
            pos = self.peek().start
            self.i += 1
            self.operators += 1
            right, _ = self.not_condition()
            left, grouped = A.And(left, right, pos), False
        return left, grouped

    def not_condition(self) -> tuple[A.ConditionNode, bool]:
        if self.at_keyword("NOT"):
            pos = self.peek().start
            self.i += 1
            self.operators += 1
            inner, _ = self.not_condition()
            return A.Not(inner, pos), False
        return self.primary_condition()

    def primary_condition(self) -> tuple[A.ConditionNode, bool]:
        if self.at_punct("("):
            after = self.after_match(self.i)
            is_operand = after is not None and (
                (after.kind == PUNCT and after.text in COMPARATORS)
                or (after.kind == NAME and after.text.upper() in ("BETWEEN", "IN"))
            )
            if not is_operand:
                self.i += 1
                inner, grouped = self.condition()
                self.expect_punct(")")
                if grouped:
                    self.redundant = True
                return inner, True
        return self.leaf_condition(), False

    def leaf_condition(self) -> A.ConditionNode:
        pos = self.peek().start
        subject = self.operand()
        tok = self.peek()
        if tok.kind == PUNCT and tok.text in COMPARATORS:
            self.i += 1
            self.operators += 1
            return A.Compare(tok.text, subject, self.operand(), tok.start)
        if self.at_keyword("BETWEEN"):
            self.i += 1
            self.operators += 1
            low = self.operand()
            if not self.at_keyword("AND"):
                raise self.fail()
            self.i += 1
            return A.Between(subject, low, self.operand(), tok.start)
        if self.at_keyword("IN"):
            self.i += 1
            self.operators += 1
            self.expect_punct("(")
            options = [self.operand()]
            while self.at_punct(","):
                self.i += 1
                options.append(self.operand())
            self.expect_punct(")")
            return A.In(subject, tuple(options), tok.start)
        if isinstance(subject, A.Call):
            return A.FunctionCondition(subject, pos)
        raise self.fail()

    # --- update --------------------------------------------------------------------------
    def update(self) -> A.UpdateTree:
        actions: list[A.UpdateAction] = []
        seen: set[str] = set()
        duplicate: str | None = None
        while True:
            tok = self.peek()
            clause = tok.text.upper() if tok.kind == NAME else ""
            if clause not in UPDATE_KEYWORDS:
                raise self.fail()
            self.i += 1
            if clause in seen and duplicate is None:
                duplicate = clause
            seen.add(clause)
            while True:
                actions.append(self.update_action(clause))
                if not self.at_punct(","):
                    break
                self.i += 1
            if self.peek().kind == EOF:
                break
        return A.UpdateTree(tuple(actions), duplicate, self.operators)

    def update_action(self, clause: str) -> A.UpdateAction:
        pos = self.peek().start
        path = self.path()
        if clause == "REMOVE":
            return A.UpdateAction(clause, path, None, pos)
        if clause in ("ADD", "DELETE"):
            tok = self.peek()
            if tok.kind != VALUEREF:
                raise self.fail()
            self.i += 1
            return A.UpdateAction(clause, path, A.ValueRef(tok.text, tok.start), pos)
        self.expect_punct("=")
        self.operators += 1
        return A.UpdateAction(clause, path, self.set_value(), pos)

    def set_value(self) -> A.Operand:
        if self.at_punct("("):
            after = self.after_match(self.i)
            if after is None or not (after.kind == PUNCT and after.text in ("+", "-")):
                self.i += 1
                inner = self.set_value_inner()
                self.expect_punct(")")
                return inner
        return self.set_value_inner()

    def set_value_inner(self) -> A.Operand:
        left = self.operand(arith=True)
        tok = self.peek()
        if tok.kind == PUNCT and tok.text in ("+", "-"):
            self.i += 1
            self.operators += 1
            return A.Arith(tok.text, left, self.operand(arith=True), tok.start)
        return left

    # --- projection ----------------------------------------------------------------------
    def projection(self) -> A.ProjectionTree:
        paths = [self.path()]
        while self.at_punct(","):
            self.i += 1
            paths.append(self.path())
        return A.ProjectionTree(tuple(paths))


def _run(text: str, keywords: frozenset[str], rule: str) -> object:
    parser = _Parser(text, keywords)
    try:
        result: object
        if rule == "condition":
            root, _ = parser.condition()
            parser.expect_eof()
            result = A.ConditionTree(root, parser.redundant, parser.operators)
        elif rule == "update":
            result = parser.update()
        else:
            result = parser.projection()
            parser.expect_eof()
    except _Fail as bad:
        raise ExpressionError(syntax_message(text, parser.tokens, bad.index)) from None
    except RecursionError:
        raise ExpressionError(
            syntax_message(text, parser.tokens, min(parser.i, len(parser.tokens) - 1))
        ) from None
    if parser.too_deep is not None:  # after a clean parse: a syntax error anywhere comes first [INF]
        raise ExpressionError(parser.too_deep)
    return result


@memoize(2048)
def parse_condition(text: str) -> A.ConditionTree:
    """Condition, filter and key-condition expressions share this grammar."""
    result = _run(text, CONDITION_KEYWORDS, "condition")
    assert isinstance(result, A.ConditionTree)
    return result


@memoize(2048)
def parse_update(text: str) -> A.UpdateTree:
    result = _run(text, UPDATE_KEYWORDS, "update")
    assert isinstance(result, A.UpdateTree)
    return result


@memoize(2048)
def parse_projection(text: str) -> A.ProjectionTree:
    result = _run(text, frozenset(), "projection")
    assert isinstance(result, A.ProjectionTree)
    return result
