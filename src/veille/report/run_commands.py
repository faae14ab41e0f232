"""`veille alerts run` and `veille brief send`: the hourly jobs that read and write the store."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from veille.config import get_settings
from veille.report.commands import SensitivityChoice, alerts_app
from veille.store.db import Database
from veille.timeutil import utcnow

brief_app = typer.Typer(help="The daily brief.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `alerts run` to the `alerts` group and the `brief` group to ``app``.

    Call after ``veille.report.commands.register`` (the `alerts` group comes from there).
    """
    if not any(c.name == "run" for c in alerts_app.registered_commands):
        alerts_app.command("run")(run)
    if not brief_app.registered_commands:
        brief_app.command("send")(send)
    app.add_typer(brief_app, name="brief")


def _now(value: str) -> datetime:
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise typer.BadParameter(f"{value!r} needs a time zone offset, e.g. +01:00 or Z")
    return moment


def run(
    sensitivity: Annotated[SensitivityChoice, typer.Option()] = SensitivityChoice.normal,
    now: Annotated[str, typer.Option(help="Pretend it is this time (ISO 8601), to replay.")] = "",
    quiet: Annotated[bool, typer.Option(help="Persist alerts without notifying.")] = False,
) -> None:
    """Detect spikes per watch and on negative volume, save alerts, notify. Run hourly."""
    from veille.report.alerts_run import run_alerts

    settings = get_settings()
    db = Database.from_settings(settings)
    with db.session() as session:
        report = run_alerts(
            session,
            now=_now(now),
            zone=settings.zone,
            sensitivity=sensitivity.value,
            send=not quiet,
        )
    typer.echo(
        json.dumps(
            {
                "opened": report.opened,
                "updated": report.updated,
                "closed": report.closed,
                "notified": report.notified,
                "errors": report.errors,
            },
            ensure_ascii=False,
        )
    )
    if report.errors:
        raise typer.Exit(1)


def send(
    force: Annotated[
        bool, typer.Option(help="Send now, whatever the hour and even if sent today.")
    ] = False,
    now: Annotated[str, typer.Option(help="Pretend it is this time (ISO 8601).")] = "",
) -> None:
    """Send the daily brief by e-mail once its hour has come (run it every few minutes)."""
    from veille.report.mailer import send_brief_if_due
    from veille.report.notify import NotifyError

    settings = get_settings()
    db = Database.from_settings(settings)
    try:
        with db.session() as session:
            outcome = send_brief_if_due(session, now=_now(now), zone=settings.zone, force=force)
    except (NotifyError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(outcome)
