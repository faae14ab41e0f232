from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from veille.understand.commands import register
from veille.understand.types import INTENTS


def make_app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def version() -> None:  # a second command keeps `classify` a named subcommand
        typer.echo("0")

    return app


def test_plain_lines_from_a_file_give_one_json_line_each_in_order(tmp_path: Path) -> None:
    source = tmp_path / "posts.txt"
    source.write_text(
        "Quelqu'un connaît un bon peintre à Angers ?\n"
        "Service horrible, je suis furieux et déçu\n"
        "\n"
        "Thanks a lot, wonderful work!\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(make_app(), ["classify", str(source), "--tier", "fast"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["lang"] for line in lines] == ["fr", "fr", "und", "en"]
    for line in lines:
        assert set(line) == {"lang", "sentiment", "intents", "entities"}
        assert line["sentiment"]["label"] in ("negative", "neutral", "positive")
        assert 0.0 <= line["sentiment"]["score"] <= 1.0
        assert set(line["intents"]) == set(INTENTS)
    assert lines[0]["intents"]["question"] >= 0.5
    assert lines[1]["sentiment"]["label"] == "negative"


def test_json_lines_from_stdin_with_the_accurate_tier() -> None:
    stdin = "\n".join(
        json.dumps({"id": i, "text": t})
        for i, t in enumerate(["Merci pour le gâteau, un régal ! @aupaindore", "Bonjour #Lyon"])
    )
    result = CliRunner().invoke(make_app(), ["classify"], input=stdin + "\n")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["lang"] == "fr"
    assert first["entities"]["mentions"] == ["aupaindore"]
    assert first["sentiment"]["label"] == "positive"
    assert second["entities"]["hashtags"] == ["Lyon"]


def test_a_json_line_without_text_names_the_line() -> None:
    result = CliRunner().invoke(make_app(), ["classify"], input='bonjour\n{"body": "x"}\n')
    assert result.exit_code == 2
    assert "entrée standard ligne 2" in result.output
    assert '"text"' in result.output


def test_unknown_tier_is_refused() -> None:
    result = CliRunner().invoke(make_app(), ["classify", "--tier", "slow"], input="x\n")
    assert result.exit_code != 0
    assert "--tier" in result.output


def test_missing_or_non_utf8_files_are_named(tmp_path: Path) -> None:
    missing = CliRunner().invoke(make_app(), ["classify", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2
    assert "nope.txt" in missing.output
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café crème\n".encode("latin-1"))
    bad = CliRunner().invoke(make_app(), ["classify", str(latin1), "--tier", "fast"])
    assert bad.exit_code == 2
    assert "latin1.txt n'est pas du texte UTF-8" in bad.output


def test_a_profile_file_turns_requests_into_leads(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {
                "name": "Garage Lefèvre",
                "trade": "garagiste",
                "services": ["garage"],
                "city": "Lille",
                "departement_code": "59",
            }
        ),
        encoding="utf-8",
    )
    texts = "Je cherche un garage à Lille pour une vidange\nJe cherche un garage à Brest\n"
    result = CliRunner().invoke(
        make_app(), ["classify", "--tier", "fast", "--profile", str(profile)], input=texts
    )
    assert result.exit_code == 0, result.output
    leads = [json.loads(line)["intents"]["lead"] >= 0.5 for line in result.stdout.splitlines()]
    assert leads == [True, False]
