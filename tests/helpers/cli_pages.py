"""Every help page of the `veille` command and a refusal of each command, as one process sees
them (its language is fixed by VEILLE_LANGUAGE at import): `python -m tests.helpers.cli_pages
WORKDIR` prints {invocation: output} as JSON. Run in a subprocess by tests/test_cli_language.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from veille.cli import app


def command_paths(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group of the app, as the words typed to reach it."""
    paths = [prefix]
    for name, command in getattr(group, "commands", {}).items():
        paths += command_paths(command, (*prefix, name))
    return paths


def refusals(work: Path) -> list[list[str]]:
    """One wrong use of each command that says why (files in ``work``)."""
    bad_csv = work / "series.csv"
    bad_csv.write_text("timestamp,count\n2026-03-01T10:00:00+00:00,deux\n", encoding="utf-8")
    bad_lines = work / "drafts.jsonl"
    bad_lines.write_text('{"text": 3}\n', encoding="utf-8")
    missing = str(work / "absent.jsonl")
    return [
        ["ingest", missing],
        ["ingest", missing, "--format", "facebook"],
        ["export", "--format", "xml"],
        ["export", "--since", "hier"],
        ["export", "--watch", "Inconnue"],
        ["search", '"non fermé'],
        ["users", "add", "claire", "--role", "chef", "--password", "motdepasse1"],
        ["users", "add", "claire", "--password", "court"],
        ["users", "add"],
        ["alerts", "backtest", "--series", str(bad_csv)],
        ["alerts", "backtest", "--series", missing],
        ["alerts", "run", "--now", "2026-03-01T10:00"],
        ["brief", "send", "--force"],
        ["rules", "check", "(peinture"],
        ["guard", "Bonjour", "--lang", "de"],
        ["guard", "Bonjour", "--network", "facebook"],
        ["classify", "--tier", "lent"],
        ["classify", missing],
        ["init", "--yes"],
        ["profile", "show"],
        ["listen", "--sources", missing],
        ["worker", "--broker", "http://courtier:4222"],
        ["ingest", str(bad_lines), "--broker", "courtier:4222"],
        ["no-such-command"],
    ]


def main() -> None:
    work = Path(sys.argv[1])
    runner = CliRunner()
    command: typer.Typer = app
    root = typer.main.get_command(command)
    pages: dict[str, str] = {}
    for path in command_paths(root):
        result = runner.invoke(command, [*path, "--help"], terminal_width=200)
        pages[" ".join([*path, "--help"])] = result.output
    for args in refusals(work):
        result = runner.invoke(command, args, terminal_width=200)
        assert result.exit_code != 0, args
        pages[" ".join(args)] = result.output
    print(json.dumps(pages, ensure_ascii=False))


if __name__ == "__main__":
    main()
