"""The published detectors of the comparison, and the simulator that compares them."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from veille.report.grid import sampling_step

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def load(name: str) -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))  # the simulator imports its neighbour
    try:
        spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(SCRIPTS))


@pytest.mark.parametrize("name", ["shesd", "cusum", "bocpd"])
def test_each_published_detector_finds_a_large_burst(name: str) -> None:
    methods = load("spike_methods")
    rng = np.random.default_rng(5)
    counts = rng.poisson(10.0, 21 * 24).astype(float)
    counts[20 * 24 + 8 : 20 * 24 + 14] += 60
    alerts = methods.METHODS[name](counts)
    assert any(20 * 24 + 8 <= hour < 20 * 24 + 14 for hour in alerts)


def test_the_simulator_reports_each_method(capsys: pytest.CaptureFixture[str]) -> None:
    simulator = load("simulate_spikes")
    series = simulator.make_series(random.Random(1), 10.0)
    assert len(series.counts) == 74 * 24 and len(series.starts) == 15
    assert {"shift", "holiday", "burst", "outage"} == set(series.events)
    args = ["--seeds", "1", "--series", "1", "--rates", "10", "--methods", "veille", "cusum"]
    assert simulator.main([*args, "--brands", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = [row for row in report["results"] if "method" in row]
    assert [(row["posts_per_hour"], row["method"]) for row in rows] == [
        (10.0, "veille"),
        (10.0, "cusum"),
        ("brand", "veille"),
        ("brand", "cusum"),
    ]
    assert all(0.0 <= row["recall"] <= 1.0 and row["false_alerts_per_30_days"] >= 0 for row in rows)


def test_brand_series_look_like_mention_volumes() -> None:
    brands = load("brand_series")
    brand = brands.make_brand(random.Random(3))
    days = brands.DAYS
    assert len(brand.hourly) == days * 24
    assert 0.9 * days * 24 * 12 < len(brand.samples) < days * 24 * 12  # a few samples lost
    assert sampling_step([moment for moment, _ in brand.samples]) == timedelta(minutes=5)
    hourly = np.asarray(brand.hourly, dtype=float)
    assert 50 < np.median(hourly) < 2000  # hundreds an hour
    by_hour = hourly.reshape(days, 24).mean(axis=0)
    assert by_hour.max() > 2.5 * by_hour.min()  # a strong daily rhythm
    assert len(brand.anomalies) == (days - 3) // 5
    for first, hours in brand.anomalies:
        window = hourly[first : first + hours]
        assert window.max() > 1.8 * np.median(hourly[first - 48 : first])
    assert {"shift", "holiday", "burst", "gap"} == set(brand.events)


def test_recall_and_false_alert_floors_on_a_small_seeded_set() -> None:
    """The default detector on 8 series of each kind (tuning seed 1): the floors of the docs."""
    simulator = load("simulate_spikes")
    brands = load("brand_series")
    detector = simulator.veille("normal")

    def figures(outcomes: list, days: int) -> tuple[float, float]:
        recall = sum(o.caught for o in outcomes) / sum(o.spikes for o in outcomes)
        return recall, sum(o.false for o in outcomes) / (len(outcomes) * days / 30)

    made = [brands.make_brand(random.Random(f"1-brand-{i}")) for i in range(8)]
    outcomes = [
        simulator.score(detector(b.hourly, b.samples), b.anomalies, from_hour=24) for b in made
    ]
    recall, false = figures(outcomes, brands.DAYS - 1)
    assert recall >= 0.8 and false <= 1.0, (recall, false)
    for rate, floor in ((1.0, 0.85), (0.2, 0.35)):
        series = [simulator.make_series(random.Random(f"1-{rate}-{i}"), rate) for i in range(8)]
        outcomes = [simulator.score(detector(s.counts, None), simulator.crises(s)) for s in series]
        recall, false = figures(outcomes, simulator.EVAL_DAYS)
        assert recall >= floor and false <= 1.0, (rate, recall, false)
