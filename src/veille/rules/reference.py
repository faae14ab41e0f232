"""The plain evaluator: one rule, one post, by walking the tree. Slow, simple, the reference."""

from __future__ import annotations

import math
import zlib

from veille.posts import Post
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
from veille.rules.text import post_case_words, post_words, words

_EARTH_RADIUS_KM = 6371.0088


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def sample_bucket(post_id: str) -> int:
    """0..99, fixed for a post id, so sample:N keeps the same posts on every run."""
    return zlib.crc32(post_id.encode()) % 100


def lang_matches(post_lang: str | None, code: str) -> bool:
    """lang:pt matches "pt" and "pt-BR"; lang:pt-br matches only "pt-BR"."""
    if not post_lang:
        return False
    value = post_lang.lower()
    return value == code or value.startswith(code + "-")


def normal_user(name: str | None) -> str:
    return (name or "").lower().lstrip("@")


def has_sequence(haystack: list[str], needle: tuple[str, ...]) -> bool:
    """Whether needle occurs as consecutive items of haystack."""
    size = len(needle)
    return any(
        tuple(haystack[start : start + size]) == needle for start in range(len(haystack) - size + 1)
    )


def near(haystack: list[str], needle: tuple[str, ...], distance: int) -> bool:
    """Every needle word at distinct positions, any order, at most distance words between
    the first and the last beyond the needle's own words."""
    positions = [[i for i, w in enumerate(haystack) if w == word] for word in needle]
    if any(not p for p in positions):
        return False
    span_limit = distance + len(needle) - 1
    # Brute force on purpose: this is the reference, posts are short.
    for choice in _choices(positions):
        if len(set(choice)) == len(choice) and max(choice) - min(choice) <= span_limit:
            return True
    return False


def _choices(positions: list[list[int]]) -> list[tuple[int, ...]]:
    combos: list[tuple[int, ...]] = [()]
    for options in positions:
        combos = [(*combo, p) for combo in combos for p in options]
    return combos


class _View:
    """The fields of one post the way the operators read them."""

    def __init__(self, post: Post) -> None:
        self.post = post
        self.words = post_words(post.text)
        self.case_words = post_case_words(post.text)


_last: tuple[Post, _View] | None = None


def _view(post: Post) -> _View:
    # One post is usually checked against many rules in a row: fold its text once.
    global _last
    last = _last  # read once: another thread may replace it meanwhile
    if last is None or last[0] is not post:
        last = (post, _View(post))
        _last = last
    return last[1]


def evaluate(rule: Rule, post: Post) -> bool:
    """Whether the post matches the rule."""
    return _eval(rule.root, _view(post))


def _eval(node: Node, view: _View) -> bool:
    post = view.post
    match node:
        case And(children=children):
            return all(_eval(child, view) for child in children)
        case Or(children=children):
            return any(_eval(child, view) for child in children)
        case Not(child=child):
            return not _eval(child, view)
        case Words(words=needle):
            return has_sequence(view.words, needle)
        case Prefix(stem=stem):
            return any(word.startswith(stem) for word in view.words)
        case Near(words=needle, distance=distance):
            return near(view.words, needle, distance)
        case ExactCase(words=needle):
            return has_sequence(view.case_words, needle)
        case Hashtag(tag=tag):
            return any("".join(words(h)) == tag for h in post.hashtags)
        case Mention(user=user):
            return any(normal_user(m) == user for m in post.mentions)
        case User(field=field, user=user):
            value = {
                "from": post.author.username,
                "to": post.in_reply_to,
                "retweets_of": post.retweet_of,
            }[field]
            return normal_user(value) == user
        case Url(part=part):
            return any(part in url.lower() for url in post.urls)
        case Lang(code=code):
            return lang_matches(post.lang, code)
        case Is(what=what):
            return {
                "retweet": post.is_retweet,
                "reply": post.is_reply,
                "quote": post.is_quote,
                "verified": post.author.verified,
            }[what]
        case Has(what=what):
            return _has(post, what)
        case FieldWords(field=field, words=needle):
            if field == "place":
                text = post.place.name if post.place is not None else ""
            elif field == "bio":
                text = post.author.description
            else:
                text = post.author.location
            return has_sequence(words(text), needle)
        case PlaceCountry(code=code):
            return post.place is not None and post.place.country_code.upper() == code
        case PointRadius(lon=lon, lat=lat, radius_km=km):
            geo = post.geo
            return geo is not None and distance_km(lon, lat, geo.lon, geo.lat) <= km
        case Followers(low=low, high=high):
            count = post.author.followers_count
            return (low is None or count >= low) and (high is None or count <= high)
        case Sample(percent=percent):
            return sample_bucket(post.id) < percent
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover


def _has(post: Post, what: str) -> bool:
    if what == "links":
        return bool(post.urls)
    if what == "media":
        return bool(post.media)
    if what == "images":
        return any(m.type == "photo" for m in post.media)
    if what == "mentions":
        return bool(post.mentions)
    if what == "hashtags":
        return bool(post.hashtags)
    return post.geo is not None or post.place is not None  # geo
