"""What a post's intents mean for this business, and which posts reach the inbox.

The intent heads read a post on its own; this reads it for the business (DESIGN: the inbox is
what needs an answer):

- a crisis is a crisis *for this business*: sector or local news that does not name it, answer
  it or reply in a thread is never a crisis signal;
- the business's own posts (its handles on any network, `name.bsky.social` or
  `name@instance` alike) are never a complaint or a crisis against itself;
- an incident report about the business ("ils ont poncé la façade SANS bâche") or outrage
  aimed at it ("répondez au lieu de vous cacher") reads as crisis and complaint, even when the
  heads saw a plain statement or a repost; about a competitor, as a complaint; a request for
  the business's help that names the harm ("vous intervenez pour un dégât des eaux ?") is not
  one, unless the harm is put down to the business ("depuis votre passage");
- dissatisfaction named outright ("arnaque", "fuyez", "rétro cassé") at the business or a
  competitor is a complaint;
- praise with an eye-roll (🙄, 🤡) is not praise;
- spam and follower-selling ("+5000 abonnés en 48h") never reach the inbox;
- one lead once: the same request from the same author, or in nearly the same words (a
  cross-post with a hashtag or "svp" more), is listed once.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import replace

from veille.business import BusinessProfile
from veille.posts import Post
from veille.textfold import fold
from veille.understand.duplicates import shingles
from veille.understand.leads import elsewhere
from veille.understand.types import INTENT_THRESHOLD, Understanding

# Selling reach or likes, or get-rich offers: never a conversation worth answering.
_REACH = r"(?:abonnes|followers|likes|vues)"
SPAM = re.compile(
    r"\+ ?\d[\d  ]*k? ?" + _REACH + r"|boost(?:ez|er|e)? (?:votre|ta|ton|vos|tes) "
    r"(?:visibilite|compte|page|audience|insta\w*)|" + _REACH + r" (?:reels|garantis|offerts|"
    r"gratuits|en \d+ ?h)|(?:achat|achete[rz]?|gagne[rz]|obteni?[rz]|recev(?:ez|oir)) "
    r"(?:des |de |plein de |\d[\d  ]*k? )?"
    r"(?:vrais |nouveaux )?" + _REACH + r"|" + _REACH + r" (?:a|pour) \d+ ?(?:€|euros)|"
    r"gagne[rz] \d+ ?(?:€|euros) par (?:jour|semaine)|crypto.{0,20}(?:x\d+|rendement garanti)|"
    r"promo exclusive sur (?:nos|les) followers"
)
# Something went wrong on a job, or harm was done: an incident report.
INCIDENT = re.compile(
    r"sans (?:bache|protection|aspiration|masque|autorisation|permis|barriere|balisage|"
    r"securite|casque|harnais)|poussieres? de plomb|\bplomb\b|amiante|intoxi\w*|"
    r"fuite de gaz|monoxyde|degats? des eaux|inond\w*|\bblesse\w*|\bbrule\w*|incendie|"
    r"effondr\w*|mis(?:e|es)? en cause|s'ecaill\w*|\btache\w*|\babime\w*|"
    r"jamais revenus?|refuse\w* de (?:rembourser|payer)|malfacon\w*|travail bacle|"
    r"chantier (?:abandonne|bacle|massacre)|failli (?:avoir|me|se|nous|mourir)|\baccident\b|"
    r"les pompiers|aux urgences|a l'hopital|tous? malades?|toute la famille malade|"
    r"\b(?:souris|rats|cafards?|blattes?|asticots?|moisissures?)\b|"
    r"morceau de (?:verre|plastique|metal)|corps etranger|sans (?:eau|chauffage|electricite)"
)
# Outrage aimed at the business: a crisis spreading, whatever the heads made of it.
OUTRAGE = re.compile(
    r"scandale|boycott\w*|porter plainte|plainte (?:deposee|contre)|honte a|"
    r"(?:faudra|va falloir|doivent|devez) (?:s'|vous )?expliquer|au lieu de vous cacher|"
    r"vous avez une explication|ca chauffe pour|l'histoire de|partagez (?:un max|massivement)|"
    r"faites tourner|faut que ca se sache|signale\w* (?:a|aux) (?:la mairie|la dgccrf|"
    r"l'ars|la police|la gendarmerie|l'hygiene)|mon avocat|au tribunal"
)
# Dissatisfaction named outright: a complaint whatever the heads made of it, not a crisis.
GRIEVANCE = re.compile(
    r"\barnaque\w*|\bescroc\w*|\bfuyez\b|a eviter|n'allez (?:jamais|pas) chez|plus jamais "
    r"(?:chez|avec)|sans prevenir|\brayee?s?\b|\bcasse[es]?\b|jamais rappele\w*|"
    r"(?:ne|n') ?(?:repond\w*|rappel\w*) (?:jamais|pas|plus)|\bdecu\w*|inadmissible|inacceptable|"
    r"honteux|lamentable|degueulasse|degoutant|du grand n'importe quoi|a fuir"
)
# Someone asking the business for its service, which may name the very harm an incident
# report names ("vous intervenez pour un dégât des eaux ?") ...
REQUEST = re.compile(
    r"vous (?:intervenez|pouvez|faites|passez|etes dispo\w*)|pouvez-vous|possible de "
    r"(?:passer|venir)|\bdevis\b|\bdispo\w*|besoin d'un|cherche\w* (?:un|une)|\burgent"
)
# ... unless the harm is put down to the business.
ATTRIBUTION = re.compile(
    r"depuis (?:votre|leur|son) (?:passage|intervention)|apres (?:votre|leur|son|l') ?"
    r"(?:passage|intervention|visite)|\b(?:ils|il|elle) (?:ont|a|m'ont|m'a)\b|"
    r"\bvos? (?:gars|ouvriers?|techniciens?|employes?|equipes?|salaries?|apprentis?)\b|"
    r"\bles gars de|\bde chez\b|\bchez (?:vous|eux)\b"
)
EYE_ROLL = ("🙄", "🙃", "🤡", "😒")
LEAD_MEMORY = 2000  # recent leads remembered to list each once
LEAD_SIMILARITY = 0.6  # as the near-duplicate grouping of understand/duplicates.py


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
        self._leads: OrderedDict[str, set[int]] = OrderedDict()  # character shingles
        self._lead_authors: OrderedDict[str, None] = OrderedDict()

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

    def _names_competitor(self, folded: str) -> bool:
        return self._competitors is not None and self._competitors.search(folded) is not None

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
            incident = bool(INCIDENT.search(folded) or OUTRAGE.search(folded))
            if incident and REQUEST.search(folded) and not ATTRIBUTION.search(folded):
                incident = False
            if incident:
                if named:
                    intents["crisis"] = max(intents.get("crisis", 0.0), 0.75)
                    intents["complaint"] = max(intents.get("complaint", 0.0), 0.7)
                    intents["praise"] = min(intents.get("praise", 0.0), 0.2)
                elif self._names_competitor(folded):
                    intents["complaint"] = max(intents.get("complaint", 0.0), 0.7)
            elif GRIEVANCE.search(folded) and (named or self._names_competitor(folded)):
                intents["complaint"] = max(intents.get("complaint", 0.0), 0.7)
                intents["praise"] = min(intents.get("praise", 0.0), 0.2)
            if not about:
                intents["crisis"] = min(intents.get("crisis", 0.0), 0.2)
            if any(e in post.text for e in EYE_ROLL) and intents.get("praise", 0.0) >= present:
                intents["praise"] = 0.2
                intents["complaint"] = max(intents.get("complaint", 0.0), 0.6)
        scored = [name for name in intents if name != "other"]
        intents["other"] = 1.0 - max((intents[n] for n in scored), default=0.0)
        return replace(understood, intents={k: round(v, 4) for k, v in intents.items()})

    def admits(self, post: Post, understood: Understanding) -> bool:
        """False for spam, the business's own posts, a lead already listed and a conversation
        elsewhere that does not concern the business."""
        if SPAM.search(fold(post.text)) or self.own_post(post):
            return False
        if "lead" not in understood.present_intents():
            about = self.names_business(post) or bool(post.in_reply_to or post.is_reply)
            return about or not elsewhere(post.text, self.profile)
        author = f"{post.network}:{post.author.id}"
        words = shingles(post.text)
        if author in self._lead_authors or any(
            _similar(words, seen) for seen in self._leads.values()
        ):
            return False
        self._lead_authors[author] = None
        self._leads[f"{author}:{post.id}"] = words
        for remembered in (self._leads, self._lead_authors):
            while len(remembered) > LEAD_MEMORY:
                remembered.popitem(last=False)
        return True


def _similar(a: set[int], b: set[int]) -> bool:
    """The same request reworded a little (a hashtag, "svp", an emoji): near-copy Jaccard."""
    return bool(a) and bool(b) and len(a & b) / len(a | b) >= LEAD_SIMILARITY


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
