"""`veille listen` serves every workspace: two workspaces connect the same press feed under
the same handle, and only the second a Mastodon account. Each workspace hears what its own
accounts hear (and nothing of the other's), each resumes from its own cursor, and each
account's state is written in its own workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from veille.accounts import connect_account
from veille.cli import app
from veille.config import Settings
from veille.crypto import SecretBox
from veille.store import tables
from veille.store.db import Database
from veille.workspaces import create

from .test_listening import TOKEN, instance


def _heard(db: Database) -> dict[int, set[str]]:
    with db.session(workspace_id=None) as session:
        rows = session.execute(
            select(tables.Heard.workspace_id, tables.Post.network_post_id).join(
                tables.Post, tables.Post.id == tables.Heard.post_id
            )
        )
        heard: dict[int, set[str]] = {}
        for workspace, post_id in rows:
            heard.setdefault(workspace, set()).add(post_id)
        return heard


def test_each_workspace_hears_what_its_own_accounts_hear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    db = Database.from_settings(settings)
    box = SecretBox(settings.resolved_secret_key())
    try:
        with db.session(workspace_id=None) as session:
            other = create(session, slug="fleurs").id
        with instance() as (_world, url):
            for workspace in (1, other):
                with db.session(workspace_id=workspace) as session:
                    connect_account(
                        session,
                        box,
                        network="news",
                        handle="actu-anjou",
                        label="",
                        kind="company",
                        credentials={"feed_url": f"{url}/rss"},
                    )
            with db.session(workspace_id=other) as session:
                connect_account(
                    session,
                    box,
                    network="mastodon",
                    handle="martinpeinture",
                    label="",
                    kind="company",
                    credentials={"instance_url": url, "access_token": TOKEN},
                )
            result = CliRunner().invoke(
                app, ["listen", "--duration", "3", "--mentions-interval", "10"]
            )
        assert result.exit_code == 0, result.output

        heard = _heard(db)
        news = {p for p in heard[1]}
        assert len(news) == 3 and all(not p.isdigit() for p in news)  # the feed's articles
        mentions = {"110", "111", "112"}
        assert heard[other] == news | mentions  # the same feed, and its own mentions
        with db.session(workspace_id=None) as session:
            cursors = {c.source for c in session.scalars(select(tables.Cursor))}
            states = {
                (a.workspace_id, a.network): a.state
                for a in session.scalars(select(tables.Account))
            }
        # One cursor per workspace for the same feed: the first's key as it always was.
        assert {f"news:{url}/rss", f"w{other}:news:{url}/rss"} <= cursors
        assert states == {(1, "news"): "connected", (other, "news"): "connected"} | {
            (other, "mastodon"): "connected"
        }
    finally:
        db.engine.dispose()
