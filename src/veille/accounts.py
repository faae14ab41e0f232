"""Network accounts: credentials encrypted at rest, state reported by the connectors."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.crypto import SecretBox
from veille.labels import words
from veille.sources.registry import account_networks
from veille.store import tables
from veille.translations import N_, Refusal, Words

# The credential fields each network asks for (declared in its folder); nothing else is stored.
CREDENTIAL_FIELDS: dict[str, tuple[str, ...]] = account_networks()
ACCOUNT_KINDS = ("company", "personal")


class AccountError(Refusal):
    """A refused account form; the message names the field."""


HANDLE_REQUIRED = N_("handle: give the account's name on the network (e.g. @peinturesmartin)")


def field_words(name: str) -> Words:
    """A credential field as the form names it (labels.py's "field.<name>")."""
    return words(f"field.{name}")


def connect_account(
    session: Session,
    box: SecretBox,
    *,
    network: str,
    handle: str,
    label: str,
    kind: str,
    credentials: dict[str, str],
) -> tables.Account:
    """Store an account and its credentials, encrypted; the credentials are never shown again."""
    if network not in CREDENTIAL_FIELDS:
        raise AccountError(N_("network: choose a network from the list"))
    if kind not in ACCOUNT_KINDS:
        raise AccountError(N_("kind: choose company account or boss's own account"))
    handle = handle.strip().lstrip("@")
    if not handle:
        raise AccountError(HANDLE_REQUIRED)
    kept = {k: v.strip() for k, v in credentials.items() if k in CREDENTIAL_FIELDS[network]}
    if not any(kept.values()):
        names = tuple(field_words(name) for name in CREDENTIAL_FIELDS[network])
        raise AccountError(N_("credentials: give at least one of: %(names)s"), names=names)
    account = session.scalar(
        select(tables.Account).where(
            tables.Account.network == network, tables.Account.handle == handle
        )
    )
    if account is None:
        account = tables.Account(network=network, handle=handle)
        session.add(account)
    account.label, account.kind = label.strip(), kind
    account.credentials_encrypted = box.encrypt(json.dumps({k: v for k, v in kept.items() if v}))
    account.state, account.last_error, account.rate_limited_until = "pending", None, None
    session.flush()
    return account


def account_credentials(box: SecretBox, account: tables.Account) -> dict[str, str]:
    """Decrypted credentials, for the connectors only (never for pages or logs)."""
    if not account.credentials_encrypted:
        return {}
    value = json.loads(box.decrypt(account.credentials_encrypted))
    return {str(k): str(v) for k, v in value.items()}


def record_account_state(
    session: Session,
    account_id: int,
    *,
    state: str,
    rate_limited_until: datetime | None = None,
    last_error: str | None = None,
) -> None:
    """What a connector learned: connected, rate-limited until, or the last error."""
    account = session.get(tables.Account, account_id)
    if account is None:
        raise LookupError(f"account {account_id} not found")
    account.state = state
    account.rate_limited_until = rate_limited_until
    if last_error is not None:
        account.last_error = last_error[:2000]
