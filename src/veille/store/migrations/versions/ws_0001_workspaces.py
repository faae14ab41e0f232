"""Workspaces: one instance serves many businesses. Every business table gains workspace_id;
what was there becomes workspace 1 ("default"), and every user its member with the role they
had. Names unique per business (watches, saved replies, accounts, inbox items per post,
settings, routing rules, hourly counts) become unique per workspace.

Revision ID: ws_0001
Revises: threads_0001
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "ws_0001"
down_revision: str | None = "threads_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose rows belong to one workspace by a plain indexed column.
COLUMN_TABLES = (
    "accounts",
    "watches",
    "watch_rules",
    "inbox_items",
    "drafts",
    "alerts",
    "inbox_notes",
    "inbox_events",
    "inbox_saved_replies",
    "inbox_account_policies",
    "inbox_replies",
    "team_tokens",
    "draft_variants",
    "draft_comments",
    "draft_events",
    "approval_rules",
    "time_slots",
    "draft_recurrences",
    "publish_jobs",
)

# Unique constraints that become per workspace: (table, old name on PostgreSQL, old name under
# the SQLite naming convention below, new name, new columns).
UNIQUES = (
    ("watches", "watches_name_key", "uq_watches_name", "uq_watches_name", ["workspace_id", "name"]),
    (
        "inbox_saved_replies",
        "inbox_saved_replies_name_key",
        "uq_inbox_saved_replies_name",
        "uq_inbox_saved_replies_name",
        ["workspace_id", "name"],
    ),
    (
        "inbox_items",
        "inbox_items_post_id_key",
        "uq_inbox_items_post_id",
        "uq_inbox_items_post",
        ["workspace_id", "post_id"],
    ),
    (
        "accounts",
        "uq_accounts_network_handle",
        "uq_accounts_network_handle",
        "uq_accounts_network_handle",
        ["workspace_id", "network", "handle"],
    ),
)
# Names SQLite's unnamed unique constraints get when reflected, so they can be dropped.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _workspace_fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey("workspaces.id", name=f"fk_{table}_workspace_id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        sa.text(
            "INSERT INTO workspaces (id, slug, name, created_at) "
            "VALUES (1, 'default', '', CURRENT_TIMESTAMP)"
        )
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("SELECT setval('workspaces_id_seq', 1)"))
    op.create_table(
        "workspace_members",
        sa.Column("workspace_id", sa.Integer(), _workspace_fk("workspace_members")),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_workspace_members_user_id", ondelete="CASCADE"),
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "user_id"),
    )
    op.create_index("ix_workspace_members_user_id", "workspace_members", ["user_id"])
    op.execute(
        sa.text(
            "INSERT INTO workspace_members (workspace_id, user_id, role) "
            "SELECT 1, id, role FROM users"
        )
    )
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("current_workspace_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_web_sessions_current_workspace_id",
            "workspaces",
            ["current_workspace_id"],
            ["id"],
            ondelete="SET NULL",
        )

    for table in COLUMN_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("workspace_id", sa.Integer(), nullable=False, server_default="1")
            )
        with op.batch_alter_table(table) as batch:
            batch.alter_column("workspace_id", server_default=None)
            batch.create_foreign_key(
                f"fk_{table}_workspace_id",
                "workspaces",
                ["workspace_id"],
                ["id"],
                ondelete="CASCADE",
            )
            batch.create_index(f"ix_{table}_workspace_id", ["workspace_id"])

    op.create_table(
        "heard",
        sa.Column("workspace_id", sa.Integer(), _workspace_fk("heard"), nullable=False),
        sa.Column(
            "post_id",
            sa.Integer(),
            sa.ForeignKey("posts.id", name="fk_heard_post_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("workspace_id", "post_id"),
    )
    op.create_index("ix_heard_post_id", "heard", ["post_id"])
    # Until now the one business heard every stored post.
    op.execute(sa.text("INSERT INTO heard (workspace_id, post_id) SELECT 1, id FROM posts"))

    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, pg_name, sqlite_name, new_name, columns in UNIQUES:
        with op.batch_alter_table(table, naming_convention=SQLITE_NAMES) as batch:
            batch.drop_constraint(sqlite_name if sqlite else pg_name, type_="unique")
            batch.create_unique_constraint(new_name, columns)
    with op.batch_alter_table("inbox_items") as batch:
        batch.create_index("ix_inbox_items_post_id", ["post_id"])

    _rekey(
        "settings", [sa.Column("key", sa.String(64)), sa.Column("value", sa.JSON(), nullable=False)]
    )
    _rekey(
        "inbox_routing_rules",
        [
            sa.Column("intent", sa.String(32)),
            sa.Column(
                "account_id",
                sa.Integer(),
                sa.ForeignKey(
                    "accounts.id", name="fk_inbox_routing_rules_account_id", ondelete="CASCADE"
                ),
                nullable=False,
            ),
        ],
    )
    _rekey(
        "post_counts",
        [
            sa.Column("watch_id", sa.Integer()),
            sa.Column("intent", sa.String(32)),
            sa.Column("hour", sa.DateTime(timezone=True)),
            sa.Column("sentiment", sa.String(16)),
            sa.Column("posts", sa.Integer(), nullable=False),
        ],
        key=["watch_id", "intent", "hour", "sentiment"],
        copy=False,
    )
    # The same count the pipeline keeps, so pages read right figures from the first request.
    from veille.store import counts

    counts.rebuild(Session(bind=op.get_bind()))


def _rekey(
    table: str,
    columns: list[sa.Column[Any]],
    key: list[str] | None = None,
    *,
    copy: bool = True,
) -> None:
    """Rebuild ``table`` with workspace_id first in its primary key, its rows (if ``copy``)
    in workspace 1."""
    names = [c.name for c in columns]
    key = key or names[:1]
    old = f"{table}_before_ws"
    op.rename_table(table, old)
    op.create_table(
        table,
        sa.Column("workspace_id", sa.Integer(), _workspace_fk(table), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("workspace_id", *key),
    )
    listed = ", ".join(names)
    if copy:
        # Names from this file, not from input.
        moved = f"INSERT INTO {table} (workspace_id, {listed}) SELECT 1, {listed} FROM {old}"  # noqa: S608
        op.execute(sa.text(moved))
    op.drop_table(old)


def downgrade() -> None:
    raise NotImplementedError("workspaces cannot be undone: restore the backup taken before")
