"""`veille counts rebuild`: recount matched posts per hour, watch, sentiment and intent from
the stored posts (after a restore, or to check the counts the pipeline keeps)."""

from __future__ import annotations

import json

import typer

from veille.config import get_settings
from veille.store import counts
from veille.store.db import Database
from veille.terminal import _

counts_app = typer.Typer(
    help=_("Counts per hour that pages and reports read."), no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the `counts` command group to the given app."""
    app.add_typer(counts_app, name="counts")


@counts_app.command(
    "rebuild", help=_("Recount every matched post from the store (pages read these counts).")
)
def rebuild() -> None:
    """Recount every matched post from the store (pages read these counts)."""
    db = Database.from_settings(get_settings())
    with db.session(workspace_id=None) as session:  # every workspace's counts
        rows = counts.rebuild(session)
    typer.echo(json.dumps({"rows": rows}))
