"""The one shape every network is parsed into: Post JSON (documented in docs/post-json.md)."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

# Same shapes X uses for entities; good enough for Bluesky and Mastodon plain text too.
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,63}[A-Za-z0-9_]|[A-Za-z0-9_])")
_HASHTAG = re.compile(r"(?<![\w#&])#(\w{1,100})")
_URL = re.compile(r"https?://[^\s<>\"']+")

# The store's bounds (store/tables.py): counts are 32-bit columns, names and ids VARCHARs.
MAX_COUNT = 2**31 - 1
MAX_NESTING = 64  # far above any network's payload; deeper is an attack or a bug
_MAX_JSON_INT = 2**63 - 1  # what SQLite's JSON functions and most readers take exactly


class Author(BaseModel):
    """Who wrote a post, as the network describes them."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=128)
    username: str = Field(min_length=1, max_length=255)
    name: str = Field(default="", max_length=255)
    followers_count: int = Field(default=0, ge=0, le=MAX_COUNT)
    verified: bool = False
    description: str = ""
    location: str = Field(default="", max_length=255)


class Media(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str  # photo, video, animated_gif, link_card ...


class Place(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = ""
    country_code: str = ""


class Geo(BaseModel):
    model_config = ConfigDict(extra="allow")

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)


class Metrics(BaseModel):
    model_config = ConfigDict(extra="allow")

    likes: int = Field(default=0, ge=0, le=MAX_COUNT)
    reposts: int = Field(default=0, ge=0, le=MAX_COUNT)
    replies: int = Field(default=0, ge=0, le=MAX_COUNT)


class Post(BaseModel):
    """A post from any network. Unknown fields are kept (``model_extra``)."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=128)
    network: str  # one of the registered networks (veille.sources.registry)
    created_at: datetime
    text: str
    lang: str | None = Field(default=None, max_length=8)
    author: Author
    is_retweet: bool = False
    is_reply: bool = False
    is_quote: bool = False
    in_reply_to: str | None = Field(default=None, max_length=255)  # username replied to
    in_reply_to_id: str | None = Field(default=None, max_length=128)  # post replied to
    conversation_id: str | None = Field(default=None, max_length=128)  # thread's first post
    retweet_of: str | None = Field(default=None, max_length=255)  # username reposted
    quote_of: str | None = None  # post id quoted
    urls: list[str] = Field(default_factory=list)
    media: list[Media] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    place: Place | None = None
    geo: Geo | None = None
    metrics: Metrics = Field(default_factory=Metrics)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        # X ids are strings in v2 but integers in older payloads; both are accepted.
        return str(value) if isinstance(value, int) else value

    @field_validator("network")
    @classmethod
    def _registered_network(cls, value: str) -> str:
        known = _known_networks()
        if value not in known:
            names = [repr(n) for n in known]
            expected = f"{', '.join(names[:-1])} or {names[-1]}"
            raise PydanticCustomError(
                "literal_error", "Input should be {expected}", {"expected": expected}
            )
        return value

    @field_validator("created_at")
    @classmethod
    def _aware_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("created_at must carry a time zone (ISO 8601 with Z or an offset)")
        return value.astimezone(UTC)

    def model_post_init(self, context: Any, /) -> None:
        # Entities missing from the payload are read off the text, so rules can rely on them;
        # a list the network gave, even empty, is its word (a cut or quoted text would lie).
        given = self.model_fields_set
        if "mentions" not in given:
            self.mentions = [m.lower() for m in _MENTION.findall(self.text)]
        if "hashtags" not in given:
            self.hashtags = [h.lower() for h in _HASHTAG.findall(self.text)]
        if "urls" not in given:
            self.urls = _URL.findall(self.text)

    @property
    def key(self) -> tuple[str, str]:
        """The identity every store write is idempotent on."""
        return (self.network, self.id)

    def to_json_dict(self) -> dict[str, Any]:
        """Post JSON, with unknown fields kept and empty optionals left out."""
        return self.model_dump(mode="json", exclude_none=True)


@cache
def _known_networks() -> tuple[str, ...]:
    # Imported here: the networks' folders import this module to build their posts.
    from veille.sources.registry import post_networks

    return post_networks()


class PostError(ValueError):
    """A payload that is not valid Post JSON; the message says which field and why."""


def parse_post(data: object, *, storable: bool = False) -> Post:
    """Validate one Post JSON object, raising PostError with a readable reason.
    ``storable``: the caller knows the value passes `unstorable` (plainly_storable_json)."""
    if not isinstance(data, dict):
        raise PostError(f"expected a JSON object, got {type(data).__name__}")
    problem = None if storable else unstorable(data)
    if problem is not None:
        raise PostError(problem)
    try:
        return Post.model_validate(data)
    except ValidationError as exc:
        raise PostError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem: `field.path: message`."""
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def unstorable(value: object) -> str | None:
    """Why a decoded JSON value cannot be stored as it is (None when it can): nesting deeper
    than MAX_NESTING, integers beyond 64 bits, NaN or infinities, lone surrogates or NUL
    characters in strings. Iterative, so no depth of nesting can overflow the stack."""
    stack: list[tuple[object, str, int]] = [(value, "", 0)]
    while stack:
        item, where, depth = stack.pop()
        at = where or "(root)"
        if isinstance(item, dict | list):
            if depth >= MAX_NESTING:
                return f"{at}: nested deeper than {MAX_NESTING} levels"
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str) and (why := _bad_text(key)):
                    return f"{at}: a key {why}"
                stack.append((child, f"{where}.{key}" if where else str(key), depth + 1))
        elif isinstance(item, str):
            if why := _bad_text(item):
                return f"{at}: {why}"
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) > _MAX_JSON_INT:
                return f"{at}: number out of range (more than 64 bits)"
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{at}: {item} is not a number JSON can store"
    return None


# What, in a JSON text, could decode to a value `unstorable` refuses: an escaped NUL or
# surrogate, a surrogate itself, NaN or infinities, a number of 19 digits or an exponent. A
# number only follows ":", "," or "[" (a 19-digit post id in quotes is a string, and harmless),
# or starts the text. Each is looked for on its own: substring tests and single patterns run
# several times faster than one alternation tried at every character.
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LONG_NUMBER = re.compile(r"[:,\[]\s*-?\d+(?:\.\d+)?(?:\d{18}|[eE])")
_FIRST_NUMBER = re.compile(r"\s*-?\d+(?:\.\d+)?(?:\d{18}|[eE])")


def plainly_storable_json(text: str) -> bool:
    """True when the JSON text cannot decode to anything `unstorable` refuses: the check of
    the decoded value can be skipped (a firehose's lines almost all pass). False says only
    that the decoded value must be checked."""
    if text.count("{") + text.count("[") > MAX_NESTING:  # deeper nesting needs as many
        return False
    if "NaN" in text or "Infinity" in text:
        return False
    if "\\u" in text and _SUSPECT_ESCAPE.search(text):
        return False
    if not text.isascii() and _SURROGATE.search(text):
        return False
    return _LONG_NUMBER.search(text) is None and _FIRST_NUMBER.match(text) is None


def _bad_text(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character (U+0000), which the database cannot store"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains a lone surrogate (U+{ord(text[exc.start]):04X}), not valid Unicode"
    return None
