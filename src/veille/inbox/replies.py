"""Saved replies with variables, and a suggested reply per item that needs no external service.

The suggestion is a template chosen by the item's intent and filled from the business profile.
When the optional OpenAI-compatible endpoint is set (``veille.inbox.assistant``) it drafts the
answer instead, and any failure falls back to the template.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.crypto import SecretBox
from veille.inbox import assistant
from veille.store import repository, tables
from veille.store.tables_inbox import SavedReply
from veille.translations import N_, Refusal

VARIABLES = ("prenom", "entreprise", "lien_devis")
SETTING_KEY = "inbox"  # {"quote_url": "https://..."} among the inbox settings
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MAX_BODY = 2000
log = logging.getLogger("veille.inbox")

# Built-in suggestions per intent, French and English; saved replies for an intent win.
SUGGESTIONS: dict[str, dict[str, str]] = {
    "complaint": {
        "fr": "Bonjour {prenom}, nous sommes désolés de ce désagrément. Pouvez-vous nous écrire "
        "en message privé pour que nous trouvions une solution rapidement ? — {entreprise}",
        "en": "Hello {prenom}, we are sorry about this. Could you send us a private message so "
        "we can sort it out quickly? — {entreprise}",
    },
    "lead": {
        "fr": "Bonjour {prenom}, merci de penser à nous ! Vous pouvez demander un devis gratuit "
        "ici : {lien_devis} — {entreprise}",
        "en": "Hello {prenom}, thanks for thinking of us! You can ask for a free quote here: "
        "{lien_devis} — {entreprise}",
    },
    "question": {
        "fr": "Bonjour {prenom}, merci pour votre question. Nous vous répondons en détail en "
        "message privé. — {entreprise}",
        "en": "Hello {prenom}, thanks for your question. We will answer in detail by private "
        "message. — {entreprise}",
    },
    "crisis": {
        "fr": "Bonjour {prenom}, nous avons bien vu votre message et nous le prenons au sérieux. "
        "Nous revenons vers vous très vite. — {entreprise}",
        "en": "Hello {prenom}, we have seen your message and take it seriously. We will get "
        "back to you very soon. — {entreprise}",
    },
    "other": {
        "fr": "Bonjour {prenom}, merci pour votre message ! — {entreprise}",
        "en": "Hello {prenom}, thanks for your message! — {entreprise}",
    },
}


class ReplyTemplateError(Refusal):
    """A saved reply that cannot be used; the message names the problem."""


def check_template(body: str) -> None:
    """Refuse unknown variables, naming them (a typo like {prénom} would go out as is)."""
    if not body.strip():
        raise ReplyTemplateError(N_("body: the text is empty; write the reply to save"))
    if len(body) > MAX_BODY:
        raise ReplyTemplateError(N_("body: %(most)s characters at most; shorten it"), most=MAX_BODY)
    for found in _PLACEHOLDER.finditer(body):
        if found.group(1) not in VARIABLES:
            raise ReplyTemplateError(
                N_(
                    "body: unknown variable %(name)s at character %(at)s; the known ones: %(known)s"
                ),
                name="{" + found.group(1) + "}",
                at=found.start() + 1,
                known=", ".join("{" + v + "}" for v in VARIABLES),
            )


def fill(body: str, values: dict[str, str]) -> str:
    """Replace known variables; an empty value leaves no placeholder behind."""
    return _PLACEHOLDER.sub(
        lambda m: values.get(m.group(1), m.group(0)) if m.group(1) in VARIABLES else m.group(0),
        body,
    )


def first_name(author: tables.Author) -> str:
    """The author's first name when the display name looks like one, else the username."""
    words = (author.name or "").split()
    if words and words[0].replace("-", "").isalpha():
        return words[0]
    return author.username


def variables_for(session: Session, author: tables.Author) -> dict[str, str]:
    profile = repository.load_profile(session)
    inbox = repository.get_setting(session, SETTING_KEY) or {}
    quote = str(inbox.get("quote_url") or (profile.website if profile else "") or "")
    return {
        "prenom": first_name(author),
        "entreprise": profile.name if profile else "",
        "lien_devis": quote,
    }


def save(session: Session, *, name: str, body: str, intent: str | None) -> SavedReply:
    """Create or update a saved reply by name."""
    name = name.strip()
    if not name:
        raise ReplyTemplateError(N_("name: give the saved reply a name"))
    check_template(body)
    if intent is not None and intent not in SUGGESTIONS:
        raise ReplyTemplateError(N_("intent: choose one of the kinds of message offered"))
    row = session.scalar(select(SavedReply).where(SavedReply.name == name))
    if row is None:
        row = SavedReply(name=name[:128], body=body)
        session.add(row)
    row.body, row.intent = body, intent
    session.flush()
    return row


def saved(session: Session) -> list[SavedReply]:
    return list(session.scalars(select(SavedReply).order_by(SavedReply.name)))


def suggest(
    session: Session,
    *,
    intent: str | None,
    author: tables.Author,
    lang: str = "fr",
    text: str | None = None,
    box: SecretBox | None = None,
    allow_private: bool = False,
    timeout: float = assistant.TIMEOUT,
) -> str:
    """A ready-to-edit answer: the endpoint's draft when one is set (``box`` given to read its
    key, ``text`` the post answered), else the saved reply for the intent, else the built-in."""
    key = intent if intent in SUGGESTIONS else "other"
    chosen = session.scalar(
        select(SavedReply).where(SavedReply.intent == key).order_by(SavedReply.id).limit(1)
    )
    body = chosen.body if chosen else SUGGESTIONS[key]["en" if lang == "en" else "fr"]
    values = variables_for(session, author)
    # Drop a dangling " — " when the business has no name yet.
    built_in = re.sub(r"\s*—\s*$", "", fill(body, values)).strip()
    if box is None or text is None:
        return built_in
    try:
        endpoint = assistant.load(session, box)
    except ValueError as exc:  # a key the current secret cannot decrypt
        log.warning("assistant setting unusable: %s", exc)
        return built_in
    if endpoint is None:
        return built_in
    system, user = _prompt(session, intent=key, text=text, values=values, lang=lang)
    try:
        return assistant.complete(
            endpoint, system=system, user=user, allow_private=allow_private, timeout=timeout
        )
    except assistant.AssistantError as exc:
        log.warning("assistant suggestion failed, built-in one used: %s", exc)
        return built_in


def _prompt(
    session: Session, *, intent: str, text: str, values: dict[str, str], lang: str
) -> tuple[str, str]:
    profile = repository.load_profile(session)
    facts = [f"Entreprise : {values['entreprise']}" if values["entreprise"] else ""]
    if profile is not None:
        facts += [
            f"Métier : {profile.trade}" if profile.trade else "",
            f"Ville : {profile.city}" if profile.city else "",
            f"Services : {', '.join(profile.services)}" if profile.services else "",
            f"Site : {profile.website}" if profile.website else "",
        ]
    if values["lien_devis"]:
        facts.append(f"Lien de devis : {values['lien_devis']}")
    language = "English" if lang == "en" else "français"
    system = (
        "Tu rédiges la réponse publique d'une petite entreprise à un message sur un réseau "
        f"social. Réponds en {language}, en trois phrases au plus, poliment, sans rien promettre "
        "que l'entreprise n'a pas dit, sans inventer de prix. Donne seulement le texte de la "
        "réponse.\n" + "\n".join(f for f in facts if f)
    )
    user = f"Intention détectée : {intent}\nAuteur : {values['prenom']}\nMessage :\n{text}"
    return system, user
