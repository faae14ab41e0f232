"""All rules of all watches compiled into one Aho-Corasick automaton plus field indexes.

Each rule gets *anchors*: keys of which at least one is present in every post the rule
matches (a word or phrase of the text, a hashtag, a mention, an author...). A post is folded
once, scanned once by the automaton, looked up in the field indexes, and the boolean logic runs
only for the rules one of whose anchors was hit (or, for rules that need two things at once,
a pair of anchors from two groups). The parser refuses rules that could match
without any anchor (negations only, lang:/is:/has:/sample:/followers: alone), so no rule has to
be tried on every post.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

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
from veille.rules.text import post_case_text, post_text, words
from veille.translations import N_

Check = Callable[["_Context"], bool]
_second = itemgetter(1)
_NONE: frozenset[int] = frozenset()
_MAX_PAIRS = 64  # beyond, a rule is registered under its cheaper group alone


def _word_list(text: str) -> list[str]:
    return text.split()


# Frequent French words (folded), a poor choice of anchor when a rule offers a rarer one.
# Hand-made from everyday usage: function words, then the nouns, verbs and adjectives that fill
# social posts. A word missing here is only judged by its length.
_COMMON = frozenset(
    _word_list(
        """
    a ai aie aient ainsi alors as au aucun aussi autre autres aux avais avait avant avec avez
    avoir avons bah beaucoup bien bon bonne c ca car ce ceci cela celle celui ces cet cette chez
    ci comme comment d dans de des deja depuis deux dire dit dois doit donc du elle elles en
    encore entre es est et etait ete etre eu eux faire fais fait faut fois font gens ici il ils
    j je jamais jusqu l la le les leur leurs lui m ma mais me meme mes moi moins mon n ne ni non
    nos notre nous on ont ou oui par parce pas peu peut plus pour pourquoi quand que quel quelle
    qui quoi rien s sa sans se ses si son sont sous sur t ta te tes toi ton tous tout toute
    toutes tres trop tu un une vers veux via voila vos votre vous vraiment y
    an ans annee annees apres aujourd hui demain hier jour jours matin soir semaine mois heure
    heures temps moment fin debut week end vie monde homme femme enfant enfants famille ami
    amis gens fois chose choses truc part place cote
    grand grande grands petit petite petits nouveau nouvelle nouveaux beau belle bons bonnes
    vrai vraie super genial top cool nul mal mieux pire premier premiere dernier derniere
    gros grosse jeune vieux vieille heureux content contente
    photo photos video videos story post compte lien page site appli telephone internet reseau
    merci bravo bonjour bonsoir salut coucou bisous lol mdr ptdr ouf bref ok
    aller va vais allons venir vient voir vu voit savoir sais sait pouvoir veut vouloir mettre
    met prendre prend donner donne trouver trouve parler parle penser pense aimer aime adore
    falloir passer passe rester reste attendre attend suivre suis sommes etes
    travail boulot ecole maison ville pays rue route voiture train bus metro velo argent prix
    match foot equipe musique film serie livre cafe resto restaurant repas apero vacances
    soleil pluie chaud froid ete hiver printemps automne
    france paris francais francaise
    """
    )
)


class _Context:
    """One post while it is matched; the costly views are computed on first use."""

    __slots__ = ("_case", "_padded", "_words", "hits", "post")

    def __init__(self, post: Post, hits: set[int], padded: str) -> None:
        self.post = post
        self.hits = hits
        self._padded = padded
        self._words: list[str] | None = None
        self._case: str | None = None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = self._padded.split()
        return self._words

    @property
    def padded(self) -> str:
        return self._padded

    @property
    def case_text(self) -> str:
        if self._case is None:
            self._case = post_case_text(self.post.text)
        return self._case


@dataclass
class _Keys:
    """Every anchor key gets one integer id; the indexes map field values to ids."""

    text: dict[str, int] = field(default_factory=dict)  # padded text pattern -> id
    url: dict[str, int] = field(default_factory=dict)
    fields: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> value -> id
    cost: list[float] = field(default_factory=list)  # how likely a post is to have the key
    uses: list[int] = field(default_factory=list)  # how many rules mention the key
    frozen: bool = False  # set once the automata and indexes are built

    def _new(self, cost: float) -> int:
        if self.frozen:
            raise RuntimeError("a key was created after the automaton was built")
        self.cost.append(cost)
        self.uses.append(0)
        return len(self.cost) - 1

    def weight(self, keys: Iterable[int]) -> float:
        """Expected candidate work when these keys anchor one more rule."""
        return sum(self.cost[k] * (1 + self.uses[k]) for k in keys)

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
    # A frequent word is about a hundred times likelier in a post than a town or a trade.
    best = min(5.0 if t in _COMMON else 1.0 / (1 + len(t)) for t in tokens)
    return best / len(tokens)


def _phrase(tokens: Sequence[str]) -> str:
    return " " + " ".join(tokens) + " "


_LEAVES = (Words, Prefix, Near, ExactCase, Hashtag, Mention, User, Url, PlaceCountry, PointRadius)
# Leaves whose key alone decides them (the others need a check beyond their anchor).
_DECIDED_BY_KEY = (Words, Prefix, Hashtag, Mention, User, Url, PlaceCountry)


class _Compiler:
    def __init__(self, keys: _Keys) -> None:
        self.keys = keys
        # Caches by node identity: the rules (and so their nodes) live as long as the compiler.
        self._leaf: dict[int, frozenset[int]] = {}
        self._tree: dict[int, frozenset[int] | None] = {}
        self._key_sets: dict[int, frozenset[int] | None] = {}

    # -- anchors: a set of key ids, one of which every matching post has ------------------------

    def _leaf_key(self, node: Node) -> int:
        keys = self.keys
        match node:
            case Words(words=tokens) | ExactCase(folded=tokens):
                return keys.text_key(_phrase(tokens), _word_cost(tokens))
            case Prefix(stem=stem):
                return keys.text_key(" " + stem, 2.0 / (1 + len(stem)))
            case Near(words=tokens):
                best = min(tokens, key=lambda t: _word_cost((t,)))
                return keys.text_key(_phrase((best,)), _word_cost((best,)))
            case Hashtag(tag=tag):
                return keys.field_key("hashtag", tag, 0.1)
            case Mention(user=user):
                return keys.field_key("mention", user, 0.05)
            case User(field=name, user=user):
                return keys.field_key(name, user, 0.01)
            case Url(part=part):
                return keys.url_key(part)
            case PlaceCountry(code=code):
                return keys.field_key("country", code, 0.3)
            case PointRadius():
                return keys.field_key("geo", "", 0.5)
            case FieldWords(field="place"):
                return keys.field_key("place", "", 0.5)
            case FieldWords(field=name, words=tokens):
                best = min(tokens, key=lambda t: _word_cost((t,)))
                # Profiles are on every post, and a profile location is mostly a town name.
                cost = 2.0 if name == "bio_location" else _word_cost((best,)) * 5
                return keys.field_key(name, best, cost)
        raise TypeError(f"no key for {node!r}")  # pragma: no cover

    def leaf_anchors(self, node: Node) -> frozenset[int]:
        found = self._leaf.get(id(node))
        if found is None:
            found = self._leaf[id(node)] = frozenset({self._leaf_key(node)})
        return found

    def register(self, node: Node) -> set[int]:
        """Create the keys of all the node's leaves (the automaton is built once, before any
        check); return those of its positive leaves."""
        if isinstance(node, _LEAVES) or isinstance(node, FieldWords):  # noqa: SIM101
            return set(self.leaf_anchors(node))
        if isinstance(node, And | Or):
            found: set[int] = set()
            for child in node.children:
                found |= self.register(child)
            return found
        if isinstance(node, Not):
            self.register(node.child)
        return set()

    def anchors(self, node: Node) -> frozenset[int] | None:
        if isinstance(node, _LEAVES) or isinstance(node, FieldWords):  # noqa: SIM101
            return self.leaf_anchors(node)
        if not isinstance(node, And | Or):
            return None  # Not, and operators that cannot stand alone
        if id(node) in self._tree:
            return self._tree[id(node)]
        result: frozenset[int] | None
        if isinstance(node, Or):
            found: set[int] = set()
            for child in node.children:
                sub = self.anchors(child)
                if sub is None:
                    found.clear()
                    break
                found |= sub
            result = frozenset(found) if found else None
        else:
            options = [a for a in map(self.anchors, node.children) if a is not None]
            result = min(options, key=self.keys.weight) if options else None
        self._tree[id(node)] = result
        return result

    def anchor_groups(self, node: Node) -> list[frozenset[int]]:
        """One or two anchor sets; every post the rule matches hits each of them."""
        if isinstance(node, And):
            options = [a for a in map(self.anchors, node.children) if a is not None]
            if len(options) >= 2:
                options.sort(key=self.keys.weight)
                return options[:2]
        anchors = self.anchors(node)
        if anchors is None:  # the parser refuses such rules
            raise RuleError(node.column, N_("rule without an anchor"))
        return [anchors]

    # -- checks: the boolean logic, as closures over key ids ------------------------------------

    def key_of(self, node: Node) -> int | None:
        """The key id whose presence alone decides the node, when there is one."""
        if isinstance(node, _DECIDED_BY_KEY):
            (key,) = self.leaf_anchors(node)
            return key
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
                patterns = tuple(_phrase((token,)) for token in set(tokens))
                # Cheap substring tests first: most candidates lack one of the words.
                return lambda c: (
                    all(p in c.padded for p in patterns) and near(c.words, tokens, distance)
                )
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

    def key_set(self, node: Node) -> frozenset[int] | None:
        """Keys of which any one decides the node (a key, or an OR of keys), if so."""
        if isinstance(node, _DECIDED_BY_KEY):
            return self.leaf_anchors(node)
        if not isinstance(node, Or):
            return None
        if id(node) in self._key_sets:
            return self._key_sets[id(node)]
        found: set[int] = set()
        for child in node.children:
            sub = self.key_set(child)
            if sub is None:
                found.clear()
                break
            found |= sub
        result = frozenset(found) if found else None
        self._key_sets[id(node)] = result
        return result

    def _or(self, children: Sequence[Node]) -> Check:
        keys: set[int] = set()
        others: list[Check] = []
        for child in children:
            sub = self.key_set(child)
            if sub is None:
                others.append(self.check(child))
            else:
                keys |= sub
        any_key = frozenset(keys)
        if not others:
            return lambda c: not any_key.isdisjoint(c.hits)
        rest = _any_of(others)
        if not keys:
            return rest
        return lambda c: not any_key.isdisjoint(c.hits) or rest(c)

    def _and(self, children: Sequence[Node]) -> Check:
        # Tests on the hit set alone are cheapest: run them first, in one closure.
        required: set[int] = set()
        groups: list[frozenset[int]] = []
        forbidden: set[int] = set()
        others: list[Check] = []
        for child in children:
            sub = self.key_set(child)
            if sub is not None:
                if len(sub) == 1:
                    required |= sub
                else:
                    groups.append(sub)
                continue
            if isinstance(child, Not):
                sub = self.key_set(child.child)
                if sub is not None:
                    forbidden |= sub
                    continue
            others.append(self.check(child))
        tests = []
        hits_test = _hits_test(frozenset(required), groups, frozenset(forbidden))
        if hits_test is not None:
            tests.append(hits_test)
        return _all_of(tests + others)


def _hits_test(
    required: frozenset[int], groups: list[frozenset[int]], forbidden: frozenset[int]
) -> Check | None:
    if not groups:
        if required and forbidden:
            return lambda c: required <= c.hits and c.hits.isdisjoint(forbidden)
        if required:
            return lambda c: required <= c.hits
        if forbidden:
            return lambda c: c.hits.isdisjoint(forbidden)
        return None
    if len(groups) == 1:
        (first,) = groups
        return lambda c: (
            not first.isdisjoint(c.hits) and required <= c.hits and c.hits.isdisjoint(forbidden)
        )
    first, second, *more = groups
    if not more:
        return lambda c: (
            not first.isdisjoint(c.hits)
            and not second.isdisjoint(c.hits)
            and required <= c.hits
            and c.hits.isdisjoint(forbidden)
        )
    return lambda c: (
        required <= c.hits
        and c.hits.isdisjoint(forbidden)
        and all(not group.isdisjoint(c.hits) for group in groups)
    )


def _all_of(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda c: first(c) and second(c)
    if len(checks) == 3:
        first, second, third = checks
        return lambda c: first(c) and second(c) and third(c)
    return lambda c: all(check(c) for check in checks)


def _any_of(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda c: first(c) or second(c)
    return lambda c: any(check(c) for check in checks)


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
        # A rule is registered under one group of keys (one must be hit), or, when it needs
        # two things at once (peintre AND angers), under every pair of keys from its two groups:
        # a post naming only the town wakes no such rule, and looking up the few pairs of a
        # post's hits costs less than intersecting the rules of each.
        single: dict[int, set[int]] = {}
        pairs: dict[tuple[int, int], set[int]] = {}
        self._checks: list[Check | None] = []
        # First pass: count how many rules mention each key, so that the anchors chosen next
        # avoid keys that many rules share (a hit on one would wake them all).
        for rule in rules:
            for key in compiler.register(rule.root):
                keys.uses[key] += 1
        for index, rule in enumerate(rules):
            groups = compiler.anchor_groups(rule.root)
            if len(groups) == 2 and len(groups[0]) * len(groups[1]) <= _MAX_PAIRS:
                for one in groups[0]:
                    for other in groups[1]:
                        pairs.setdefault((one, other), set()).add(index)
            else:
                for key in groups[0]:
                    single.setdefault(key, set()).add(index)
            # A rule that is exactly its anchors needs no further check.
            plain = len(groups) == 1 and compiler.key_set(rule.root) == groups[0]
            self._checks.append(None if plain else compiler.check(rule.root))
        self._single: list[frozenset[int] | None] = [None] * len(keys.cost)
        for key, indexes in single.items():
            self._single[key] = frozenset(indexes)
        self._pairs = {pair: frozenset(indexes) for pair, indexes in pairs.items()}
        self._pair_keys = frozenset(key for pair in pairs for key in pair)
        self._text = _automaton(keys.text)
        self._url = _automaton(keys.url)
        self._fields = keys.fields
        self._from = keys.fields.get("from")
        self._to = keys.fields.get("to")
        self._retweets_of = keys.fields.get("retweets_of")
        self._mention = keys.fields.get("mention")
        self._hashtag = keys.fields.get("hashtag")
        self._bio = keys.fields.get("bio")
        self._bio_location = keys.fields.get("bio_location")
        keys.frozen = True
        self._bio_seen: dict[str, tuple[int, ...]] = {}
        self._location_seen: dict[str, tuple[int, ...]] = {}
        self._scan = self._text.iter if self._text is not None else None

    def __len__(self) -> int:
        return len(self.rules)

    def _field_hits(self, post: Post, hits: set[int]) -> None:
        author = post.author
        if (index := self._from) is not None:
            key = index.get(author.username.lower().lstrip("@"))
            if key is not None:
                hits.add(key)
        if post.in_reply_to and (index := self._to) is not None:
            key = index.get(normal_user(post.in_reply_to))
            if key is not None:
                hits.add(key)
        if post.retweet_of and (index := self._retweets_of) is not None:
            key = index.get(normal_user(post.retweet_of))
            if key is not None:
                hits.add(key)
        if post.mentions and (index := self._mention) is not None:
            for mention in post.mentions:
                key = index.get(normal_user(mention))
                if key is not None:
                    hits.add(key)
        if post.hashtags and (index := self._hashtag) is not None:
            for tag in post.hashtags:
                key = index.get(tag)
                if key is None and (key := index.get("".join(words(tag)))) is not None:
                    index[tag] = key  # the raw spelling, so that next time folding is skipped
                if key is not None:
                    hits.add(key)
        if post.place is not None or post.geo is not None:
            self._place_hits(post, hits)
        if author.description and self._bio is not None:
            found = self._bio_seen.get(author.description)
            if found is None:
                found = self._profile_keys(self._bio_seen, self._bio, author.description)
            hits.update(found)
        if author.location and self._bio_location is not None:
            found = self._location_seen.get(author.location)
            if found is None:
                found = self._profile_keys(self._location_seen, self._bio_location, author.location)
            hits.update(found)

    @staticmethod
    def _profile_keys(
        seen: dict[str, tuple[int, ...]], index: dict[str, int], text: str
    ) -> tuple[int, ...]:
        # Profiles repeat from post to post (the same authors, the same towns): remember them.
        if len(seen) > 100_000:
            seen.clear()
        found = tuple({index[w] for w in words(text) if w in index})
        seen[text] = found
        return found

    def _place_hits(self, post: Post, hits: set[int]) -> None:
        fields = self._fields
        found = []
        if post.place is not None:
            found.append(fields.get("country", {}).get(post.place.country_code.upper()))
            found.append(fields.get("place", {}).get(""))
        if post.geo is not None:
            found.append(fields.get("geo", {}).get(""))
        hits.update(key for key in found if key is not None)

    def match(self, post: Post) -> list[str]:
        """Ids of the rules the post matches, in the order the rules were given."""
        padded = post_text(post.text)
        scan = self._scan
        hits = set(map(_second, scan(padded))) if scan is not None else set()
        if self._fields:
            self._field_hits(post, hits)
        if self._url is not None and post.urls:
            hits.update(map(_second, self._url.iter("\n".join(post.urls).lower())))
        if not hits:
            return []
        candidates: frozenset[int] | set[int] = _NONE
        single = self._single
        for key in hits:
            woken = single[key]
            if woken:
                candidates = candidates | woken if candidates else woken
        if self._pairs:
            paired = hits & self._pair_keys
            if paired:
                pair_rules = self._pairs.get
                for one in paired:
                    for other in paired:
                        woken = pair_rules((one, other))
                        if woken:
                            candidates = candidates | woken if candidates else woken
        if not candidates:
            return []
        context = _Context(post, hits, padded)
        checks = self._checks
        ids = self.ids
        return [
            ids[index]
            for index in sorted(candidates)
            if (check := checks[index]) is None or check(context)
        ]

    def match_many(self, posts: Iterable[Post]) -> list[list[str]]:
        return [self.match(post) for post in posts]


def compile_rules(
    rules: Iterable[tuple[str, str]], *, max_length: int = 1024, collect_errors: bool = False
) -> Matcher:
    """Compile (rule_id, rule_text) pairs into one Matcher.

    An invalid rule raises RuleError naming its id; with ``collect_errors`` it is left out and
    its error kept in ``Matcher.errors`` instead.
    """
    # Parsing and compiling allocate millions of small objects that all live on: the cyclic
    # garbage collector would scan them again and again for nothing (half the compile time
    # at 100,000 rules), so it waits until the matcher is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compile(rules, max_length=max_length, collect_errors=collect_errors)
    finally:
        if collecting:
            gc.enable()


def _compile(rules: Iterable[tuple[str, str]], *, max_length: int, collect_errors: bool) -> Matcher:
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


__all__ = ["Matcher", "compile_rules"]
