"""The watch-rule syntax tree, and its display as an indented tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from veille.labels import label
from veille.translations import Language

# --- text terms: matched on the post's words ----------------------------------------------


@dataclass(slots=True)
class Words:
    """A word, or an "exact phrase": consecutive folded words (also emoji and $cashtags)."""

    column: int
    raw: str
    words: tuple[str, ...]
    quoted: bool = False


@dataclass(slots=True)
class Prefix:
    """A trailing wildcard, ``renov*``: a word that starts with the stem."""

    column: int
    raw: str
    stem: str


@dataclass(slots=True)
class Near:
    """``"peintre angers"~3``: every word present, any order, at most N words between."""

    column: int
    raw: str
    words: tuple[str, ...]
    distance: int


@dataclass(slots=True)
class ExactCase:
    """``case:Orange``: consecutive words with case and accents exactly as written."""

    column: int
    raw: str
    words: tuple[str, ...]  # as written (NFC)
    folded: tuple[str, ...]  # what the automaton looks for before the exact check


@dataclass(slots=True)
class Hashtag:
    column: int
    tag: str  # folded, without '#'


@dataclass(slots=True)
class Mention:
    column: int
    user: str  # lower case, without '@'


# --- operators on other fields ------------------------------------------------------------

UserField = Literal["from", "to", "retweets_of"]
IsWhat = Literal["retweet", "reply", "quote", "verified"]
HasWhat = Literal["links", "media", "images", "mentions", "hashtags", "geo"]
BioField = Literal["bio", "bio_location", "place"]


@dataclass(slots=True)
class User:
    """from:, to: and retweets_of: compare a user name, ignoring case and a leading '@'."""

    column: int
    field: UserField
    user: str


@dataclass(slots=True)
class Url:
    """url: a piece of one of the post's links (case-insensitive)."""

    column: int
    part: str


@dataclass(slots=True)
class Lang:
    column: int
    code: str


@dataclass(slots=True)
class Is:
    column: int
    what: IsWhat


@dataclass(slots=True)
class Has:
    column: int
    what: HasWhat


@dataclass(slots=True)
class FieldWords:
    """bio:, bio_location: and place: consecutive folded words in that field."""

    column: int
    field: BioField
    raw: str
    words: tuple[str, ...]


@dataclass(slots=True)
class PlaceCountry:
    column: int
    code: str  # upper case, ISO 3166-1 alpha-2


@dataclass(slots=True)
class PointRadius:
    column: int
    lon: float
    lat: float
    radius_km: float
    raw: str


@dataclass(slots=True)
class Followers:
    """followers: the author's follower count within [low, high] (None = unbounded)."""

    column: int
    low: int | None
    high: int | None


@dataclass(slots=True)
class Sample:
    """sample:N keeps N percent of posts, chosen by their id (the same post always)."""

    column: int
    percent: int


# --- boolean structure --------------------------------------------------------------------


@dataclass(slots=True)
class And:
    column: int
    children: tuple[Node, ...]


@dataclass(slots=True)
class Or:
    column: int
    children: tuple[Node, ...]


@dataclass(slots=True)
class Not:
    column: int
    child: Node


Leaf: TypeAlias = (
    Words
    | Prefix
    | Near
    | ExactCase
    | Hashtag
    | Mention
    | User
    | Url
    | Lang
    | Is
    | Has
    | FieldWords
    | PlaceCountry
    | PointRadius
    | Followers
    | Sample
)
Node: TypeAlias = And | Or | Not | Leaf

# Operators that narrow a rule but cannot be a rule's only positive part (as on X).
CONJUNCTION_ONLY = (Lang, Is, Has, Sample, Followers)


@dataclass(slots=True)
class Rule:
    """A parsed rule: its source text and its tree."""

    source: str
    root: Node


# --- display ------------------------------------------------------------------------------


def _quote(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'


def _number(value: float) -> str:
    return f"{value:g}"


def leaf_text(node: Leaf) -> str:
    """The leaf written back in canonical rule syntax."""
    match node:
        case Words(words=words, quoted=quoted):
            return _quote(words) if quoted or len(words) > 1 else words[0]
        case Prefix(stem=stem):
            return f"{stem}*"
        case Near(words=words, distance=distance):
            return f"{_quote(words)}~{distance}"
        case ExactCase(words=words):
            return f"case:{_quote(words)}"
        case Hashtag(tag=tag):
            return f"#{tag}"
        case Mention(user=user):
            return f"@{user}"
        case User(field=field, user=user):
            return f"{field}:{user}"
        case Url(part=part):
            return f'url:"{part}"'
        case Lang(code=code):
            return f"lang:{code}"
        case Is(what=what):
            return f"is:{what}"
        case Has(what=what):
            return f"has:{what}"
        case FieldWords(field=field, words=words):
            return f"{field}:{_quote(words)}"
        case PlaceCountry(code=code):
            return f"place_country:{code}"
        case PointRadius(lon=lon, lat=lat, radius_km=km):
            return f"point_radius:[{_number(lon)} {_number(lat)} {_number(km)}km]"
        case Followers(low=low, high=high):
            if low is not None and high is not None:
                return f"followers:{low}..{high}"
            return f"followers:>={low}" if low is not None else f"followers:<={high}"
        case Sample(percent=percent):
            return f"sample:{percent}"
    raise TypeError(f"not a leaf: {node!r}")  # pragma: no cover


_LABELS: dict[type[Node] | str, str] = {
    And: "rule.and",
    Or: "rule.or",
    Not: "rule.not",
    Words: "rule.word",
    Prefix: "rule.prefix",
    Near: "rule.proximity",
    ExactCase: "rule.exact_case",
    Hashtag: "rule.hashtag",
    Mention: "rule.mention",
    "phrase": "rule.phrase",
    "operator": "rule.operator",
}


def _label(node: Node, lang: str) -> str:
    language: Language = "en" if lang == "en" else "fr"
    if isinstance(node, And | Or | Not):
        return label(_LABELS[type(node)], language)
    key = _LABELS.get(type(node), _LABELS["operator"])
    if isinstance(node, Words) and (node.quoted or len(node.words) > 1):
        key = _LABELS["phrase"]
    return f"{label(key, language)} {leaf_text(node)}"


def format_tree(rule: Rule, *, lang: str = "fr") -> str:
    """The rule as an indented tree, one node a line (labels in French or English)."""
    lines: list[str] = []

    def walk(node: Node, prefix: str, connector: str, child_prefix: str) -> None:
        lines.append(prefix + connector + _label(node, lang))
        if isinstance(node, And | Or):
            children: tuple[Node, ...] = node.children
        elif isinstance(node, Not):
            children = (node.child,)
        else:
            return
        for index, child in enumerate(children):
            last = index == len(children) - 1
            walk(
                child,
                prefix + child_prefix,
                "└── " if last else "├── ",
                "    " if last else "│   ",
            )

    walk(rule.root, "", "", "")
    return "\n".join(lines)
