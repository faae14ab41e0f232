"""The guard's detectors. Each reads the draft (and its folded copy) and returns Findings: a
kind, a severity, a span of the original text and the key of its explanation."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from veille.publish import guard_lexicon as lex
from veille.publish.guard_models import GuardContext, Severity
from veille.publish.guard_text import (
    Folded,
    fold_term,
    sentence_bounds,
    urls,
)
from veille.sources import registry


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: Severity
    start: int
    end: int
    message: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
    """A draft as the detectors see it."""

    text: str
    folded: Folded
    context: GuardContext

    def term(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())

    def sentence_folded(self, start: int, end: int) -> str:
        """The folded text of the sentence around the original span [start, end)."""
        first, last = self.sentence_folded_bounds(start, end)
        return self.folded.text[first:last]

    def sentence_folded_bounds(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence around the original span [start, end) lies in the folded text."""
        left, right = sentence_bounds(self.text, start, end)
        origin = self.folded.origin
        return bisect_left(origin, left), bisect_left(origin, right)


def compile_terms(terms: Iterable[str]) -> re.Pattern[str]:
    """One pattern for a word list, each entry held by word boundaries. Longer entries are tried
    first so that "votez pour" wins over "votez" (a regex alternation takes the first that fits).
    """
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{t})" for t in ordered) + r")(?!\w)")


def _spans(pattern: re.Pattern[str], draft: Draft) -> Iterator[tuple[int, int]]:
    """Matches of `pattern` in the folded text, as spans of the original text."""
    for match in pattern.finditer(draft.folded.text):
        if match.end() > match.start():
            yield draft.folded.span(match.start(), match.end())


def _lexicon_findings(
    draft: Draft, pattern: re.Pattern[str], kind: str, severity: Severity, message: str
) -> list[Finding]:
    """One finding per run of matches: "garanti" + "à vie" side by side make one flag."""
    merged: list[tuple[int, int]] = []
    for start, end in _spans(pattern, draft):
        if merged and not draft.text[merged[-1][1] : start].strip(" ,'’-"):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [
        Finding(kind, severity, start, end, message, {"term": draft.term(start, end)})
        for start, end in merged
    ]


def _any(pattern: re.Pattern[str], folded_text: str) -> bool:
    return pattern.search(folded_text) is not None


PARTIES_OR_PEOPLE = compile_terms(lex.PARTIES + lex.POLITICIANS)
POLITICAL_TERMS = compile_terms(lex.POLITICAL_TERMS)
HOT_TOPICS = compile_terms(lex.HOT_TOPICS)
POLITICAL_STANCE = compile_terms(lex.POLITICAL_STANCE)


def politics(draft: Draft) -> list[Finding]:
    """Parties and politicians named (medium), a stance with them (high); news words low."""
    named = list(_spans(PARTIES_OR_PEOPLE, draft))
    terms = list(_spans(POLITICAL_TERMS, draft))
    hot = list(_spans(HOT_TOPICS, draft))
    stance = list(_spans(POLITICAL_STANCE, draft)) if named or terms or hot else []
    findings: list[Finding] = []
    for start, end in stance:
        findings.append(
            Finding("politics", "high", start, end, "politics_stance", _term(draft, start, end))
        )
    for start, end in named:
        findings.append(
            Finding("politics", "medium", start, end, "politics_named", _term(draft, start, end))
        )
    for start, end in hot:
        findings.append(
            Finding("politics", "medium", start, end, "politics_named", _term(draft, start, end))
        )
    if not findings:
        for start, end in terms:
            findings.append(
                Finding("politics", "low", start, end, "politics_term", _term(draft, start, end))
            )
    return findings


def _term(draft: Draft, start: int, end: int) -> dict[str, str]:
    return {"term": draft.term(start, end)}


GROUPS_SCORN = compile_terms(lex.GROUPS_SCORN)
GROUP_GENERALISATION = compile_terms(
    (
        lex.GROUP_GENERALISATION.format(nouns="|".join(lex.GROUP_NOUNS)),
        *(verdict.format(nouns="|".join(lex.GROUP_NOUNS)) for verdict in lex.GROUP_VERDICT),
    )
)


def groups(draft: Draft) -> list[Finding]:
    """A group named with scorn ("les écolos") or lumped together ("les jeunes qui...")."""
    return _lexicon_findings(draft, GROUPS_SCORN, "groups", "medium", "groups") + (
        _lexicon_findings(draft, GROUP_GENERALISATION, "groups", "medium", "groups_general")
    )


RELIGION = compile_terms(lex.RELIGION)
RELIGION_FACTUAL = compile_terms(lex.RELIGION_FACTUAL)


RELIGION_SERVICE = compile_terms(lex.RELIGION_SERVICE)


def religion(draft: Draft) -> list[Finding]:
    """Religion is medium; low when the sentence is about the shop's service (a feast's opening
    hours, a church restored) and nothing in the draft reads as scorn or a joke."""
    scorn = _any(SCORN, draft.folded.text) or any(e in draft.text for e in lex.HUMOUR_EMOJI)
    findings = []
    for found in _lexicon_findings(draft, RELIGION, "religion", "medium", "religion"):
        if not scorn and _any(RELIGION_SERVICE, draft.sentence_folded(found.start, found.end)):
            found = Finding(
                "religion", "low", found.start, found.end, "religion_factual", found.fields
            )
        findings.append(found)
    return findings + _lexicon_findings(
        draft, RELIGION_FACTUAL, "religion", "low", "religion_factual"
    )


INSULTS = compile_terms(lex.INSULTS)
AGGRESSION = compile_terms(lex.AGGRESSION)
# What turns a religious mention into a jab: a negative word, an insult, a joke, sarcasm.
SCORN = compile_terms(
    lex.NEGATIVE + lex.INSULTS + lex.GROUPS_SCORN + lex.HUMOUR + lex.SARCASM + lex.AGGRESSION
)


def insults(draft: Draft) -> list[Finding]:
    return _lexicon_findings(draft, INSULTS, "insult", "high", "insult") + _lexicon_findings(
        draft, AGGRESSION, "aggression", "medium", "aggression"
    )


SARCASM = compile_terms(lex.SARCASM)
MOCKERY_TARGETS = compile_terms(lex.MOCKERY_TARGETS)
HUMOUR = compile_terms(lex.HUMOUR)
# Praise at the start of a sentence that trails off: "Bravo la poste..." (not "Merci à tous...").
PRAISE_TRAILING = re.compile(
    r"(?:^|(?<=[.!?\n\"(]))\s*(?:(?:oh|ah|eh|alors|encore|vraiment|et) )?(?:"
    + "|".join(lex.PRAISE_BEFORE_ELLIPSIS)
    + r")(?!\w)(?!\s*(?:a tous|a toutes|a vous|a nos|pour votre|pour vos|de votre|de vos))"
    + r"[^.!?\n]{0,35}?\.{2,}"
)


# One lower-case word in quotes reads as a sneer: le « service » client, nos « experts ». A
# straight quote opens before a letter and closes after one: in « "cheese board" par "planche" »
# the quotes around « par » are the other words' quotes.
SCARE_QUOTES = re.compile(
    r"(?:«\s?|“|(?<![\w\"])\")[a-zà-ÿœ][\w'’-]*(?:\s?»|”|(?<=[\w'’-])\"(?![\w\"]))"
)
SELF_JOKE = compile_terms(lex.SELF_JOKE)
THIRD_PERSON = compile_terms(lex.THIRD_PERSON)
IRONIC_PRAISE = compile_terms(lex.IRONIC_PRAISE)
SETBACK = compile_terms(lex.SETBACK)


def sarcasm(draft: Draft) -> list[Finding]:
    findings = _lexicon_findings(draft, SARCASM, "sarcasm", "medium", "sarcasm")
    for match in PRAISE_TRAILING.finditer(draft.folded.text):
        start, end = draft.folded.span(match.start(), match.end())
        while start < end and draft.text[start].isspace():
            start += 1
        findings.append(
            Finding("sarcasm", "medium", start, end, "sarcasm", _term(draft, start, end))
        )
    # A blunder told in the first person makes a scare quote or a wry emoji self-mockery.
    self_joke = SELF_JOKE.search(draft.folded.text)
    severity: Severity = "low" if self_joke else "medium"
    message = "self_joke" if self_joke else "sarcasm"
    fields = {"said": draft.term(*draft.folded.span(*self_joke.span()))} if self_joke else {}
    for match in SCARE_QUOTES.finditer(draft.text):
        start, end = match.start(), match.end()
        findings.append(
            Finding(
                "sarcasm", severity, start, end, message, {**_term(draft, start, end), **fields}
            )
        )
    findings += [
        Finding(f.kind, f.severity, f.start, f.end, f.message, {**f.fields, **fields})
        for f in _emoji_findings(draft, lex.SARCASM_EMOJI, "sarcasm", severity, message)
    ]
    findings += ironic_praise(draft)
    humour = _lexicon_findings(draft, HUMOUR, "sarcasm", "low", "humour")
    humour += _emoji_findings(draft, lex.HUMOUR_EMOJI, "sarcasm", "low", "humour")
    if humour:
        # A joke with a person or a group as its butt: humour at someone's expense.
        humour += _lexicon_findings(draft, MOCKERY_TARGETS, "mockery", "medium", "mockery")
        if not self_joke:
            # Someone else in a joke not told against oneself: « l'ado », « la mariée ».
            humour += _lexicon_findings(draft, THIRD_PERSON, "mockery", "medium", "mockery")
    return findings + humour


def ironic_praise(draft: Draft) -> list[Finding]:
    """Praise next to a setback, with no apology in the draft: "Une constance admirable"
    after the wrong part delivered three times reads as irony."""
    setback = SETBACK.search(draft.folded.text)
    if setback is None or APOLOGY.search(draft.folded.text):
        return []
    said = draft.term(*draft.folded.span(setback.start(), setback.end()))
    return [
        Finding(f.kind, f.severity, f.start, f.end, "ironic_praise", {**f.fields, "setback": said})
        for f in _lexicon_findings(draft, IRONIC_PRAISE, "sarcasm", "medium", "ironic_praise")
    ]


def _emoji_findings(
    draft: Draft, emojis: Iterable[str], kind: str, severity: Severity, message: str
) -> list[Finding]:
    findings = []
    for emoji in emojis:
        at = draft.text.find(emoji)
        while at != -1:
            end = at + len(emoji)
            findings.append(Finding(kind, severity, at, end, message, {"term": emoji}))
            at = draft.text.find(emoji, end)
    return findings


NEGATIVE = compile_terms(lex.NEGATIVE + lex.NEGATIVE_WORK + lex.INSULTS + lex.ACCUSATION)
GENERIC_COMPETITORS = compile_terms(lex.GENERIC_COMPETITORS)
APOLOGY = compile_terms((r"desole(?:e|s|es)?", r"excus\w*", r"pardon", r"regrett\w*", r"sorry"))
HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.]{0,63})")
# A business or a person named without a title: two capitalised words ("Librairie Gibert",
# "Thierry Lemoine"), or "chez" and a capitalised name. Only read next to a negative word.
PROPER_NAME = re.compile(
    r"(?<!\w)[A-ZÀ-Ý][\w'’-]+(?: (?:de |du |des |& )?[A-ZÀ-Ý][\w'’-]+)+"
    r"|(?<!\w)chez [A-ZÀ-Ý][\w'’-]+"
)
# A business named after what it is: "l'agence Pixel", "la boulangerie Le Pain Doré".
BUSINESS_NAME = re.compile(
    r"(?<!\w)(?:entreprise|agence|cabinet|soci[ée]t[ée]|magasin|boutique|salon|garage|"
    r"restaurant|boulangerie|p[âa]tisserie|boucherie|brasserie|atelier|pharmacie|"
    r"parapharmacie|enseigne|auto-[ée]cole|traiteur|studio|centre|clinique|concession|"
    r"h[ôo]tel|camping|caf[ée]|bar|librairie|imprimerie|agence immobili[èe]re|franchise)"
    r"(?: (?:de |du |des |d'|l')?[A-ZÀ-Ý][\w'’&-]+)+"
)
TITLED_NAME = re.compile(
    lex.PERSON_TITLE + r"\s+(?:[A-Z][\w'-]*\s+)?[A-ZÀ-Ý][a-zà-ÿ'-]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ'-]+)?"
)


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    folded = sorted({fold_term(n).strip() for n in names if n.strip()}, key=len, reverse=True)
    if not folded:
        return None
    return compile_terms(r"[\s-]+".join(re.escape(w) for w in name.split()) for name in folded)


def _competitor_names(draft: Draft) -> list[str]:
    profile = draft.context.profile
    if profile is None:
        return []
    names: list[str] = []
    for competitor in profile.competitors:
        names += [competitor.name, *competitor.aliases]
        names += [f"@{handle}" for handle in competitor.handles] + competitor.handles
    return names


def _own_handles(draft: Draft) -> set[str]:
    profile = draft.context.profile
    if profile is None:
        return set()
    return {h.lower() for h in (*profile.handles, *profile.owner_handles)}


def _own_name(draft: Draft, start: int, end: int) -> bool:
    """The business's own name ("Martin Peinture") is not someone it runs down."""
    profile = draft.context.profile
    if profile is None or not profile.name.strip():
        return False
    name = fold_term(profile.name).strip()
    found = draft.folded.text.find(name)
    while found != -1:
        left, right = draft.folded.span(found, found + len(name))
        if left < end and start < right:
            return True
        found = draft.folded.text.find(name, found + 1)
    return False


def negative_mentions(draft: Draft) -> list[Finding]:
    """A negative word in the same sentence as a competitor, a handle or a titled name."""
    targets: list[tuple[int, int, str]] = []  # start, end, message key
    competitors = _names_pattern(_competitor_names(draft))
    if competitors is not None:
        targets += [(s, e, "negative_competitor") for s, e in _spans(competitors, draft)]
    targets += [(s, e, "negative_generic") for s, e in _spans(GENERIC_COMPETITORS, draft)]
    own = _own_handles(draft)
    for match in HANDLE.finditer(draft.text):
        if match.group(1).lower() not in own:
            targets.append((match.start(), match.end(), "negative_person"))
    targets += [(m.start(), m.end(), "negative_person") for m in TITLED_NAME.finditer(draft.text)]
    targets += [
        (m.start(), m.end(), "negative_business")
        for m in BUSINESS_NAME.finditer(draft.text)
        if not any(s < m.end() and m.start() < e for s, e, _ in targets)
    ]
    targets += [
        (m.start(), m.end(), "negative_person")
        for m in PROPER_NAME.finditer(draft.text)
        if not any(s < m.end() and m.start() < e for s, e, _ in targets)
    ]
    findings: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    for start, end, message in targets:
        if (start, end) in seen or _own_name(draft, start, end):
            continue
        seen.add((start, end))
        first, last = draft.sentence_folded_bounds(start, end)
        questioned = last < len(draft.folded.text) and draft.folded.text[last] == "?"
        if questioned and message != "negative_competitor":
            # "Le burger de Chez Sam ? Pain industriel..." : the verdict follows the question.
            after = draft.folded.origin[last] + 1
            last = draft.sentence_folded_bounds(after, after)[1]
        sentence = draft.folded.text[first:last]
        hit = NEGATIVE.search(sentence)
        if hit is None:
            continue
        if message in ("negative_person", "negative_business") and APOLOGY.search(sentence):
            continue  # "@client désolés pour cette mauvaise expérience" is an apology
        severity: Severity = "medium" if message == "negative_generic" else "high"
        left, right = sentence_bounds(draft.text, start, end)
        span_start = max(left, min(start, right))
        while span_start < right and draft.text[span_start].isspace():
            span_start += 1
        hit_span = draft.folded.span(first + hit.start(), first + hit.end())
        fields = {"name": draft.term(start, end), "term": draft.term(*hit_span)}
        # The span runs from the name to the verdict, when the verdict follows a question.
        right = max(right, hit_span[1])
        while right > span_start and draft.text[right - 1].isspace():
            right -= 1
        findings.append(Finding("negative_mention", severity, span_start, right, message, fields))
    return findings


ACCUSATION = compile_terms(lex.ACCUSATION)
HEALTH_CLAIM = compile_terms(lex.HEALTH_CLAIM)
GUARANTEE = compile_terms(lex.GUARANTEE)


def legal(draft: Draft) -> list[Finding]:
    return (
        _lexicon_findings(draft, ACCUSATION, "accusation", "high", "accusation")
        + _lexicon_findings(draft, HEALTH_CLAIM, "health_claim", "high", "health_claim")
        + _lexicon_findings(draft, GUARANTEE, "guarantee", "medium", "guarantee")
    )


PROMOTION = compile_terms(lex.PROMOTION)


def crisis(draft: Draft) -> list[Finding]:
    if not draft.context.open_crisis:
        return []
    return _lexicon_findings(draft, PROMOTION, "crisis_promo", "high", "crisis_promo")


# --- personal and confidential data -------------------------------------------------------
PHONE = re.compile(r"(?<![\d+])(?:\+33\s?\(?0?\)?\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?!\w)")
IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?(?!\w)"
)
CARD = re.compile(r"(?<!\d)(?:\d{4}[ -]?){3}\d{1,7}(?!\d)")
SOCIAL_SECURITY = re.compile(
    r"(?<!\d)[12][ ]?\d{2}[ ]?(?:0[1-9]|1[0-2])[ ]?(?:\d{2}|2[AB])[ ]?\d{3}[ ]?\d{3}"
    r"(?:[ ]?\d{2})?(?!\d)"
)
ADDRESS = re.compile(
    r"(?i)(?<!\w)\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|impasse|"
    r"all[ée]e|chemin|route|quai|square|cours|r[ée]sidence|lotissement)\s+[^\n,.!?;:()]{2,40}"
)
OWN_CONTACT = compile_terms(lex.OWN_CONTACT_CONTEXT)
CLIENT_FAMILY = re.compile(r"(?:chez les|famille|la famille)\s+[A-ZÀ-Ý][a-zà-ÿ'-]+")


MOBILE = re.compile(r"^(?:\+33\s?\(?0?\)?\s?|0033\s?|0)[67]")
PLATE = re.compile(r"(?<![\w-])[A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2}(?![\w-])")
# firstname.lastname at a consumer mailbox: a person, not the business's contact address.
PERSONAL_MAILBOX = re.compile(
    r"^[a-z]+[._-][a-z]+\d*@(?:gmail|hotmail|yahoo|outlook|live|orange|free|wanadoo|sfr|"
    r"laposte|icloud|protonmail|gmx)\."
)
# A role's mailbox (contact@, recrutement@...) is the business's, whatever its domain.
ROLE_MAILBOX = re.compile(
    r"^(?:contact|info|infos|bonjour|hello|accueil|recrutement|rh|jobs?|emplois?|candidatures?|"
    r"commandes?|reservations?|devis|sav|support|compta|comptabilite|facturation|boutique|"
    r"atelier|cabinet|secretariat|magasin|shop|equipe|team|newsletter|presse|service-?client)@"
)
PERSONAL_CONTEXT = compile_terms(
    (
        r"perso",
        r"personnel",
        r"son portable",
        r"sa ligne",
        r"rappele[zr]-(?:la|le)",
        r"appele[zr]-(?:la|le)",
        r"(?:m\.|mme|madame|monsieur|mlle)",
        r"proprietaire",
    )
)


def _personal_context(draft: Draft, start: int, end: int) -> bool:
    return _any(PERSONAL_CONTEXT, draft.sentence_folded(start, end))


CARD_CONTEXT = compile_terms((r"cartes?", r"cb", r"card", r"visa", r"mastercard", r"amex"))


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _own_domain(draft: Draft) -> str:
    profile = draft.context.profile
    if profile is None or not profile.website:
        return ""
    host = urlsplit(profile.website if "//" in profile.website else f"//{profile.website}")
    return (host.hostname or "").removeprefix("www.")


def _own_context(draft: Draft, start: int, end: int) -> bool:
    return _any(OWN_CONTACT, draft.sentence_folded(start, end)) or _any(
        OWN_CONTACT, fold_term(draft.text[max(0, start - 60) : start])
    )


def personal_data(draft: Draft) -> list[Finding]:
    text = draft.text
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, severity: Severity, message: str) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        findings.append(
            Finding("personal_data", severity, start, end, message, _term(draft, start, end))
        )

    for match in IBAN.finditer(text):
        if sum(c.isdigit() for c in match.group(0)) >= 10:
            add(match.start(), match.end(), "high", "iban")
    for match in CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        card_words = _any(CARD_CONTEXT, draft.sentence_folded(match.start(), match.end()))
        if 13 <= len(digits) <= 19 and (_luhn(digits) or card_words):
            add(match.start(), match.end(), "high", "card")
    for match in SOCIAL_SECURITY.finditer(text):
        add(match.start(), match.end(), "high", "social_security")
    for match in PHONE.finditer(text):
        start, end = match.start(), match.end()
        # Landlines are a business's public line; mobiles are most often someone's own.
        mobile = MOBILE.match(match.group(0)) is not None
        personal = _personal_context(draft, start, end)
        own = not personal and (not mobile or _own_context(draft, start, end))
        add(start, end, "low" if own else "medium", "phone_own" if own else "phone")
    for match in PLATE.finditer(text):
        add(match.start(), match.end(), "medium", "plate")
    domain = _own_domain(draft)
    for match in EMAIL.finditer(text):
        address = match.group(0).lower()
        own = (
            (bool(domain) and address.endswith("@" + domain))
            or ROLE_MAILBOX.match(address) is not None
            or (
                not PERSONAL_MAILBOX.match(address)
                and _own_context(draft, match.start(), match.end())
            )
        )
        add(match.start(), match.end(), "low" if own else "medium", "email_own" if own else "email")
    for match in ADDRESS.finditer(text):
        end = match.start() + len(match.group(0).rstrip())
        own = _own_context(draft, match.start(), end)
        add(match.start(), end, "low" if own else "medium", "address_own" if own else "address")
    return findings


def client_names(draft: Draft) -> list[Finding]:
    findings: list[Finding] = []
    listed = _names_pattern(draft.context.client_names)
    if listed is not None:
        findings += [
            Finding("client_name", "high", s, e, "client_listed", _term(draft, s, e))
            for s, e in _spans(listed, draft)
        ]
    taken = [(f.start, f.end) for f in findings]
    for pattern in (TITLED_NAME, CLIENT_FAMILY):
        for match in pattern.finditer(draft.text):
            start, end = match.start(), match.end()
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                findings.append(
                    Finding(
                        "client_name",
                        "medium",
                        start,
                        end,
                        "person_named",
                        _term(draft, start, end),
                    )
                )
    return findings


PRICE = re.compile(
    r"(?i)(?<![\w.,])(?:\d{1,3}(?:[  .]\d{3})+|\d+)(?:[.,]\d{1,2})?\s?(?:€|euros?(?!\w)|eur(?!\w)|"
    r"k€|ke(?!\w)|balles(?!\w))(?:\s?(?:HT|TTC)(?!\w))?|€\s?\d+(?:[.,]\d{1,2})?"
)
QUOTE_CONTEXT = compile_terms(lex.QUOTE_CONTEXT)
CONFIDENTIAL = compile_terms(lex.CONFIDENTIAL + lex.PRIVATE_MATTERS)


def money(draft: Draft) -> list[Finding]:
    """Public prices are noted (low); prices tied to a quote or a client are medium."""
    findings = _lexicon_findings(draft, CONFIDENTIAL, "confidential", "high", "confidential")
    listed = _names_pattern(draft.context.client_names)
    has_client = listed is not None and _any(listed, draft.folded.text)
    for match in PRICE.finditer(draft.text):
        start, end = match.start(), match.end()
        quote = has_client or _any(QUOTE_CONTEXT, draft.sentence_folded(start, end))
        findings.append(
            Finding(
                "price",
                "medium" if quote else "low",
                start,
                end,
                "price_quote" if quote else "price_public",
                _term(draft, start, end),
            )
        )
    return findings


# --- form: tone, length, links, hashtags, time ---------------------------------------------
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
HASHTAG = re.compile(r"(?<![\w#&])#\w+")
MENTION_OR_TAG = re.compile(r"(?<![\w@#])[@#][\w.]+")
EXCLAMATIONS = re.compile(r"[!?]*!{3,}[!?]*|(?:[!?]{2,}){2,}|!!\s*!?|\?{3,}")


def tone(draft: Draft) -> list[Finding]:
    text = MENTION_OR_TAG.sub(lambda m: " " * len(m.group(0)), draft.text)
    for start, end, _url in urls(draft.text):
        text = text[:start] + " " * (end - start) + text[end:]
    findings: list[Finding] = []
    letters = [c for c in text if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    shouty = [
        m
        for m in WORD.finditer(text)
        if m.group(0).isupper()
        and len(m.group(0)) >= 4
        and m.group(0).replace("’", "'").split("'")[-1] not in lex.ACRONYMS
        and m.group(0) not in lex.ACRONYMS
    ]
    # Capitals and "!!!" are a note, not a risk: a shouted announcement is a style some shops
    # keep on purpose, and what is aggressive in it is flagged by its words.
    if len(letters) >= 15 and upper / len(letters) >= 0.7:
        findings.append(Finding("tone", "low", 0, len(draft.text), "tone_caps"))
    elif shouty:
        start, end = shouty[0].start(), shouty[-1].end()
        findings.append(
            Finding("tone", "low", start, end, "tone_caps_words", {"term": draft.term(start, end)})
        )
    for match in EXCLAMATIONS.finditer(draft.text):
        burst = match.group(0).strip()
        start = match.start()
        findings.append(
            Finding("tone", "low", start, start + len(burst), "tone_exclamation", {"term": burst})
        )
    return findings


def length(draft: Draft) -> list[Finding]:
    findings: list[Finding] = []
    for network in draft.context.target_networks:
        publishing = registry.publishing(network)
        if publishing is None:
            continue
        count, limit = publishing.text_length(draft.text), publishing.max_length
        if count > limit:
            name = registry.display_name(network)
            fields = {"network": name, "count": str(count), "limit": str(limit)}
            findings.append(Finding("length", "high", 0, len(draft.text), "length", fields))
    return findings


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _malformed(url: str) -> bool:
    candidate = url if "://" in url else "http://" + url
    if not re.match(r"(?i)^https?://[^/]", candidate):
        return True  # htp://, https//, http:/x, ftp-like typos
    try:
        host = (urlsplit(candidate).hostname or "").encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return True
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return True
    return not re.match(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$", labels[-1])


def links(draft: Draft) -> list[Finding]:
    findings: list[Finding] = []
    found = urls(draft.text)
    for start, end, url in found:
        if _malformed(url):
            findings.append(Finding("link", "medium", start, end, "link_malformed", {"term": url}))
    # A half-typed scheme ("https//site.fr", "htp:/site") is not autolinked but still broken.
    for match in re.finditer(r"(?i)(?<!\w)h?t?tps?:?/{1,2}(?=\w)|(?<!\w)www,", draft.text):
        if not any(s <= match.start() < e for s, e, _u in found):
            token_end = match.end() + len(re.split(r"\s", draft.text[match.end() :], maxsplit=1)[0])
            findings.append(
                Finding(
                    "link",
                    "medium",
                    match.start(),
                    token_end,
                    "link_malformed",
                    {"term": draft.text[match.start() : token_end]},
                )
            )
    working = [(start, end) for start, end, url in found if not _malformed(url)]
    paying = [n for n in draft.context.target_networks if _charges_links(n)]
    if working and paying:
        start, end = working[0]
        fields = {"network": registry.display_name(paying[0])}
        findings.append(Finding("link_cost", "low", start, end, "link_cost", fields))
    return findings


def _charges_links(network: str) -> bool:
    publishing = registry.publishing(network)
    return publishing is not None and publishing.links_cost_more


# Four or five tags are a note (the networks advise one or two); past five they read as spam.
MANY_HASHTAGS = 5


def hashtags(draft: Draft) -> list[Finding]:
    tags = list(HASHTAG.finditer(draft.text))
    if len(tags) <= 3:
        return []
    return [
        Finding(
            "hashtags",
            "medium" if len(tags) > MANY_HASHTAGS else "low",
            tags[0].start(),
            tags[-1].end(),
            "hashtags",
            {"count": str(len(tags))},
        )
    ]


LATE_START_HOUR = 22
LATE_END_HOUR = 6


def late_night(draft: Draft) -> list[Finding]:
    when = draft.context.scheduled_at
    if when is None:
        return []
    zone = draft.context.zone
    local: datetime = when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)
    if LATE_END_HOUR <= local.hour < LATE_START_HOUR:
        return []
    fields = {"time": local.strftime("%H:%M"), "zone": draft.context.time_zone}
    return [Finding("late_night", "medium", 0, 0, "late_night", fields)]


# Bidirectional overrides can make a post read differently from what was checked.
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F}


def control_chars(draft: Draft) -> list[Finding]:
    findings: list[Finding] = []
    for index, char in enumerate(draft.text):
        code = ord(char)
        category = unicodedata.category(char)
        if char in "\n\r\t":
            continue
        if category in ("Cc", "Cs") or code in _BIDI:
            findings.append(
                Finding(
                    "control_chars",
                    "medium",
                    index,
                    index + 1,
                    "control_chars",
                    {"term": f"U+{code:04X}"},
                )
            )
    return findings


DETECTORS: tuple[Callable[[Draft], list[Finding]], ...] = (
    politics,
    groups,
    religion,
    insults,
    sarcasm,
    negative_mentions,
    legal,
    crisis,
    personal_data,
    client_names,
    money,
    tone,
    length,
    links,
    hashtags,
    late_night,
    control_chars,
)
