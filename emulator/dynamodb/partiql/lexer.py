"""PartiQL for DynamoDB: the lexer (statement text → tokens with their line and column).

DynamoDB's PartiQL tells identifiers from strings by the quote: ``"Name"`` is an identifier (a
table, an index or an attribute), ``'text'`` a string literal; ``''`` inside a string is one
quote, ``""`` inside an identifier one double quote. Keywords are case-insensitive; unquoted
identifiers keep their case (attribute names are case-sensitive). Positions are kept so a
syntax error can say where it happened (``messages.partiql_syntax``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import messages as M
from ..errors import ValidationException

#: Token kinds: ``ident`` (unquoted), ``qident`` ("quoted"), ``string``, ``number``, ``param`` (?),
#: ``op`` (punctuation and operators), ``eof``.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+|--[^\n]*)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<qident>"(?:[^"]|"")*")
  | (?P<string>'(?:[^']|'')*')
  | (?P<param>\?)
  | (?P<op><<|>>|<>|!=|<=|>=|[()\[\]{},.:*=<>+\-;])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str  # the value: identifier or string without quotes, number text, operator
    line: int
    column: int

    def is_kw(self, word: str) -> bool:
        return self.kind == "ident" and self.text.upper() == word


def tokenize(statement: str) -> list[Token]:
    """All tokens of ``statement``, ending with an ``eof`` token; unlexable text is a syntax error."""
    out: list[Token] = []
    pos, line, line_start = 0, 1, 0
    n = len(statement)
    while pos < n:
        m = _TOKEN.match(statement, pos)
        column = pos - line_start + 1
        if m is None:
            raise ValidationException(
                M.partiql_syntax(M.PQL_UNEXPECTED_CHAR.format(statement[pos]), line, column)
            )
        kind = m.lastgroup or ""
        raw = m.group()
        if kind == "qident":
            out.append(Token(kind, raw[1:-1].replace('""', '"'), line, column))
        elif kind == "string":
            out.append(Token(kind, raw[1:-1].replace("''", "'"), line, column))
        elif kind != "ws":
            out.append(Token(kind, raw, line, column))
        newlines = raw.count("\n")
        if newlines:
            line += newlines
            line_start = m.start() + raw.rindex("\n") + 1
        pos = m.end()
    out.append(Token("eof", "", line, pos - line_start + 1))
    return out
