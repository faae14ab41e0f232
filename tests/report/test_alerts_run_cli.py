"""`veille alerts run` and `veille brief send` on a real database in a temporary directory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from veille.config import get_settings
from veille.report import commands


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    app = typer.Typer()
    commands.register(app)
    yield app
    get_settings.cache_clear()


def test_alerts_run_prints_what_it_did(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["alerts", "run", "--now", "2026-03-17T12:00:00Z"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "opened": [],
        "updated": [],
        "closed": [],
        "notified": 0,
        "errors": [],
    }


def test_brief_send_without_smtp_says_what_is_missing(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["brief", "send", "--force"])
    assert result.exit_code == 1
    assert "l'e-mail n'est pas configuré : indiquez le serveur SMTP dans Réglages" in result.output


def test_now_needs_a_time_zone(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["alerts", "run", "--now", "2026-03-17T12:00"])
    assert result.exit_code == 2 and "doit préciser son décalage horaire" in result.output
