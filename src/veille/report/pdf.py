"""Reports and the brief as PDF (fpdf2, pure Python): text, tables and charts drawn as vectors.

The PDF core fonts cover Latin-1 only, which holds French; other characters (emoji, curly
quotes outside it) are replaced so a post can never break the export.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.dates import format_date
from babel.numbers import format_decimal
from fpdf import FPDF

from veille.labels import label as label_of
from veille.report.brief import Brief
from veille.report.metrics import Report
from veille.translations import Language, translator

_REPLACE = str.maketrans({"—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."})
PALETTE = ((0, 114, 178), (230, 159, 0), (213, 94, 0), (0, 158, 115))


def latin1(value: object) -> str:
    """Text the core fonts can draw."""
    return str(value).translate(_REPLACE).encode("latin-1", "replace").decode("latin-1")


class _Doc(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.set_title(latin1(title))
        self.set_creator("Veille")
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()
        self.set_font("Helvetica", "B", 16)
        self.multi_cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)

    def line_text(self, text: str) -> None:
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def bars(
        self, labels: Sequence[str], stacks: Sequence[Sequence[int]], names: Sequence[str]
    ) -> None:
        """Stacked bars, one per label, drawn as rectangles (vector, no image)."""
        height, width = 40.0, self.w - self.l_margin - self.r_margin
        if self.get_y() + height + 14 > self.h - self.b_margin:
            self.add_page()
        top = self.get_y()
        biggest = max([sum(s) for s in stacks] + [1])
        step = width / max(1, len(labels))
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, top + height, self.l_margin + width, top + height)
        self.set_font("Helvetica", "", 6)
        for i, (label, stack) in enumerate(zip(labels, stacks, strict=True)):
            x, base = self.l_margin + i * step + step * 0.15, top + height
            for j, value in enumerate(stack):
                h = height * value / biggest
                self.set_fill_color(*PALETTE[j % len(PALETTE)])
                if h > 0:
                    self.rect(x, base - h, step * 0.7, h, style="F")
                base -= h
            if len(labels) <= 16 or i % max(1, len(labels) // 12) == 0:
                self.text(x, top + height + 4, latin1(label))
        self.set_xy(self.l_margin, top + height + 6)
        for j, name in enumerate(names):
            self.set_fill_color(*PALETTE[j % len(PALETTE)])
            self.rect(self.get_x(), self.get_y() + 1, 3, 3, style="F")
            self.set_x(self.get_x() + 4)
            self.cell(30, 5, latin1(name))
        self.ln(7)
        self.set_font("Helvetica", "", 10)

    def grid(self, rows: Sequence[Sequence[object]], widths: Sequence[float]) -> None:
        for index, row in enumerate(rows):
            self.set_font("Helvetica", "B" if index == 0 else "", 9)
            for value, w in zip(row, widths, strict=True):
                self.cell(w, 5, latin1(value)[:60], border="B")
            self.ln(5)
        self.set_font("Helvetica", "", 10)


def report_pdf(report: Report, lang: Language = "fr") -> bytes:
    """The report of a period, as PDF bytes, in `lang`."""
    words = translator(lang)
    _ = words.gettext
    period = f"{format_date(report.start, 'short', locale=lang)} - "
    period += format_date(report.end, "short", locale=lang)
    doc = _Doc(
        _("%(business)s - report for %(period)s")
        % {
            "business": report.business or "Veille",
            "period": period,
        }
    )
    doc.line_text(
        words.ngettext(
            "%(count)s post over the period.", "%(count)s posts over the period.", report.total
        )
        % {"count": report.total}
    )
    labels = [format_date(d.day, "dd/MM", locale=lang) for d in report.days]
    doc.heading(_("Volume and sentiment per day"))
    doc.bars(
        labels,
        [
            (d.positive, d.neutral, d.negative, d.posts - d.positive - d.neutral - d.negative)
            for d in report.days
        ],
        (_("positive"), _("neutral"), _("negative"), _("not analysed")),
    )
    doc.heading(_("Share of voice"))
    total = sum(n for _n, n in report.share) or 1
    doc.grid(
        [(_("Watch"), _("Posts"), _("Share"))]
        + [
            (n, c, format_decimal(100 * c / total, "0.0", locale=lang) + " %")
            for n, c in report.share
        ],
        (90, 40, 40),
    )
    doc.heading(_("Response time"))
    r = report.responses
    if r.answered:
        doc.line_text(
            words.ngettext(
                "%(count)s answer; median %(median)s h; 90 %% within %(p90)s h.",
                "%(count)s answers; median %(median)s h; 90 %% within %(p90)s h.",
                r.answered,
            )
            % {"count": r.answered, "median": r.median_hours, "p90": r.p90_hours}
        )
    else:
        doc.line_text(_("No answer from your accounts over the period."))
    doc.heading(_("Most followed authors"))
    doc.grid(
        [(_("Author"), _("Network"), _("Followers"), _("Posts"))]
        + [(f"@{a.username}", a.network, a.followers, a.posts) for a in report.authors],
        (80, 30, 35, 35),
    )
    return bytes(doc.output())


def brief_pdf(brief: Brief, lang: Language = "fr") -> bytes:
    """The daily brief, as PDF bytes, in `lang`."""
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
            % {"what": label_of(c.key, lang), "today": c.today, "yesterday": c.yesterday}
        )
    doc.heading(_("To do today"))
    for item in brief.todo:
        verb = label_of(f"brief.todo.{item.kind}", lang)
        doc.line_text(f"- {verb} {item.who} : {item.text[:200]}")
    doc.heading(_("Reputation (14 days)"))
    doc.bars(
        [day for day, *_rest in brief.reputation],
        [(pos, neu, neg) for _day, pos, neu, neg in brief.reputation],
        (_("positive"), _("neutral"), _("negative")),
    )
    doc.heading(_("Share of voice (7 days)"))
    doc.grid(
        [(_("Watch"), _("Posts"), _("Share"))]
        + [(s.name, s.count, f"{s.percent} %") for s in brief.share],
        (90, 40, 40),
    )
    doc.heading(_("Most seen posts"))
    for post in brief.top_posts:
        doc.line_text(f"@{post.username} : {post.text[:200]}")
    doc.heading(_("Sector and local news"))
    for news in brief.news:
        doc.line_text(f"- {news.post.text[:200]} ({news.copies})")
    doc.heading(_("Leads"))
    for post in brief.leads:
        doc.line_text(f"@{post.username} : {post.text[:200]}")
    return bytes(doc.output())
