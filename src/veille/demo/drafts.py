"""Posts being written: the Draft record and the Builder that composes, threads and reposts."""

from __future__ import annotations

import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from veille.demo.business import (
    BRAND_WATCH,
    CHAIN_WATCH,
    CRAFTSMAN_WATCH,
    LEADS_WATCH,
    LOCAL_WATCH,
    OWNER_WATCH,
    SECTOR_WATCH,
)
from veille.demo.people import Cast, Person
from veille.demo.phrases import BANKS
from veille.demo.texture import add_emoji, add_hashtags, expand, finish, named_entities, roughen

# Which watch a referent, once named in the text, belongs to.
_REFERENT_WATCH = {
    "business": BRAND_WATCH,
    "owner": OWNER_WATCH,
    "chain": CHAIN_WATCH,
    "craftsman": CRAFTSMAN_WATCH,
}
_KIND_WATCH = {"lead": LEADS_WATCH, "sector_news": SECTOR_WATCH, "local_news": LOCAL_WATCH}
# Watches whose rules leave reposts out (-is:retweet), so a repost must not count for them.
_NO_REPOST_WATCHES = frozenset({LEADS_WATCH, SECTOR_WATCH, LOCAL_WATCH})
WATCH_ORDER = (
    BRAND_WATCH,
    OWNER_WATCH,
    CHAIN_WATCH,
    CRAFTSMAN_WATCH,
    LEADS_WATCH,
    SECTOR_WATCH,
    LOCAL_WATCH,
)
COMPETITOR_NAMES = {"chain": "Couleurs de Loire", "craftsman": "Atelier Dupuis"}

_BRAND_FORMS: dict[str, tuple[tuple[str, int], ...]] = {
    "x": (
        ("Peintures Martin", 40), ("peintures martin", 10), ("Peinture Martin", 8),
        ("@peinturesmartin", 25), ("#PeinturesMartin", 5), ("Martin Peintures", 4),
        ("l'entreprise Martin", 3), ("PEINTURES MARTIN", 2),
    ),
    "bluesky": (
        ("Peintures Martin", 45), ("peintures martin", 10), ("Peinture Martin", 8),
        ("@peinturesmartin.bsky.social", 25), ("Martin Peintures", 4),
    ),
    "mastodon": (("Peintures Martin", 60), ("peintures martin", 15), ("Peinture Martin", 8)),
    "news": (("Peintures Martin", 1),),
}  # fmt: skip
_COMP_FORMS: dict[str, tuple[tuple[str, int], ...]] = {
    "chain": (
        ("Couleurs de Loire", 60), ("@couleursdeloire", 20), ("couleurs de loire", 10),
        ("#CouleursDeLoire", 5), ("CDL", 5),
    ),
    "craftsman": (
        ("l'Atelier Dupuis", 40), ("Atelier Dupuis", 20), ("@dupuis_peinture", 20),
        ("Dupuis Peinture", 10), ("Dupuis à Trélazé", 10),
    ),
}  # fmt: skip


def _author_watch(original: Draft) -> set[str]:
    """`RT @account:` names the account reposted: the business's own posts included."""
    watch = _REFERENT_WATCH.get(original.author.key)
    return {watch} if watch else set()


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


@dataclass
class Draft:
    """A post before ids are given: ids follow time, so they are assigned once all are known."""

    order: int
    network: str
    author: Person
    created_at: datetime
    text: str
    lang: str
    kind: str
    sentiment: str
    intents: tuple[str, ...]
    about_business: bool = False
    competitor: str | None = None
    watches: set[str] = field(default_factory=set)
    parent: Draft | None = None
    quoted: Draft | None = None
    reposted: Draft | None = None
    duplicate_of: Draft | None = None
    urls: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    likes: int = 0
    show_lang: bool = True
    id: str = ""
    replies: int = 0
    reposts: int = 0

    @property
    def root(self) -> Draft:
        node = self
        while node.parent is not None:
            node = node.parent
        return node


class Builder:
    """Composes posts from templates and keeps every draft, in creation order."""

    def __init__(self, rng: random.Random, cast: Cast, end: datetime) -> None:
        self.rng = rng
        self.cast = cast
        self.end = end
        self.drafts: list[Draft] = []

    # -- entity spellings ------------------------------------------------------------------

    def brand_form(self, network: str) -> str:
        return _weighted(self.rng, _BRAND_FORMS[network])

    def comp_form(self, who: str, network: str) -> str:
        forms: Sequence[tuple[str, int]] = _COMP_FORMS[who]
        if network != "x":
            forms = tuple(f for f in forms if not f[0].startswith("@"))
        return _weighted(self.rng, forms)

    def owner_form(self, network: str) -> str:
        if network == "x" and self.rng.random() < 0.4:
            return "@julienmartin49"
        return "Julien Martin"

    def short_link(self, full: str, network: str) -> tuple[str, str]:
        """(text form, expanded form): X wraps every link in t.co."""
        if network == "x":
            code = "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(10))
            return f"https://t.co/{code}", full
        return full, full

    # -- composing -------------------------------------------------------------------------

    def compose(
        self,
        template: str,
        *,
        lang: str,
        sentiment: str,
        entities: Mapping[str, str],
        casual: float,
        tags: Sequence[str] = (),
        emoji_chance: float = 0.3,
    ) -> tuple[str, list[str]]:
        """Text for a template, and the entity slots it ended up naming."""
        text = expand(template, self.rng, BANKS, entities)
        if text and text[0].isalpha():
            text = text[0].upper() + text[1:]
        named = named_entities(text)
        text = roughen(text, self.rng, lang=lang, casual=casual)
        text = add_emoji(text, self.rng, sentiment, emoji_chance * casual)
        text = add_hashtags(text, self.rng, tags, 0.35 * casual)
        return finish(text, entities), named

    def add(
        self,
        *,
        network: str,
        author: Person,
        created_at: datetime,
        text: str,
        lang: str,
        kind: str,
        sentiment: str,
        intents: Sequence[str],
        referents: Sequence[str] = (),
        about_business: bool | None = None,
        competitor: str | None = None,
        parent: Draft | None = None,
        quoted: Draft | None = None,
        urls: Sequence[str] = (),
        media: Sequence[str] = (),
    ) -> Draft:
        """Record a post; watches follow from what it names, who wrote it and its kind."""
        watches = {_REFERENT_WATCH[r] for r in referents if r in _REFERENT_WATCH}
        if author.key in ("chain", "craftsman"):
            watches.add(_REFERENT_WATCH[author.key])
        if kind in _KIND_WATCH:
            watches.add(_KIND_WATCH[kind])
        if "peintures-martin.fr" in text:  # the website names the business too
            watches.add(BRAND_WATCH)
        if competitor is None:
            named_rivals = [r for r in referents if r in COMPETITOR_NAMES]
            if named_rivals and "business" not in referents:
                competitor = COMPETITOR_NAMES[named_rivals[0]]
        if about_business is None:
            about_business = "business" in referents or "owner" in referents
        if parent is not None:
            prefix = self._reply_prefix(parent, author, network)
            text = prefix + text
            for node in (parent, parent.parent):  # on X a reply names whom it answers
                if node is not None and node.author.mention in prefix:
                    watches |= _author_watch(node)
        draft = Draft(
            order=len(self.drafts),
            network=network,
            author=author,
            created_at=created_at,
            text=text,
            lang=lang,
            kind=kind,
            sentiment=sentiment,
            intents=tuple(intents),
            about_business=about_business,
            competitor=competitor,
            watches=watches,
            parent=parent,
            quoted=quoted,
            urls=list(urls),
            media=list(media),
            likes=self._likes(author),
            show_lang=network != "mastodon" or self.rng.random() > 0.12,
        )
        self.drafts.append(draft)
        return draft

    def _reply_prefix(self, parent: Draft, author: Person, network: str) -> str:
        if network == "bluesky" or parent.author.username == author.username:
            return ""
        if network == "mastodon":
            return parent.author.mention + " "
        prefix = parent.author.mention + " "
        grand = parent.parent
        if grand is not None and grand.author.username not in (
            author.username,
            parent.author.username,
        ):
            prefix = grand.author.mention + " " + prefix
        return prefix

    def _likes(self, author: Person) -> int:
        scale = max(1.0, author.followers) ** 0.5
        return int(self.rng.lognormvariate(0, 1.0) * scale * 0.25)

    def repost(self, original: Draft, author: Person, delay: timedelta) -> Draft:
        """A plain repost on X: `RT @user: text`, labelled as a duplicate of the original."""
        draft = Draft(
            order=len(self.drafts),
            network=original.network,
            author=author,
            created_at=original.created_at + delay,
            text=f"RT {original.author.mention}: {original.text}",
            lang=original.lang,
            kind=original.kind,
            sentiment=original.sentiment,
            intents=original.intents,
            about_business=original.about_business,
            competitor=original.competitor,
            watches=(set(original.watches) - _NO_REPOST_WATCHES) | _author_watch(original),
            reposted=original,
            duplicate_of=original,
            urls=list(original.urls),
            media=list(original.media),
            likes=0,
        )
        self.drafts.append(draft)
        return draft

    def copy(self, original: Draft, author: Person, created_at: datetime) -> Draft:
        """The same text posted again by another account (templated spam, cross-posting)."""
        draft = Draft(
            order=len(self.drafts),
            network=original.network,
            author=author,
            created_at=created_at,
            text=original.text,
            lang=original.lang,
            kind=original.kind,
            sentiment=original.sentiment,
            intents=original.intents,
            about_business=original.about_business,
            competitor=original.competitor,
            watches=set(original.watches),
            duplicate_of=original,
            urls=list(original.urls),
            media=list(original.media),
            likes=self._likes(author),
        )
        self.drafts.append(draft)
        return draft
