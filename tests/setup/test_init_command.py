"""`veille init` unattended and asked, its refusals, and `veille profile show`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app
from veille.config import Settings, get_settings
from veille.store import queries, repository
from veille.store.db import Database

runner = CliRunner()
FLORIST = [
    "init",
    "--name",
    "Fleurs du Marais",
    "--trade",
    "fleuriste",
    "--city",
    "Bordeaux",
    "--radius-km",
    "10",
    "--handle",
    "x:fleursdumarais",
    "--owner",
    "Claire Dubois",
    "--owner-handle",
    "bluesky:claire.bsky.social",
    "--competitor",
    "Au Jardin de Lys=x:jardindelys",
    "--website",
    "https://fleursdumarais.fr",
    "--yes",
]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VEILLE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def _stored(settings: Settings) -> tuple[object, list[str]]:
    db = Database.from_settings(settings)
    with db.session() as session:
        profile = repository.load_profile(session)
        names = [w.name for w in queries.watches(session)]
    db.engine.dispose()
    return profile, names


def test_init_unattended_saves_the_profile_and_the_watches(env: Settings) -> None:
    result = runner.invoke(app, FLORIST)
    assert result.exit_code == 0, result.output
    assert '"city": "Bordeaux"' in result.output
    assert "Demandes de fleuriste (Bordeaux)" in result.output
    profile, names = _stored(env)
    assert profile is not None
    assert "Concurrent : Au Jardin de Lys" in names and "Fleurs du Marais" in names
    assert len(names) == 6
    # Run again: the same watches are updated, not doubled.
    assert runner.invoke(app, FLORIST).exit_code == 0
    assert len(_stored(env)[1]) == 6

    wider = runner.invoke(app, [*FLORIST, "--area", "Arcachon", "--area", "Libourne (33)"])
    assert wider.exit_code == 0, wider.output
    shown = runner.invoke(app, ["profile", "show"])
    assert shown.exit_code == 0
    data = json.loads(shown.output)
    assert data["trade"] == "fleuriste" and data["owner_handles"] == ["claire.bsky.social"]
    assert {"Mérignac", "Arcachon", "Libourne"} <= set(data["area"])


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--city", "Bordaux", "Bordeaux (33)"),
        ("--trade", "fleurist", "fleuriste"),
        ("--handle", "fleursdumarais", "RÉSEAU:COMPTE"),
    ],
)
def test_init_refuses_an_unknown_commune_trade_or_handle(
    env: Settings, option: str, value: str, said: str
) -> None:
    args = list(FLORIST)
    args[args.index(option) + 1] = value
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert said in result.output
    assert _stored(env) == (None, [])


def test_init_with_yes_needs_name_trade_and_city(env: Settings) -> None:
    result = runner.invoke(app, ["init", "--name", "X", "--yes"])
    assert result.exit_code == 2 and "--trade" in result.output and "--city" in result.output


def test_init_asks_in_the_chosen_language(env: Settings) -> None:
    answers = "\n".join(["Pain Doré", "boulanger", "Angers", "10", "", "", "", "", "y"]) + "\n"
    result = runner.invoke(app, ["init", "--lang", "en"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Business name" in result.output and "Proposed watches" in result.output
    profile, names = _stored(env)
    assert profile is not None and "Demandes de boulangerie (Angers)" in names


def test_profile_show_without_a_profile(env: Settings) -> None:
    result = runner.invoke(app, ["profile", "show"])
    assert result.exit_code == 1 and "veille init" in result.output


def test_init_asked_asks_again_for_a_refused_answer_with_the_closest_matches(
    env: Settings,
) -> None:
    answers = [
        "Fleurs du Marais",
        "fleuriist",  # unknown trade: the closest are shown, then asked again
        "Bordaux",  # unknown commune
        "dix",  # not a number of km
        "10",
        "",
        "",
        "",
        "",
        "fleuriste",
        "Bordeaux",
        "y",
    ]
    result = runner.invoke(app, ["init"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Un nombre entier de kilomètres" in result.output
    assert "fleuriste" in result.output and "Bordeaux (33)" in result.output
    profile, names = _stored(env)
    assert profile is not None and "Demandes de fleuriste (Bordeaux)" in names
