"""Simulated mention volumes of a brand, as public benchmarks of company mentions look.

Each series is about two months of 5-minute counts: hundreds of posts an hour (100 to 1,000),
a strong daily rhythm (the night at 10-40 % of the afternoon peak) and a weekly one (weekends
at 50-90 %), a level that varies from day to day (CV 25 %, autocorrelated), a slow trend
(up to +-40 %), two permanent level shifts (x0.5 to x2), a holiday, small news bursts that are
not anomalies (x1.3 to x2 for 1 to 6 hours, one every 3 days), noise beyond Poisson (CV 15 %
per hour), and gaps: outages of 1 to 12 hours and 0.5 % of samples lost at random.

The labelled anomalies are news storms: from day 3 on, one every 5 days, the volume jumps by
2 to 9 times the day's mean rate at a random minute and decays (half-life 30 minutes to 6
hours); the labelled window runs from the jump until the storm adds less than 10 % of the
day's mean rate.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
DAYS = 56
STEP = timedelta(minutes=5)
PER_HOUR = 12
FIRST_ANOMALY_DAY = 3
ANOMALY_EVERY_DAYS = 5
MAX_ANOMALY_HOURS = 24


@dataclass
class Brand:
    samples: list[tuple[datetime, int]]  # 5-minute counts; lost samples are absent
    hourly: list[int]  # the same summed per hour, lost samples as zero (published methods)
    anomalies: list[tuple[int, int]]  # labelled windows: (first hour, hours)
    # What else happened, to tell false alerts apart: (first hour, hours) of each event.
    events: dict[str, list[tuple[int, int]]]


def make_brand(rng: random.Random) -> Brand:
    steps = DAYS * 24 * PER_HOUR
    noise = np.random.default_rng(rng.getrandbits(64))
    base = math.exp(rng.uniform(math.log(100), math.log(1000)))
    peak = rng.uniform(11, 20)
    swing = rng.uniform(0.45, 0.8)  # the night runs at (1 - swing) / (1 + swing) of the peak
    weekend = rng.uniform(0.5, 0.9)
    trend = rng.uniform(-0.4, 0.4) / DAYS
    level, deviation = [], 0.0
    shifts = {rng.randrange(5, DAYS - 3): math.exp(rng.uniform(math.log(0.5), math.log(2.0)))}
    shifts[rng.randrange(5, DAYS - 3)] = math.exp(rng.uniform(math.log(0.5), math.log(2.0)))
    holiday = rng.randrange(3, DAYS)
    events: dict[str, list[tuple[int, int]]] = {
        "shift": [(day * 24, 24) for day in sorted(shifts)],
        "holiday": [(holiday * 24, 24)],
        "burst": [],
        "gap": [],
    }
    shift = 1.0
    for day in range(DAYS):
        deviation = 0.7 * deviation + math.sqrt(1 - 0.7**2) * rng.gauss(0, 0.25)
        shift *= shifts.get(day, 1.0)
        value = base * shift * math.exp(deviation - 0.25**2 / 2 + trend * day)
        value *= rng.uniform(0.4, 0.7) if day == holiday else 1.0
        value *= weekend if (START + timedelta(days=day)).weekday() >= 5 else 1.0
        level.append(value)
    minutes = np.arange(steps) * 5.0
    hour_of_day = (minutes / 60.0) % 24
    rhythm = 1 + swing * np.cos(2 * np.pi * (hour_of_day - peak) / 24)
    day_rate = np.repeat(np.asarray(level), 24 * PER_HOUR)
    rate = day_rate * rhythm
    # Noise beyond Poisson, shared by the 12 samples of an hour.
    hour_noise = noise.gamma(1 / 0.15**2, 0.15**2, DAYS * 24)
    rate *= np.repeat(hour_noise, PER_HOUR)
    for _ in range(DAYS // 3):
        first = rng.randrange(steps)
        length = rng.randint(1, 6) * PER_HOUR
        rate[first : first + length] *= rng.uniform(1.3, 2.0)
        events["burst"].append((first // PER_HOUR, length // PER_HOUR + 1))
    anomalies: list[tuple[int, int]] = []
    block = ANOMALY_EVERY_DAYS * 24
    for first_hour in range(FIRST_ANOMALY_DAY * 24, DAYS * 24 - block + 1, block):
        onset = (first_hour + rng.randrange(0, block - MAX_ANOMALY_HOURS)) * PER_HOUR
        onset += rng.randrange(PER_HOUR)
        jump = rng.uniform(2.0, 9.0) * day_rate[onset]
        half_life = rng.uniform(0.5, 6.0) * PER_HOUR
        length = min(
            MAX_ANOMALY_HOURS * PER_HOUR,
            math.ceil(half_life * math.log2(jump / (0.1 * day_rate[onset]))),
        )
        rate[onset : onset + length] += jump * 0.5 ** (np.arange(length) / half_life)
        hours = (onset + length - 1) // PER_HOUR - onset // PER_HOUR + 1
        anomalies.append((onset // PER_HOUR, hours))
    counts = noise.poisson(rate / PER_HOUR)
    kept = noise.random(steps) >= 0.005
    for _ in range(DAYS // 15):
        first, length = rng.randrange(steps), rng.randint(1, 12)
        kept[first : first + length * PER_HOUR] = False
        events["gap"].append((first // PER_HOUR, length + 1))
    samples = [(START + i * STEP, int(counts[i])) for i in range(steps) if kept[i]]
    hourly = np.where(kept, counts, 0).reshape(-1, PER_HOUR).sum(axis=1)
    return Brand(samples, [int(c) for c in hourly], anomalies, events)
