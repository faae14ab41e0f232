"""`veille publish run --once` publishes what is due through the real connector;
`veille schedule` lists what failed with the network's error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import typer
from tests.publish.conftest import MastodonInstance
from tests.sources.servers import HttpServer
from typer.testing import CliRunner

from veille.accounts import connect_account
from veille.config import Settings, get_settings
from veille.crypto import SecretBox
from veille.publish.commands import register
from veille.publish.scheduler import enqueue
from veille.store.db import Database
from veille.timeutil import utcnow


@pytest.fixture
def cli_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.delenv("VEILLE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_run_once_then_schedule_lists_failures(
    cli_settings: Settings, instance: tuple[MastodonInstance, HttpServer]
) -> None:
    state, server = instance
    db = Database.from_settings(cli_settings)
    box = SecretBox(cli_settings.resolved_secret_key())
    with db.session() as session:
        account = connect_account(
            session,
            box,
            network="mastodon",
            handle="martin@piaille.example",
            label="",
            kind="company",
            credentials={"instance_url": server.url, "access_token": "tok-123"},
        )
        for text in ("Premier", "Refusé"):
            enqueue(
                session,
                account_id=account.id,
                network="mastodon",
                text=text,
                due_at=utcnow() - timedelta(minutes=1 if text == "Premier" else 0),
            )
    db.engine.dispose()
    state.refuse_containing = "Refusé"
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    result = runner.invoke(app, ["publish", "run", "--once"])
    assert result.exit_code == 0, result.output
    outcomes = [json.loads(line)["outcome"] for line in result.output.splitlines()]
    assert outcomes == ["published", "failed"]
    assert [s["text"] for s in state.statuses] == ["Premier"]
    listed = runner.invoke(app, ["schedule"])
    assert listed.exit_code == 0
    (line,) = [json.loads(row) for row in listed.output.splitlines()]
    assert line["status"] == "failed" and line["text"] == "Refusé"
    assert "Text is not allowed" in line["error"]
