"""The guard's explanations, one English msgid per kind of finding, said in the reader's
language from the catalogs. Each says what was seen and why it matters; `{term}` is the text
concerned, the other fields are named in the message ({what}, in "learned", is itself a msgid:
the risk the model read)."""

from __future__ import annotations

from veille.publish.guard_models import Lang
from veille.translations import N_, translator

MESSAGES: dict[str, str] = {
    "politics_named": N_(
        '"{term}" brings the post into politics: some customers may read it as the business '
        "taking sides."
    ),
    "politics_stance": N_(
        'Political stance ("{term}"): this kind of post splits your customers and can be '
        "quoted back at you. Publish it only as a deliberate choice."
    ),
    "politics_term": N_('"{term}" touches on political news: check the post stays neutral.'),
    "groups": N_(
        '"{term}" targets a group of people with scorn: some of your customers belong to it '
        "or will feel targeted."
    ),
    "groups_general": N_(
        '"{term}" lumps a whole group together: such generalisations read as contempt, even '
        "said in passing."
    ),
    "mockery": N_(
        '"{term}": the joke is at someone\'s expense. Whoever is targeted (or recognises '
        "themselves) will not laugh, and the screenshot will travel."
    ),
    "religion": N_(
        '"{term}" is about religion, a sensitive subject: a business post about it can be '
        "badly received or misread."
    ),
    "religion_factual": N_('"{term}": a factual religious mention, usually fine; check the tone.'),
    "sarcasm": N_(
        '"{term}" reads as irony or sarcasm: in writing, without a tone of voice, irony is '
        "often taken literally or as contempt."
    ),
    "ironic_praise": N_(
        'Praise ("{term}") next to a setback ("{setback}") reads as irony: in writing it is '
        "often taken literally or as contempt for whoever caused the setback."
    ),
    "humour": N_('"{term}" signals a joke: reread the post as a stranger would.'),
    "self_joke": N_(
        '"{term}" reads as a joke at your own expense ("{said}"), not as sarcasm: check no one '
        "else is the butt."
    ),
    "insult": N_(
        '"{term}" is an insult or a swear word: from a business account it will be '
        "screenshotted and shared. Remove it."
    ),
    "aggression": N_(
        '"{term}" is aggressive: a curt public reply usually makes the other side look right.'
        " Answer calmly, or in a private message."
    ),
    "negative_competitor": N_(
        'You speak ill of "{name}" ("{term}"): disparaging a named competitor can be unlawful'
        " denigration and often backfires."
    ),
    "negative_person": N_(
        'Negative statement about a named person ("{name}", "{term}"): risk of defamation and'
        " of a public row."
    ),
    "negative_business": N_(
        'Negative statement about a named business ("{name}", "{term}"): running down a '
        "business by name can be unlawful denigration and bring a complaint."
    ),
    "negative_generic": N_(
        'Criticism of competitors ("{name}", "{term}"): even without a name it can be seen as'
        " denigration."
    ),
    "phone": N_(
        'Phone number "{term}": unless it is the business\'s own, it is personal data that '
        "should not be published."
    ),
    "phone_own": N_("Phone number given as a contact: check it is the right one."),
    "plate": N_('Number plate "{term}": it identifies the owner.'),
    "email": N_('E-mail address "{term}": unless it is the business\'s own, it is personal data.'),
    "email_own": N_("E-mail address given as a contact: check it is correct."),
    "iban": N_("Bank details (IBAN): never publish them in a public post."),
    "card": N_("What looks like a payment card number: never publish it."),
    "social_security": N_(
        "What looks like a French social security number: protected personal data."
    ),
    "address": N_(
        'Address "{term}": if it is a customer\'s or a job site, you reveal where someone lives.'
    ),
    "address_own": N_("Address given as your own: check it is correct."),
    "client_listed": N_(
        '"{term}" is one of your clients: naming them in public needs their consent.'
    ),
    "person_named": N_('You name a person ("{term}"): have they agreed to appear in public?'),
    "price_public": N_(
        'Price "{term}": fine for a public price list; check it is current and says whether '
        "tax is included."
    ),
    "price_quote": N_(
        'Amount "{term}" tied to a quote, a discount or a client: such figures are '
        "confidential and other customers will ask for the same price."
    ),
    "confidential": N_(
        '"{term}": internal or confidential information (pay, margins, passwords, an '
        "employee's health...). It does not belong in a public post."
    ),
    "accusation": N_(
        '"{term}" accuses someone of wrongdoing or a crime: without a court ruling this is a '
        "defamation risk."
    ),
    "health_claim": N_(
        '"{term}" is a health claim: such claims are tightly regulated (only a medicine may '
        "claim to cure) and can bring a fine."
    ),
    "guarantee": N_(
        '"{term}" is an absolute promise or guarantee: it binds you and can be judged '
        "misleading if not kept to the letter."
    ),
    "crisis_promo": N_(
        'A crisis alert is open and this post is promotional ("{term}"): an offer during a '
        "crisis looks tone-deaf. Wait, or rework it."
    ),
    "tone_caps": N_("Post written in capitals: online this reads as shouting."),
    "tone_caps_words": N_('Words in capitals ("{term}"): they read as shouting.'),
    "tone_exclamation": N_(
        '"{term}": a burst of exclamation or question marks looks angry or unprofessional.'
    ),
    "length": N_(
        "Too long for {network}: {count} characters counted for a limit of {limit}. The "
        "network will refuse it: shorten it or write a variant."
    ),
    "link_malformed": N_('The link "{term}" looks malformed: it will lead nowhere.'),
    "link_cost": N_(
        "Link on {network}: under {network}'s pay-per-use API pricing, a post containing a "
        "link costs many times as much as one without. Keep it only if it is worth it."
    ),
    "hashtags": N_(
        "{count} hashtags: beyond 3 a post looks like an ad or spam and gets read less."
    ),
    "late_night": N_(
        "Scheduled for {time} local time ({zone}): a business post in the middle of the night"
        " surprises, and any reaction will wait till morning."
    ),
    "control_chars": N_(
        "Invisible or control character ({term}): it can hide or reverse text, or get the "
        "post refused. Remove it."
    ),
    "empty": N_("The draft is empty: there is nothing to publish."),
    # The learned risk model (guard_learned.py): {what} names the risk, {score} its probability.
    "learned": N_(
        '"{term}" reads as {what} (model learned from labelled drafts, probability {score}): '
        "no word of our lists, but posts like this one have backfired. Reread this passage as"
        " a customer who does not know you would."
    ),
    # The language model's second opinion (guard_second_opinion.py), in its own words.
    "second_opinion": N_(
        "Second opinion of the language model: {what}. {reason} A language model can be "
        "wrong: reread the passage and decide."
    ),
}


def explain(key: str, lang: Lang, **fields: str) -> str:
    """The explanation `key` in `lang`, with its fields filled in."""
    words = translator(lang)
    if "what" in fields:
        fields = {**fields, "what": words.gettext(fields["what"])}
    return words.gettext(MESSAGES[key]).format(**fields)
