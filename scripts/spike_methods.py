"""Published spike detectors, written for the comparison in scripts/simulate_spikes.py.

Each takes hourly counts and returns the hours at which it raised an alert (one per event:
hours flagged within ``MERGE_GAP`` of the previous flagged hour continue the same event).

- ``shesd``: Seasonal Hybrid ESD (Hochenbaum, Vallis and Kejariwal, 2017, Twitter's
  AnomalyDetection): residuals after removing the median daily profile and the median, then a
  generalized ESD test (Rosner, 1983) using the median and MAD; run every ``ESD_EVERY`` hours
  on the trailing two weeks, as a periodic batch job would, alerting on anomalies in the hours
  it had not seen yet.
- ``cusum``: Page's tabular CUSUM (1954) on residuals standardized by a robust scale (MAD of
  the last two weeks' residuals, at least Poisson), reference k = 0.5, decision h = 5.
- ``bocpd``: Bayesian online change-point detection (Adams and MacKay, 2007) with a
  Poisson-gamma model of the count over its expected value, constant hazard; an alert when
  the posterior says a run of at most 6 hours began at a rate at least twice the previous one.

The expected value for CUSUM and BOCPD is the mean of the same hour of day over the previous
14 days (the "seasonal naive" baseline).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

MERGE_GAP = 6
SEASON_DAYS = 14
ESD_EVERY = 3  # hours between two batch runs of SH-ESD
ESD_WINDOW = 14 * 24
ESD_MAX_ANOMS = 0.05  # at most 5 % of the window is anomalous
ESD_ALPHA = 0.05
CUSUM_K = 0.5
CUSUM_H = 5.0
BOCPD_HAZARD = 1 / (24 * 7)
BOCPD_MAX_RUN = 240
BOCPD_RISE = 2.0
BOCPD_RECENT = 6

Floats = NDArray[np.float64]


def events(flags: list[tuple[int, int]]) -> list[int]:
    """Alert hours from (flagged hour, hour it was flagged at) pairs, one per event."""
    alerts: list[int] = []
    last = -(10**9)
    for hour, at in sorted(flags):
        if hour - last > MERGE_GAP:
            alerts.append(at)
        last = max(last, hour)
    return alerts


def seasonal_naive(counts: Floats) -> Floats:
    """Mean of the same hour of day over the previous SEASON_DAYS days (NaN the first day)."""
    n = len(counts)
    days = -(-n // 24)
    grid = np.zeros(days * 24)
    grid[:n] = counts
    totals = np.vstack([np.zeros(24), np.cumsum(grid.reshape(days, 24), axis=0)])
    expected = np.full((days, 24), np.nan)
    for day in range(1, days):
        low = max(0, day - SEASON_DAYS)
        expected[day] = (totals[day] - totals[low]) / (day - low)
    return np.maximum(expected.reshape(-1)[:n], 0.02)


def cusum(counts: Floats) -> list[int]:
    expected = seasonal_naive(counts)
    residuals = counts - expected
    flags: list[tuple[int, int]] = []
    statistic = 0.0
    raised = False
    for t in range(48, len(counts)):
        past = residuals[max(24, t - 24 * SEASON_DAYS) : t]
        mad = float(np.median(np.abs(past - np.median(past)))) * 1.4826
        scale = max(mad, math.sqrt(expected[t]), 0.5)
        statistic = max(0.0, statistic + residuals[t] / scale - CUSUM_K)
        if statistic == 0.0:
            raised = False
        elif statistic > CUSUM_H and not raised:
            raised = True
            flags.append((t, t))
    return events(flags)


def _t_quantile(p: float, df: int) -> float:
    """Student t quantile by the Cornish-Fisher expansion around the normal (df in hundreds)."""
    low, high = 0.0, 40.0
    for _ in range(80):
        mid = (low + high) / 2
        if 0.5 * math.erfc(-mid / math.sqrt(2)) < p:
            low = mid
        else:
            high = mid
    z = (low + high) / 2
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


_CRITICAL: dict[tuple[int, int], float] = {}


def _critical(n: int, i: int) -> float:
    key = (n, i)
    if key not in _CRITICAL:
        p = 1 - ESD_ALPHA / (n - i + 1)  # one-sided: only rises are crises
        t = _t_quantile(p, n - i - 1)
        _CRITICAL[key] = (n - i) * t / math.sqrt((n - i - 1 + t * t) * (n - i + 1))
    return _CRITICAL[key]


def _esd_anomalies(window: Floats) -> list[int]:
    """Indices of upper anomalies in ``window`` by seasonal hybrid ESD."""
    days = len(window) // 24
    profile = np.median(window[: days * 24].reshape(days, 24), axis=0)
    residual = window - np.tile(profile, days + 1)[: len(window)] - np.median(window)
    n = len(residual)
    index = np.arange(n)
    found: list[int] = []
    anomalies = 0
    for i in range(1, int(ESD_MAX_ANOMS * n) + 1):
        median = np.median(residual)
        mad = float(np.median(np.abs(residual - median))) * 1.4826
        if mad == 0:
            break
        scores = (residual - median) / mad
        worst = int(np.argmax(scores))
        if scores[worst] > _critical(n, i):
            anomalies = i
        found.append(int(index[worst]))
        residual = np.delete(residual, worst)
        index = np.delete(index, worst)
    return found[:anomalies]


def shesd(counts: Floats) -> list[int]:
    flags: list[tuple[int, int]] = []
    seen = 7 * 24  # a week before the first run
    for t in range(seen + ESD_EVERY - 1, len(counts), ESD_EVERY):
        low = max(0, t + 1 - ESD_WINDOW)
        for offset in _esd_anomalies(counts[low : t + 1]):
            hour = low + offset
            if hour >= seen:
                flags.append((hour, t))
        seen = t + 1
    return events(flags)


def _lgamma(x: Floats) -> Floats:
    """ln Gamma for positive arrays: shift past 8, then Stirling's series."""
    shift = np.zeros_like(x)
    y = x.copy()
    for _ in range(8):
        small = y < 8
        if not small.any():
            break
        shift = shift + np.where(small, np.log(y), 0.0)
        y = np.where(small, y + 1, y)
    inv = 1 / y
    inv2 = inv * inv
    series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
    return np.asarray((y - 0.5) * np.log(y) - y + 0.5 * math.log(2 * math.pi) + series - shift)


def bocpd(counts: Floats) -> list[int]:
    expected = seasonal_naive(counts)
    prior_shape, prior_rate = 1.0, 1.0
    run_probs = np.array([1.0])
    shapes = np.array([prior_shape])
    rates = np.array([prior_rate])
    flags: list[tuple[int, int]] = []
    raised_until = -1
    for t in range(24, len(counts)):
        x, m = counts[t], expected[t]
        # Predictive of x for each run length: negative binomial from the gamma posterior.
        p = rates / (rates + m)
        log_pred = (
            _lgamma(shapes + x)
            - _lgamma(shapes)
            - math.lgamma(x + 1)
            + shapes * np.log(p)
            + x * np.log1p(-p)
        )
        log_joint = np.log(run_probs + 1e-300) + log_pred
        peak = float(log_joint.max())
        joint = np.exp(log_joint - peak)
        change = float(joint.sum()) * BOCPD_HAZARD
        grown = joint * (1 - BOCPD_HAZARD)
        run_probs = np.concatenate(([change], grown))
        shapes = np.concatenate(([prior_shape], shapes + x))
        rates = np.concatenate(([prior_rate], rates + m))
        if len(run_probs) > BOCPD_MAX_RUN:
            run_probs, shapes, rates = run_probs[:-1], shapes[:-1], rates[:-1]
        run_probs = run_probs / run_probs.sum()
        recent = run_probs[: BOCPD_RECENT + 1]
        if recent.sum() > 0.5 and t > raised_until:
            new_rate = float((recent * shapes[: len(recent)] / rates[: len(recent)]).sum())
            new_rate /= float(recent.sum())
            old = run_probs[BOCPD_RECENT + 1 :]
            if old.sum() > 0:
                old_rate = float(
                    (old * shapes[BOCPD_RECENT + 1 :] / rates[BOCPD_RECENT + 1 :]).sum()
                )
                old_rate /= float(old.sum())
            else:
                old_rate = 1.0
            if new_rate >= BOCPD_RISE * old_rate and counts[t] > m:
                flags.append((t, t))
                raised_until = t + MERGE_GAP
    return events(flags)


METHODS = {"shesd": shesd, "cusum": cusum, "bocpd": bocpd}
