"""Small server-rendered charts for the home page (SVG built from escaped values)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


def daily_bars(daily: list[tuple[str, int, int]], *, width: int = 560, height: int = 140) -> Markup:
    """Bars of matched posts per day, the negative part in a darker shade."""
    if not daily:
        return Markup("")
    top = max(1, max(total for _, total, _ in daily))
    step = width / len(daily)
    bar = step * 0.7
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 20}" role="img" aria-label="volume">'
    ]
    for i, (label, total, negative) in enumerate(daily):
        x = i * step + (step - bar) / 2
        h_total = height * total / top
        h_neg = height * negative / top
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{height - h_total:.1f}" width="{bar:.1f}" '
            f'height="{h_total:.1f}"><title>{escape(label)} : {total}</title></rect>'
        )
        parts.append(
            f'<rect class="bar-negative" x="{x:.1f}" y="{height - h_neg:.1f}" '
            f'width="{bar:.1f}" height="{h_neg:.1f}"><title>{escape(label)} : {negative} '
            f"négatifs</title></rect>"
        )
        if i % 2 == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height + 14}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)


@dataclass(frozen=True)
class ShareRow:
    name: str
    count: int
    percent: float


def share_bars(share: list[tuple[str, int]]) -> list[ShareRow]:
    total = sum(n for _, n in share)
    if not total:
        return [ShareRow(name, n, 0.0) for name, n in share]
    return [ShareRow(name, n, round(100 * n / total, 1)) for name, n in share]
