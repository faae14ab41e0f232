"""A second opinion on a draft from the optional language model (the OpenAI-compatible
endpoint of the reply assistant, ``veille.inbox.assistant``), asked on request from the
draft's page: never the default, never on a keystroke, never instead of the guard.

The model is told the ten risks the learned model reads and answers JSON:
``{"risks": [{"category": ..., "quote": ..., "reason": ...}]}``. Each risk it names becomes a
medium flag of the guard's kind for that risk, on the quoted words when they are in the draft,
with the model's reason; a category it invents is left out. An endpoint that fails or answers
something else gives no flag and says why, in the reader's language.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from veille.inbox.assistant import TIMEOUT, Assistant, AssistantError, complete
from veille.publish.guard_learned import CATEGORIES, RISKS
from veille.publish.guard_messages import explain
from veille.publish.guard_models import Flag, Lang, Severity
from veille.translations import N_, Refusal

MAX_REASON = 300
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")

SYSTEM = (
    "Tu relis, avant publication sur un réseau social, le message d'une petite entreprise "
    "(artisan, commerce, cabinet). Dis s'il contient l'un de ces risques, qu'un client ou un "
    "journaliste pourrait reprocher à l'entreprise :\n"
    "- politics : prise de position dans une élection (nationale ou municipale) ou sur un "
    "sujet politique qui divise ;\n"
    "- groups : mépris ou généralisation sur un groupe (écologistes, fonctionnaires, jeunes, "
    "touristes, une nationalité...) ;\n"
    "- religion : pique contre une religion, ses fidèles ou ses pratiques ;\n"
    "- insult : insulte, grossièreté, agressivité envers quelqu'un ;\n"
    "- irony : ironie ou sarcasme qu'un lecteur peut prendre au premier degré ou pour du "
    "mépris ;\n"
    "- mockery : blague aux dépens de quelqu'un d'autre (un client, une personne décrite) ;\n"
    "- denigration : dénigrement d'une personne ou d'une entreprise identifiable, même par "
    "un fait présenté froidement ;\n"
    "- confidential : données d'un client, chiffre confidentiel, montant d'un contrat avec "
    "un client nommé, vie privée d'un salarié ;\n"
    "- legal : allégation qui expose juridiquement (santé, « garanti à vie », pratique "
    "illégale, accusation de fraude, marque d'autrui) ;\n"
    "- crisis_promo : promotion ou ton commercial pendant une crise en cours.\n"
    "Ne signale pas ce qui ressemble à un risque sans en être un : une taxe expliquée sans "
    "prendre parti, un produit écologique, une fête religieuse citée pour les horaires, une "
    "blague sur soi-même, un concurrent félicité, un marché public annoncé sans montant, des "
    "excuses.\n"
    'Réponds uniquement par du JSON : {"risks": [{"category": "<une des catégories>", '
    '"quote": "<les mots exacts du message concernés>", "reason": "<une phrase, en %(lang)s>"}]}'
    ", avec une liste vide si le message peut partir tel quel."
)
LANGUAGE_NAMES = {"fr": "français", "en": "anglais"}


class SecondOpinionError(Refusal):
    """An answer that is not the JSON asked for."""


@dataclass(frozen=True)
class SecondOpinion:
    """What the model flagged (the guard's Flags), or why there is no opinion."""

    flags: list[Flag] = field(default_factory=list)
    error: str = ""  # in the reader's language; empty when the model answered

    @property
    def risk(self) -> Severity:
        return "medium" if self.flags else "low"


def ask(
    endpoint: Assistant,
    text: str,
    *,
    lang: Lang = "fr",
    open_crisis: bool = False,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
) -> SecondOpinion:
    """The model's reading of `text`. It never raises for the endpoint: a failure is said in
    the answer's `error` (no key, no address beyond the endpoint's own)."""
    situation = (
        "Une crise est en cours pour l'entreprise." if open_crisis else "Aucune crise en cours."
    )
    user = f"{situation}\nMessage à relire :\n<<<\n{text}\n>>>"
    try:
        content = complete(
            endpoint,
            system=SYSTEM % {"lang": LANGUAGE_NAMES[lang]},
            user=user,
            allow_private=allow_private,
            timeout=timeout,
        )
        return SecondOpinion(read_answer(content, text, lang, open_crisis=open_crisis))
    except (AssistantError, SecondOpinionError) as error:
        return SecondOpinion(error=error.in_language(lang))


def read_answer(content: str, text: str, lang: Lang, *, open_crisis: bool = False) -> list[Flag]:
    """The flags of a model's answer about `text`; SecondOpinionError when it is not the JSON
    asked for. Categories outside the ten are left out, and promotion outside a crisis."""
    body = _FENCE.sub("", content.strip())
    start, end = body.find("{"), body.rfind("}")
    try:
        answer: Any = json.loads(body[start : end + 1]) if 0 <= start < end else None
    except ValueError:
        answer = None
    risks = answer.get("risks") if isinstance(answer, dict) else None
    if not isinstance(risks, list):
        raise SecondOpinionError(
            N_("the language model did not answer in the JSON format asked for (a list of risks)")
        )
    flags: list[Flag] = []
    for risk in risks:
        if not isinstance(risk, dict):
            continue
        category = str(risk.get("category", "")).strip().lower()
        if category not in CATEGORIES or (category == "crisis_promo" and not open_crisis):
            continue
        quote = _clean(str(risk.get("quote") or ""))
        reason = _clean(str(risk.get("reason") or ""))[:MAX_REASON]
        found_at, found_end = _span(text, quote)
        kind, what = RISKS[category]
        explanation = explain("second_opinion", lang, what=what, reason=reason or "—")
        flags.append(Flag(kind, "medium", found_at, found_end, explanation))
    return sorted(flags, key=lambda f: (f.start, f.end, f.kind))


def _clean(value: str) -> str:
    """One line of printable text: control and format characters (bidi overrides) removed."""
    kept = "".join(c for c in value if unicodedata.category(c)[0] != "C" or c in " \n")
    return " ".join(kept.split())


def _span(text: str, quote: str) -> tuple[int, int]:
    """Where the quoted words are in the draft (case aside); (0, 0) when they are not."""
    if not quote:
        return 0, 0
    at = text.find(quote)
    if at < 0:
        at = text.lower().find(quote.lower())
        if at < 0 or text[at : at + len(quote)].lower() != quote.lower():
            return 0, 0
    return at, at + len(quote)
