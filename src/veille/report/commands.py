"""`veille alerts backtest` (replay spike detection on a saved series), `veille alerts run` and
`veille brief send` (the hourly jobs that read and write the store)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veille.config import get_settings
from veille.report.spikes import detect
from veille.store.db import Database
from veille.terminal import _, file_problem, language, said
from veille.timeutil import utcnow
from veille.translations import N_, Refusal, Words
from veille.workspaces import WorkspaceView, listed

alerts_app = typer.Typer(help=_("Spike and crisis alerts."), no_args_is_help=True)
brief_app = typer.Typer(help=_("The daily brief."), no_args_is_help=True)


class SensitivityChoice(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"


class MethodChoice(StrEnum):
    default = "default"
    poisson = "poisson"
    cusum = "cusum"
    zscore = "zscore"


class ColumnChoice(StrEnum):
    posts = "count"
    negative = "negative"


class SeriesError(Refusal):
    """A series file that cannot be read; the message names the file and line."""


def register(app: typer.Typer) -> None:
    """Add the `alerts` and `brief` command groups to the given app."""
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(brief_app, name="brief")


@alerts_app.command(
    help=_(
        "Print each alert the detector raises on SERIES, one JSON line per alert. Any sampling "
        "works: finer than the hour is summed per hour, coarser and regular is read step by step."
    )
)
def backtest(
    series: Annotated[
        Path,
        typer.Option(
            "--series",
            help=_("CSV with a header row: timestamp (ISO 8601 with offset), count, [negative]."),
        ),
    ],
    sensitivity: Annotated[
        SensitivityChoice, typer.Option(help=_("How readily to alert."))
    ] = SensitivityChoice.normal,
    method: Annotated[
        MethodChoice, typer.Option(help=_("Detection method (default: Veille's own)."))
    ] = MethodChoice.default,
    column: Annotated[
        ColumnChoice, typer.Option(help=_("Which column to watch: all posts or negative ones."))
    ] = ColumnChoice.posts,
    floor: Annotated[
        int | None,
        typer.Option(min=1, help=_("Never alert on fewer posts (default by sensitivity).")),
    ] = None,
) -> None:
    """Print each alert the detector raises on SERIES, one JSON line per alert.

    Any sampling works: finer than the hour (5-minute counts) is summed per hour, with hours
    missing half their samples left out; coarser and regular (daily) is read step by step.
    """
    try:
        points, naive = read_series(series, column=column.value)
    except SeriesError as error:
        typer.echo(_("error: %(error)s", error=said(error)), err=True)
        raise typer.Exit(2) from None
    if naive:
        typer.echo(
            _(
                "note: %(file)s: %(count)s timestamps without offset read as UTC",
                file=series,
                count=naive,
            ),
            err=True,
        )
    spikes = detect(points, sensitivity=sensitivity.value, method=method.value, floor=floor)
    for spike in spikes:
        line = {
            "start": spike.start.isoformat(),
            "end": spike.end.isoformat(),
            "score": spike.score,
        }
        typer.echo(json.dumps(line))


def read_series(path: Path, *, column: str = "count") -> tuple[list[tuple[datetime, int]], int]:
    """(timestamp, count) pairs from a backtest CSV, and how many timestamps had no offset.

    A timestamp without offset is read as UTC (benchmark files often have none); a ``value``
    column stands for ``count`` when there is none. Raises SeriesError naming the line.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise SeriesError(
            N_("cannot read %(file)s: %(why)s"), file=path, why=file_problem(error)
        ) from None
    with handle:
        rows = csv.reader(handle)
        header = [name.strip().lower() for name in next(rows, [])]
        if "count" not in header and "value" in header:
            header[header.index("value")] = "count"
        if "timestamp" not in header or "count" not in header:
            raise SeriesError(
                N_("%(file)s line 1: the header must name the columns timestamp and count"),
                file=path,
            )
        if column not in header:
            raise SeriesError(
                N_("%(file)s line 1: no %(column)s column in the header"), file=path, column=column
            )
        at, pick = header.index("timestamp"), header.index(column)
        points: list[tuple[datetime, int]] = []
        naive = 0
        for row in rows:
            where = Words(N_("%(file)s line %(number)s"), file=path, number=rows.line_num)
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise SeriesError(
                    N_("%(where)s: %(fields)s fields where the header has %(columns)s"),
                    where=where,
                    fields=len(row),
                    columns=len(header),
                )
            moment = _timestamp(row[at].strip(), where)
            if moment.tzinfo is None:
                naive += 1
                moment = moment.replace(tzinfo=UTC)
            points.append((moment, _count(row[pick].strip(), where)))
    return points, naive


def _timestamp(text: str, where: Words) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise SeriesError(
            N_("%(where)s: timestamp %(text)r is not ISO 8601"), where=where, text=text
        ) from None


def _count(text: str, where: Words) -> int:
    # "12.0" is a whole number too (spreadsheets and pandas write counts that way).
    whole = text[:-2] if text.endswith(".0") else text
    if not whole.isdigit():
        raise SeriesError(
            N_("%(where)s: count %(text)r is not a whole number >= 0"), where=where, text=text
        )
    return int(whole)


def _now(value: str) -> datetime:
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            _("%(value)r is not an ISO 8601 date and time", value=value)
        ) from None
    if moment.tzinfo is None:
        raise typer.BadParameter(
            _("%(value)r needs a time zone offset, e.g. +01:00 or Z", value=value)
        )
    return moment


@alerts_app.command(
    "run",
    help=_("Detect spikes per watch and on negative volume, save alerts, notify. Run hourly."),
)
def run(
    sensitivity: Annotated[
        SensitivityChoice, typer.Option(help=_("How readily to alert."))
    ] = SensitivityChoice.normal,
    now: Annotated[
        str, typer.Option(help=_("Pretend it is this time (ISO 8601), to replay."))
    ] = "",
    quiet: Annotated[bool, typer.Option(help=_("Persist alerts without notifying."))] = False,
) -> None:
    """Detect spikes per watch and on negative volume, save alerts, notify. Run hourly."""
    from veille.report.alerts_run import RunReport, run_alerts

    settings = get_settings()
    db = Database.from_settings(settings)
    moment = _now(now)
    report = RunReport()
    # Every workspace: its own watches, alerts and channels (the session is bound to it).
    for workspace in _workspaces(db):
        with db.session(workspace_id=workspace.id) as session:
            done = run_alerts(
                session,
                now=moment,
                zone=settings.zone,
                sensitivity=sensitivity.value,
                send=None if quiet else settings,
            )
        report.opened += done.opened
        report.updated += done.updated
        report.closed += done.closed
        report.notified += done.notified
        report.errors += done.errors
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


@brief_app.command(
    "send",
    help=_("Send the daily brief by e-mail once its hour has come (run it every few minutes)."),
)
def send(
    force: Annotated[
        bool, typer.Option(help=_("Send now, whatever the hour and even if sent today."))
    ] = False,
    now: Annotated[str, typer.Option(help=_("Pretend it is this time (ISO 8601)."))] = "",
) -> None:
    """Send the daily brief by e-mail once its hour has come (run it every few minutes)."""
    from veille.notify import NotifyError
    from veille.report.mailer import send_brief_if_due

    settings = get_settings()
    db = Database.from_settings(settings)
    moment = _now(now)
    workspaces = _workspaces(db)
    failed = False
    # Each workspace's brief, from its own figures to its own recipients; one that cannot be
    # sent does not hold the others back. Lines are named by workspace when there are several.
    for workspace in workspaces:
        named = f"{workspace.slug}: " if len(workspaces) > 1 else ""
        try:
            with db.session(workspace_id=workspace.id) as session:
                outcome = send_brief_if_due(session, now=moment, settings=settings, force=force)
        except (NotifyError, ValueError) as error:
            typer.echo(named + _("error: %(error)s", error=said(error)), err=True)
            failed = True
            continue
        typer.echo(named + outcome.in_language(language()))
    if failed:
        raise typer.Exit(1)


def _workspaces(db: Database) -> list[WorkspaceView]:
    """The workspaces an hourly job serves: all of them, each in its own session."""
    with db.session(workspace_id=None) as session:
        return listed(session)
