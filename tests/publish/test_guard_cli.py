"""`veille guard` as typed in a terminal: an argument, or JSON lines on stdin."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from veille.publish.commands import register


def make_app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("version")  # a second command keeps `guard` a named subcommand
    def version() -> None:
        typer.echo("test")

    return app


runner = CliRunner()


def test_guard_with_a_text_argument_prints_one_json_line() -> None:
    result = runner.invoke(make_app(), ["guard", "Votez Bardella, bande de guignols !"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report["risk"] == "high"
    assert {"politics", "insult"} <= {flag["kind"] for flag in report["flags"]}
    assert set(report["flags"][0]) == {"kind", "severity", "start", "end", "explanation"}


def test_lang_and_network_options() -> None:
    text = "https://martin-peinture.fr " + "a" * 300
    result = runner.invoke(make_app(), ["guard", text, "--lang", "en", "--network", "x"])
    report = json.loads(result.stdout)
    kinds = {flag["kind"]: flag["explanation"] for flag in report["flags"]}
    assert set(kinds) == {"length", "link_cost"}
    assert kinds["length"].startswith("Too long for X")
    mastodon = runner.invoke(make_app(), ["guard", text, "--network", "mastodon"])
    assert json.loads(mastodon.stdout) == {"risk": "low", "flags": []}


def test_json_lines_on_stdin_one_report_per_draft() -> None:
    drafts = [
        {"text": "Le mur de gauche est fini."},
        {"text": "Bonne nuit !", "scheduled_at": "2026-03-14T23:40:00"},
        {"text": "a" * 290, "networks": ["x"]},
        {"text": "a" * 290, "networks": ["bluesky"]},
        {"text": "Promo -20 % !", "open_crisis": True},
    ]
    stdin = "\n".join(json.dumps(d) for d in drafts) + "\n\n"
    result = runner.invoke(make_app(), ["guard"], input=stdin)
    assert result.exit_code == 0, result.output
    reports = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [r["risk"] for r in reports] == ["low", "medium", "high", "low", "high"]
    assert reports[1]["flags"][0]["kind"] == "late_night"


def test_bad_lines_are_reported_in_place_and_the_command_fails() -> None:
    stdin = (
        '{"text": "Bonjour"}\nnot json\n{"texte": "oops"}\n'
        '{"text": "ok", "scheduled_at": "demain"}\n'
    )
    result = runner.invoke(make_app(), ["guard"], input=stdin)
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert out[0]["risk"] == "low"
    assert out[1] == {"error": "ligne 2 : JSON invalide (Expecting value)"}
    assert "ligne 3" in out[2]["error"] and '"text"' in out[2]["error"]
    assert "ligne 4" in out[3]["error"] and "scheduled_at" in out[3]["error"]
    assert "veille guard: ligne 2" in result.stderr


def test_bad_options_get_a_clear_message() -> None:
    result = runner.invoke(make_app(), ["guard", "Bonjour", "--lang", "de"])
    assert result.exit_code == 2
    assert "--lang : 'de' n'est pas prise en charge ; utilisez fr ou en" in result.stderr
    result = runner.invoke(make_app(), ["guard", "Bonjour", "--network", "facebook"])
    assert result.exit_code == 2
    assert "réseau inconnu 'facebook'" in result.stderr


def test_hostile_input_on_the_command_line() -> None:
    empty = runner.invoke(make_app(), ["guard", ""])
    assert json.loads(empty.stdout)["flags"][0]["kind"] == "empty"
    control = runner.invoke(make_app(), ["guard", "Salut\x1b[31m rouge"])
    assert "control_chars" in {f["kind"] for f in json.loads(control.stdout)["flags"]}
    huge = runner.invoke(make_app(), ["guard"], input=json.dumps({"text": "a" * 300_000}) + "\n")
    assert huge.exit_code == 1
    assert "trop long pour un brouillon" in json.loads(huge.stdout)["error"]
