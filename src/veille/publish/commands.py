"""`veille guard`: check drafts from the command line, one JSON line out per draft in."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated, Any, NoReturn

import typer

from veille.publish.guard import GuardContext, GuardInputError, check
from veille.publish.guard_models import GUARD_NETWORKS, Lang


def register(app: typer.Typer) -> None:
    """Adds the `guard` command to `app`."""

    @app.command("guard")
    def guard_command(
        text: Annotated[
            str | None,
            typer.Argument(
                help='The draft. Without it, JSON lines with a "text" are read from stdin.'
            ),
        ] = None,
        lang: Annotated[
            str, typer.Option("--lang", help="Language of the explanations: fr or en.")
        ] = "fr",
        network: Annotated[
            list[str] | None,
            typer.Option(
                "--network",
                help=f"Target network ({', '.join(GUARD_NETWORKS)}); repeatable.",
            ),
        ] = None,
        scheduled_at: Annotated[
            str | None,
            typer.Option("--scheduled-at", help="When it will be published (ISO 8601)."),
        ] = None,
        time_zone: Annotated[str, typer.Option("--time-zone")] = "Europe/Paris",
        crisis: Annotated[bool, typer.Option("--crisis", help="A crisis alert is open.")] = False,
    ) -> None:
        """Explain the risks of a draft before it is published (never blocks: you decide)."""
        if lang not in ("fr", "en"):
            _fail(f"--lang: {lang!r} is not supported; use fr or en")
        defaults: dict[str, Any] = {
            "networks": network or [],
            "scheduled_at": scheduled_at,
            "time_zone": time_zone,
            "open_crisis": crisis,
        }
        if text is not None:
            try:
                report = check(text, context=_context({}, defaults, lang, where="argument"))
            except GuardInputError as error:
                _fail(str(error))
            typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
            return
        failures = 0
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                item = _read_line(line, number)
                context = _context(item, defaults, lang, where=f"line {number}")
                report = check(item["text"], context=context)
            except GuardInputError as error:
                failures += 1
                typer.echo(json.dumps({"error": str(error)}, ensure_ascii=False))
                typer.echo(f"veille guard: {error}", err=True)
                continue
            typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
        if failures:
            raise typer.Exit(code=1)


def _fail(message: str) -> NoReturn:
    typer.echo(f"veille guard: {message}", err=True)
    raise typer.Exit(code=2)


def _read_line(line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise GuardInputError(f"line {number}: not valid JSON ({error.msg})") from error
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise GuardInputError(f'line {number}: expected an object with a string "text" field')
    return item


def _context(
    item: dict[str, Any], defaults: dict[str, Any], lang: str, *, where: str
) -> GuardContext:
    """The context of one draft: the line's own fields, else the command's options."""
    networks = item.get("networks", defaults["networks"])
    if not isinstance(networks, list) or not all(isinstance(n, str) for n in networks):
        raise GuardInputError(f'{where}: "networks" must be a list of network names')
    raw_when = item.get("scheduled_at", defaults["scheduled_at"])
    when: datetime | None = None
    if raw_when is not None:
        try:
            when = datetime.fromisoformat(str(raw_when))
        except ValueError as error:
            raise GuardInputError(
                f'{where}: "scheduled_at" {raw_when!r} is not an ISO 8601 date-time'
            ) from error
    crisis = item.get("open_crisis", defaults["open_crisis"])
    if not isinstance(crisis, bool):
        raise GuardInputError(f'{where}: "open_crisis" must be true or false')
    clients = item.get("client_names", [])
    if not isinstance(clients, list) or not all(isinstance(c, str) for c in clients):
        raise GuardInputError(f'{where}: "client_names" must be a list of names')
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
        raise GuardInputError(f"{where}: {error}") from error
