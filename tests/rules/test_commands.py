"""`veille rules check` and `veille match`, run through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from veille.rules.commands import register


def app() -> typer.Typer:
    application = typer.Typer()

    @application.callback()
    def main() -> None:
        """Veille."""

    register(application)
    return application


runner = CliRunner()


def post_line(post_id: str, text: str) -> str:
    return json.dumps(
        {
            "id": post_id,
            "network": "x",
            "created_at": "2025-03-04T09:30:00Z",
            "text": text,
            "lang": "fr",
            "author": {"id": "7", "username": "marie"},
        },
        ensure_ascii=False,
    )


def test_check_prints_the_tree() -> None:
    result = runner.invoke(app(), ["rules", "check", "peintre (angers OR trélazé)"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "ET",
        "├── mot peintre",
        "└── OU",
        "    ├── mot angers",
        "    └── mot trelaze",
    ]


def test_check_shows_the_error_with_a_caret() -> None:
    result = runner.invoke(app(), ["rules", "check", "peintre (angers OR trélazé"])
    assert result.exit_code == 1
    assert "parenthèse non fermée, colonne 9" in result.output
    assert "          ^" in result.output
    english = runner.invoke(app(), ["rules", "check", "lang:fr", "--lang", "en"])
    assert english.exit_code == 1
    assert "lang: cannot be used alone" in english.output


def test_match_writes_one_line_per_post(tmp_path: Path) -> None:
    rules = tmp_path / "rules.txt"
    rules.write_text(
        "# leads in Angers\n"
        "peintre angers -emploi\n"
        "\n"
        'brand\t"Dupont Peinture" OR @dupont_peinture\n'
        "renov*\n",
        encoding="utf-8",
    )
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        "\n".join(
            [
                post_line("1", "Qui connaît un bon peintre à Angers ?"),
                "{not json",
                post_line("2", "Merci Dupont Peinture pour la rénovation"),
                json.dumps({"id": "3", "network": "x"}),
                post_line("4", "rien à voir"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app(), ["match", "--rules", str(rules), "--posts", str(posts)])
    assert result.exit_code == 2  # two post lines were skipped
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == [
        {"post_id": "1", "rules": ["2"]},
        {"post_id": "2", "rules": ["brand", "5"]},
        {"post_id": "4", "rules": []},
    ]
    assert "ligne 2" in result.stderr
    assert "ligne 4" in result.stderr and "created_at" in result.stderr


def test_match_refuses_bad_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.txt"
    rules.write_text("peintre\nis:retweet\n", encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    posts.write_text(post_line("1", "peintre") + "\n", encoding="utf-8")
    result = runner.invoke(app(), ["match", "--rules", str(rules), "--posts", str(posts)])
    assert result.exit_code == 1
    assert "règle 2 : is: ne peut pas être employé seul" in result.stderr
