"""Cues the learned risk model reads beside the e5 vectors: what the rules already saw (each
rule kind, at low and at medium or above) and a few signs no single flag stands for (a named
business or person, a fault word, praise, a setback, an amount, a reply to someone...).

The vectors alone read « Le burger de Smash Brothers ? Pain industriel » like a product
description; with "a name" and "a fault word" beside them a linear head can weigh the two.
Cheap: a handful of regular expressions on the folded draft, and the rule findings the guard
has already computed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from veille.publish import guard_lexicon as lex
from veille.publish.guard_models import GuardContext
from veille.publish.guard_rules import (
    APOLOGY,
    BUSINESS_NAME,
    DETECTORS,
    HANDLE,
    HUMOUR,
    IRONIC_PRAISE,
    NEGATIVE,
    PRICE,
    PROPER_NAME,
    SELF_JOKE,
    SETBACK,
    THIRD_PERSON,
    TITLED_NAME,
    Draft,
    compile_terms,
)
from veille.publish.guard_text import fold

# Rule kinds whose presence (low, or medium and above) is a cue.
RULE_KINDS = (
    "politics",
    "groups",
    "religion",
    "insult",
    "aggression",
    "sarcasm",
    "mockery",
    "negative_mention",
    "accusation",
    "health_claim",
    "guarantee",
    "confidential",
    "personal_data",
    "client_name",
    "price",
    "crisis_promo",
    "tone",
)
CONGRATULATION = compile_terms(
    (r"felicitations", r"bravo aux?", r"merci aux?", r"chapeau a", r"longue vie")
)
SECOND_PERSON = compile_terms((r"tu", r"t'", r"toi", r"ton", r"ta", r"tes", r"vous etes"))
FIRST_PERSON = compile_terms(
    (r"nous", r"on", r"notre", r"nos", r"je", r"j'", r"moi", r"mon", r"ma")
)
HUMOUR_EMOJI = re.compile("|".join(map(re.escape, lex.HUMOUR_EMOJI + lex.SARCASM_EMOJI)))
# Each sign: a name and whether the draft shows it (original text, then folded text).
SIGNS: tuple[str, ...] = (
    "proper_name",
    "business_name",
    "titled_name",
    "negative_word",
    "praise",
    "setback",
    "praise_and_setback",
    "amount",
    "amount_and_name",
    "name_and_negative",
    "humour",
    "apology",
    "handle",
    "congratulation",
    "second_person",
    "first_person",
    "question",
    "self_joke",
    "joke_about_someone",
)
CUE_NAMES: tuple[str, ...] = (
    *(f"rule_{kind}_{level}" for kind in RULE_KINDS for level in ("low", "serious")),
    *SIGNS,
)


def cues(draft: Draft, rule_flags: Iterable[tuple[str, str]]) -> np.ndarray:
    """The cue vector of `draft`, given the (kind, severity) of its rule findings."""
    seen = set(rule_flags)
    out = [
        float(any(k == kind and (s == "low") == (level == "low") for k, s in seen))
        for kind in RULE_KINDS
        for level in ("low", "serious")
    ]
    text, folded = draft.text, draft.folded.text
    named = bool(PROPER_NAME.search(text) or BUSINESS_NAME.search(text))
    negative = NEGATIVE.search(folded) is not None
    praise = IRONIC_PRAISE.search(folded) is not None
    setback = SETBACK.search(folded) is not None
    amount = PRICE.search(text) is not None
    humour = bool(HUMOUR.search(folded) or HUMOUR_EMOJI.search(text))
    self_joke = SELF_JOKE.search(folded) is not None
    signs = {
        "proper_name": named,
        "business_name": BUSINESS_NAME.search(text) is not None,
        "titled_name": TITLED_NAME.search(text) is not None,
        "negative_word": negative,
        "praise": praise,
        "setback": setback,
        "praise_and_setback": praise and setback,
        "amount": amount,
        "amount_and_name": amount and named,
        "name_and_negative": named and negative,
        "humour": humour,
        "apology": APOLOGY.search(folded) is not None,
        "handle": HANDLE.search(text) is not None,
        "congratulation": CONGRATULATION.search(folded) is not None,
        "second_person": SECOND_PERSON.search(folded) is not None,
        "first_person": FIRST_PERSON.search(folded) is not None,
        "question": "?" in text,
        # A blunder told in the first person, or a joke with someone else in it.
        "self_joke": self_joke,
        "joke_about_someone": humour and not self_joke and THIRD_PERSON.search(folded) is not None,
    }
    out += [float(signs[name]) for name in SIGNS]
    return np.array(out, dtype=np.float32)


def text_cues(text: str) -> np.ndarray:
    """The cues of a draft read without any context (the rules run here)."""
    draft = Draft(text, fold(text), GuardContext(learned=False))
    found = [f for detect in DETECTORS for f in detect(draft)] if text.strip() else []
    return cues(draft, [(f.kind, f.severity) for f in found])
