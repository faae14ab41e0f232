"""The brief by e-mail: rendered as HTML with a plain-text part, sent once a day at its hour."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from veille import localise, notify
from veille.channels import link_base, load_brief, load_smtp
from veille.config import Settings
from veille.crypto import SecretBox
from veille.labels import label
from veille.links import external_url, view_link
from veille.localise import template_context
from veille.report.brief import Brief, build_brief
from veille.store.repository import get_setting, put_setting
from veille.translations import N_, Language, Words, translator

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
SENT_KEY = "brief_sent"  # {"day": "YYYY-MM-DD"}: the last day a brief went out

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True)
)
localise.install(_env)
_env.filters["external_url"] = external_url
_env.filters["post_link"] = view_link


def render_email(brief: Brief, *, base_url: str, lang: Language = "fr") -> tuple[str, str, str]:
    """Subject, HTML and plain text of the brief's e-mail."""
    business = brief.business or "Veille"
    day = format_date(brief.day, "short", locale=lang)
    subject = translator(lang).gettext("%(business)s — brief of %(day)s") % {
        "business": business,
        "day": day,
    }
    subject = subject.replace("\n", " ")
    html = _env.get_template("report_brief_email.html").render(
        brief=brief,
        base_url=base_url,
        subject=subject,
        **template_context(lang),
        reputation_svg=None,
    )
    return subject, html, plain_text(brief, base_url=base_url, lang=lang)


def plain_text(brief: Brief, *, base_url: str, lang: Language = "fr") -> str:
    """The brief for mail readers that show no HTML."""
    lines = [f"{brief.business} — {brief.day:%d/%m/%Y}", ""]
    lines += [f"{label(c.key, lang)} : {c.today} ({c.yesterday})" for c in brief.changes]
    lines.append(f"{translator(lang).gettext('To handle')} : {brief.to_handle}")
    lines += ["", translator(lang).gettext("To do today")]
    for item in brief.todo:
        what = label(f"brief.todo.{item.kind}", lang)
        lines.append(f"- {what} {item.who} {item.text[:120]} {base_url}{item.href}")
    lines += ["", translator(lang).gettext("Share of voice (7 d)")]
    lines += [f"- {row.name} : {row.percent} %" for row in brief.share]
    lines += ["", translator(lang).gettext("Sector and local news")]
    lines += [f"- {item.post.text[:120]}" for item in brief.news]
    return "\n".join(lines) + "\n"


def send_brief(session: Session, *, now: datetime, settings: Settings) -> list[str]:
    """Build and send today's brief now; returns the recipients. Raises notify.EmailError."""
    zone = settings.zone
    smtp = load_smtp(session, SecretBox(settings.resolved_secret_key()))
    brief_settings = load_brief(session)
    if smtp is None:
        raise notify.EmailError(N_("e-mail is not configured: set the SMTP server in Settings"))
    recipients = list(brief_settings.to or smtp.to)
    if not recipients:
        raise notify.EmailError(
            N_("no recipient: add the brief's recipients in Settings (Your brief)")
        )
    brief = build_brief(session, zone=zone, now=now)
    subject, html, text = render_email(
        brief, base_url=link_base(session, settings), lang=settings.language
    )
    smtp.send(
        to=recipients,
        subject=subject,
        html=html,
        text=text,
    )
    put_setting(session, SENT_KEY, {"day": f"{now.astimezone(zone):%Y-%m-%d}"})
    return recipients


def send_brief_if_due(
    session: Session, *, now: datetime, settings: Settings, force: bool = False
) -> Words:
    """Send the brief once a day, at or after its hour; says what it did."""
    brief_settings = load_brief(session)
    local = now.astimezone(settings.zone)
    sent = (get_setting(session, SENT_KEY) or {}).get("day")
    if not force:
        if not brief_settings.enabled:
            return Words(N_("the brief e-mail is turned off (Settings, Your brief)"))
        if local.hour < brief_settings.hour:
            return Words(
                N_("not yet: the brief goes out at %(hour)s:00"), hour=f"{brief_settings.hour:02d}"
            )
        if sent == f"{local:%Y-%m-%d}":
            return Words(N_("already sent today (%(day)s)"), day=sent)
    recipients = send_brief(session, now=now, settings=settings)
    return Words(N_("brief sent to %(recipients)s"), recipients=", ".join(recipients))
