"""The one lexer for all DynamoDB expression kinds.

Tokens: ``NAME`` (``[A-Za-z][A-Za-z0-9_]*``; E11, so ``_a`` and ``1a`` do not lex as names),
``NAMEREF`` (``#x``), ``VALUEREF`` (``:x``), ``INT`` (list indexes), ``PUNCT`` (``( ) [ ] , . =
<> < <= > >= + -``), ``ERROR`` (any other single character, including a bare ``#`` or ``:``) and a
final ``EOF``. Keywords (AND, OR, SET, ...) are NAMEs; the parser decides by context, because which
words are keywords depends on the expression kind.

A syntax error names the offending token and the source text from the previous token to the next
one (``Syntax error; token: "-", near: "a-b"``), which is what DynamoDB reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME, NAMEREF, VALUEREF, INT, PUNCT, ERROR, EOF = (
    "NAME",
    "NAMEREF",
    "VALUEREF",
    "INT",
    "PUNCT",
    "ERROR",
    "EOF",
)

_TOKEN = re.compile(
    r"(?P<ws>[ \t\r\n]+)"
    r"|(?P<NAME>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<NAMEREF>\#[0-9A-Za-z_]+)"
    r"|(?P<VALUEREF>:[0-9A-Za-z_]+)"
    r"|(?P<INT>[0-9]+)"
    r"|(?P<PUNCT><>|<=|>=|[()\[\],.=<>+\-])"
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text`` (whitespace dropped), ending with an EOF token."""
    tokens: list[Token] = []
    append = tokens.append
    pos, end = 0, len(text)
    match = _TOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            append(Token(ERROR, text[pos], pos, pos + 1))
            pos += 1
            continue
        kind = m.lastgroup
        if kind != "ws":
            append(Token(kind, m.group(), pos, m.end()))  # type: ignore[arg-type]
        pos = m.end()
    append(Token(EOF, "<EOF>", end, end))
    return tokens


def syntax_message(text: str, tokens: list[Token], index: int) -> str:
    """``Syntax error; token: "<t>", near: "<prev..next>"`` for the token at ``index``."""
    tok = tokens[index]
    start = tokens[index - 1].start if index > 0 else tok.start
    nxt = tokens[index + 1] if index + 1 < len(tokens) else tok
    end = nxt.end if nxt.kind != EOF else tok.end
    near = text[start:end]
    if tok.kind == EOF:
        near = near.rstrip(" \t\r\n")
    return f'Syntax error; token: "{tok.text}", near: "{near}"'
