"""Team inbox: notes, history, saved replies, routing, account policies, replies, team links;
snooze, first response and closing columns on inbox_items.

Revision ID: inbox_0001
Revises: 0001
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "inbox_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW_ITEM_COLUMNS = ("snoozed_until", "first_response_at", "closed_at")


def _when(name: str, *, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    for name in _NEW_ITEM_COLUMNS:
        op.add_column("inbox_items", _when(name))
    op.add_column("inbox_items", sa.Column("closed_by_id", sa.Integer(), nullable=True))
    op.create_table(
        "inbox_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "item_id",
            sa.Integer(),
            sa.ForeignKey("inbox_items.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("text", sa.Text(), nullable=False),
        _when("created_at", nullable=False),
    )
    op.create_index("ix_inbox_notes_item_id", "inbox_notes", ["item_id"])
    op.create_table(
        "inbox_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "item_id",
            sa.Integer(),
            sa.ForeignKey("inbox_items.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        _when("created_at", nullable=False),
    )
    op.create_index("ix_inbox_events_item_id", "inbox_events", ["item_id"])
    op.create_index("ix_inbox_events_created_at", "inbox_events", ["created_at"])
    op.create_table(
        "inbox_saved_replies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(32)),
        _when("created_at", nullable=False),
    )
    op.create_table(
        "inbox_routing_rules",
        sa.Column("intent", sa.String(32), primary_key=True),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_table(
        "inbox_account_policies",
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "inbox_replies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "item_id",
            sa.Integer(),
            sa.ForeignKey("inbox_items.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
        sa.Column("guard", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("approved_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("network_post_id", sa.String(255)),
        sa.Column("url", sa.Text()),
        sa.Column("error", sa.Text()),
        _when("created_at", nullable=False),
        _when("sent_at"),
    )
    op.create_index("ix_inbox_replies_item_id", "inbox_replies", ["item_id"])
    op.create_index("ix_inbox_replies_status", "inbox_replies", ["status"])
    op.create_table(
        "team_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE")),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        _when("created_at", nullable=False),
        _when("expires_at", nullable=False),
        _when("used_at"),
    )


def downgrade() -> None:
    op.drop_table("team_tokens")
    op.drop_index("ix_inbox_replies_status", table_name="inbox_replies")
    op.drop_index("ix_inbox_replies_item_id", table_name="inbox_replies")
    op.drop_table("inbox_replies")
    op.drop_table("inbox_account_policies")
    op.drop_table("inbox_routing_rules")
    op.drop_table("inbox_saved_replies")
    op.drop_index("ix_inbox_events_created_at", table_name="inbox_events")
    op.drop_index("ix_inbox_events_item_id", table_name="inbox_events")
    op.drop_table("inbox_events")
    op.drop_index("ix_inbox_notes_item_id", table_name="inbox_notes")
    op.drop_table("inbox_notes")
    with op.batch_alter_table("inbox_items") as batch:
        for name in (*_NEW_ITEM_COLUMNS, "closed_by_id"):
            batch.drop_column(name)
