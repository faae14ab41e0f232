"""The `veille` command as a user runs it: ingest, export, search."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import post_json
from veille.cli import app
from veille.config import Settings, get_settings
from veille.store import repository
from veille.store.db import Database

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VEILLE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    settings = get_settings()
    db = Database.from_settings(settings)
    with db.session() as session:
        repository.upsert_watch(
            session,
            name="Ma marque",
            kind="brand",
            description="",
            rules=['"peintures martin" OR @peinturesmartin'],
        )
    db.engine.dispose()
    yield settings
    get_settings.cache_clear()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _summary(output: str) -> dict[str, int]:
    start = output.index("{")
    return dict(json.loads(output[start : output.index("}", start) + 1]))


def test_ingest_reports_bad_lines_and_stores_the_rest(env: Settings, tmp_path: Path) -> None:
    good = [
        json.dumps(post_json("1", "Bravo @PeinturesMartin pour la façade 👏")),
        json.dumps(post_json("2", "Il pleut sur Angers")),
    ]
    bad_json = '{"id": "3", "network": "x",'
    no_zone = json.dumps(post_json("4", "heure sans fuseau", created_at="2026-11-20T10:00:00"))
    path = _write(tmp_path / "in.jsonl", [good[0], bad_json, "", good[1], no_zone])
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 1, result.output  # partial run
    assert _summary(result.stdout) == {
        "read": 4,
        "new": 2,
        "duplicate": 0,
        "matched": 1,
        "rejected": 2,
    }
    assert "ligne 2 rejetée : JSON invalide" in result.stderr
    assert "ligne 5 rejetée : created_at" in result.stderr


def test_ingesting_twice_stores_nothing_twice(env: Settings, tmp_path: Path) -> None:
    lines = [json.dumps(post_json(str(i), f"Peintures Martin post {i}")) for i in range(30)]
    path = _write(tmp_path / "in.jsonl", lines + lines[:5])
    first = runner.invoke(app, ["ingest", str(path)])
    assert first.exit_code == 0, first.output
    assert _summary(first.stdout)["new"] == 30
    assert _summary(first.stdout)["duplicate"] == 5
    again = runner.invoke(app, ["ingest", str(path)])
    assert _summary(again.stdout) == {
        "read": 35,
        "new": 0,
        "duplicate": 35,
        "matched": 0,
        "rejected": 0,
    }


def test_ingest_refuses_unknown_format_and_missing_file(env: Settings, tmp_path: Path) -> None:
    assert runner.invoke(app, ["ingest", str(tmp_path / "nope.jsonl")]).exit_code == 2
    path = _write(tmp_path / "in.jsonl", ["{}"])
    result = runner.invoke(app, ["ingest", str(path), "--format", "tiktok"])
    assert result.exit_code == 2 and "format inconnu" in result.stderr


def test_export_round_trips_post_json_and_csv(env: Settings, tmp_path: Path) -> None:
    lines = [
        json.dumps(post_json("1", "Merci Peintures Martin !", created_at="2026-11-18T08:00:00Z")),
        json.dumps(post_json("2", "Rien à voir", created_at="2026-11-20T08:00:00Z", extra_x=1)),
    ]
    runner.invoke(app, ["ingest", str(_write(tmp_path / "in.jsonl", lines))])
    everything = runner.invoke(app, ["export"])
    rows = [json.loads(line) for line in everything.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[1]["extra_x"] == 1 and rows[0]["veille"]["watches"] == ["Ma marque"]
    watched = runner.invoke(app, ["export", "--watch", "Ma marque"])
    assert [json.loads(x)["id"] for x in watched.stdout.splitlines()] == ["1"]
    recent = runner.invoke(app, ["export", "--since", "2026-11-19", "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(recent.stdout)))
    assert [r["id"] for r in table] == ["2"] and table[0]["text"] == "Rien à voir"
    assert runner.invoke(app, ["export", "--watch", "Inconnue"]).exit_code == 2
    assert runner.invoke(app, ["export", "--since", "hier"]).exit_code == 2
    # Re-ingesting an export stores nothing twice.
    exported = _write(tmp_path / "export.jsonl", everything.stdout.splitlines())
    assert _summary(runner.invoke(app, ["ingest", str(exported)]).stdout)["new"] == 0


def test_search_command_folds_accents(env: Settings, tmp_path: Path) -> None:
    lines = [
        json.dumps(post_json("1", "Rénovation de façade à Trélazé")),
        json.dumps(post_json("2", "Match du SCO ce soir")),
    ]
    runner.invoke(app, ["ingest", str(_write(tmp_path / "in.jsonl", lines))])
    result = runner.invoke(app, ["search", "renovation trelaze"])
    assert result.exit_code == 0
    assert "Rénovation de façade à Trélazé" in result.stdout and "SCO" not in result.stdout
    refused = runner.invoke(app, ["search", '"oups'])
    assert refused.exit_code == 2 and "Recherche invalide" in refused.stderr
    assert "[red]" not in refused.stderr  # styled, never printed as markup
    unknown = runner.invoke(app, ["export", "--format", "[bold]xls"])
    assert unknown.exit_code == 2 and "'[bold]xls'" in unknown.stderr


def test_users_add_creates_a_user_who_can_log_in(env: Settings) -> None:
    from veille.users import authenticate

    result = runner.invoke(
        app, ["users", "add", "julien", "--role", "owner"], input="long-secret-1\nlong-secret-1\n"
    )
    assert result.exit_code == 0, result.output
    assert "long-secret-1" not in result.stdout
    # Asked in French, with no empty default shown ("Password []:" before).
    assert "Mot de passe:" in result.stdout and "[]" not in result.stdout
    db = Database.from_settings(env)
    with db.session() as session:
        assert authenticate(session, "julien", "long-secret-1") is not None
    again = runner.invoke(app, ["users", "add", "julien"], input="long-secret-1\nlong-secret-1\n")
    assert again.exit_code == 1
    bad_role = runner.invoke(app, ["users", "add", "x", "--role", "boss", "--password", "12345678"])
    assert bad_role.exit_code == 2


def test_every_area_command_is_wired() -> None:
    result = runner.invoke(app, ["classify", "--tier", "fast"], input="Bonjour Angers !\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["lang"] == "fr"
    for command in ("rules", "match", "guard", "listen", "publish", "schedule", "alerts", "brief"):
        assert runner.invoke(app, [command, "--help"]).exit_code == 0, command
