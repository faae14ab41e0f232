"""drafts.media is NOT NULL, as the model says: drafts saved without media get an empty list.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A JSON column may hold SQL NULL (rows older than publish_0001) or the JSON value null.
    drafts = sa.table("drafts", sa.column("media", sa.JSON()))
    empty = sa.or_(drafts.c.media.is_(None), sa.cast(drafts.c.media, sa.Text()) == "null")
    op.execute(drafts.update().where(empty).values(media=[]))
    with op.batch_alter_table("drafts") as batch:
        batch.alter_column("media", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.alter_column("media", existing_type=sa.JSON(), nullable=True)
