"""The published detectors of the comparison, and the simulator that compares them."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

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
    assert simulator.main(args) == 0
    report = json.loads(capsys.readouterr().out)
    rows = [row for row in report["results"] if "method" in row]
    assert [row["method"] for row in rows] == ["veille", "cusum"]
    assert all(0.0 <= row["recall"] <= 1.0 and row["false_alerts_per_30_days"] >= 0 for row in rows)
