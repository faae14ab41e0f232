"""A search index of matched posts alone (SQLite), filled from the matches already stored: a
common word among matched posts reads the matched posts holding it, not all its posts.

Revision ID: fire_0001
Revises: scale2_0001
"""

from collections.abc import Sequence

from alembic import op

from veille.store import search

revision: str = "fire_0001"
down_revision: str | None = "scale2_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    search.create_matched_index(op.get_bind())


def downgrade() -> None:
    search.drop_matched_index(op.get_bind())
