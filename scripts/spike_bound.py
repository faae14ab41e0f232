"""What any detector could reach on a crisis at low volume, knowing the true rate exactly.

The crisis is the simulator's (scripts/simulate_spikes.py): for 6 hours the rate gains 4 x the
day's mean rate. The series is the plainest one: Poisson counts around a daily rhythm (swing
60 %), no day-to-day variation, no bursts, no shifts. The detector is the optimal one for that
crisis (Page's CUSUM of the exact likelihood ratio, with the true rate): no real detector
does better, since a real one must learn the rate. A crisis counts as caught when an alert
comes between its start and 3 hours after its end, as in the simulator.

    .venv/bin/python scripts/spike_bound.py            # prints JSON: one row per threshold

Seeded: the same command prints the same figures.
"""

from __future__ import annotations

import argparse
import json
import math

import numpy as np

HOURS_PER_30_DAYS = 720
SWING = 0.6
EXTRA = 4.0  # the crisis adds this many times the day's mean rate, for CRISIS_HOURS
CRISIS_HOURS = 6
LATE_HOURS = 3
MERGE_GAP = 6


def rate(base: float, hours: np.ndarray) -> np.ndarray:
    return np.asarray(base * (1 + SWING * np.cos(2 * np.pi * (hours % 24 - 14) / 24)))


def first_alarm(counts: np.ndarray, weights: np.ndarray, extra: float, threshold: float) -> int:
    """Index of the first hour at which the CUSUM passes threshold (nats), or -1."""
    statistic = 0.0
    for index, (count, weight) in enumerate(zip(counts, weights, strict=True)):
        statistic = max(0.0, statistic + count * weight - extra)
        if statistic > threshold:
            return index
    return -1


def false_alerts(base: float, threshold: float, rng: np.random.Generator, months: int) -> float:
    hours = np.arange(months * HOURS_PER_30_DAYS)
    lam = rate(base, hours)
    extra = EXTRA * base
    weights = np.log1p(extra / lam)
    counts = rng.poisson(lam)
    alerts, statistic, last = 0, 0.0, -(10**9)
    for index in range(len(hours)):
        statistic = max(0.0, statistic + counts[index] * weights[index] - extra)
        if statistic > threshold:
            if index - last > MERGE_GAP:
                alerts += 1
            last, statistic = index, 0.0
    return alerts / months


def recall(base: float, threshold: float, rng: np.random.Generator, crises: int) -> float:
    extra = EXTRA * base
    caught = 0
    for start in rng.integers(0, 24, crises):
        # A day of quiet history before the crisis, then the crisis and the late allowance.
        hours = np.arange(start - 24, start + CRISIS_HOURS + LATE_HOURS)
        lam = rate(base, hours)
        during = (hours >= start) & (hours < start + CRISIS_HOURS)
        counts = rng.poisson(lam + np.where(during, extra, 0.0))
        weights = np.log1p(extra / lam)
        # Alarms before the crisis are the false alerts counted above: restart after each.
        offset = 0
        while offset < len(hours):
            alarm = first_alarm(counts[offset:], weights[offset:], extra, threshold)
            if alarm < 0:
                break
            if hours[offset + alarm] >= start:
                caught += 1
                break
            offset += alarm + 1
    return caught / crises


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[0.2, 1.0])
    parser.add_argument("--months", type=int, default=100, help="30-day periods of noise")
    parser.add_argument("--crises", type=int, default=2000)
    args = parser.parse_args(argv)
    rows = []
    for base in args.rates:
        for threshold in (3.5, 4.0, 4.5, 5.0, 5.5):
            rng = np.random.default_rng(7)
            false = false_alerts(base, threshold, rng, args.months)
            rows.append(
                {
                    "posts_per_hour": base,
                    "threshold_log10": round(threshold / math.log(10), 2),
                    "false_alerts_per_30_days": round(false, 2),
                    "recall": round(recall(base, threshold, rng, args.crises), 3),
                }
            )
    print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
