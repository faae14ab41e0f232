"""One token format: token sets the publisher wrote flat (``<key>.<field>``) in an account's
encrypted credentials become one JSON entry under ``token <key>``, as the listeners write them.

Decrypting needs the secret key, handed over by ``Database.migrate(secret_key=...)``; without
it (or for credentials it cannot decrypt) nothing is changed: the token store reads both
formats and rewrites a token set in the one format when it next saves it.

Revision ID: 0004
Revises: 0003
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from veille.crypto import SecretBox

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def one_format(credentials: dict[str, str]) -> dict[str, str] | None:
    """The credentials with their flat token sets gathered under ``token <key>``; None if
    there were none. The fields typed on the accounts page have no colon in their name."""
    flat: dict[str, dict[str, str]] = {}
    kept: dict[str, str] = {}
    for name, value in credentials.items():
        key, dot, field = name.rpartition(".")
        if dot and ":" in key and not name.startswith("token "):
            flat.setdefault(key, {})[field] = value
        else:
            kept[name] = value
    if not flat:
        return None
    for key, token in flat.items():
        kept.setdefault(f"token {key}", json.dumps(token, sort_keys=True))
    return kept


def upgrade() -> None:
    secret_key = context.config.attributes.get("secret_key")
    if not secret_key:
        return
    box = SecretBox(secret_key)
    accounts = sa.table(
        "accounts", sa.column("id", sa.Integer), sa.column("credentials_encrypted", sa.Text)
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(accounts.c.id, accounts.c.credentials_encrypted).where(
            accounts.c.credentials_encrypted.is_not(None)
        )
    ).all()
    for account_id, sealed in rows:
        try:
            credentials = json.loads(box.decrypt(sealed))
        except ValueError:  # another key: leave it to the store's reading of both formats
            continue
        converted = one_format({str(k): str(v) for k, v in credentials.items()})
        if converted is not None:
            connection.execute(
                accounts.update()
                .where(accounts.c.id == account_id)
                .values(credentials_encrypted=box.encrypt(json.dumps(converted)))
            )


def downgrade() -> None:
    pass  # both formats are readable: nothing to undo
