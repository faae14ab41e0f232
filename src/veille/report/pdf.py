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

from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

from veille.inbox.clock import describe
from veille.labels import label
from veille.report.brief import Brief
from veille.report.charts import nice_scale
from veille.report.colours import SENTIMENT, UNANALYSED, rgb
from veille.report.metrics import Report
from veille.translations import Language, translator

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
        for i, (day, stack) in enumerate(zip(labels, stacks, strict=True)):
            x, base = left + i * step + step * 0.15, top + height
            for value, fill in zip(stack, fills, strict=True):
                h = height * value / biggest
                self.set_fill_color(*fill)
                if h > 0:
                    self.rect(x, base - h, step * 0.7, h, style="F")
                base -= h
            if len(labels) <= 16 or i % max(1, len(labels) // 12) == 0:
                self.text(x, top + height + 4, self.printable(day))
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


def response_line(report: Report, lang: Language = "fr") -> str:
    """The response figures in words (report.figures.responses), as the reports page says them."""
    _ = translator(lang).gettext
    r = report.responses
    if not r.answered or r.median_s is None or r.p90_s is None:
        return _("No reply from your accounts over the period.")
    return _("%(answered)s replies; median %(median)s; 90 %% within %(p90)s (business hours).") % {
        "answered": r.answered,
        "median": describe(r.median_s),
        "p90": describe(r.p90_s),
    }


def report_pdf(report: Report, lang: Language = "fr") -> bytes:
    """The report of a period, as PDF bytes, in ``lang``."""
    words = translator(lang)
    _ = words.gettext
    period = f"{format_date(report.start, 'short', locale=lang)} - "
    period += format_date(report.end, "short", locale=lang)
    doc = _Doc(
        _("%(business)s - report for %(period)s")
        % {"business": report.business or "Veille", "period": period}
    )
    doc.line_text(
        words.ngettext(
            "%(count)s post over the period.", "%(count)s posts over the period.", report.total
        )
        % {"count": report.total}
    )
    doc.heading(_("Volume and sentiment per day"))
    doc.bars(
        [format_date(d.day, "dd/MM", locale=lang) for d in report.days],
        [
            (d.positive, d.neutral, d.negative, d.mentions - d.positive - d.neutral - d.negative)
            for d in report.days
        ],
        (_("positive"), _("neutral"), _("negative"), _("not analysed")),
        (*SENTIMENT_FILLS, rgb(UNANALYSED)),
    )
    doc.heading(_("Share of voice"))
    doc.grid(
        [(_("Watch"), _("Posts"), _("Share"))]
        + [(s.name, s.count, _percent(s.percent, lang)) for s in report.share],
        (90, 40, 40),
    )
    doc.heading(_("Response time"))
    doc.line_text(response_line(report, lang))
    doc.heading(_("Most followed authors"))
    doc.grid(
        [(_("Author"), _("Network"), _("Followers"), _("Posts"))]
        + [(f"@{a.username}", a.network, a.followers, a.posts) for a in report.authors],
        (80, 30, 35, 35),
    )
    return bytes(doc.output())


def _percent(value: float, lang: Language) -> str:
    return format_decimal(value, "0.0", locale=lang) + " %"


def brief_pdf(brief: Brief, lang: Language = "fr") -> bytes:
    """The daily brief, as PDF bytes, in ``lang``."""
    _ = translator(lang).gettext
    doc = _Doc(
        _("%(business)s - brief of %(day)s")
        % {
            "business": brief.business or "Veille",
            "day": format_date(brief.day, "short", locale=lang),
        }
    )
    doc.heading(_("Since yesterday"))
    for c in brief.changes:
        doc.line_text(
            _("%(what)s: %(today)s (yesterday %(yesterday)s)")
            % {"what": label(c.key, lang), "today": c.today, "yesterday": c.yesterday}
        )
    doc.line_text(f"{_('To handle')} : {brief.to_handle}")
    doc.heading(_("To do today"))
    for item in brief.todo:
        verb = label(f"brief.todo.{item.kind}", lang)
        doc.line_text(f"- {verb} {item.who} : {item.text[:200]}")
    doc.heading(_("Reputation (14 days)"))
    doc.bars(
        [day for day, *_rest in brief.reputation],
        [(pos, neu, neg) for _day, pos, neu, neg in brief.reputation],
        (_("positive"), _("neutral"), _("negative")),
        SENTIMENT_FILLS,
    )
    doc.heading(_("Share of voice (7 d)"))
    doc.grid(
        [(_("Watch"), _("Posts"), _("Share"))]
        + [(s.name, s.count, _percent(s.percent, lang)) for s in brief.share],
        (90, 40, 40),
    )
    doc.heading(_("Most seen posts"))
    for post in brief.top_posts:
        doc.line_text(f"@{post.username} : {post.text[:200]}")
    doc.heading(_("Sector and local news"))
    for news in brief.news:
        doc.line_text(f"- {news.post.text[:200]} ({news.copies})")
    doc.heading(_("Leads today"))
    for post in brief.leads:
        doc.line_text(f"@{post.username} : {post.text[:200]}")
    return bytes(doc.output())
