"""Join the inbox and publishing branches into one schema history (no schema change).

Revision ID: 0002
Revises: inbox_0001, publish_0001
"""

from collections.abc import Sequence

revision: str = "0002"
down_revision: str | tuple[str, ...] | None = ("inbox_0001", "publish_0001")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
