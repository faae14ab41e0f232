"""The optional OpenAI-compatible endpoint that drafts suggested replies.

Kept in the ``assistant`` setting: ``{"base_url", "model", "api_key"}``, the key encrypted
with the SecretBox like account credentials. Asked with the chat completions wire format
(``POST {base_url}/chat/completions``, system and user messages, the first choice's message
content). Never the default: without the setting nothing is called.

Where the key goes is the owner's decision: changing the endpoint needs the owner's role and
the key typed again (a stored key is never sent to a new address); a manager may change only
the model. The endpoint must be an address ``veille.outbound`` lets Veille call.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session

from veille.crypto import SecretBox
from veille.outbound import RefusedAddress, check_url
from veille.permissions import Permission, can
from veille.store import repository
from veille.translations import N_, Refusal

SETTING_KEY = "assistant"
TIMEOUT = 8.0  # seconds; the item page waits for it
MAX_ANSWER = 2000


class AssistantError(Refusal):
    """A setting that cannot be used, or an endpoint that did not answer usably."""


@dataclass(frozen=True)
class Assistant:
    base_url: str
    model: str
    api_key: str

    def __repr__(self) -> str:  # never print the key
        return f"Assistant(base_url={self.base_url!r}, model={self.model!r})"


def load(session: Session, box: SecretBox) -> Assistant | None:
    value = repository.get_setting(session, SETTING_KEY)
    if not value or not value.get("base_url") or not value.get("model"):
        return None
    encrypted = str(value.get("api_key") or "")
    return Assistant(
        base_url=str(value["base_url"]),
        model=str(value["model"]),
        api_key=box.decrypt(encrypted) if encrypted else "",
    )


def configured(session: Session) -> dict[str, str] | None:
    """What the settings page shows: the URL, the model, whether a key is stored (not the key)."""
    value = repository.get_setting(session, SETTING_KEY)
    if not value or not value.get("base_url"):
        return None
    return {
        "base_url": str(value["base_url"]),
        "model": str(value.get("model") or ""),
        "has_key": "yes" if value.get("api_key") else "",
    }


def save(
    session: Session,
    box: SecretBox,
    *,
    base_url: str,
    model: str,
    api_key: str,
    role: str,
    allow_private: bool,
) -> None:
    """Store the endpoint; an empty key keeps the stored one (only while the endpoint stays
    the same), an empty URL removes it all. A new endpoint needs the owner and the key."""
    base_url, model, api_key = base_url.strip().rstrip("/"), model.strip(), api_key.strip()
    previous = repository.get_setting(session, SETTING_KEY) or {}
    moved = base_url != str(previous.get("base_url") or "")
    if moved and not can(role, Permission.SET_ASSISTANT_ENDPOINT):
        raise AssistantError(N_("base_url: only the owner may change where the assistant is"))
    if not base_url:
        repository.put_setting(session, SETTING_KEY, {})
        return
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AssistantError(
            N_("base_url: %(url)r is not a web address (it starts with https://)"), url=base_url
        )
    try:
        check_url(base_url, allow_private=allow_private)
    except RefusedAddress as refused:
        raise AssistantError(N_("base_url: %(refused)s"), refused=refused) from None
    if not model or len(model) > 200:
        raise AssistantError(N_("model: give the model's name (200 characters at most)"))
    if moved and previous.get("api_key") and not api_key:
        raise AssistantError(N_("api_key: type the key again for a new address"))
    encrypted = box.encrypt(api_key) if api_key else str(previous.get("api_key") or "")
    repository.put_setting(
        session, SETTING_KEY, {"base_url": base_url, "model": model, "api_key": encrypted}
    )


def complete(
    assistant: Assistant,
    *,
    system: str,
    user: str,
    allow_private: bool,
    timeout: float = TIMEOUT,
) -> str:
    """The first choice's message content; AssistantError on anything else (the message never
    carries the key)."""
    try:
        check_url(assistant.base_url, allow_private=allow_private)
    except RefusedAddress as refused:
        raise AssistantError(N_("base_url: %(refused)s"), refused=refused) from None
    headers = {"Authorization": f"Bearer {assistant.api_key}"} if assistant.api_key else {}
    payload = {
        "model": assistant.model,
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        "temperature": 0.3,
    }
    url = f"{assistant.base_url}/chat/completions"
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise AssistantError(
            N_("%(url)s: no answer (%(reason)s)"), url=url, reason=type(exc).__name__
        ) from None
    if response.status_code != 200:
        raise AssistantError(N_("%(url)s: HTTP %(code)s"), url=url, code=response.status_code)
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise AssistantError(
            N_("%(url)s: the answer holds no choices[0].message.content"), url=url
        ) from None
    if not isinstance(content, str) or not content.strip():
        raise AssistantError(N_("%(url)s: empty answer"), url=url)
    return content.strip()[:MAX_ANSWER]
