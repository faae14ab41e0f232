"""Reports for any period (charts, CSV and PDF exports) and the brief as PDF."""

from __future__ import annotations

import io

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from veille.inbox.clock import describe
from veille.inbox.queue import business_hours
from veille.labels import label
from veille.report import charts
from veille.report.brief import build_brief
from veille.report.colours import SENTIMENT
from veille.report.figures import LABELS
from veille.report.metrics import PeriodError, Report, build_report, csv_rows, parse_period
from veille.report.pdf import brief_pdf, report_pdf
from veille.spreadsheet import write_csv
from veille.timeutil import utcnow
from veille.translations import Language, said, translator
from veille.web.deps import DbSession, User, get_settings, language_of, render
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)


def _report(request: Request, session: DbSession, start: str, end: str) -> Report:
    zone, now = get_settings(request).zone, utcnow()
    first, last = parse_period(start, end, today=now.astimezone(zone).date())
    hours = business_hours(session, zone=zone.key)
    return build_report(session, start=first, end=last, zone=zone, now=now, hours=hours)


def _charts(report: Report, lang: Language) -> dict[str, Markup]:
    labels = [f"{d.day:%d/%m}" for d in report.days]
    volume = charts.line_chart(
        labels,
        [(translator(lang).gettext("posts"), [float(d.mentions) for d in report.days])],
        title=translator(lang).gettext("Volume per day"),
        area=True,
    )
    sentiment = charts.stacked_bars(
        labels,
        [
            (label(f"sentiment.{name}", lang), [float(getattr(d, name)) for d in report.days])
            for name in LABELS
        ],
        title=translator(lang).gettext("Sentiment per day"),
        colours=[SENTIMENT[name] for name in LABELS],
    )
    share = charts.horizontal_bars(
        [(row.name, row.percent) for row in report.share],
        title=translator(lang).gettext("Share of voice"),
        value_format="{:g} %",
    )
    # charts escapes every label and value it draws.
    return {"volume": Markup(volume), "sentiment": Markup(sentiment), "share": Markup(share)}  # noqa: S704


@router.get("/reports")
def report_page(
    request: Request, session: DbSession, user: User, start: str = "", end: str = ""
) -> Response:
    lang = language_of(request, user)
    try:
        report = _report(request, session, start, end)
    except PeriodError as error:
        return render(
            request,
            "report.html",
            user,
            400,
            report=None,
            error=said(error, lang),
            start=start,
            end=end,
        )
    query = f"start={report.start.isoformat()}&end={report.end.isoformat()}"
    return render(
        request,
        "report.html",
        user,
        report=report,
        error=None,
        start=report.start.isoformat(),
        end=report.end.isoformat(),
        query=query,
        svg=_charts(report, lang),
        duration=lambda seconds: describe(seconds, lang),
    )


@router.get("/reports.csv")
def report_csv(
    request: Request, session: DbSession, user: User, start: str = "", end: str = ""
) -> Response:
    try:
        report = _report(request, session, start, end)
    except PeriodError as error:
        return Response(
            said(error, language_of(request, user)), status_code=400, media_type="text/plain"
        )
    out = io.StringIO()
    write_csv(out, csv_rows(report))
    name = f"veille-{report.start}-{report.end}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/reports.pdf")
def report_pdf_file(
    request: Request, session: DbSession, user: User, start: str = "", end: str = ""
) -> Response:
    try:
        report = _report(request, session, start, end)
    except PeriodError as error:
        return Response(
            said(error, language_of(request, user)), status_code=400, media_type="text/plain"
        )
    name = f"veille-{report.start}-{report.end}.pdf"
    return Response(
        report_pdf(report, language_of(request, user)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/reports/brief.pdf")
def brief_pdf_file(request: Request, session: DbSession, user: User) -> Response:
    brief = build_brief(session, zone=get_settings(request).zone, now=utcnow())
    return Response(
        brief_pdf(brief, language_of(request, user)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="brief-{brief.day:%Y-%m-%d}.pdf"'},
    )
