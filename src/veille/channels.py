"""Where notifications go, read from the `settings` table.

Keys and shapes (edited in the app or with `veille` commands; docs/brief.md shows examples):

- ``smtp``: ``{"host", "port", "username", "password", "use_tls", "sender", "to": [...]}``;
  ``to`` receives alerts, and the brief unless ``brief.to`` says otherwise;
- ``webhooks``: ``{"hooks": [{"url", "secret"}]}``;
- ``brief``: ``{"hour": 7, "enabled": true, "to": [...], "base_url": "https://..."}``;
  ``base_url`` is only a fallback for links in e-mails when ``VEILLE_BASE_URL`` is unset.

The SMTP password and the webhook secrets are stored encrypted (``SecretBox``, prefixed
``enc:``); a value saved in clear before that is still read, and encrypted when next saved.
A malformed value raises :class:`ChannelSettingsError` naming the key and field, never a secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from veille.config import Settings
from veille.crypto import SecretBox
from veille.notify import send_email
from veille.outbound import RefusedAddress, check_url
from veille.store.repository import get_setting, put_setting
from veille.translations import N_, Refusal

ENCRYPTED = "enc:"


class ChannelSettingsError(Refusal):
    """A notification setting that cannot be used; the message names key and field."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    use_tls: bool
    sender: str
    to: tuple[str, ...]

    def send(self, *, to: str | Sequence[str], subject: str, html: str, text: str) -> None:
        """One e-mail through this server (raises notify.NotifyError when it refuses)."""
        send_email(
            host=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            sender=self.sender,
            to=to,
            subject=subject,
            html=html,
            text=text,
        )


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str


@dataclass(frozen=True)
class BriefSettings:
    hour: int
    enabled: bool
    to: tuple[str, ...]


def _text(value: dict[str, Any], key: str, field: str, default: str | None = None) -> str:
    found = value.get(field, default)
    if not isinstance(found, str) or (default is None and not found):
        raise ChannelSettingsError(
            N_("setting %(key)r: %(field)r must be a non-empty text"), key=key, field=field
        )
    return found


def split_addresses(text: str) -> list[str]:
    """E-mail addresses typed in one field, separated by commas or semicolons."""
    return [a.strip() for a in text.replace(";", ",").split(",") if a.strip()]


def _addresses(value: dict[str, Any], key: str) -> tuple[str, ...]:
    found = value.get("to", [])
    if isinstance(found, str):
        found = [found]
    if not isinstance(found, list) or not all(isinstance(a, str) and "@" in a for a in found):
        raise ChannelSettingsError(
            N_("setting %(key)r: 'to' must be a list of e-mail addresses"), key=key
        )
    return tuple(found)


def seal(box: SecretBox, secret: str) -> str:
    """How a secret is stored in the settings table (empty stays empty)."""
    return ENCRYPTED + box.encrypt(secret) if secret else ""


def unseal(box: SecretBox, stored: str, where: str) -> str:
    """A stored secret in clear; one saved before encryption reads as it is."""
    if not stored.startswith(ENCRYPTED):
        return stored
    try:
        return box.decrypt(stored.removeprefix(ENCRYPTED))
    except ValueError:
        raise ChannelSettingsError(
            N_("setting %(where)s: cannot be decrypted (was VEILLE_SECRET_KEY changed?)"),
            where=where,
        ) from None


def link_base(session: Session, settings: Settings) -> str:
    """Where links in e-mails start: VEILLE_BASE_URL, else the older ``brief.base_url``
    setting, else the address the app listens on."""
    if settings.base_url:
        return settings.base_url
    stored = (get_setting(session, "brief") or {}).get("base_url")
    if isinstance(stored, str) and stored.strip().startswith(("http://", "https://")):
        return stored.strip().rstrip("/")
    return settings.public_url


def load_smtp(session: Session, box: SecretBox) -> SmtpSettings | None:
    """The SMTP server, or None when e-mail is not configured."""
    value = get_setting(session, "smtp")
    if not value:
        return None
    port = value.get("port", 587)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ChannelSettingsError(N_("setting 'smtp': 'port' must be a number from 1 to 65535"))
    return SmtpSettings(
        host=_text(value, "smtp", "host"),
        port=port,
        username=_text(value, "smtp", "username", ""),
        password=unseal(box, _text(value, "smtp", "password", ""), "'smtp': 'password'"),
        use_tls=bool(value.get("use_tls", True)),
        sender=_text(value, "smtp", "sender"),
        to=_addresses(value, "smtp"),
    )


def load_webhooks(session: Session, box: SecretBox) -> list[Webhook]:
    value = get_setting(session, "webhooks") or {}
    hooks = value.get("hooks", [])
    if not isinstance(hooks, list):
        raise ChannelSettingsError(N_("setting 'webhooks': 'hooks' must be a list"))
    found = []
    for index, hook in enumerate(hooks):
        if not isinstance(hook, dict):
            raise ChannelSettingsError(
                N_("setting 'webhooks': hook %(index)s must be an object"), index=index
            )
        where = f"webhooks.hooks[{index}]"
        secret = unseal(box, _text(hook, where, "secret"), f"{where!r}: 'secret'")
        found.append(Webhook(_text(hook, where, "url"), secret))
    return found


def load_brief(session: Session) -> BriefSettings:
    value = get_setting(session, "brief") or {}
    hour = value.get("hour", 7)
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ChannelSettingsError(N_("setting 'brief': 'hour' must be a whole hour from 0 to 23"))
    return BriefSettings(
        hour=hour,
        enabled=bool(value.get("enabled", True)),
        to=_addresses(value, "brief"),
    )


def save_smtp(
    session: Session,
    box: SecretBox,
    *,
    host: str,
    port: int,
    username: str,
    password: str,
    use_tls: bool,
    sender: str,
    to: list[str],
) -> None:
    """Store the SMTP server; an empty password keeps the stored one (encrypted on the way,
    if it was still in clear). An empty host removes e-mail altogether."""
    host = host.strip()
    if not host:
        put_setting(session, "smtp", {})
        return
    if not 0 < port < 65536:
        raise ChannelSettingsError(N_("port: a number from 1 to 65535 (often 587)"))
    if "@" not in sender:
        raise ChannelSettingsError(N_("sender: give an e-mail address, like name@example.fr"))
    bad = [a for a in to if "@" not in a]
    if bad:
        raise ChannelSettingsError(
            N_("to: %(addresses)s: not an e-mail address, like name@example.fr"),
            addresses=", ".join(bad),
        )
    previous = get_setting(session, "smtp") or {}
    stored = str(previous.get("password") or "")
    kept = unseal(box, stored, "'smtp': 'password'") if stored else ""
    value = {
        "host": host,
        "port": port,
        "username": username.strip(),
        "password": seal(box, password or kept),
        "use_tls": use_tls,
        "sender": sender.strip(),
        "to": to,
    }
    put_setting(session, "smtp", value)


def save_webhooks(
    session: Session, box: SecretBox, hooks: list[tuple[str, str]], *, allow_private: bool
) -> None:
    """Store the webhooks as (url, secret); an empty secret keeps the one stored for that URL.
    Every URL must be one Veille may call (``veille.outbound``)."""
    stored = {hook.url: hook.secret for hook in load_webhooks(session, box)}
    rows = []
    for index, (url, secret) in enumerate(hooks):
        try:
            url = check_url(url, allow_private=allow_private)
        except RefusedAddress as refused:
            raise ChannelSettingsError(
                N_("webhook %(number)s: %(refused)s"), number=index + 1, refused=refused
            ) from None
        secret = secret or stored.get(url, "")
        if len(secret) < 16:
            raise ChannelSettingsError(
                N_("webhook %(number)s: the secret needs at least 16 characters"), number=index + 1
            )
        rows.append({"url": url, "secret": seal(box, secret)})
    put_setting(session, "webhooks", {"hooks": rows})
