"""Threads: a draft's posts after the first (drafts.thread), and a publish job that waits for
the one before it and replies to it (publish_jobs.after_job_id).

Revision ID: threads_0001
Revises: fire_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "threads_0001"
down_revision: str | None = "fire_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("thread", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("publish_jobs") as batch:
        batch.add_column(sa.Column("after_job_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_publish_jobs_after_job_id_publish_jobs",
            "publish_jobs",
            ["after_job_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_publish_jobs_after_job_id", ["after_job_id"])


def downgrade() -> None:
    with op.batch_alter_table("publish_jobs") as batch:
        batch.drop_index("ix_publish_jobs_after_job_id")
        batch.drop_constraint("fk_publish_jobs_after_job_id_publish_jobs", type_="foreignkey")
        batch.drop_column("after_job_id")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("thread")
