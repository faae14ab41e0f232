"""Where notifications go, read from the `settings` table.

Keys and shapes (edited in the app or with `veille` commands; docs/brief.md shows examples):

- ``smtp``: ``{"host", "port", "username", "password", "use_tls", "sender", "to": [...]}``;
  ``to`` receives alerts, and the brief unless ``brief.to`` says otherwise;
- ``webhooks``: ``{"hooks": [{"url", "secret"}]}``;
- ``brief``: ``{"hour": 7, "enabled": true, "to": [...], "base_url": "https://..."}``.

A malformed value raises :class:`ChannelSettingsError` naming the key and field, never a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from veille.store.repository import get_setting

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class ChannelSettingsError(ValueError):
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


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str


@dataclass(frozen=True)
class BriefSettings:
    hour: int
    enabled: bool
    to: tuple[str, ...]
    base_url: str


def _text(value: dict[str, Any], key: str, field: str, default: str | None = None) -> str:
    found = value.get(field, default)
    if not isinstance(found, str) or (default is None and not found):
        raise ChannelSettingsError(f"setting {key!r}: {field!r} must be a non-empty string")
    return found


def _addresses(value: dict[str, Any], key: str) -> tuple[str, ...]:
    found = value.get("to", [])
    if isinstance(found, str):
        found = [found]
    if not isinstance(found, list) or not all(isinstance(a, str) and "@" in a for a in found):
        raise ChannelSettingsError(f"setting {key!r}: 'to' must be a list of e-mail addresses")
    return tuple(found)


def load_smtp(session: Session) -> SmtpSettings | None:
    """The SMTP server, or None when e-mail is not configured."""
    value = get_setting(session, "smtp")
    if not value:
        return None
    port = value.get("port", 587)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ChannelSettingsError("setting 'smtp': 'port' must be a number from 1 to 65535")
    return SmtpSettings(
        host=_text(value, "smtp", "host"),
        port=port,
        username=_text(value, "smtp", "username", ""),
        password=_text(value, "smtp", "password", ""),
        use_tls=bool(value.get("use_tls", True)),
        sender=_text(value, "smtp", "sender"),
        to=_addresses(value, "smtp"),
    )


def load_webhooks(session: Session) -> list[Webhook]:
    value = get_setting(session, "webhooks") or {}
    hooks = value.get("hooks", [])
    if not isinstance(hooks, list):
        raise ChannelSettingsError("setting 'webhooks': 'hooks' must be a list")
    found = []
    for index, hook in enumerate(hooks):
        if not isinstance(hook, dict):
            raise ChannelSettingsError(f"setting 'webhooks': hook {index} must be an object")
        where = f"webhooks.hooks[{index}]"
        found.append(Webhook(_text(hook, where, "url"), _text(hook, where, "secret")))
    return found


def load_brief(session: Session) -> BriefSettings:
    value = get_setting(session, "brief") or {}
    hour = value.get("hour", 7)
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ChannelSettingsError("setting 'brief': 'hour' must be a whole hour from 0 to 23")
    base_url = _text(value, "brief", "base_url", DEFAULT_BASE_URL).rstrip("/")
    return BriefSettings(
        hour=hour,
        enabled=bool(value.get("enabled", True)),
        to=_addresses(value, "brief"),
        base_url=base_url or DEFAULT_BASE_URL,
    )
