"""All rules of all watches compiled into one Aho-Corasick automaton plus field indexes.

Each rule gets *anchors*: keys of which at least one is present in every post the rule
matches (a word or phrase of the text, a hashtag, a mention, an author...). A post is folded
once, scanned once by the automaton, looked up in the field indexes, and the boolean logic runs
only for the rules one of whose anchors was hit. The parser refuses rules that could match
without any anchor (negations only, lang:/is:/has:/sample:/followers: alone), so no rule has to
be tried on every post.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import ahocorasick  # type: ignore[import-not-found,unused-ignore]

from veille.posts import Post
from veille.rules.errors import RuleError
from veille.rules.language import (
    And,
    ExactCase,
    FieldWords,
    Followers,
    Has,
    Hashtag,
    Is,
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
    Words,
)
from veille.rules.parser import parse_rule
from veille.rules.reference import (
    distance_km,
    lang_matches,
    near,
    normal_user,
    sample_bucket,
)
from veille.rules.text import fold, post_case_words, post_words, strip_urls, words

Check = Callable[["_Context"], bool]

# Frequent French words: a poor choice of anchor when a rule offers a rarer one.
_COMMON = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "de",
        "du",
        "d",
        "l",
        "et",
        "ou",
        "a",
        "au",
        "aux",
        "en",
        "dans",
        "sur",
        "pour",
        "par",
        "avec",
        "sans",
        "ce",
        "cet",
        "cette",
        "ces",
        "qui",
        "que",
        "quoi",
        "qu",
        "je",
        "tu",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "elles",
        "se",
        "s",
        "c",
        "est",
        "sont",
        "pas",
        "ne",
        "n",
        "plus",
        "tres",
        "bien",
        "bon",
        "bonne",
        "tout",
        "tous",
        "toute",
        "faire",
        "fait",
        "merci",
        "oui",
        "non",
        "y",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "notre",
        "votre",
        "j",
        "m",
        "t",
    ]
)


class _Context:
    """One post while it is matched; the costly views are computed on first use."""

    __slots__ = ("_case", "_words", "hits", "post")

    def __init__(self, post: Post, hits: set[int], words_: list[str]) -> None:
        self.post = post
        self.hits = hits
        self._words = words_
        self._case: str | None = None

    @property
    def words(self) -> list[str]:
        return self._words

    @property
    def case_text(self) -> str:
        if self._case is None:
            self._case = " " + " ".join(post_case_words(self.post.text)) + " "
        return self._case


@dataclass
class _Keys:
    """Every anchor key gets one integer id; the indexes map field values to ids."""

    text: dict[str, int] = field(default_factory=dict)  # padded text pattern -> id
    url: dict[str, int] = field(default_factory=dict)
    fields: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> value -> id
    cost: list[float] = field(default_factory=list)

    def _new(self, cost: float) -> int:
        self.cost.append(cost)
        return len(self.cost) - 1

    def text_key(self, pattern: str, cost: float) -> int:
        if pattern not in self.text:
            self.text[pattern] = self._new(cost)
        return self.text[pattern]

    def url_key(self, part: str) -> int:
        if part not in self.url:
            self.url[part] = self._new(0.1)
        return self.url[part]

    def field_key(self, name: str, value: str, cost: float) -> int:
        index = self.fields.setdefault(name, {})
        if value not in index:
            index[value] = self._new(cost)
        return index[value]


def _word_cost(tokens: Sequence[str]) -> float:
    best = min(1.0 if t in _COMMON else 1.0 / (1 + len(t)) for t in tokens)
    return best / len(tokens)


def _phrase(tokens: Sequence[str]) -> str:
    return " " + " ".join(tokens) + " "


class _Compiler:
    def __init__(self, keys: _Keys) -> None:
        self.keys = keys

    # -- anchors: a set of key ids, one of which every matching post has ------------------------

    def anchors(self, node: Node) -> frozenset[int] | None:
        keys = self.keys
        match node:
            case Words(words=tokens):
                return frozenset({keys.text_key(_phrase(tokens), _word_cost(tokens))})
            case Prefix(stem=stem):
                return frozenset({keys.text_key(" " + stem, 2.0 / (1 + len(stem)))})
            case Near(words=tokens):
                best = min(tokens, key=lambda t: _word_cost((t,)))
                return frozenset({keys.text_key(_phrase((best,)), _word_cost((best,)))})
            case ExactCase(folded=tokens):
                return frozenset({keys.text_key(_phrase(tokens), _word_cost(tokens))})
            case Hashtag(tag=tag):
                return frozenset({keys.field_key("hashtag", tag, 0.1)})
            case Mention(user=user):
                return frozenset({keys.field_key("mention", user, 0.05)})
            case User(field=name, user=user):
                return frozenset({keys.field_key(name, user, 0.01)})
            case Url(part=part):
                return frozenset({keys.url_key(part)})
            case PlaceCountry(code=code):
                return frozenset({keys.field_key("country", code, 0.3)})
            case PointRadius():
                return frozenset({keys.field_key("geo", "", 0.5)})
            case FieldWords(field="place"):
                return frozenset({keys.field_key("place", "", 0.5)})
            case FieldWords(field=name, words=tokens):
                best = min(tokens, key=lambda t: _word_cost((t,)))
                return frozenset({keys.field_key(name, best, _word_cost((best,)) * 2)})
            case Or(children=children):
                found: set[int] = set()
                for child in children:
                    sub = self.anchors(child)
                    if sub is None:
                        return None
                    found |= sub
                return frozenset(found)
            case And(children=children):
                options = [a for a in map(self.anchors, children) if a is not None]
                if not options:
                    return None
                return min(options, key=lambda ids: sum(keys.cost[i] for i in ids))
        return None  # Not, and operators that cannot stand alone

    # -- checks: the boolean logic, as closures over key ids ------------------------------------

    def key_of(self, node: Node) -> int | None:
        """The key id whose presence alone decides the node, when there is one."""
        if isinstance(node, Words | Prefix | Hashtag | Mention | User | Url | PlaceCountry):
            anchors = self.anchors(node)
            assert anchors is not None and len(anchors) == 1
            return next(iter(anchors))
        return None

    def check(self, node: Node) -> Check:
        key = self.key_of(node)
        if key is not None:
            return lambda c: key in c.hits
        match node:
            case Not(child=child):
                inner = self.check(child)
                return lambda c: not inner(c)
            case Or(children=children):
                return self._or(children)
            case And(children=children):
                return self._and(children)
            case Near(words=tokens, distance=distance):
                return lambda c: near(c.words, tokens, distance)
            case ExactCase(words=tokens):
                pattern = _phrase(tokens)
                return lambda c: pattern in c.case_text
            case FieldWords(field=name, words=tokens):
                return _field_words(name, _phrase(tokens))
            case Lang(code=code):
                return lambda c: lang_matches(c.post.lang, code)
            case Is(what=what):
                return _IS_CHECKS[what]
            case Has(what=what):
                return _HAS_CHECKS[what]
            case PointRadius(lon=lon, lat=lat, radius_km=km):
                return lambda c: (
                    c.post.geo is not None
                    and (distance_km(lon, lat, c.post.geo.lon, c.post.geo.lat) <= km)
                )
            case Followers(low=low, high=high):
                lo = -1 if low is None else low
                hi = float("inf") if high is None else high
                return lambda c: lo <= c.post.author.followers_count <= hi
            case Sample(percent=percent):
                return lambda c: sample_bucket(c.post.id) < percent
        raise TypeError(f"cannot compile {node!r}")  # pragma: no cover

    def _split(self, children: Sequence[Node]) -> tuple[frozenset[int], list[Check]]:
        keys: set[int] = set()
        others: list[Check] = []
        for child in children:
            key = self.key_of(child)
            if key is None:
                others.append(self.check(child))
            else:
                keys.add(key)
        return frozenset(keys), others

    def _or(self, children: Sequence[Node]) -> Check:
        keys, others = self._split(children)
        if not others:
            return lambda c: not keys.isdisjoint(c.hits)
        if not keys:
            return lambda c: any(check(c) for check in others)
        return lambda c: not keys.isdisjoint(c.hits) or any(check(c) for check in others)

    def _and(self, children: Sequence[Node]) -> Check:
        keys, others = self._split(children)
        if not others:
            return lambda c: keys <= c.hits
        if len(others) == 1:
            (only,) = others
            if not keys:
                return only
            return lambda c: keys <= c.hits and only(c)
        if not keys:
            return lambda c: all(check(c) for check in others)
        return lambda c: keys <= c.hits and all(check(c) for check in others)


def _field_words(name: str, pattern: str) -> Check:
    def text_of(post: Post) -> str:
        if name == "place":
            return post.place.name if post.place is not None else ""
        return post.author.description if name == "bio" else post.author.location

    return lambda c: pattern in " " + " ".join(words(text_of(c.post))) + " "


_IS_CHECKS: dict[str, Check] = {
    "retweet": lambda c: c.post.is_retweet,
    "reply": lambda c: c.post.is_reply,
    "quote": lambda c: c.post.is_quote,
    "verified": lambda c: c.post.author.verified,
}
_HAS_CHECKS: dict[str, Check] = {
    "links": lambda c: bool(c.post.urls),
    "media": lambda c: bool(c.post.media),
    "images": lambda c: any(m.type == "photo" for m in c.post.media),
    "mentions": lambda c: bool(c.post.mentions),
    "hashtags": lambda c: bool(c.post.hashtags),
    "geo": lambda c: c.post.geo is not None or c.post.place is not None,
}


def _automaton(patterns: dict[str, int]) -> ahocorasick.Automaton | None:
    if not patterns:
        return None
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for pattern, key in patterns.items():
        automaton.add_word(pattern, key)
    automaton.make_automaton()
    return automaton


class Matcher:
    """Matches posts against many rules at once; see compile_rules."""

    def __init__(self, ids: list[str], rules: list[Rule], errors: list[RuleError]) -> None:
        self.ids = ids
        self.rules = rules
        self.errors = errors
        keys = _Keys()
        compiler = _Compiler(keys)
        postings: dict[int, list[int]] = {}
        self._checks: list[Check | None] = []
        for index, rule in enumerate(rules):
            anchors = compiler.anchors(rule.root)
            if anchors is None:  # the parser refuses such rules
                raise RuleError(1, "règle sans ancrage", "rule without an anchor")
            for key in anchors:
                postings.setdefault(key, []).append(index)
            # A rule that is exactly its anchors needs no further check.
            plain = isinstance(rule.root, Words | Prefix | Hashtag | Mention | User | Url) or (
                isinstance(rule.root, Or)
                and all(compiler.key_of(child) is not None for child in rule.root.children)
            )
            self._checks.append(None if plain else compiler.check(rule.root))
        self._postings: list[tuple[int, ...]] = [()] * len(keys.cost)
        for key, indexes in postings.items():
            self._postings[key] = tuple(indexes)
        self._text = _automaton(keys.text)
        self._url = _automaton(keys.url)
        self._fields = keys.fields
        self._bio = keys.fields.get("bio")
        self._bio_location = keys.fields.get("bio_location")

    def __len__(self) -> int:
        return len(self.rules)

    def _hits(self, post: Post, words_: list[str]) -> set[int]:
        hits: set[int] = set()
        if self._text is not None:
            padded = " " + " ".join(words_) + " "
            hits.update([key for _, key in self._text.iter(padded)])
        fields = self._fields
        if fields:
            self._field_hits(post, hits, fields)
        if self._url is not None and post.urls:
            hits.update([key for _, key in self._url.iter("\n".join(post.urls).lower())])
        return hits

    def _field_hits(self, post: Post, hits: set[int], fields: dict[str, dict[str, int]]) -> None:
        def add(name: str, value: str | None) -> None:
            index = fields.get(name)
            if index is not None and value is not None:
                key = index.get(value)
                if key is not None:
                    hits.add(key)

        add("from", normal_user(post.author.username))
        if post.in_reply_to:
            add("to", normal_user(post.in_reply_to))
        if post.retweet_of:
            add("retweets_of", normal_user(post.retweet_of))
        if "mention" in fields:
            for mention in post.mentions:
                add("mention", normal_user(mention))
        if "hashtag" in fields:
            for tag in post.hashtags:
                add("hashtag", "".join(fold(tag).split()))
        if post.place is not None:
            add("country", post.place.country_code.upper())
            add("place", "")
        if post.geo is not None:
            add("geo", "")
        if self._bio is not None and post.author.description:
            for word in words(post.author.description):
                add("bio", word)
        if self._bio_location is not None and post.author.location:
            for word in words(post.author.location):
                add("bio_location", word)

    def match(self, post: Post) -> list[str]:
        """Ids of the rules the post matches, in the order the rules were given."""
        words_ = post_words(post.text)
        hits = self._hits(post, words_)
        if not hits:
            return []
        postings = self._postings
        candidates: set[int] = set()
        for key in hits:
            candidates.update(postings[key])
        if not candidates:
            return []
        context = _Context(post, hits, words_)
        checks = self._checks
        ids = self.ids
        matched = []
        for index in sorted(candidates):
            check = checks[index]
            if check is None or check(context):
                matched.append(ids[index])
        return matched

    def match_many(self, posts: Iterable[Post]) -> list[list[str]]:
        return [self.match(post) for post in posts]


def compile_rules(
    rules: Iterable[tuple[str, str]], *, max_length: int = 1024, collect_errors: bool = False
) -> Matcher:
    """Compile (rule_id, rule_text) pairs into one Matcher.

    An invalid rule raises RuleError naming its id; with ``collect_errors`` it is left out and
    its error kept in ``Matcher.errors`` instead.
    """
    ids: list[str] = []
    parsed: list[Rule] = []
    errors: list[RuleError] = []
    for rule_id, text in rules:
        try:
            rule = parse_rule(text, max_length=max_length)
        except RuleError as exc:
            named = exc.with_rule_id(rule_id)
            if not collect_errors:
                raise named from None
            errors.append(named)
            continue
        ids.append(rule_id)
        parsed.append(rule)
    return Matcher(ids, parsed, errors)


__all__ = ["Matcher", "compile_rules", "strip_urls"]
