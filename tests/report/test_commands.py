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
    assert f"{bad} ligne 3 : le nombre 'two' n'est pas un entier positif ou nul" in err
    bad.write_text("timestamp,count\n2026-03-02T00:00:00Z,1.5\n", encoding="utf-8")
    assert "ligne 2 : le nombre '1.5' n'est pas un entier" in run("--series", str(bad))[2]
    bad.write_text("timestamp,count\nyesterday,1\n", encoding="utf-8")
    assert (
        "ligne 2 : l'horodatage 'yesterday' n'est pas au format ISO 8601"
        in run("--series", str(bad))[2]
    )
    bad.write_text("time,n\n", encoding="utf-8")
    assert (
        "ligne 1 : l'en-tête doit nommer les colonnes timestamp et count"
        in run("--series", str(bad))[2]
    )
    bad.write_text("timestamp,count\n2026-03-02T00:00:00Z,1\n", encoding="utf-8")
    code, _, err = run("--series", str(bad), "--column", "negative")
    assert code == 2 and "pas de colonne negative dans l'en-tête" in err
    code, _, err = run("--series", str(tmp_path / "missing.csv"))
    assert code == 2 and "impossible de lire" in err and "fichier introuvable" in err


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


def test_timestamps_without_offset_are_read_as_utc_with_a_note(tmp_path: Path) -> None:
    csv_file = tmp_path / "naive.csv"
    rows = ["timestamp,value"]  # the column name of public benchmark files
    for hour in range(72):
        count = 40 if hour == 60 else 2
        rows.append(f"{(START + timedelta(hours=hour)):%Y-%m-%d %H:%M:%S},{count}.0")
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, lines, err = run("--series", str(csv_file))
    assert code == 0
    assert "72 horodatages sans décalage lus en UTC" in err
    [alert] = [json.loads(line) for line in lines]
    assert alert["start"] == (START + timedelta(hours=60)).isoformat()


def five_minute_series(rng: random.Random, *, days: int, rate: float) -> list[tuple[datetime, int]]:
    """5-minute counts of a busy brand (``rate`` posts an hour, daily rhythm), naive stamps."""
    first = START + timedelta(minutes=42, seconds=53)  # samples off the hour, as exported
    points = []
    for index in range(days * 24 * 12):
        moment = first + timedelta(minutes=5 * index)
        hour = moment.hour + moment.minute / 60
        mean = rate / 12 * (1 + 0.7 * math.cos(2 * math.pi * (hour - 15) / 24))
        points.append((moment, max(0, round(rng.gauss(mean, math.sqrt(mean) * 1.3)))))
    return points


def test_backtest_reads_five_minute_counts_with_gaps(tmp_path: Path) -> None:
    rng = random.Random(5)
    points = five_minute_series(rng, days=12, rate=300.0)
    crisis = START + timedelta(days=9, hours=14)
    points = [
        (moment, count * 5 if crisis <= moment < crisis + timedelta(hours=2) else count)
        for moment, count in points
    ]
    # The collector was down for 7 hours, then lost every other sample for 5 hours.
    down = START + timedelta(days=6, hours=10)
    points = [
        (moment, count)
        for index, (moment, count) in enumerate(points)
        if not down <= moment < down + timedelta(hours=7)
        and not (down + timedelta(hours=7) <= moment < down + timedelta(hours=12) and index % 2)
    ]
    rows = ["timestamp,count"] + [f"{m:%Y-%m-%d %H:%M:%S},{c}" for m, c in points]
    csv_file = tmp_path / "five-minutes.csv"
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, lines, _ = run("--series", str(csv_file))
    assert code == 0
    [alert] = [json.loads(line) for line in lines]
    # Hours: 14:42:53 falls in the 14:00 hour, so the crisis fills 14:00 to 16:00 mostly.
    start = datetime.fromisoformat(alert["start"])
    assert crisis - timedelta(hours=1) <= start <= crisis + timedelta(hours=1)
    assert datetime.fromisoformat(alert["end"]) <= crisis + timedelta(hours=5)


def test_backtest_reads_a_daily_series_day_by_day(tmp_path: Path) -> None:
    rng = random.Random(8)
    rows = ["timestamp,count"]
    for day in range(120):
        moment = START + timedelta(days=day)
        count = round(rng.gauss(60, 8) * (0.6 if moment.weekday() >= 5 else 1.0))
        count *= 5 if day == 100 else 1
        rows.append(f"{moment.date().isoformat()}T00:00:00+01:00,{count}")
    csv_file = tmp_path / "daily.csv"
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, lines, _ = run("--series", str(csv_file))
    assert code == 0
    [alert] = [json.loads(line) for line in lines]
    day = (START + timedelta(days=100)).date().isoformat()
    assert alert["start"] == f"{day}T00:00:00+01:00"
    assert alert["end"] == f"{(START + timedelta(days=101)).date().isoformat()}T00:00:00+01:00"


def test_a_series_of_a_few_rows_or_none_prints_nothing(tmp_path: Path) -> None:
    csv_file = tmp_path / "tiny.csv"
    for text in ("timestamp,count\n", "timestamp,count\n2026-03-02T10:00:00Z,900\n"):
        csv_file.write_text(text, encoding="utf-8")
        assert run("--series", str(csv_file)) == (0, [], "")
