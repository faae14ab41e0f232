"""A deliberately small keyword evaluator for the subset of the rule language the demo uses.

It stands in for the real matcher (issue 3) so the demo can show that its watches' rules and
its labels agree: terms, "phrases", prefix*, #tags, @mentions, from:, is:, OR, -, ( ).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from veille.posts import Post

_LEX = re.compile(r'\(|\)|"[^"]*"|-(?=\S)|[^\s()"]+')
_WORD = re.compile(r"\w+")

Predicate = Callable[[Post, list[str]], bool]


def fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in plain if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _phrase(needle: list[str]) -> Predicate:
    size = len(needle)
    return lambda _p, toks: any(toks[i : i + size] == needle for i in range(len(toks)))


def _atom(token: str) -> Predicate:
    if token.startswith('"'):
        return _phrase(words(token.strip('"')))
    if token.startswith("from:"):
        name = fold(token[5:])
        return lambda p, _t: fold(p.author.username) == name
    if token == "is:retweet":
        return lambda p, _t: p.is_retweet
    if token == "is:reply":
        return lambda p, _t: p.is_reply
    if token.startswith("#"):
        tag = fold(token[1:])
        return lambda p, _t: tag in (fold(h) for h in p.hashtags)
    if token.startswith("@"):
        handle = fold(token[1:])
        return lambda p, _t: handle in (fold(m) for m in p.mentions)
    if token.endswith("*"):
        prefix = fold(token[:-1])
        return lambda _p, toks: any(t.startswith(prefix) for t in toks)
    parts = words(token)
    return _phrase(parts) if len(parts) > 1 else (lambda _p, toks: parts[0] in toks)


class _Parser:
    def __init__(self, rule: str) -> None:
        self.tokens = _LEX.findall(rule)
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        self.i += 1
        return self.tokens[self.i - 1]

    def expr(self) -> Predicate:
        options = [self.conjunction()]
        while self.peek() == "OR":
            self.take()
            options.append(self.conjunction())
        return lambda p, t: any(o(p, t) for o in options)

    def conjunction(self) -> Predicate:
        parts: list[Predicate] = []
        while self.peek() not in (None, ")", "OR"):
            parts.append(self.unary())
        return lambda p, t: all(q(p, t) for q in parts)

    def unary(self) -> Predicate:
        token = self.take()
        if token == "-":
            inner = self.unary()
            return lambda p, t: not inner(p, t)
        if token == "(":
            inner = self.expr()
            if self.take() != ")":
                raise ValueError("unbalanced parenthesis")
            return inner
        return _atom(token)


def compile_rule(rule: str) -> Callable[[Post], bool]:
    parser = _Parser(rule)
    predicate = parser.expr()
    if parser.peek() is not None:
        raise ValueError(f"unexpected {parser.peek()!r} in {rule!r}")
    return lambda post: predicate(post, words(post.text))
