"""Small SVG charts for the brief, reports and PDFs: no JavaScript, no dependency.

Every label is escaped (and stripped of characters XML forbids), so a post's author name or a
competitor name can never inject markup into a page. Colours are the Okabe-Ito palette, which
stays readable for colour-blind readers and in grey print.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from html import escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
Series = tuple[str, Sequence[float | None]]

_FONT = 'font-family="system-ui, sans-serif" font-size="11" fill="#333"'
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 34, 28


def text(value: object) -> str:
    """A string safe inside SVG text and attribute values."""
    return escape(_XML_FORBIDDEN.sub("", str(value)), quote=True)


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    area: bool = False,
    width: int = 640,
    height: int = 260,
    value_format: str = "{:g}",
    empty_text: str = "—",
) -> str:
    """Lines (or shaded areas) over ``labels``; None leaves a gap in a line."""
    _check_lengths(labels, series)
    values = [v for _, points in series for v in points if v is not None]
    if not labels or not values:
        return _empty(title, width, height, empty_text)
    low, high, ticks = nice_scale(min(0.0, *values), max(values))
    plot = _Plot(width, height, low, high, len(labels), bars=False)
    parts = [plot.grid(ticks, value_format), plot.x_labels(labels)]
    for index, (_, points) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        for run in _runs(points):
            coords = [(plot.x(i), plot.y(v)) for i, v in run]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            if area:
                base = plot.y(max(low, 0.0))
                polygon = f"{coords[0][0]:.1f},{base:.1f} {path} {coords[-1][0]:.1f},{base:.1f}"
                parts.append(f'<polygon points="{polygon}" fill="{colour}" fill-opacity="0.2"/>')
            if len(coords) == 1:
                x, y = coords[0]
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
            else:
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
    parts.append(_legend([name for name, _ in series], width))
    return _svg(title, width, height, parts)


def stacked_bars(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
    value_format: str = "{:g}",
    empty_text: str = "—",
    colours: Sequence[str] = PALETTE,
) -> str:
    """One bar per label, stacking each series' value (negative and None count as 0)."""
    _check_lengths(labels, series)
    totals = [sum(max(points[i] or 0.0, 0.0) for _, points in series) for i in range(len(labels))]
    if not labels or not any(totals):
        return _empty(title, width, height, empty_text)
    low, high, ticks = nice_scale(0.0, max(totals))
    plot = _Plot(width, height, low, high, len(labels), bars=True)
    parts = [plot.grid(ticks, value_format), plot.x_labels(labels)]
    bar = plot.step * 0.7
    for i, label in enumerate(labels):
        bottom = 0.0
        for index, (name, points) in enumerate(series):
            value = max(points[i] or 0.0, 0.0)
            if value == 0:
                continue
            y_top, y_bottom = plot.y(bottom + value), plot.y(bottom)
            parts.append(
                f'<rect x="{plot.x(i) - bar / 2:.1f}" y="{y_top:.1f}" width="{bar:.1f}" '
                f'height="{y_bottom - y_top:.1f}" fill="{colours[index % len(colours)]}">'
                f"<title>{text(label)} · {text(name)}: {text(value_format.format(value))}</title>"
                "</rect>"
            )
            bottom += value
    parts.append(_legend([name for name, _ in series], width, colours))
    return _svg(title, width, height, parts)


def horizontal_bars(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    value_format: str = "{:.0%}",
    highlight: str | None = None,
    empty_text: str = "—",
) -> str:
    """Labelled bars, longest first as given (share of voice: the business vs competitors).

    ``highlight`` names the bar drawn in the first colour (the business); others are grey.
    """
    row, top = 24, 30
    height = top + row * max(len(items), 1) + 8
    if not items or max(value for _, value in items) <= 0:
        return _empty(title, width, height, empty_text)
    label_width = min(220, width // 3)
    span = width - label_width - 60
    largest = max(value for _, value in items)
    parts = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        length = span * max(value, 0.0) / largest
        colour = PALETTE[0] if highlight is None or label == highlight else "#9AA5B1"
        shown = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" {_FONT}>{text(shown)}'
            f"<title>{text(label)}</title></text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" {_FONT}>'
            f"{text(value_format.format(value))}</text>"
        )
    return _svg(title, width, height, parts)


class _Plot:
    """Maps data to the drawing area inside the margins."""

    def __init__(self, width: int, height: int, low: float, high: float, n: int, *, bars: bool):
        self.width, self.height, self.low, self.high = width, height, low, high
        inner = width - _LEFT - _RIGHT
        self.step = inner / n if bars else inner / max(n - 1, 1)
        self.offset = self.step / 2 if bars else 0.0

    def x(self, index: int) -> float:
        return _LEFT + self.offset + index * self.step

    def y(self, value: float) -> float:
        inner = self.height - _TOP - _BOTTOM
        return _TOP + inner * (self.high - value) / (self.high - self.low)

    def grid(self, ticks: Sequence[float], value_format: str) -> str:
        lines = []
        for tick in ticks:
            y = self.y(tick)
            lines.append(
                f'<line x1="{_LEFT}" x2="{self.width - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="#ddd"/><text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                f"{_FONT}>{text(value_format.format(tick))}</text>"
            )
        return "".join(lines)

    def x_labels(self, labels: Sequence[str]) -> str:
        every = max(1, math.ceil(len(labels) / 8))  # at most about eight labels fit
        y = self.height - _BOTTOM + 16
        parts = []
        for i, label in enumerate(labels):
            if i % every:
                continue
            # A label centred on the right edge would be cut: align it to end there.
            anchor = "end" if self.x(i) + 20 > self.width else "middle"
            parts.append(
                f'<text x="{self.x(i):.1f}" y="{y}" text-anchor="{anchor}" {_FONT}>'
                f"{text(label)}</text>"
            )
        return "".join(parts)


def nice_scale(low: float, high: float) -> tuple[float, float, list[float]]:
    """Round bounds and four or five tick values: 0, 2, 4, 6, 8 rather than 0, 1.7, 3.4..."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    count = round((end - start) / step)
    return start, end, [round(start + i * step, 10) for i in range(count + 1)]


def _runs(points: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    runs: list[list[tuple[int, float]]] = [[]]
    for i, value in enumerate(points):
        if value is None or not math.isfinite(value):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, value))
    return [run for run in runs if run]


def _legend(names: Sequence[str], width: int, colours: Sequence[str] = PALETTE) -> str:
    if len(names) < 2 and not any(names):
        return ""
    parts, x = [], float(_LEFT)
    for index, name in enumerate(names):
        colour = colours[index % len(colours)]
        parts.append(
            f'<rect x="{x:.0f}" y="22" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.0f}" y="31" {_FONT}>{text(name)}</text>'
        )
        x += 24 + 6.5 * len(name)
        if x > width - 40:
            break
    return "".join(parts)


def _check_lengths(labels: Sequence[str], series: Sequence[Series]) -> None:
    for name, points in series:
        if len(points) != len(labels):
            raise ValueError(f"series {name!r} has {len(points)} values for {len(labels)} labels")


def _empty(title: str, width: int, height: int, message: str) -> str:
    note = (
        f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" {_FONT}>'
        f"{text(message)}</text>"
    )
    return _svg(title, width, height, [note])


def _svg(title: str, width: int, height: int, parts: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{text(title)}">'
        f"<title>{text(title)}</title>"
        f'<text x="{_LEFT}" y="14" font-family="system-ui, sans-serif" font-size="13" '
        f'font-weight="600" fill="#111">{text(title)}</text>' + "".join(parts) + "</svg>"
    )
