"""Reports and the brief as PDF (fpdf2, pure Python): text, tables and charts drawn as vectors.

Text is set in Noto Sans, with Noto Emoji and Noto Sans Symbols for what it lacks (fonts from
the manimgx-fonts package, so every machine prints the same): accents and emoji print as they
are. A character none of them holds prints as "?" rather than breaking the export.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from fpdf import FPDF

from veille.i18n import translate
from veille.inbox.clock import describe
from veille.report.brief import Brief
from veille.report.charts import nice_scale
from veille.report.colours import SENTIMENT, UNANALYSED, rgb
from veille.report.metrics import Report

# Family name in the document -> file in the package; the first is the text face.
FONTS = {
    "Noto": "NotoSans[wght].ttf",
    "NotoEmoji": "NotoEmoji[wght].ttf",
    "NotoSymbols": "NotoSansSymbols[wght].ttf",
}
SENTIMENT_FILLS = tuple(rgb(SENTIMENT[name]) for name in ("positive", "neutral", "negative"))
TEXT, MUTED, GRID = (17, 17, 17), (102, 112, 133), (220, 220, 220)


def font_path(name: str) -> Path:
    return Path(str(files("manimgx_fonts").joinpath(FONTS[name])))


def printable(value: object, known: frozenset[int]) -> str:
    """The text with what no font draws (no code point in ``known``) replaced: "?" for a
    character, nothing for an invisible mark (an emoji's variation selector, a zero-width
    joiner)."""
    out = []
    for char in str(value):
        if ord(char) in known or char in "\n\t":
            out.append(char)
        elif unicodedata.category(char) not in ("Mn", "Me", "Cf"):
            out.append("?")
    return "".join(out)


class _Doc(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        for name in FONTS:
            self.add_font(name, "", font_path(name))
        self.set_fallback_fonts(list(FONTS)[1:])
        # Every code point one of the fonts draws, from the tables fpdf2 has just read.
        self.known = frozenset(
            point for name in FONTS for point in getattr(self.fonts[name.lower()], "cmap", {})
        )
        self.set_title(self.printable(title))
        self.set_creator("Veille")
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()
        self.set_text_color(*TEXT)
        self.set_font("Noto", "", 17)
        self.multi_cell(0, 8, self.printable(title), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def printable(self, value: object) -> str:
        return printable(value, self.known)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Noto", "", 13)
        self.set_text_color(0, 72, 130)
        self.cell(0, 7, self.printable(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*TEXT)
        self.set_font("Noto", "", 10)

    def line_text(self, text: str) -> None:
        self.set_font("Noto", "", 10)
        self.multi_cell(0, 5, self.printable(text), new_x="LMARGIN", new_y="NEXT")

    def bars(
        self,
        labels: Sequence[str],
        stacks: Sequence[Sequence[int]],
        names: Sequence[str],
        fills: Sequence[tuple[int, int, int]],
    ) -> None:
        """Stacked bars, one per label, drawn as rectangles (vector, no image), over a value
        axis with round ticks (0, 5, 10 ...) and their grid lines."""
        axis = 10.0  # room for the values at the left
        height, width = 40.0, self.w - self.l_margin - self.r_margin - axis
        if self.get_y() + height + 16 > self.h - self.b_margin:
            self.add_page()
        top, left = self.get_y() + 2, self.l_margin + axis
        _, biggest, ticks = nice_scale(0.0, float(max([sum(s) for s in stacks] + [1])))
        step = width / max(1, len(labels))
        self.set_font("Noto", "", 6)
        self.set_draw_color(*GRID)
        self.set_text_color(*MUTED)
        for tick in ticks:
            y = top + height - height * tick / biggest
            self.line(left, y, left + width, y)
            self.text(self.l_margin, y + 1, f"{tick:g}")
        for i, (label, stack) in enumerate(zip(labels, stacks, strict=True)):
            x, base = left + i * step + step * 0.15, top + height
            for value, fill in zip(stack, fills, strict=True):
                h = height * value / biggest
                self.set_fill_color(*fill)
                if h > 0:
                    self.rect(x, base - h, step * 0.7, h, style="F")
                base -= h
            if len(labels) <= 16 or i % max(1, len(labels) // 12) == 0:
                self.text(x, top + height + 4, self.printable(label))
        self.set_text_color(*TEXT)
        self.set_xy(self.l_margin, top + height + 6)
        for name, fill in zip(names, fills, strict=True):
            self.set_fill_color(*fill)
            self.rect(self.get_x(), self.get_y() + 1, 3, 3, style="F")
            self.set_x(self.get_x() + 4)
            self.cell(30, 5, self.printable(name))
        self.ln(7)
        self.set_font("Noto", "", 10)

    def grid(self, rows: Sequence[Sequence[object]], widths: Sequence[float]) -> None:
        for index, row in enumerate(rows):
            self.set_font("Noto", "", 9)
            self.set_text_color(*(MUTED if index == 0 else TEXT))
            for value, w in zip(row, widths, strict=True):
                self.cell(w, 5, self.printable(value)[:60], border="B")
            self.ln(5)
        self.set_text_color(*TEXT)
        self.set_font("Noto", "", 10)


def response_line(report: Report) -> str:
    """The response figures in words (report.figures.responses), as the reports page says them."""
    r = report.responses
    if not r.answered or r.median_s is None or r.p90_s is None:
        return "Aucune réponse de vos comptes sur la période."
    return (
        f"{r.answered} réponses ; médiane {describe(r.median_s)} ; "
        f"90 % en moins de {describe(r.p90_s)} (heures ouvrées)."
    )


def report_pdf(report: Report) -> bytes:
    """The report of a period, as PDF bytes."""
    period = f"{report.start:%d/%m/%Y} - {report.end:%d/%m/%Y}"
    doc = _Doc(f"{report.business or 'Veille'} - rapport du {period}")
    doc.line_text(f"{report.total} mentions sur la période.")
    labels = [f"{d.day:%d/%m}" for d in report.days]
    doc.heading("Volume et sentiment par jour")
    doc.bars(
        labels,
        [
            (d.positive, d.neutral, d.negative, d.mentions - d.positive - d.neutral - d.negative)
            for d in report.days
        ],
        ("positif", "neutre", "négatif", "non analysé"),
        (*SENTIMENT_FILLS, rgb(UNANALYSED)),
    )
    doc.heading("Part de voix")
    doc.grid(
        [("Veille", "Publications", "Part")]
        + [(s.name, s.count, f"{s.percent} %") for s in report.share],
        (90, 40, 40),
    )
    doc.heading("Temps de réponse")
    doc.line_text(response_line(report))
    doc.heading("Auteurs les plus suivis")
    doc.grid(
        [("Auteur", "Réseau", "Abonnés", "Publications")]
        + [(f"@{a.username}", a.network, a.followers, a.posts) for a in report.authors],
        (80, 30, 35, 35),
    )
    return bytes(doc.output())


def brief_pdf(brief: Brief) -> bytes:
    """The daily brief, as PDF bytes."""
    doc = _Doc(f"{brief.business or 'Veille'} - brief du {brief.day:%d/%m/%Y}")
    doc.heading(translate("brief.changes", "fr"))
    for c in brief.changes:
        doc.line_text(f"{translate(c.key, 'fr')} : {c.today} (hier {c.yesterday})")
    doc.line_text(f"{translate('home.inbox', 'fr')} : {brief.to_handle}")
    doc.heading(translate("brief.todo", "fr"))
    for item in brief.todo:
        verb = translate(f"brief.todo.{item.kind}", "fr")
        doc.line_text(f"- {verb} {item.who} : {item.text[:200]}")
    doc.heading("Réputation (14 jours)")
    doc.bars(
        [day for day, *_ in brief.reputation],
        [(pos, neu, neg) for _, pos, neu, neg in brief.reputation],
        ("positif", "neutre", "négatif"),
        SENTIMENT_FILLS,
    )
    doc.heading(translate("brief.share", "fr"))
    doc.grid(
        [("Veille", "Publications", "Part")]
        + [(s.name, s.count, f"{s.percent} %") for s in brief.share],
        (90, 40, 40),
    )
    doc.heading(translate("brief.top", "fr"))
    for post in brief.top_posts:
        doc.line_text(f"@{post.username} : {post.text[:200]}")
    doc.heading(translate("brief.news", "fr"))
    for news in brief.news:
        doc.line_text(f"- {news.post.text[:200]} ({news.copies})")
    doc.heading(translate("brief.leads", "fr"))
    for post in brief.leads:
        doc.line_text(f"@{post.username} : {post.text[:200]}")
    return bytes(doc.output())
