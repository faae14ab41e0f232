"""`veille guard` (check drafts from the command line, one JSON line out per draft in),
`veille publish run` (the scheduler loop) and `veille schedule` (what is queued, what failed
and why)."""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime
from typing import Annotated, Any, NoReturn

import typer
from sqlalchemy import select

from veille.config import get_settings
from veille.crypto import SecretBox
from veille.publish.guard import GuardContext, GuardInputError, check
from veille.publish.guard_models import GUARD_NETWORKS, Lang
from veille.publish.publisher import ConnectorPublisher
from veille.publish.scheduler import Scheduler
from veille.store.db import Database
from veille.store.tables_publish import PublishJob
from veille.terminal import _, language, said
from veille.translations import N_, Words


def register(app: typer.Typer) -> None:
    """Adds `guard`, `publish run` and `schedule` to `app`."""
    _register_guard(app)
    _register_scheduler(app)


def _register_guard(app: typer.Typer) -> None:
    """Adds the `guard` command to `app`."""

    @app.command(
        "guard",
        help=_("Explain the risks of a draft before it is published (never blocks: you decide)."),
    )
    def guard_command(
        text: Annotated[
            str | None,
            typer.Argument(
                help=_('The draft. Without it, JSON lines with a "text" are read from stdin.')
            ),
        ] = None,
        lang: Annotated[
            str | None,
            typer.Option("--lang", help=_("Language of the explanations: fr or en.")),
        ] = None,
        network: Annotated[
            list[str] | None,
            typer.Option(
                "--network",
                help=_(
                    "Target network (%(networks)s); repeatable.", networks=", ".join(GUARD_NETWORKS)
                ),
            ),
        ] = None,
        scheduled_at: Annotated[
            str | None,
            typer.Option("--scheduled-at", help=_("When it will be published (ISO 8601).")),
        ] = None,
        time_zone: Annotated[
            str, typer.Option("--time-zone", help=_("Time zone of --scheduled-at."))
        ] = "Europe/Paris",
        crisis: Annotated[
            bool, typer.Option("--crisis", help=_("A crisis alert is open."))
        ] = False,
    ) -> None:
        """Explain the risks of a draft before it is published (never blocks: you decide)."""
        lang = lang or language()
        if lang not in ("fr", "en"):
            _fail(_("--lang: %(lang)r is not supported; use fr or en", lang=lang))
        defaults: dict[str, Any] = {
            "networks": network or [],
            "scheduled_at": scheduled_at,
            "time_zone": time_zone,
            "open_crisis": crisis,
        }
        if text is not None:
            try:
                where = Words(N_("the argument"))
                report = check(text, context=_context({}, defaults, lang, where=where))
            except GuardInputError as error:
                _fail(said(error))
            typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
            return
        failures = 0
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                item = _read_line(line, number)
                context = _context(
                    item, defaults, lang, where=Words(N_("line %(number)s"), number=number)
                )
                report = check(item["text"], context=context)
            except GuardInputError as error:
                failures += 1
                typer.echo(json.dumps({"error": said(error)}, ensure_ascii=False))
                typer.echo(f"veille guard: {said(error)}", err=True)
                continue
            typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
        if failures:
            raise typer.Exit(code=1)


def _register_scheduler(app: typer.Typer) -> None:
    """Adds `publish run` and `schedule` to `app`."""
    publish = typer.Typer(help=_("Publish scheduled posts."), no_args_is_help=True)
    app.add_typer(publish, name="publish")

    @publish.command(
        "run", help=_("Publish due posts; safe to run twice at once or to restart at any time.")
    )
    def run(
        once: Annotated[
            bool, typer.Option("--once", help=_("Publish what is due now, then stop."))
        ] = False,
        interval: Annotated[
            float, typer.Option("--interval", min=1.0, help=_("Seconds between two looks."))
        ] = 30.0,
    ) -> None:
        """Publish due posts; safe to run twice at once or to restart at any time."""
        settings = get_settings()
        db = Database.from_settings(settings)
        scheduler = Scheduler(db, ConnectorPublisher(db, SecretBox(settings.resolved_secret_key())))
        stop = threading.Event()
        while True:
            summary = scheduler.run_due()
            for kind in ("published", "retrying", "failed"):
                for job_id in getattr(summary, kind):
                    typer.echo(json.dumps({"job": job_id, "outcome": kind}))
            if once or stop.wait(interval):
                break

    @app.command(
        "schedule", help=_("Queued, sending and failed posts, soonest first, one JSON line each.")
    )
    def schedule(
        limit: Annotated[
            int, typer.Option("--limit", min=1, max=1000, help=_("At most this many posts."))
        ] = 50,
    ) -> None:
        """Queued, sending and failed posts, soonest first, one JSON line each."""
        settings = get_settings()
        db = Database.from_settings(settings)
        with db.session() as session:
            jobs = session.scalars(
                select(PublishJob)
                .where(PublishJob.status.in_(("pending", "running", "failed")))
                .order_by(PublishJob.due_at)
                .limit(limit)
            ).all()
            for job in jobs:
                typer.echo(
                    json.dumps(
                        {
                            "job": job.id,
                            "draft": job.draft_id,
                            "network": job.network,
                            "due": job.due_at.astimezone(settings.zone).isoformat(),
                            "status": job.status,
                            "attempts": job.attempts,
                            "error": job.last_error,
                            "text": job.text[:80],
                        },
                        ensure_ascii=False,
                    )
                )


def _fail(message: str) -> NoReturn:
    """Say why the guard cannot read its input (already in the reader's language), exit 2."""
    typer.echo(f"veille guard: {message}", err=True)
    raise typer.Exit(code=2)


def _read_line(line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise GuardInputError(
            N_("line %(number)s: not valid JSON (%(why)s)"), number=number, why=error.msg
        ) from error
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise GuardInputError(
            N_('line %(number)s: expected an object with a string "text" field'), number=number
        )
    return item


def _context(
    item: dict[str, Any], defaults: dict[str, Any], lang: str, *, where: Words
) -> GuardContext:
    """The context of one draft: the line's own fields, else the command's options."""
    networks = item.get("networks", defaults["networks"])
    if not isinstance(networks, list) or not all(isinstance(n, str) for n in networks):
        raise GuardInputError(
            N_('%(where)s: "networks" must be a list of network names'), where=where
        )
    raw_when = item.get("scheduled_at", defaults["scheduled_at"])
    when: datetime | None = None
    if raw_when is not None:
        try:
            when = datetime.fromisoformat(str(raw_when))
        except ValueError as error:
            raise GuardInputError(
                N_('%(where)s: "scheduled_at" %(value)r is not an ISO 8601 date-time'),
                where=where,
                value=raw_when,
            ) from error
    crisis = item.get("open_crisis", defaults["open_crisis"])
    if not isinstance(crisis, bool):
        raise GuardInputError(N_('%(where)s: "open_crisis" must be true or false'), where=where)
    clients = item.get("client_names", [])
    if not isinstance(clients, list) or not all(isinstance(c, str) for c in clients):
        raise GuardInputError(N_('%(where)s: "client_names" must be a list of names'), where=where)
    chosen: Lang = "en" if lang == "en" else "fr"
    try:
        return GuardContext(
            networks=[n.lower() for n in networks],
            scheduled_at=when,
            time_zone=defaults["time_zone"],
            open_crisis=crisis,
            client_names=clients,
            lang=chosen,
        )
    except GuardInputError as error:
        raise GuardInputError(N_("%(where)s: %(error)s"), where=where, error=error) from error
