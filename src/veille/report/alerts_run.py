"""One pass of alerting over the store: series, detection, lifecycle, persistence, notices.

Per active watch, hourly matched-post counts; plus the negative volume of the business's own
watches (kinds brand and owner). Each series goes through ``spikes.detect`` and
``alerting.decide`` against the open alert of the same (watch, kind); decisions are saved in
the ``alerts`` table (one row per crisis, updated as it grows) and notified by e-mail and
webhooks when ``decision.notify`` says so. Run it hourly (`veille alerts run`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from veille import notify
from veille.channels import link_base, load_smtp, load_webhooks
from veille.config import Settings
from veille.crypto import SecretBox
from veille.report import alerting
from veille.report.spikes import Sensitivity, detect
from veille.store import tables
from veille.timeutil import as_utc
from veille.translations import N_, Language, said, translator

HISTORY_DAYS = 35  # four weeks of baseline plus the warm-up
OWN_KINDS = ("brand", "owner")
SPIKE, NEGATIVE = "spike", "negative_spike"


@dataclass
class RunReport:
    """What one pass did, for the command's output."""

    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    notified: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Subject:
    watch_id: int | None
    kind: str
    name: str
    post_filter: Any  # SQL condition on tables.Post choosing the series' posts


def run_alerts(
    session: Session,
    *,
    now: datetime,
    zone: ZoneInfo,
    sensitivity: Sensitivity = "normal",
    send: Settings | None = None,
) -> RunReport:
    """Detect, persist and (with ``send``, the settings that open the stored secrets and give
    the public address) notify; the caller commits."""
    report = RunReport()
    for subject in _subjects(session):
        series = _hourly_counts(session, subject, now=now, zone=zone)
        spikes = detect(series, sensitivity=sensitivity, until=now, hourly=True) if series else []
        row = session.scalar(
            select(tables.Alert).where(
                tables.Alert.kind == subject.kind,
                tables.Alert.status == "open",
                tables.Alert.watch_id.is_(None)
                if subject.watch_id is None
                else tables.Alert.watch_id == subject.watch_id,
            )
        )
        for decision in alerting.decide(spikes, _state(row) if row else None, now=now):
            if decision.action == "open" or row is None:
                row = tables.Alert(
                    watch_id=subject.watch_id,
                    kind=subject.kind,
                    started_at=decision.alert.start,
                    data={},
                )
                session.add(row)
            _save(session, row, decision, subject, now=now)
            session.flush()
            {"open": report.opened, "update": report.updated, "close": report.closed}[
                decision.action
            ].append(row.id)
            if decision.notify and send:
                report.notified += 1
                report.errors += _notify(session, row, decision, subject, send)
    return report


def _subjects(session: Session) -> list[_Subject]:
    watches = session.scalars(
        select(tables.Watch).where(tables.Watch.active.is_(True)).order_by(tables.Watch.id)
    ).all()
    subjects = [
        _Subject(
            w.id,
            SPIKE,
            w.name,
            tables.Post.id.in_(select(tables.Match.post_id).where(tables.Match.watch_id == w.id)),
        )
        for w in watches
    ]
    own = [w.id for w in watches if w.kind in OWN_KINDS]
    if own:
        negative = select(tables.Enrichment.post_id).where(
            tables.Enrichment.kind == "sentiment", tables.Enrichment.label == "negative"
        )
        matched = select(tables.Match.post_id).where(tables.Match.watch_id.in_(own))
        subjects.append(
            _Subject(
                None,
                NEGATIVE,
                "avis négatifs",
                tables.Post.id.in_(matched) & tables.Post.id.in_(negative),
            )
        )
    return subjects


def _hourly_counts(
    session: Session, subject: _Subject, *, now: datetime, zone: ZoneInfo
) -> list[tuple[datetime, int]]:
    """Posts per hour, stamped in the business's zone so the baseline knows its hours."""
    start = now - timedelta(days=HISTORY_DAYS)
    times = session.scalars(
        select(tables.Post.created_at).where(
            subject.post_filter, tables.Post.created_at >= start, tables.Post.created_at <= now
        )
    )
    hours = Counter(as_utc(t).replace(minute=0, second=0, microsecond=0) for t in times)
    return [(hour.astimezone(zone), n) for hour, n in sorted(hours.items())]


def _state(row: tables.Alert) -> alerting.Alert:
    data = row.data
    return alerting.Alert(
        start=datetime.fromisoformat(data["start"]),
        end=datetime.fromisoformat(data["end"]),
        detected_at=datetime.fromisoformat(data["detected_at"]),
        score=row.score,
        peak_count=int(data["peak_count"]),
        total=int(data["total"]),
        expected=float(data["expected"]),
        notified_total=int(data["notified_total"]),
        expected_low=int(data.get("expected_low", 0)),
        expected_high=int(data.get("expected_high", 0)),
    )


def _save(
    session: Session,
    row: tables.Alert,
    decision: alerting.AlertDecision,
    subject: _Subject,
    *,
    now: datetime,
) -> None:
    alert = decision.alert
    post_ids, terms = _cause(session, subject, alert.start, alert.end)
    history = list(row.data.get("history", []))
    history.append({"at": now.isoformat(), "action": decision.action, "reason": decision.reason})
    row.status = alert.status
    row.started_at = alert.start
    row.updated_at = now
    row.score = round(alert.score, 2)
    row.summary = (
        f"{subject.name} : {alert.total} publications ({alert.expected:.1f} attendues, "
        f"habituellement {alert.expected_low} à {alert.expected_high})"
        + (f" — {', '.join(terms[:4])}" if terms else "")
    )
    row.data = {
        "watch": subject.name,
        "start": alert.start.isoformat(),
        "end": alert.end.isoformat(),
        "detected_at": alert.detected_at.isoformat(),
        "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
        "peak_count": alert.peak_count,
        "total": alert.total,
        "expected": alert.expected,
        "expected_low": alert.expected_low,
        "expected_high": alert.expected_high,
        "notified_total": alert.notified_total,
        "post_ids": post_ids,
        "terms": terms,
        "history": history,
    }


def _cause(
    session: Session, subject: _Subject, start: datetime, end: datetime
) -> tuple[list[int], list[str]]:
    """The spike's most seen posts and the words that set it apart from the week before."""
    rows = session.execute(
        select(
            tables.Post.id,
            tables.Post.text,
            tables.Post.likes + 2 * tables.Post.reposts + tables.Post.replies,
            tables.Author.followers_count,
        )
        .join(tables.Author, tables.Author.id == tables.Post.author_id)
        .where(subject.post_filter, tables.Post.created_at >= start, tables.Post.created_at < end)
        .order_by(tables.Post.created_at)
    ).all()
    baseline = session.scalars(
        select(tables.Post.text).where(
            subject.post_filter,
            tables.Post.created_at >= start - timedelta(days=7),
            tables.Post.created_at < start,
        )
    ).all()
    # Reach counts: a post seen by 10,000 followers matters more than one liked twice.
    weights = [(str(pid), float(engaged) * 10 + reach) for pid, _, engaged, reach in rows]
    post_ids = [int(pid) for pid in alerting.top_posts(weights, k=5)]
    terms = alerting.top_terms([text for _, text, _, _ in rows], list(baseline))
    return post_ids, terms


def _notify(
    session: Session,
    row: tables.Alert,
    decision: alerting.AlertDecision,
    subject: _Subject,
    settings: Settings,
) -> list[str]:
    """Send the alert everywhere configured; failures are returned, never raised."""
    errors: list[str] = []
    try:
        box = SecretBox(settings.resolved_secret_key())
        smtp = load_smtp(session, box)
        hooks = load_webhooks(session, box)
    except ValueError as error:
        return [said(error, settings.language)]
    link = f"{link_base(session, settings)}/alerts/{row.id}"
    payload = alerting.alert_payload(
        decision,
        watch=subject.name,
        link=link,
        post_ids=[str(i) for i in row.data["post_ids"]],
        terms=row.data["terms"],
    )
    if smtp is not None and smtp.to:
        subject_line, html, text = alert_email(row, decision, link, settings.language)
        try:
            smtp.send(
                to=list(smtp.to),
                subject=subject_line,
                html=html,
                text=text,
            )
        except notify.NotifyError as error:
            errors.append(error.in_language(settings.language))
    for hook in hooks:
        try:
            notify.send_webhook(
                hook.url,
                payload,
                secret=hook.secret,
                allow_private=settings.allow_private_urls,
            )
        except notify.NotifyError as error:
            errors.append(error.in_language(settings.language))
    return errors


_TITLES = {
    "open": N_("Alert"),
    "update": N_("The alert is growing"),
    "close": N_("Alert over"),
}


def alert_email(
    row: tables.Alert, decision: alerting.AlertDecision, link: str, lang: Language
) -> tuple[str, str, str]:
    """Subject, HTML and text of an alert's e-mail, in the instance's language: the same
    words as the alerts page, from the same catalog."""
    words = translator(lang)
    data = row.data
    expected = format_decimal(data["expected"], "0.0", locale=lang)
    volume = words.ngettext(
        "%(count)s post (%(expected)s expected, usually %(low)s to %(high)s)",
        "%(count)s posts (%(expected)s expected, usually %(low)s to %(high)s)",
        data["total"],
    ) % {
        "count": data["total"],
        "expected": expected,
        "low": data["expected_low"],
        "high": data["expected_high"],
    }
    what = words.gettext("%(watch)s: %(volume)s") % {"watch": data["watch"], "volume": volume}
    title = f"{words.gettext(_TITLES[decision.action])} — {what}".replace("\n", " ")[:200]
    terms = words.gettext("Words: %(terms)s") % {"terms": ", ".join(data["terms"]) or "—"}
    text = f"{title}\n\n{terms}\n{link}\n"
    html = (
        f"<h1>{escape(title)}</h1><p>{escape(terms)}</p>"
        f'<p><a href="{escape(link)}">{escape(link)}</a></p>'
    )
    return title, html, text
