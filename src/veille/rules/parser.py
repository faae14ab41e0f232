"""Rule text to syntax tree, with errors that say what was expected and where."""

from __future__ import annotations

import difflib
import re
from typing import Any, cast

from veille.rules.errors import RuleError
from veille.rules.language import (
    CONJUNCTION_ONLY,
    And,
    BioField,
    ExactCase,
    FieldWords,
    Followers,
    Has,
    Hashtag,
    HasWhat,
    Is,
    IsWhat,
    Lang,
    Mention,
    Near,
    Node,
    Not,
    Or,
    PlaceCountry,
    PointRadius,
    Prefix,
    Rule,
    Sample,
    Url,
    User,
    UserField,
    Words,
    format_tree,
)
from veille.rules.text import case_words, words
from veille.translations import N_
from veille.translations import Words as Said  # rules.language has its own Words (a node)

_QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
_CLOSERS = {'"', "”", "»", "“"}
_STOP = set("()") | set(_QUOTES) | _CLOSERS
_OPERATORS = (
    "from",
    "to",
    "retweets_of",
    "url",
    "lang",
    "is",
    "has",
    "place",
    "place_country",
    "point_radius",
    "bio",
    "bio_location",
    "followers",
    "sample",
    "case",
)
_IS: tuple[IsWhat, ...] = ("retweet", "reply", "quote", "verified")
_HAS: tuple[HasWhat, ...] = ("links", "media", "images", "mentions", "hashtags", "geo")
_SPACE = re.compile(r"\s*")
_BARE = re.compile("[^\\s" + re.escape("".join(sorted(_STOP))) + "]*")
_OPERATOR_WORD = re.compile(r"([A-Za-z_]{2,}):")
_USER = re.compile(r"@?([A-Za-z0-9_][A-Za-z0-9_.\-@]{0,99})")
_LANG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
_NUMBER = r"-?\d+(?:\.\d+)?"
_POINT = re.compile(rf"\[\s*({_NUMBER})\s+({_NUMBER})\s+(\d+(?:\.\d+)?)\s*(km|mi)\s*\]")
_FOLLOWERS = re.compile(r"(>=|<=|>|<|=)?(\d{1,12})(?:\.\.(\d{1,12}))?")
_MAX_DEPTH = 50
_MAX_RADIUS_KM = 100.0
_MIN_STEM = 3


def _err(column: int, message: str, **fields: object) -> RuleError:
    return RuleError(column, message, fields=fields)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.open_columns: list[int] = []

    # -- scanning ----------------------------------------------------------------------------

    def col(self, pos: int | None = None) -> int:
        return (self.pos if pos is None else pos) + 1

    def skip_space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def at_or(self) -> bool:
        if self.text[self.pos : self.pos + 1] != "O":
            return False
        end = self.pos + 2
        return self.text.startswith("OR", self.pos) and (
            end == len(self.text) or self.text[end].isspace() or self.text[end] in '()"“«'
        )

    def read_bare(self) -> str:
        start = self.pos
        self.pos = _BARE.match(self.text, start).end()  # type: ignore[union-attr]
        return self.text[start : self.pos]

    def read_quoted(self) -> str:
        start = self.pos
        closer = _QUOTES[self.text[start]]
        end = self.text.find(closer, start + 1)
        if closer == "”" and end < 0:
            end = self.text.find('"', start + 1)
        if end < 0:
            raise _err(self.col(start), N_("unclosed quotation mark"))
        self.pos = end + 1
        return self.text[start + 1 : end]

    # -- grammar -------------------------------------------------------------------------------

    def parse(self) -> Node:
        node = self.parse_or()
        self.skip_space()
        if self.pos < len(self.text):
            # parse_or stops only at ')' when not inside parentheses.
            raise _err(
                self.col(),
                N_("closing parenthesis without an opening one"),
            )
        return node

    def unclosed(self) -> RuleError:
        return _err(self.open_columns[-1], N_("unclosed parenthesis"))

    def parse_or(self) -> Node:
        start = self.pos
        branches = [self.parse_and(after_or=False)]
        while True:
            # parse_and stops on spaces skipped, at the end, a ')' or an OR.
            if not self.at_or():
                break
            or_col = self.col()
            self.pos += 2
            self.skip_space()
            if self.pos >= len(self.text) and self.open_columns:
                raise self.unclosed()
            if self.pos >= len(self.text) or self.peek() == ")" or self.at_or():
                raise _err(
                    or_col,
                    N_("OR needs a term on each side"),
                )
            branches.append(self.parse_and(after_or=True))
        if len(branches) == 1:
            return branches[0]
        flat: list[Node] = []
        for branch in branches:
            flat.extend(branch.children if isinstance(branch, Or) else (branch,))
        return Or(self.col(start) if start < len(self.text) else 1, tuple(flat))

    def parse_and(self, *, after_or: bool) -> Node:
        self.skip_space()
        start = self.pos
        items: list[Node] = []
        text = self.text
        size = len(text)
        while True:
            self.skip_space()
            if self.pos >= size or text[self.pos] == ")":
                break
            if self.at_or():
                if not items:
                    raise _err(
                        self.col(),
                        N_("OR needs a term on each side"),
                    )
                break
            items.append(self.parse_unary())
        if not items:
            if self.pos >= len(self.text) and start == 0 and not after_or:
                raise _err(1, N_("empty rule"))
            raise _err(self.col(), N_("a term was expected"))
        if len(items) == 1:
            return items[0]
        flat: list[Node] = []
        for item in items:
            flat.extend(item.children if isinstance(item, And) else (item,))
        return And(self.col(start), tuple(flat))

    def parse_unary(self) -> Node:
        if self.peek() == "-":
            minus = self.pos
            self.pos += 1
            nxt = self.peek()
            if nxt == "" or nxt.isspace() or nxt in ")-":
                raise _err(
                    self.col(minus),
                    N_("the - sign must touch the term it excludes (e.g. -job)"),
                )
            return Not(self.col(minus), self.parse_primary())
        return self.parse_primary()

    def parse_primary(self) -> Node:
        char = self.peek()
        start = self.pos
        if char == "(":
            self.open_columns.append(self.col())
            if len(self.open_columns) > _MAX_DEPTH:
                raise _err(self.col(), N_("too many nested parentheses"))
            self.pos += 1
            self.skip_space()
            if self.peek() == ")":
                raise _err(self.col(start), N_("empty parentheses"))
            if self.pos >= len(self.text):
                raise self.unclosed()
            node = self.parse_or()
            self.skip_space()
            if self.peek() != ")":
                raise self.unclosed()
            self.pos += 1
            self.open_columns.pop()
            return node
        if char in _QUOTES:
            return self.phrase(start, self.read_quoted())
        if char in _CLOSERS:
            raise _err(self.col(), N_("closing quote without an opening one"))
        bare = self.read_bare()
        return self.bare(start, bare)

    # -- terms -----------------------------------------------------------------------------------

    def phrase(self, start: int, inner: str) -> Node:
        folded = tuple(words(inner))
        if not folded:
            raise _err(
                self.col(start),
                N_("empty phrase: put at least one word between the quotes"),
            )
        if self.peek() == "~":
            tilde = self.pos
            self.pos += 1
            digits = re.match(r"\d{1,3}", self.text[self.pos :])
            if digits is None:
                raise _err(
                    self.col(tilde),
                    N_('the ~ needs a number of words, e.g. "painter angers"~3'),
                )
            self.pos += digits.end()
            distance = int(digits.group())
            if len(folded) < 2 or distance < 1:
                raise _err(
                    self.col(tilde),
                    N_("proximity ~N needs at least two words and N >= 1"),
                )
            return Near(self.col(start), inner, folded, distance)
        return Words(self.col(start), inner, folded, quoted=True)

    def bare(self, start: int, raw: str) -> Node:
        column = self.col(start)
        if raw in ("AND", "NOT"):
            hint = N_("a space means AND") if raw == "AND" else N_("exclude with -, e.g. -job")
            raise _err(
                column,
                N_("there is no %(word)s: %(hint)s; to search the word, write it in lower case"),
                word=raw,
                hint=Said(hint),
            )
        operator = _OPERATOR_WORD.match(raw)
        if operator is not None:
            name = operator.group(1)
            rest = raw[operator.end() :]
            if name.lower() in _OPERATORS:  # From: as well as from: (phones capitalise)
                return self.operator(start, name.lower(), rest)
            if rest or self.peek() in _QUOTES:
                close = difflib.get_close_matches(name.lower(), _OPERATORS, n=1)
                if close:
                    raise _err(
                        column,
                        N_("unknown operator '%(name)s:' (did you mean %(close)s:?)"),
                        name=name,
                        close=close[0],
                    )
                raise _err(column, N_("unknown operator '%(name)s:'"), name=name)
        if raw.startswith("#"):
            tag = "".join(words(raw[1:]))
            if not tag or not re.fullmatch(r"\w+", raw[1:]):
                raise _err(column, N_("# needs a hashtag"))
            return Hashtag(column, tag)
        if raw.startswith("@"):
            user = _USER.fullmatch(raw)
            if user is None:
                raise _err(column, N_("@ needs a user name"))
            return Mention(column, user.group(1).lower())
        if raw.startswith("$"):
            if not re.fullmatch(r"\$[^\W\d_]\w*", raw):
                raise _err(column, N_("$ needs a cashtag"))
            return Words(column, raw, tuple(words(raw)))
        if "*" in raw:
            stem = raw[:-1]
            stem_words = words(stem)
            if not raw.endswith("*") or "*" in stem or len(stem_words) != 1:
                raise _err(
                    column + raw.index("*"),
                    N_("the * wildcard only goes at the end of one word, e.g. renov*"),
                )
            if len(stem_words[0]) < _MIN_STEM:
                raise _err(
                    column,
                    N_("the * wildcard needs at least %(letters)s letters before it"),
                    letters=_MIN_STEM,
                )
            return Prefix(column, raw, stem_words[0])
        folded = tuple(words(raw))
        if not folded:
            raise _err(
                column, N_("'%(word)s' has no letter, digit or emoji to search for"), word=raw
            )
        return Words(column, raw, folded)

    def operator_value(self, rest: str) -> str:
        """The operator's value: what follows the colon, or the quoted text right after it."""
        if not rest and self.peek() in _QUOTES:
            return self.read_quoted()
        return rest

    def operator(self, start: int, name: str, rest: str) -> Node:
        column = self.col(start)
        value_col = column + len(name) + 1
        if name == "point_radius":
            return self.point_radius(start, rest)
        value = self.operator_value(rest)

        def expected(what: str) -> RuleError:
            return _err(value_col, N_("%(name)s: expects %(what)s"), name=name, what=Said(what))

        if name in ("from", "to", "retweets_of"):
            user = _USER.fullmatch(value)
            if user is None:
                raise expected(N_("a user name"))
            return User(column, cast(UserField, name), user.group(1).lower())
        if name == "url":
            if not value.strip() or any(char.isspace() for char in value.strip()):
                raise expected(N_("part of a web address, no spaces"))
            return Url(column, value.strip().lower())
        if name == "lang":
            if not _LANG.fullmatch(value.lower()):
                raise expected(N_("a language code (e.g. lang:fr)"))
            return Lang(column, value.lower())
        if name == "is":
            if value not in _IS:
                raise expected(N_("retweet, reply, quote or verified"))
            return Is(column, value)
        if name == "has":
            if value not in _HAS:
                raise expected(N_("links, media, images, mentions, hashtags or geo"))
            return Has(column, value)
        if name in ("place", "bio", "bio_location"):
            folded = tuple(words(value))
            if not folded:
                raise expected(N_("a word or a phrase in quotation marks"))
            return FieldWords(column, cast(BioField, name), value, folded)
        if name == "place_country":
            if not re.fullmatch(r"[A-Za-z]{2}", value):
                raise expected(N_("a two-letter country code (e.g. FR)"))
            return PlaceCountry(column, value.upper())
        if name == "followers":
            return self.followers(column, value_col, value)
        if name == "sample":
            if not re.fullmatch(r"\d{1,3}", value) or not 1 <= int(value) <= 100:
                raise expected(N_("a percentage from 1 to 100"))
            return Sample(column, int(value))
        # case:
        exact = tuple(case_words(value))
        if not exact or not words(value):
            raise expected(N_("a word or a phrase in quotation marks"))
        return ExactCase(column, value, exact, tuple(words(value)))

    def followers(self, column: int, value_col: int, value: str) -> Node:
        found = _FOLLOWERS.fullmatch(value)
        if found is None or (found.group(1) and found.group(3)):
            raise _err(
                value_col,
                N_("followers: expects a comparison (>=100, <=5000) or a range (100..5000)"),
            )
        sign, first, second = found.group(1), int(found.group(2)), found.group(3)
        if second is not None:
            if int(second) < first:
                raise _err(
                    value_col,
                    N_("followers: range upside down (smallest first)"),
                )
            return Followers(column, first, int(second))
        bounds: dict[str | None, tuple[int | None, int | None]] = {
            ">=": (first, None),
            ">": (first + 1, None),
            "<=": (None, first),
            "<": (None, first - 1),
            "=": (first, first),
            None: (first, first),
        }
        low, high = bounds[sign]
        return Followers(column, low, high)

    def point_radius(self, start: int, rest: str) -> Node:
        column = self.col(start)
        value_start = start + len("point_radius:")
        self.pos = value_start
        found = _POINT.match(self.text, self.pos)
        if found is None:
            raise _err(
                self.col(value_start),
                N_(
                    "point_radius: expects [longitude latitude radius], "
                    "e.g. point_radius:[-0.55 47.47 10km]"
                ),
            )
        lon, lat, radius = float(found.group(1)), float(found.group(2)), float(found.group(3))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _err(
                self.col(value_start),
                N_(
                    "point_radius: longitude within -180..180, latitude within -90..90 "
                    "(longitude first)"
                ),
            )
        km = radius * 1.609344 if found.group(4) == "mi" else radius
        if not 0 < km <= _MAX_RADIUS_KM:
            raise _err(
                self.col(value_start),
                N_("point_radius: radius between 0 and %(most)s km"),
                most=f"{_MAX_RADIUS_KM:g}",
            )
        self.pos = found.end()
        return PointRadius(column, lon, lat, km, found.group())


def _standalone(node: Node) -> bool:
    """Whether the node can select posts by itself (X's 'standalone' operators)."""
    if isinstance(node, Not) or isinstance(node, CONJUNCTION_ONLY):  # noqa: SIM101
        return False
    if isinstance(node, And):
        return any(_standalone(child) for child in node.children)
    if isinstance(node, Or):
        return all(_standalone(child) for child in node.children)
    return True


_OPERATOR_NAMES = {
    Lang: "lang:",
    Is: "is:",
    Has: "has:",
    Sample: "sample:",
    Followers: "followers:",
}


def _blame(node: Node) -> RuleError:
    """The error for a node that cannot stand alone."""
    if isinstance(node, Or):
        for child in node.children:
            if not _standalone(child):
                return _blame(child)
    if isinstance(node, And):
        for child in node.children:
            if not isinstance(child, Not):
                return _blame(child)
    if isinstance(node, Not | And):
        return _err(
            node.column,
            N_("a rule cannot be made of exclusions only: add a word to search for"),
        )
    name = _OPERATOR_NAMES.get(type(node), "?")
    return _err(
        node.column,
        N_(
            "%(name)s cannot be used alone: add a word, a phrase or an operator such as "
            "from: or #hashtag"
        ),
        name=name,
    )


def parse_rule(text: str, *, max_length: int = 1024) -> Rule:
    """Parse one rule; raise RuleError (column, French and English message) when it is wrong."""
    if len(text) > max_length:
        raise _err(
            max_length + 1,
            N_("rule too long: %(length)s characters, at most %(most)s"),
            length=len(text),
            most=max_length,
        )
    if not text.strip():
        raise _err(1, N_("empty rule"))
    root = _Parser(text).parse()
    if not _standalone(root):
        raise _blame(root)
    return Rule(text, root)


def check_rule(text: str, *, lang: str = "fr", max_length: int = 1024) -> dict[str, Any]:
    """What the web editor shows while a rule is typed: its tree, or the error and caret."""
    try:
        rule = parse_rule(text, max_length=max_length)
    except RuleError as exc:
        return {
            "ok": False,
            "tree": None,
            "error": {
                "column": exc.column,
                "message": exc.message_in("en" if lang == "en" else "fr"),
                "caret": exc.caret(text),
            },
        }
    return {"ok": True, "tree": format_tree(rule, lang=lang), "error": None}
