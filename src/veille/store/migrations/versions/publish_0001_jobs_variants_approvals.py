"""Publishing: draft variants, comments, events, approval rules, time slots, recurrences,
publish jobs; approval and evergreen columns on drafts.

Revision ID: publish_0001
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "publish_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("approved_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("approved_at", _TZ, nullable=True))
        batch.add_column(
            sa.Column("evergreen", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("media", sa.JSON(), nullable=True))
        batch.create_foreign_key("fk_drafts_approved_by", "users", ["approved_by"], ["id"])
    op.create_table(
        "draft_variants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "draft_id", sa.Integer(), sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("network", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.UniqueConstraint("draft_id", "account_id", name="uq_draft_variants_target"),
    )
    op.create_index("ix_draft_variants_draft_id", "draft_variants", ["draft_id"])
    op.create_table(
        "draft_comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "draft_id", sa.Integer(), sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
    )
    op.create_index("ix_draft_comments_draft_id", "draft_comments", ["draft_id"])
    op.create_table(
        "draft_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "draft_id", sa.Integer(), sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", _TZ, nullable=False),
    )
    op.create_index("ix_draft_events_draft_id", "draft_events", ["draft_id"])
    op.create_table(
        "approval_rules",
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("required_role", sa.String(16), nullable=False),
    )
    op.create_table(
        "time_slots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("minute_of_day", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.UniqueConstraint("account_id", "weekday", "minute_of_day", name="uq_time_slots"),
    )
    op.create_index("ix_time_slots_account_id", "time_slots", ["account_id"])
    op.create_table(
        "draft_recurrences",
        sa.Column(
            "draft_id",
            sa.Integer(),
            sa.ForeignKey("drafts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("minute_of_day", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("until", _TZ, nullable=True),
    )
    op.create_table(
        "publish_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "draft_id",
            sa.Integer(),
            sa.ForeignKey("drafts.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("network", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("in_reply_to", sa.String(255), nullable=True),
        sa.Column("idempotency_key", sa.String(128), nullable=False, unique=True),
        sa.Column("due_at", _TZ, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _TZ, nullable=False),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", _TZ, nullable=True),
        sa.Column("network_post_id", sa.String(255), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("finished_at", _TZ, nullable=True),
    )
    op.create_index("ix_publish_jobs_draft_id", "publish_jobs", ["draft_id"])
    op.create_index("ix_publish_jobs_due", "publish_jobs", ["status", "next_attempt_at"])


def downgrade() -> None:
    for table in (
        "publish_jobs",
        "draft_recurrences",
        "time_slots",
        "approval_rules",
        "draft_events",
        "draft_comments",
        "draft_variants",
    ):
        op.drop_table(table)
    with op.batch_alter_table("drafts") as batch:
        batch.drop_constraint("fk_drafts_approved_by", type_="foreignkey")
        for column in ("media", "evergreen", "approved_at", "approved_by"):
            batch.drop_column(column)
