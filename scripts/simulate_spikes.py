"""Measure spike detection on simulated series: recall, false alerts, detection delay.

Each series has daily and weekly seasonality, day-to-day drift of the level (real volumes are
burstier than a pure Poisson process), 14 days of history, then an evaluation period with a
spike every few days: for SPIKE_HOURS hours the rate gains (FACTOR - 1) x the mean rate, so a
spike at a baseline of 1 post/hour runs at about 5 posts/hour.

    .venv/bin/python scripts/simulate_spikes.py            # default sensitivity, all methods
    .venv/bin/python scripts/simulate_spikes.py --all-sensitivities

Prints JSON. Seeded: the same command prints the same figures.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from veille.report.spikes import METHODS, SENSITIVITIES, detect

BASELINES = (0.2, 1.0, 10.0)
HISTORY_DAYS = 14
EVAL_DAYS = 60
SERIES = 30
FACTOR = 5.0
SPIKE_HOURS = 6
SPIKE_EVERY_DAYS = 4
LATE_HOURS = 3  # an alert raised up to 3 hours after the spike ended still caught it
DAY_DRIFT_CV = 0.15
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday


def hour_shape(hour: int) -> float:
    """Quiet nights, busy afternoons: 0.3 at 2 am to 1.7 at 2 pm, mean 1."""
    return 1.0 + 0.7 * math.cos(2 * math.pi * (hour - 14) / 24)


WEEK_SHAPE = (1.1, 1.1, 1.1, 1.1, 1.05, 0.8, 0.75)


def poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:  # normal approximation; exact enough for a 10/hour baseline
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def make_series(rng: random.Random, base: float) -> tuple[list[int], list[int]]:
    """Hourly counts and the first hour of each injected spike."""
    days = HISTORY_DAYS + EVAL_DAYS
    week_mean = sum(WEEK_SHAPE) / 7
    starts: list[int] = []
    block = SPIKE_EVERY_DAYS * 24
    for first in range(HISTORY_DAYS * 24, days * 24 - block + 1, block):
        starts.append(first + rng.randrange(12, block - SPIKE_HOURS - 12))
    in_spike = set()
    for start in starts:
        in_spike.update(range(start, start + SPIKE_HOURS))
    counts = []
    shape = 1 / DAY_DRIFT_CV**2
    for day in range(days):
        drift = rng.gammavariate(shape, 1 / shape)
        for hour in range(24):
            t = day * 24 + hour
            rate = base * drift * hour_shape(hour) * WEEK_SHAPE[day % 7] / week_mean
            if t in in_spike:
                rate += (FACTOR - 1) * base
            counts.append(poisson(rng, rate))
    return counts, starts


def score(alerts: list[int], starts: list[int], eval_hours: int) -> tuple[int, int, list[int], int]:
    """(spikes, caught, delays in hours, false alerts) for alerts given as detection hours."""
    delays = []
    matched = set()
    for start in starts:
        hits = [a for a in alerts if start <= a < start + SPIKE_HOURS + LATE_HOURS]
        if hits:
            # The alert is raised when the detection hour closes: delay counts that hour.
            delays.append(min(hits) - start + 1)
            matched.update(hits)
    false = sum(1 for a in alerts if a not in matched and a >= HISTORY_DAYS * 24)
    return len(starts), len(delays), delays, false


def evaluate(method: str, sensitivity: str, base: float, data: list[Any]) -> dict[str, Any]:
    spikes = caught = false = 0
    delays: list[int] = []
    for counts, starts in data:
        series = [(START + timedelta(hours=i), c) for i, c in enumerate(counts)]
        found = detect(series, method=method, sensitivity=sensitivity)  # type: ignore[arg-type]
        alerts = [int((s.detected_at - START) / timedelta(hours=1)) for s in found]
        n, c, d, f = score(alerts, starts, EVAL_DAYS * 24)
        spikes, caught, false = spikes + n, caught + c, false + f
        delays += d
    months = len(data) * EVAL_DAYS / 30
    return {
        "method": method,
        "sensitivity": sensitivity,
        "baseline_per_hour": base,
        "spikes": spikes,
        "recall": round(caught / spikes, 3),
        "false_alerts_per_30_days": round(false / months, 3),
        "median_delay_hours": float(statistics.median(delays)) if delays else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--series", type=int, default=SERIES, help="series per baseline")
    parser.add_argument("--all-sensitivities", action="store_true")
    args = parser.parse_args(argv)
    sensitivities = SENSITIVITIES if args.all_sensitivities else ("normal",)
    results = []
    for base in BASELINES:
        rng = random.Random(f"{args.seed}-{base}")
        data = [make_series(rng, base) for _ in range(args.series)]
        for method in METHODS:
            for sensitivity in sensitivities:
                results.append(evaluate(method, sensitivity, base, data))
    report = {
        "setup": {
            "seed": args.seed,
            "series_per_baseline": args.series,
            "history_days": HISTORY_DAYS,
            "evaluation_days": EVAL_DAYS,
            "spike": f"+{FACTOR - 1:g} x baseline for {SPIKE_HOURS} h",
            "spike_every_days": SPIKE_EVERY_DAYS,
            "day_to_day_drift_cv": DAY_DRIFT_CV,
            "delay": "hours from spike start to the end of the hour that raised the alert",
        },
        "results": results,
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
