"""`veille alerts backtest` on CSV files, through a Typer app as the CLI wires it."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer
from typer.testing import CliRunner

from veille.report.commands import register

START = datetime(2026, 3, 2, tzinfo=UTC)


def app() -> typer.Typer:
    root = typer.Typer()
    root.callback()(lambda: None)
    register(root)
    return root


def write_series(path: Path, *, negative_spike: bool) -> Path:
    rng = random.Random(11)
    lines = ["timestamp,count,negative"]
    for hour in range(16 * 24):
        limit, k, product = math.exp(-1.0), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        negative = 1 if k > 1 else 0
        if 15 * 24 + 9 <= hour < 15 * 24 + 15:
            k += 6
            negative += 5 if negative_spike else 0
        moment = (START + timedelta(hours=hour)).isoformat().replace("+00:00", "Z")
        lines.append(f"{moment},{k},{negative}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(app(), ["alerts", "backtest", *args])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_backtest_prints_each_alert_as_a_json_line(tmp_path: Path) -> None:
    csv_file = write_series(tmp_path / "series.csv", negative_spike=False)
    code, lines, _ = run("--series", str(csv_file))
    assert code == 0
    [alert] = [json.loads(line) for line in lines]
    assert set(alert) == {"start", "end", "score"}
    start, end = datetime.fromisoformat(alert["start"]), datetime.fromisoformat(alert["end"])
    onset = START + timedelta(days=15, hours=9)
    assert onset - timedelta(hours=2) <= start <= onset + timedelta(hours=1)
    assert onset + timedelta(hours=4) <= end <= onset + timedelta(hours=8)
    assert alert["score"] > 3
    # Only the total moved: negative volume stayed flat.
    code, lines, _ = run("--series", str(csv_file), "--column", "negative")
    assert (code, lines) == (0, [])


def test_backtest_watches_the_negative_column_and_methods(tmp_path: Path) -> None:
    csv_file = write_series(tmp_path / "series.csv", negative_spike=True)
    code, lines, _ = run("--series", str(csv_file), "--column", "negative")
    assert code == 0 and len(lines) == 1
    for method in ("poisson", "cusum", "zscore"):
        code, lines, _ = run("--series", str(csv_file), "--method", method, "--sensitivity", "low")
        assert code == 0 and len(lines) >= 1, method


def test_a_malformed_line_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "timestamp,count\n2026-03-02T00:00:00Z,1\n2026-03-02T01:00:00Z,two\n", encoding="utf-8"
    )
    code, lines, err = run("--series", str(bad))
    assert code == 2 and lines == []
    assert f"{bad} line 3: count 'two' is not a whole number" in err
    bad.write_text("timestamp,count\n2026-03-02 00:00,1\n", encoding="utf-8")
    assert "line 2: timestamp '2026-03-02 00:00' has no offset" in run("--series", str(bad))[2]
    bad.write_text("timestamp,count\nyesterday,1\n", encoding="utf-8")
    assert "line 2: timestamp 'yesterday' is not ISO 8601" in run("--series", str(bad))[2]
    bad.write_text("time,n\n", encoding="utf-8")
    assert (
        "line 1: header must name the columns timestamp and count" in run("--series", str(bad))[2]
    )
    bad.write_text("timestamp,count\n2026-03-02T00:00:00Z,1\n", encoding="utf-8")
    code, _, err = run("--series", str(bad), "--column", "negative")
    assert code == 2 and "no negative column" in err
    code, _, err = run("--series", str(tmp_path / "missing.csv"))
    assert code == 2 and "cannot read" in err


def test_backtest_works_on_a_two_day_series_at_any_level(tmp_path: Path) -> None:
    for rate in (0.5, 5_000):
        lines = ["timestamp,count"]
        for hour in range(48):
            count = round(rate * (1 + 0.5 * math.sin(hour / 4)))
            if 40 <= hour < 43:
                count += round(6 * rate) + 8  # a crisis on the second day
            moment = (START + timedelta(hours=hour)).isoformat().replace("+00:00", "Z")
            lines.append(f"{moment},{count}")
        csv_file = tmp_path / f"short-{rate}.csv"
        csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, out, _ = run("--series", str(csv_file))
        assert code == 0, rate
        [alert] = [json.loads(line) for line in out]
        assert datetime.fromisoformat(alert["start"]) == START + timedelta(hours=40), rate
