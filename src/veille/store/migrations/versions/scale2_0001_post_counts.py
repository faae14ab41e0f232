"""Matched posts counted per hour, watch, sentiment and intent (post_counts), filled from the
posts already stored.

Revision ID: scale2_0001
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "scale2_0001"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post_counts",
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sentiment", sa.String(length=16), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("watch_id", "intent", "hour", "sentiment"),
    )
    # Filled by ws_0001, which gives the table its final key (counted with today's code).


def downgrade() -> None:
    op.drop_table("post_counts")
