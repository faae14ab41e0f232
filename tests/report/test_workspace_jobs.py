"""`veille alerts run` and `veille brief send` serve every workspace: each workspace's alert
goes to its own webhook and e-mail recipients, each brief to its own recipients, and nothing
of one reaches the other's channels."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import delete, select
from typer.testing import CliRunner

from tests.helpers.alerts_data import NOW, seed_crisis
from tests.report.conftest import Mailbox, Received
from veille.config import get_settings
from veille.report import commands
from veille.store import counts, repository, tables
from veille.store.db import Database
from veille.workspaces import create


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VEILLE_ALLOW_PRIVATE_URLS", "true")  # the test servers are local
    get_settings.cache_clear()
    app = typer.Typer()
    commands.register(app)
    yield app
    get_settings.cache_clear()


def _channels(db: Database, workspace: int, smtp: tuple[int, Mailbox], hooks: str) -> None:
    port, box = smtp
    with db.session(workspace_id=workspace) as session:
        repository.put_setting(
            session,
            "smtp",
            {
                "host": "127.0.0.1",
                "port": port,
                "username": box.username,
                "password": box.password,
                "use_tls": False,
                "sender": "veille@example.fr",
                "to": [f"alertes@w{workspace}.fr"],
            },
        )
        repository.put_setting(
            session, "webhooks", {"hooks": [{"url": f"{hooks}/w{workspace}", "secret": "k"}]}
        )
        repository.put_setting(session, "brief", {"to": [f"patron@w{workspace}.fr"]})


@pytest.fixture
def two(
    cli: typer.Typer, smtp_server: tuple[int, Mailbox], hook_server: tuple[str, list[Received]]
) -> Iterator[tuple[Database, int]]:
    """The same crisis heard by two workspaces, each with its own watch and channels."""
    db = Database.from_settings(get_settings())
    with db.session(workspace_id=None) as session:
        other = create(session, slug="fleurs").id
    with db.session(workspace_id=other) as session:
        seed_crisis(session)
    with db.session(workspace_id=1) as session:
        watch = repository.upsert_watch(
            session, name="Ma marque", kind="brand", description="", rules=['"martin"']
        )
        posts = session.scalars(select(tables.Post.id)).all()
        repository.insert_matches(session, [{"post_id": p, "watch_id": watch.id} for p in posts])
        counts.rebuild(session)
    for workspace in (1, other):
        _channels(db, workspace, smtp_server, hook_server[0])
    yield db, other
    db.engine.dispose()


def test_each_workspace_is_alerted_on_its_own_channels(
    cli: typer.Typer,
    two: tuple[Database, int],
    smtp_server: tuple[int, Mailbox],
    hook_server: tuple[str, list[Received]],
) -> None:
    db, other = two
    result = CliRunner().invoke(cli, ["alerts", "run", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report["opened"]) == 2 and report["notified"] == 2 and report["errors"] == []
    alerts: dict[int, int] = {}
    for workspace in (1, other):
        with db.session(workspace_id=workspace) as session:
            [alert] = session.scalars(select(tables.Alert)).all()
            watch = session.get(tables.Watch, alert.watch_id)
            assert watch is not None and watch.workspace_id == workspace
            alerts[workspace] = alert.id
    hooks = {received.path: received.json() for received in hook_server[1]}
    assert sorted(hooks) == ["/w1", f"/w{other}"]
    for workspace in (1, other):
        assert hooks[f"/w{workspace}"]["link"].endswith(f"/alerts/{alerts[workspace]}")
    mails = sorted((to, message) for _, to, message in smtp_server[1].messages)
    assert [to for to, _ in mails] == [["alertes@w1.fr"], [f"alertes@w{other}.fr"]]
    for (_, message), workspace in zip(mails, (1, other), strict=True):
        assert f"/alerts/{alerts[workspace]}".encode() in message


def test_each_workspace_gets_its_own_brief(
    cli: typer.Typer, two: tuple[Database, int], smtp_server: tuple[int, Mailbox]
) -> None:
    _, other = two
    result = CliRunner().invoke(cli, ["brief", "send", "--force", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "default: brief envoyé à patron@w1.fr",
        f"fleurs: brief envoyé à patron@w{other}.fr",
    ]
    recipients = [to for _, to, _ in smtp_server[1].messages]
    assert recipients == [["patron@w1.fr"], [f"patron@w{other}.fr"]]


def test_a_workspace_without_e_mail_does_not_stop_the_others(
    cli: typer.Typer, two: tuple[Database, int], smtp_server: tuple[int, Mailbox]
) -> None:
    db, other = two
    with db.session(workspace_id=1) as session:
        session.execute(delete(tables.Setting).where(tables.Setting.key == "smtp"))
    result = CliRunner().invoke(cli, ["brief", "send", "--force", "--now", NOW.isoformat()])
    assert result.exit_code == 1
    assert "default: erreur : l'e-mail n'est pas configuré" in result.output
    assert f"fleurs: brief envoyé à patron@w{other}.fr" in result.output
    assert [to for _, to, _ in smtp_server[1].messages] == [[f"patron@w{other}.fr"]]
