"""What a post's intents mean for this business, and which posts reach the inbox.

The intent heads read a post on its own; this reads it for the business (DESIGN: the inbox is
what needs an answer):

- a crisis is a crisis *for this business*: sector or local news that does not name it, answer
  it or reply in a thread is never a crisis signal;
- the business's own posts (its handles on any network, `name.bsky.social` or
  `name@instance` alike) are never a complaint or a crisis against itself;
- an incident report about the business ("ils ont poncé la façade SANS bâche") or outrage
  aimed at it ("répondez au lieu de vous cacher") reads as crisis and complaint, even when the
  heads saw a plain statement or a repost; about a competitor, as a complaint;
- praise with an eye-roll (🙄, 🤡) is not praise;
- spam and follower-selling ("+5000 abonnés en 48h") never reach the inbox;
- one lead once: the same request from the same author, or the same words, is listed once.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import replace

from veille.business import BusinessProfile
from veille.posts import Post
from veille.textfold import fold
from veille.understand.types import INTENT_THRESHOLD, Understanding

# Selling reach or likes, or get-rich offers: never a conversation worth answering.
SPAM = re.compile(
    r"\+ ?\d[\d  ]* ?(?:abonnes|followers|likes|vues)|boost(?:ez|er) (?:votre|ta|vos) "
    r"(?:visibilite|compte|audience)|(?:abonnes|followers) (?:reels|garantis|en \d+ ?h)|"
    r"achet(?:ez|er) des (?:abonnes|followers|likes)|gagne[rz] \d+ ?(?:€|euros) par jour|"
    r"crypto.{0,20}(?:x\d+|rendement garanti)|promo exclusive sur (?:nos|les) followers"
)
# Something went wrong on a job, or harm was done: an incident report.
INCIDENT = re.compile(
    r"sans (?:bache|protection|aspiration|masque|autorisation|permis)|poussieres? de plomb|"
    r"\bplomb\b|amiante|intoxi\w*|fuite de gaz|degats? des eaux|inond\w*|\bblesse\w*|"
    r"\bbrule\w*|incendie|effondr\w*|mis(?:e|es)? en cause|s'ecaill\w*|\btache\w*|"
    r"\babime\w*|jamais revenus?|refuse\w* de rembourser|malfacon\w*|travail bacle|"
    r"chantier (?:abandonne|bacle|massacre)"
)
# Outrage aimed at the business: a crisis spreading, whatever the heads made of it.
OUTRAGE = re.compile(
    r"scandale|boycott\w*|porter plainte|plainte (?:deposee|contre)|honte a|"
    r"(?:faudra|va falloir|doivent|devez) (?:s'|vous )?expliquer|au lieu de vous cacher|"
    r"vous avez une explication|ca chauffe pour|l'histoire de|partagez (?:un max|massivement)"
)
EYE_ROLL = ("🙄", "🙃", "🤡", "😒")
LEAD_MEMORY = 2000  # recent leads remembered to list each once


def handle_key(username: str) -> str:
    """The account name without its network's suffix: "peinturesmartin.bsky.social",
    "peinturesmartin@mastodon.social" and "@PeinturesMartin" are the same account name."""
    name = username.strip().lstrip("@").lower()
    return name.split("@", 1)[0].split(".", 1)[0]


class Admission:
    """Reads intents for the business and decides what the inbox lists. Remembers recent
    leads (in this process) so a lead is listed once."""

    def __init__(self, profile: BusinessProfile | None) -> None:
        self.profile = profile
        handles = (profile.handles + profile.owner_handles) if profile else []
        self._own = {handle_key(h) for h in handles if h.strip()}
        self._names = _names_pattern(_own_names(profile))
        self._competitors = _names_pattern(_competitor_names(profile))
        self._leads: OrderedDict[str, None] = OrderedDict()

    def own_post(self, post: Post) -> bool:
        return handle_key(post.author.username) in self._own

    def names_business(self, post: Post) -> bool:
        """The post names the business or its owner, or addresses one of its accounts."""
        if {handle_key(m) for m in post.mentions} & self._own:
            return True
        folded = fold(post.text)
        if self._names is not None and self._names.search(folded):
            return True
        return any(handle_key(h) in self._own for h in re.findall(r"@([\w.@-]+)", folded))

    def in_context(self, post: Post, understood: Understanding) -> Understanding:
        """`understood` with its intents read for the business (a new object)."""
        intents = dict(understood.intents)
        if not intents:
            return understood
        folded = fold(post.text)
        present = INTENT_THRESHOLD
        if SPAM.search(folded):
            intents = {name: 0.0 for name in intents}
        elif self.own_post(post):
            for name in ("complaint", "crisis", "lead"):
                intents[name] = 0.0
        else:
            named = self.names_business(post)
            # A reply in a thread may be about the business without naming it.
            about = named or bool(post.in_reply_to or post.is_reply)
            if INCIDENT.search(folded) or OUTRAGE.search(folded):
                if named:
                    intents["crisis"] = max(intents.get("crisis", 0.0), 0.75)
                    intents["complaint"] = max(intents.get("complaint", 0.0), 0.7)
                    intents["praise"] = min(intents.get("praise", 0.0), 0.2)
                elif self._competitors is not None and self._competitors.search(folded):
                    intents["complaint"] = max(intents.get("complaint", 0.0), 0.7)
            if not about:
                intents["crisis"] = min(intents.get("crisis", 0.0), 0.2)
            if any(e in post.text for e in EYE_ROLL) and intents.get("praise", 0.0) >= present:
                intents["praise"] = 0.2
                intents["complaint"] = max(intents.get("complaint", 0.0), 0.6)
        scored = [name for name in intents if name != "other"]
        intents["other"] = 1.0 - max((intents[n] for n in scored), default=0.0)
        return replace(understood, intents={k: round(v, 4) for k, v in intents.items()})

    def admits(self, post: Post, understood: Understanding) -> bool:
        """False for spam, the business's own posts and a lead already listed."""
        if SPAM.search(fold(post.text)) or self.own_post(post):
            return False
        if "lead" not in understood.present_intents():
            return True
        keys = (f"author:{post.network}:{post.author.id}", "text:" + _words(post.text))
        if any(key in self._leads for key in keys):
            return False
        for key in keys:
            self._leads[key] = None
        while len(self._leads) > LEAD_MEMORY:
            self._leads.popitem(last=False)
        return True


def _words(text: str) -> str:
    """The words of a post, without handles, links, emoji or spelling of spaces."""
    folded = re.sub(r"https?://\S+|@[\w.@-]+|#", " ", fold(text))
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def _own_names(profile: BusinessProfile | None) -> list[str]:
    if profile is None:
        return []
    return [profile.name, profile.owner_name, *profile.handles, *profile.owner_handles]


def _competitor_names(profile: BusinessProfile | None) -> list[str]:
    if profile is None:
        return []
    names: list[str] = []
    for competitor in profile.competitors:
        names += [competitor.name, *competitor.aliases, *competitor.handles]
    return names


def _names_pattern(names: list[str]) -> re.Pattern[str] | None:
    """Names folded, spaces optional ("Peintures Martin", "#PeinturesMartin"), a final s
    optional ("Peinture Martin")."""
    words = [fold(n).split() for n in names if n.strip()]
    parts = []
    for name in words:
        pieces = [re.escape(w.rstrip("s")) + "s?" for w in name]
        parts.append(r"[\s_-]*".join(pieces))
    if not parts:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")
