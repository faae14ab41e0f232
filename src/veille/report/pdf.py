"""Reports and the brief as PDF (fpdf2, pure Python): text, tables and charts drawn as vectors.

The PDF core fonts cover Latin-1 only, which holds French; other characters (emoji, curly
quotes outside it) are replaced so a post can never break the export.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF

from veille.report.brief import Brief
from veille.report.metrics import Report

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


def report_pdf(report: Report) -> bytes:
    """The report of a period, as PDF bytes."""
    period = f"{report.start:%d/%m/%Y} - {report.end:%d/%m/%Y}"
    doc = _Doc(f"{report.business or 'Veille'} - rapport du {period}")
    doc.line_text(f"{report.total} publications sur la période.")
    labels = [f"{d.day:%d/%m}" for d in report.days]
    doc.heading("Volume et sentiment par jour")
    doc.bars(
        labels,
        [
            (d.positive, d.neutral, d.negative, d.posts - d.positive - d.neutral - d.negative)
            for d in report.days
        ],
        ("positif", "neutre", "négatif", "non analysé"),
    )
    doc.heading("Part de voix")
    total = sum(n for _, n in report.share) or 1
    doc.grid(
        [("Veille", "Publications", "Part")]
        + [(n, c, f"{100 * c / total:.1f} %") for n, c in report.share],
        (90, 40, 40),
    )
    doc.heading("Temps de réponse")
    r = report.responses
    if r.answered:
        doc.line_text(
            f"{r.answered} réponses ; médiane {r.median_hours} h ; "
            f"90 % en moins de {r.p90_hours} h."
        )
    else:
        doc.line_text("Aucune réponse de vos comptes sur la période.")
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
    doc.heading("Depuis hier")
    labels = {
        "home.mentions": "Mentions",
        "home.negative": "Négatives",
        "home.positive": "Positives",
        "home.leads": "Pistes",
    }
    for c in brief.changes:
        doc.line_text(f"{labels.get(c.key, c.key)} : {c.today} (hier {c.yesterday})")
    doc.heading("À faire aujourd'hui")
    verbs = {"answer": "Répondre", "thank": "Remercier", "lead": "Piste", "alert": "Alerte"}
    for item in brief.todo:
        doc.line_text(f"- {verbs[item.kind]} {item.who} : {item.text[:200]}")
    doc.heading("Réputation (14 jours)")
    doc.bars(
        [day for day, *_ in brief.reputation],
        [(pos, neu, neg) for _, pos, neu, neg in brief.reputation],
        ("positif", "neutre", "négatif"),
    )
    doc.heading("Part de voix (7 jours)")
    doc.grid(
        [("Veille", "Publications", "Part")]
        + [(s.name, s.count, f"{s.percent} %") for s in brief.share],
        (90, 40, 40),
    )
    doc.heading("Publications les plus vues")
    for post in brief.top_posts:
        doc.line_text(f"@{post.username} : {post.text[:200]}")
    doc.heading("Actualité du secteur et locale")
    for news in brief.news:
        doc.line_text(f"- {news.post.text[:200]} ({news.copies})")
    doc.heading("Pistes")
    for post in brief.leads:
        doc.line_text(f"@{post.username} : {post.text[:200]}")
    return bytes(doc.output())
