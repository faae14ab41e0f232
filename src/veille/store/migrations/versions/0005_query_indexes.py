"""Indexes the pages need at a year of history: a post's replies (response times), an author's
posts (known customers, top authors), posts by enrichment label (sentiment filters).

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_posts_author_id", "posts", ["author_id"])
    op.create_index("ix_posts_reply_to", "posts", ["network", "in_reply_to_id"])
    op.create_index("ix_enrichments_kind_label", "enrichments", ["kind", "label"])


def downgrade() -> None:
    op.drop_index("ix_enrichments_kind_label", table_name="enrichments")
    op.drop_index("ix_posts_reply_to", table_name="posts")
    op.drop_index("ix_posts_author_id", table_name="posts")
