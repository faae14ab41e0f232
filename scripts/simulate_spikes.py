"""Measure spike detectors on simulated, overdispersed series: recall, false alerts, delay.

Each series (74 days, hourly) has a daily rhythm and a weekly one that differ per series, a
level that varies from day to day (autocorrelated, CV about 20 %), a slow trend, a level shift
(x0.6 to x1.8, for good), two holidays (x0.3 to x0.6 for a day), news bursts that are not
crises (x1.3 to x2.2 for 1 to 6 hours, about every 4 days), missing hours (an outage of 1 to 8
hours recorded as zero, about every 20 days), and hour-to-hour noise beyond Poisson (CV 10 %).
After 14 days of history, a crisis every 4 days: for SPIKE_HOURS hours the rate gains
(FACTOR - 1) x the day's mean rate, so the count runs about five times its normal.

A crisis is caught if an alert is raised between its start and LATE_HOURS after its end;
every other alert in the evaluation period is a false alert. Delay: hours from the crisis'
start to the end of the hour that raised the alert (1 is the best an hourly series allows).
Intervals: 90 % percentile bootstrap over series.

    PYTHONPATH=src .venv/bin/python scripts/simulate_spikes.py            # held out: 201-203
    PYTHONPATH=src .venv/bin/python scripts/simulate_spikes.py --seeds 1 2 3  # tuning seeds
    ... --methods veille veille-low veille-high shesd cusum bocpd --rates 1

The brand series (scripts/brand_series.py: two months of 5-minute counts of a busy brand,
labelled news storms) are scored the same way (a storm is caught by an alert between its
start and LATE_HOURS after its labelled window; false alerts are counted after the first
day); ``--brands 0`` leaves them out.

The defaults were tuned on seeds 1-3 only; 201-203 were first run once the defaults were set.

Prints JSON. Seeded: the same command prints the same figures.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from brand_series import DAYS as BRAND_DAYS
from brand_series import Brand, make_brand
from spike_methods import METHODS as PUBLISHED

from veille.report.spikes import Sensitivity, detect

BASELINES = (0.2, 1.0, 10.0, 100.0, 1000.0)
HISTORY_DAYS = 14
EVAL_DAYS = 60
SERIES = 12
FACTOR = 5.0
SPIKE_HOURS = 6
SPIKE_EVERY_DAYS = 4
LATE_HOURS = 3
DAY_CV = 0.2  # day-to-day variation of the level
DAY_MEMORY = 0.6  # how much of yesterday's deviation carries over
HOUR_CV = 0.1  # hour-to-hour noise beyond Poisson
BURSTS_PER_DAY = 0.25
OUTAGES_PER_DAY = 0.05
HOLIDAYS = 2
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday


@dataclass
class Series:
    counts: list[int]
    starts: list[int]  # first hour of each crisis
    # What else happened, to tell false alerts apart: (first hour, hours) of each event.
    events: dict[str, list[tuple[int, int]]]


def count(rng: random.Random, mean: float) -> int:
    if mean > 50:  # normal approximation of the Poisson
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def make_series(rng: random.Random, base: float) -> Series:
    days = HISTORY_DAYS + EVAL_DAYS
    hours = days * 24
    peak = rng.uniform(10, 19)
    swing = rng.uniform(0.4, 0.8)
    weekend = rng.uniform(0.55, 1.0)
    week = [1.0, 1.0, 1.0, 1.0, 1.0, weekend, weekend]
    week_mean = sum(week) / 7
    trend = rng.uniform(-0.3, 0.3) / days  # log-level change per day
    shift_day = rng.randrange(HISTORY_DAYS + 3, days - 3)
    shift = math.exp(rng.uniform(math.log(0.6), math.log(1.8)))
    holidays = set(rng.sample(range(HISTORY_DAYS, days), HOLIDAYS))
    level, deviation = [], 0.0
    for day in range(days):
        deviation = DAY_MEMORY * deviation + math.sqrt(1 - DAY_MEMORY**2) * rng.gauss(0, DAY_CV)
        value = math.exp(deviation - DAY_CV**2 / 2 + trend * day)
        value *= shift if day >= shift_day else 1.0
        value *= rng.uniform(0.3, 0.6) if day in holidays else 1.0
        level.append(value)
    rate = [
        base
        * level[t // 24]
        * (1 + swing * math.cos(2 * math.pi * (t % 24 - peak) / 24))
        * week[(t // 24) % 7]
        / week_mean
        for t in range(hours)
    ]
    events: dict[str, list[tuple[int, int]]] = {
        "shift": [(shift_day * 24, 24)],
        "holiday": [(day * 24, 24) for day in sorted(holidays)],
        "burst": [],
        "outage": [],
    }
    for _ in range(int(BURSTS_PER_DAY * days)):
        first, length = rng.randrange(hours), rng.randint(1, 6)
        events["burst"].append((first, length))
        factor = math.exp(rng.uniform(math.log(1.3), math.log(2.2)))
        for t in range(first, min(hours, first + length)):
            rate[t] *= factor
    block = SPIKE_EVERY_DAYS * 24
    starts = [
        first + rng.randrange(12, block - SPIKE_HOURS - 12)
        for first in range(HISTORY_DAYS * 24, hours - block + 1, block)
    ]
    for start in starts:
        day_rate = sum(rate[(start // 24) * 24 : (start // 24) * 24 + 24]) / 24
        for t in range(start, start + SPIKE_HOURS):
            rate[t] += (FACTOR - 1) * day_rate
    shape = 1 / HOUR_CV**2
    counts = [count(rng, r * rng.gammavariate(shape, 1 / shape)) for r in rate]
    for _ in range(int(OUTAGES_PER_DAY * days)):
        first, length = rng.randrange(hours), rng.randint(1, 8)
        events["outage"].append((first, length))
        for t in range(first, min(hours, first + length)):
            counts[t] = 0
    return Series(counts, starts, events)


# A method gets the hourly counts, or the brand series' 5-minute samples where it reads them.
Method = Callable[[list[int], list[tuple[datetime, int]] | None], list[int]]


def veille(sensitivity: Sensitivity) -> Method:
    def method(counts: list[int], samples: list[tuple[datetime, int]] | None) -> list[int]:
        series = samples or [(START + timedelta(hours=i), c) for i, c in enumerate(counts)]
        found = detect(series, sensitivity=sensitivity)
        first = series[0][0]
        return [int((s.detected_at - first) / timedelta(hours=1)) for s in found]

    return method


def published(name: str) -> Method:
    method = PUBLISHED[name]
    return lambda counts, _samples: method(np.asarray(counts, dtype=float))


@dataclass
class Outcome:
    spikes: int
    caught: int
    false: int
    delays: list[int]


def score(
    alerts: list[int], windows: list[tuple[int, int]], *, from_hour: int = HISTORY_DAYS * 24
) -> Outcome:
    """Caught windows (first hour, hours), delays, and false alerts from ``from_hour`` on."""
    delays: list[int] = []
    matched: set[int] = set()
    for start, hours in windows:
        hits = [a for a in alerts if start <= a < start + hours + LATE_HOURS]
        if hits:
            delays.append(min(hits) - start + 1)
            matched.update(hits)
    false = sum(1 for a in alerts if a not in matched and a >= from_hour)
    return Outcome(len(windows), len(delays), false, delays)


def crises(series: Series) -> list[tuple[int, int]]:
    return [(start, SPIKE_HOURS) for start in series.starts]


def summary(
    outcomes: list[Outcome], rng: random.Random, rounds: int = 1000, days: int = EVAL_DAYS
) -> dict[str, object]:
    def figures(sample: list[Outcome]) -> tuple[float, float, float]:
        spikes = sum(o.spikes for o in sample)
        delays = [d for o in sample for d in o.delays]
        return (
            sum(o.caught for o in sample) / spikes,
            sum(o.false for o in sample) / (len(sample) * days / 30),
            float(statistics.median(delays)) if delays else math.nan,
        )

    recall, false, delay = figures(outcomes)
    boots = [figures(rng.choices(outcomes, k=len(outcomes))) for _ in range(rounds)]

    def band(index: int) -> list[float]:
        values = sorted(b[index] for b in boots if not math.isnan(b[index]))
        if not values:
            return [math.nan, math.nan]
        return [
            round(values[int(0.05 * len(values))], 3),
            round(values[int(0.95 * len(values)) - 1], 3),
        ]

    return {
        "recall": round(recall, 3),
        "recall_90": band(0),
        "false_alerts_per_30_days": round(false, 3),
        "false_90": band(1),
        "median_delay_hours": delay,
        "delay_90": band(2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[201, 202, 203])
    parser.add_argument("--series", type=int, default=SERIES, help="series per seed and rate")
    parser.add_argument("--rates", type=float, nargs="+", default=list(BASELINES))
    methods: dict[str, Method] = {"veille": veille("normal")}
    methods.update({f"veille-{s}": veille(s) for s in ("low", "high")})
    methods.update({name: published(name) for name in PUBLISHED})
    parser.add_argument(
        "--methods", nargs="+", default=["veille", *PUBLISHED], choices=list(methods)
    )
    parser.add_argument(
        "--brands", type=int, default=SERIES, help="brand series per seed (0: none)"
    )
    args = parser.parse_args(argv)
    results: list[dict[str, object]] = []
    for base in args.rates:
        data = [
            make_series(random.Random(f"{seed}-{base}-{i}"), base)
            for seed in args.seeds
            for i in range(args.series)
        ]
        # A ceiling for any detector: crises that brought at least 5 posts (the normal floor).
        visible = [sum(s.counts[t : t + SPIKE_HOURS]) >= 5 for s in data for t in s.starts]
        results.append(
            {
                "posts_per_hour": base,
                "crises_with_5_posts_or_more": round(statistics.mean(visible), 3),
            }
        )
        for name in args.methods:
            began = time.process_time()
            outcomes = [score(methods[name](s.counts, None), crises(s)) for s in data]
            row: dict[str, object] = {"posts_per_hour": base, "method": name}
            row.update(summary(outcomes, random.Random(0)))
            row["cpu_seconds"] = round(time.process_time() - began, 1)
            results.append(row)
            print(json.dumps(row), file=sys.stderr)
    brands: list[Brand] = [
        make_brand(random.Random(f"{seed}-brand-{i}"))
        for seed in args.seeds
        for i in range(args.brands)
    ]
    for name in args.methods if brands else []:
        began = time.process_time()
        outcomes = [
            score(methods[name](b.hourly, b.samples), b.anomalies, from_hour=24) for b in brands
        ]
        row = {"posts_per_hour": "brand", "method": name}
        row.update(summary(outcomes, random.Random(0), days=BRAND_DAYS - 1))
        row["cpu_seconds"] = round(time.process_time() - began, 1)
        results.append(row)
        print(json.dumps(row), file=sys.stderr)
    report = {
        "setup": {
            "seeds": args.seeds,
            "series_per_seed_and_rate": args.series,
            "history_days": HISTORY_DAYS,
            "evaluation_days": EVAL_DAYS,
            "crisis": f"+{FACTOR - 1:g} x the day's mean rate for {SPIKE_HOURS} h, every "
            f"{SPIKE_EVERY_DAYS} days",
            "intervals": "90 % bootstrap over series",
            "brand": f"{BRAND_DAYS} days of 5-minute counts (scripts/brand_series.py), "
            "labelled news storms; false alerts counted after the first day",
        },
        "results": results,
    }
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
