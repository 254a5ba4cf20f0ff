"""PartiQL for DynamoDB: the parser (tokens → :mod:`.ast`), recursive descent, cached by text.

The grammar is the subset DynamoDB accepts (AWS "PartiQL for DynamoDB" reference): SELECT with
``*`` or document paths, ``FROM "Table"`` or ``"Table"."Index"``, WHERE, ORDER BY; INSERT INTO
... VALUE {...}; UPDATE ... SET/REMOVE ... WHERE [RETURNING]; DELETE FROM ... WHERE [RETURNING];
and ``EXISTS(SELECT ...)`` inside transactions. Conditions: comparisons, AND/OR/NOT, IN,
BETWEEN, IS [NOT] MISSING/NULL, begins_with, contains, attribute_type, size. Anything else is
AWS's "Statement wasn't well formed" ValidationException, with where the parser stopped.
"""

from __future__ import annotations

from typing import Any

from ...caches import BoundedCache
from ...errors import AWSError
from .. import messages as M
from ..errors import ValidationException
from . import ast as A
from .lexer import Token, tokenize

_COMPARE = {"=": "=", "<>": "<>", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_CONDITION_FUNCTIONS = {"BEGINS_WITH": 2, "CONTAINS": 2, "ATTRIBUTE_TYPE": 2}
_SET_FUNCTIONS = {"LIST_APPEND": 2, "SET_ADD": 2, "SET_DELETE": 2, "IF_NOT_EXISTS": 2}
_RETURNING = {
    ("ALL", "OLD"): "ALL_OLD",
    ("ALL", "NEW"): "ALL_NEW",
    ("MODIFIED", "OLD"): "UPDATED_OLD",
    ("MODIFIED", "NEW"): "UPDATED_NEW",
}

#: ``x IS <type>``: the PartiQL type names DynamoDB accepts, and the attribute type each tests
#: (MISSING: absence; AWS's list in its unsupported-type text, [DDBL]).
IS_TYPES = {
    "MISSING": "",
    "NULL": "NULL",
    "BOOLEAN": "BOOL",
    "BLOB": "B",
    "STRING": "S",
    "NUMERIC": "N",
    "STRUCT": "M",
    "TUPLE": "M",
    "LIST": "L",
}

_cache: BoundedCache[str, tuple[A.Statement, int]] = BoundedCache("dynamodb.partiql.parsed", 2048)


def parse(statement: str) -> tuple[A.Statement, int]:
    """The statement's tree and its number of ``?`` parameters (cached by text; errors are not)."""
    hit = _cache.entries.get(statement)
    if hit is None:
        parser = _Parser(tokenize(statement))
        tree = parser.statement()
        hit = (tree, parser.params)
        _cache.put(statement, hit)
    return hit


def cached_parse(statement: str) -> tuple[A.Statement, int] | None:
    """The cached parse of ``statement``, or None when it was not parsed (successfully) yet."""
    return _cache.entries.get(statement)


class _Parser:
    __slots__ = ("tokens", "pos", "params")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.params = 0

    # --- token helpers -------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def fail(self, what: str | None = None) -> AWSError:
        tok = self.peek()
        if what is None:
            what = M.PQL_UNEXPECTED_END if tok.kind == "eof" else M.PQL_UNEXPECTED_TOKEN.format(tok.text)
        return ValidationException(M.partiql_syntax(what, tok.line, tok.column))

    def accept_kw(self, *words: str) -> bool:
        if any(self.peek().is_kw(w) for w in words):
            self.pos += 1
            return True
        return False

    def expect_kw(self, word: str) -> None:
        if not self.accept_kw(word):
            raise self.fail(M.PQL_EXPECTED.format(word))

    def accept_op(self, op: str) -> bool:
        tok = self.peek()
        if tok.kind == "op" and tok.text == op:
            self.pos += 1
            return True
        return False

    def expect_op(self, op: str) -> None:
        if not self.accept_op(op):
            raise self.fail(M.PQL_EXPECTED.format(op))

    # --- statements ----------------------------------------------------------------------------

    def statement(self) -> A.Statement:
        tok = self.peek()
        word = tok.text.upper() if tok.kind == "ident" else ""
        parse_one: Any = {
            "SELECT": self.select,
            "INSERT": self.insert,
            "UPDATE": self.update,
            "DELETE": self.delete,
            "EXISTS": self.exists,
        }.get(word)
        if parse_one is None:
            raise self.fail(M.PQL_EXPECTED_DML)
        self.pos += 1
        tree = parse_one()
        self.accept_op(";")
        if self.peek().kind != "eof":
            raise self.fail(M.PQL_TOKEN_AFTER_EXPRESSION)
        return tree

    def name(self) -> str:
        tok = self.peek()
        if tok.kind not in ("ident", "qident"):
            raise self.fail(M.PQL_EXPECTED_IDENTIFIER)
        self.pos += 1
        return tok.text

    def source(self) -> A.Source:
        table = self.name()
        index = None
        if self.accept_op("."):
            index = self.name()
        if self.peek().is_kw("AS") or (self.peek().kind in ("ident", "qident") and not self._clause_word()):
            raise ValidationException(M.PQL_ALIAS_UNSUPPORTED)
        return A.Source(table, index)

    def _clause_word(self) -> bool:
        tok = self.peek()
        return tok.kind == "ident" and tok.text.upper() in (
            "WHERE", "ORDER", "VALUE", "SET", "REMOVE", "RETURNING", "VALUES",
        )  # fmt: skip

    def select(self) -> A.Select:
        projection: tuple[A.Path, ...] | None
        if self.accept_op("*"):
            projection = None
            if self.peek().text == ",":
                raise ValidationException(M.PQL_STAR_AND_OTHERS)
        else:
            paths = [self.path()]
            while self.accept_op(","):
                paths.append(self.path())
            projection = tuple(paths)
        self.expect_kw("FROM")
        source = self.source()
        where = self.condition() if self.accept_kw("WHERE") else None
        order = None
        if self.accept_kw("ORDER"):
            self.expect_kw("BY")
            path = self.path()
            descending = False
            if self.accept_kw("DESC"):
                descending = True
            else:
                self.accept_kw("ASC")
            order = (path, descending)
        return A.Select(source, projection, where, order)

    def insert(self) -> A.Insert:
        self.expect_kw("INTO")
        source = self.source()
        if self.peek().is_kw("VALUES"):
            raise ValidationException(M.PQL_INSERT_MULTIPLE)
        self.expect_kw("VALUE")
        value = self.value()
        if not isinstance(value, (A.MapV, A.Param)):
            raise ValidationException(M.PQL_INSERT_NOT_STRUCT)
        return A.Insert(source, value)

    def update(self) -> A.Update:
        source = self.source()
        sets: list[tuple[A.Path, Any]] = []
        removes: list[A.Path] = []
        while True:
            if self.accept_kw("SET"):
                sets.append(self.assignment())
                while self.accept_op(","):
                    sets.append(self.assignment())
            elif self.accept_kw("REMOVE"):
                removes.append(self.path())
                while self.accept_op(","):
                    removes.append(self.path())
            else:
                break
        if not sets and not removes:
            raise self.fail(M.PQL_EXPECTED.format("SET"))
        if not self.peek().is_kw("WHERE"):
            raise ValidationException(M.PQL_INCOMPLETE_KEY)
        self.pos += 1
        where = self.condition()
        return A.Update(source, tuple(sets), tuple(removes), where, self.returning())

    def delete(self) -> A.Delete:
        self.expect_kw("FROM")
        source = self.source()
        if not self.peek().is_kw("WHERE"):
            raise ValidationException(M.PQL_INCOMPLETE_KEY)
        self.pos += 1
        where = self.condition()
        returning = self.returning()
        if returning is not None and returning != "ALL_OLD":
            raise ValidationException(M.pql_delete_returning(returning))
        return A.Delete(source, where, returning)

    def exists(self) -> A.Exists:
        self.expect_op("(")
        self.expect_kw("SELECT")
        select = self.select()
        self.expect_op(")")
        return A.Exists(select)

    def returning(self) -> str | None:
        if not self.accept_kw("RETURNING"):
            return None
        first, second = self.take(), self.take()
        key = (first.text.upper(), second.text.upper())
        if key not in _RETURNING or not self.accept_op("*"):
            raise ValidationException(M.PQL_RETURNING_SYNTAX)
        return _RETURNING[key]

    def assignment(self) -> tuple[A.Path, Any]:
        path = self.path()
        self.expect_op("=")
        left = self.set_operand()
        for op in ("+", "-"):
            if self.accept_op(op):
                return path, A.Arith(op, left, self.set_operand())
        return path, left

    def set_operand(self) -> Any:
        tok = self.peek()
        if tok.kind == "ident" and tok.text.upper() in _SET_FUNCTIONS and self.peek(1).text == "(":
            self.pos += 2
            args = self.arguments()
            if len(args) != _SET_FUNCTIONS[tok.text.upper()]:
                raise self.fail()
            return A.Call(tok.text.lower(), tuple(args))
        return self.operand()

    def arguments(self) -> list[Any]:
        """The arguments of a call whose ``(`` was taken, through the closing ``)``."""
        args = [self.set_operand()]
        while self.accept_op(","):
            args.append(self.set_operand())
        self.expect_op(")")
        return args

    # --- conditions ----------------------------------------------------------------------------

    def condition(self) -> Any:
        items = [self.conjunction()]
        while self.accept_kw("OR"):
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else A.Or(tuple(items))

    def conjunction(self) -> Any:
        items = [self.negation()]
        while self.accept_kw("AND"):
            items.append(self.negation())
        return items[0] if len(items) == 1 else A.And(tuple(items))

    def negation(self) -> Any:
        if self.accept_kw("NOT"):
            return A.Not(self.negation())
        return self.predicate()

    def predicate(self) -> Any:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "(":
            self.pos += 1
            inner = self.condition()
            self.expect_op(")")
            return inner
        if tok.kind == "ident" and tok.text.upper() in _CONDITION_FUNCTIONS and self.peek(1).text == "(":
            self.pos += 2
            args = [self.operand()]
            while self.accept_op(","):
                args.append(self.operand())
            self.expect_op(")")
            if len(args) != _CONDITION_FUNCTIONS[tok.text.upper()]:
                raise self.fail()
            return A.Func(tok.text.lower(), tuple(args))
        if tok.kind == "ident" and self.peek(1).text == "(" and tok.text.upper() != "SIZE":
            raise ValidationException(M.pql_unrecognized_function(tok.text))
        left = self.operand()
        return self.predicate_rest(left)

    def predicate_rest(self, left: Any) -> Any:
        tok = self.peek()
        if tok.kind == "op" and tok.text in _COMPARE:
            self.pos += 1
            return A.Cmp(_COMPARE[tok.text], left, self.operand())
        negated = self.accept_kw("NOT")
        if self.accept_kw("IN"):
            node: Any = A.In(left, self.sequence())
        elif self.accept_kw("BETWEEN"):
            low = self.operand()
            self.expect_kw("AND")
            node = A.Between(left, low, self.operand())
        elif not negated and self.accept_kw("IS"):
            negated = self.accept_kw("NOT")
            what = self.take()
            if what.kind != "ident" or what.text.upper() not in IS_TYPES:
                raise ValidationException(M.pql_unsupported_is(what.text.upper()))
            if not isinstance(left, A.Path):
                raise ValidationException(M.PQL_IS_OPERAND)
            return A.Is(left, what.text.upper(), negated)
        else:
            raise ValidationException(M.PQL_BOOLEAN_WHERE)
        return A.Not(node) if negated else node

    def sequence(self) -> tuple[Any, ...]:
        close = "]" if self.accept_op("[") else ")" if self.accept_op("(") else None
        if close is None:
            raise ValidationException(M.PQL_INVALID_IN)
        items = [self.operand()]
        while self.accept_op(","):
            items.append(self.operand())
        self.expect_op(close)
        return tuple(items)

    def operand(self) -> Any:
        tok = self.peek()
        if tok.kind == "ident" and tok.text.upper() == "SIZE" and self.peek(1).text == "(":
            self.pos += 2
            path = self.path()
            self.expect_op(")")
            return A.Size(path)
        if tok.kind == "qident" or (tok.kind == "ident" and tok.text.upper() not in _VALUE_WORDS):
            return self.path()
        return self.value()

    # --- paths and values ----------------------------------------------------------------------

    def path(self) -> A.Path:
        parts: list[A.PathPart] = [self.name()]
        while True:
            if self.accept_op("."):
                parts.append(self.name())
            elif self.accept_op("["):
                tok = self.take()
                if tok.kind == "number" and tok.text.isdigit():
                    parts.append(int(tok.text))
                elif tok.kind == "string":
                    parts.append(tok.text)
                else:
                    self.pos -= 1
                    raise self.fail(M.PQL_UNEXPECTED_PATH)
                self.expect_op("]")
            else:
                return A.Path(tuple(parts))

    def value(self) -> Any:
        start = self.pos
        tok = self.take()
        kind, text = tok.kind, tok.text
        if kind == "string":
            return A.Lit({"S": text})
        if kind == "number":
            return A.Lit({"N": text})
        if kind == "param":
            self.params += 1
            return A.Param(self.params - 1)
        if kind == "op":
            if text == "-" and self.peek().kind == "number":
                return A.Lit({"N": "-" + self.take().text})
            close = {"[": "]", "<<": ">>", "{": "}"}.get(text)
            if close is not None:
                return self.collection(text, close)
        if kind == "ident":
            word = text.upper()
            if word in ("TRUE", "FALSE"):
                return A.Lit({"BOOL": word == "TRUE"})
            if word == "NULL":
                return A.Lit({"NULL": True})
            if word == "MISSING":
                raise ValidationException(M.PQL_MISSING_LITERAL)
        self.pos = start
        raise self.fail()

    def collection(self, opening: str, close: str) -> Any:
        if opening == "{":
            pairs: list[tuple[str, Any]] = []
            if not self.accept_op("}"):
                while True:
                    key = self.take()
                    if key.kind != "string":
                        raise ValidationException(M.pql_tuple_key_type(key.text))
                    self.expect_op(":")
                    pairs.append((key.text, self.value()))
                    if not self.accept_op(","):
                        break
                self.expect_op("}")
            return A.MapV(tuple(pairs))
        items: list[Any] = []
        if not self.accept_op(close):
            items.append(self.value())
            while self.accept_op(","):
                items.append(self.value())
            self.expect_op(close)
        return A.ListV(tuple(items)) if opening == "[" else A.BagV(tuple(items))


_VALUE_WORDS = frozenset(("TRUE", "FALSE", "NULL", "MISSING"))
