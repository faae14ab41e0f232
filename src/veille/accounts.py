"""Network accounts: credentials encrypted at rest, state reported by the connectors."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.crypto import SecretBox
from veille.sources.registry import account_networks
from veille.store import tables

# The credential fields each network asks for (declared in its folder); nothing else is stored.
CREDENTIAL_FIELDS: dict[str, tuple[str, ...]] = account_networks()
ACCOUNT_KINDS = ("company", "personal")


class AccountError(ValueError):
    """A refused account form; the message names the field."""


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
        raise AccountError(f"network: unknown network {network!r}")
    if kind not in ACCOUNT_KINDS:
        raise AccountError(f"kind: expected company or personal, got {kind!r}")
    handle = handle.strip().lstrip("@")
    if not handle:
        raise AccountError("handle: required")
    kept = {k: v.strip() for k, v in credentials.items() if k in CREDENTIAL_FIELDS[network]}
    if not any(kept.values()):
        raise AccountError(
            f"credentials: give at least one of {', '.join(CREDENTIAL_FIELDS[network])}"
        )
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
