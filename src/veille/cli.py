"""The `veille` command: one subcommand per job."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import IntegrityError

from veille import cli_frame
from veille.config import get_settings
from veille.ingest import ingest_posts, parse_payload_items, parse_post_lines
from veille.ingest_pool import ingest_lines
from veille.links import post_link
from veille.runtime import build_pipeline, open_database
from veille.sources import registry
from veille.sources.sniff import describe_file
from veille.spreadsheet import write_csv
from veille.store import queries
from veille.store.search import SearchQueryError
from veille.terminal import _, language, ngettext, said
from veille.timeutil import FIRST_DAY, LAST_DAY
from veille.translations import N_, Refusal

cli_frame.speak(language())
app = typer.Typer(
    help=_("Veille: listen, react, speak and know, in a few minutes a day."),
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)
out = Console()


INGEST_FORMATS = ("post", *registry.ingest_formats())


@app.command(help=_("Store posts from a file; prints read / new / duplicate / matched / rejected."))
def ingest(
    file: Annotated[Path, typer.Argument(help=_("File to ingest ('-': standard input)."))],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help=_("post (Post JSON, one post per line), ")
            + ", ".join(_(s.ingest_help) for s in registry.SOURCES if s.load_payload)
            + ".",
        ),
    ] = "post",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help=_(
                "Processes that read the posts and sort them first (post format); by default "
                "one per core past 5,000 lines, 0: everything in this process."
            ),
        ),
    ] = None,
    broker: Annotated[
        str | None,
        typer.Option(
            help=_(
                "nats://HOST:PORT: publish the posts to the NATS JetStream stream, where "
                "`veille worker` processes store them (distributed mode)."
            )
        ),
    ] = None,
) -> None:
    """Store posts from a file; prints read / new / duplicate / matched / rejected."""
    if fmt not in INGEST_FORMATS:
        err.print(
            _(
                "unknown format: %(fmt)r (expected: %(formats)s)",
                fmt=fmt,
                formats=", ".join(INGEST_FORMATS),
            ),
            markup=False,
        )
        raise typer.Exit(2)
    stdin = str(file) == "-"
    if stdin and fmt != "post":
        err.print(_("standard input is read in the post format only"), markup=False)
        raise typer.Exit(2)
    if not stdin and not file.is_file():
        err.print(_("file not found: %(file)s", file=file), markup=False)
        raise typer.Exit(2)
    if broker is not None:
        _publish_file(file, fmt, broker)
        return
    db = open_database(get_settings())
    pipeline = build_pipeline(db)
    with _progress() as progress:
        if fmt == "post":
            # Bytes, decoded line by line: one bad byte costs its line, not the file.
            handle = sys.stdin.buffer if stdin else file.open("rb")
            total = None if stdin else sum(1 for _line in file.open("rb"))
            task = progress.add_task(_("ingesting"), total=total)
            with handle:
                summary = ingest_lines(
                    pipeline,
                    handle,
                    workers=workers,
                    progress=lambda n: progress.advance(task, n),
                )
        else:
            task = progress.add_task(_("ingesting"), total=None)
            summary = ingest_posts(
                pipeline,
                parse_payload_items(file, fmt),
                progress=lambda n: progress.advance(task, n),
                where=N_("item %(number)s"),
            )
    for rejection in summary.rejected[:50]:
        err.print(said(rejection), markup=False, soft_wrap=True)  # one line each, greppable
    if len(summary.rejected) > 50:
        err.print(_("... and %(more)s more rejections", more=len(summary.rejected) - 50))
    out.print_json(json.dumps(summary.as_dict()))
    if summary.stored_nothing:
        message = _("no post read in the %(fmt)s format", fmt=fmt)
        if not stdin:
            message += _("; the file looks like: %(what)s", what=describe_file(file))
        err.print(message, markup=False, soft_wrap=True)
        raise typer.Exit(2)
    if summary.partial:
        raise typer.Exit(1)


def _publish_file(file: Path, fmt: str, broker: str) -> None:
    """`ingest --broker`: the same parsing and rejections, then the stream instead of the store."""
    from veille.broker.publisher import publish_items

    stdin = str(file) == "-"
    with _broker_publisher(broker) as publisher, _progress() as progress:
        task = progress.add_task(_("publishing"), total=None)
        if fmt == "post":
            with sys.stdin.buffer if stdin else file.open("rb") as handle:
                items: Any = parse_post_lines(handle)
                summary = publish_items(
                    publisher, items, progress=lambda n: progress.advance(task, n)
                )
        else:
            summary = publish_items(
                publisher,
                parse_payload_items(file, fmt),
                progress=lambda n: progress.advance(task, n),
            )
    for rejection in summary.rejected[:50]:
        err.print(said(rejection), markup=False, soft_wrap=True)
    if len(summary.rejected) > 50:
        err.print(_("... and %(more)s more rejections", more=len(summary.rejected) - 50))
    if summary.deletions_skipped:
        err.print(
            _(
                "%(count)s deletions not passed on (distributed mode)",
                count=summary.deletions_skipped,
            )
        )
    out.print_json(json.dumps(summary.as_dict()))
    if summary.stored_nothing:
        err.print(_("no post read in the %(fmt)s format", fmt=fmt), markup=False)
        raise typer.Exit(2)
    if summary.partial:
        raise typer.Exit(1)


@contextmanager
def _broker_publisher(address: str) -> Iterator[Any]:
    """A connected publisher, or exit 2 naming the broker that could not be reached."""
    try:
        from veille.broker.publisher import Publisher
        from veille.broker.stream import BrokerError, check_address
    except ImportError as exc:  # installed without the extra
        err.print(
            _("distributed mode unavailable (%(why)s): pip install 'veille[broker]'", why=exc),
            markup=False,
        )
        raise typer.Exit(2) from None
    try:
        publisher = Publisher(check_address(address), workspace_id=_cli_workspace())
    except (ValueError, BrokerError) as exc:
        err.print(_("error: %(error)s", error=said(exc)), markup=False)
        raise typer.Exit(2) from None
    try:
        yield publisher
    finally:
        publisher.close()


def _cli_workspace() -> int:
    """The workspace the command line acts for (VEILLE_WORKSPACE): who hears what it sends to
    the broker. Only a named one needs the database."""
    from veille.store.db import DEFAULT_SLUG, DEFAULT_WORKSPACE, Database

    settings = get_settings()
    if settings.workspace == DEFAULT_SLUG:
        return DEFAULT_WORKSPACE
    db = Database.from_settings(settings)
    try:
        return db.workspace_id
    finally:
        db.engine.dispose()


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


@app.command(help=_("Write stored posts as Post JSON lines or CSV."))
def export(
    watch: Annotated[str | None, typer.Option(help=_("Name of the watch."))] = None,
    since: Annotated[str | None, typer.Option(help=_("ISO 8601 date or instant."))] = None,
    fmt: Annotated[str, typer.Option("--format", help=_("jsonl or csv."))] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Write stored posts as Post JSON lines or CSV."""
    if fmt not in ("jsonl", "csv"):
        err.print(
            _("unknown format: %(fmt)r (expected: jsonl or csv)", fmt=fmt),
            style="red",
            markup=False,
        )
        raise typer.Exit(2)
    settings = get_settings()
    start = _parse_since(since, settings.zone) if since else None
    db = open_database(settings)
    with db.session() as session:
        if watch is not None and queries.watch_id(session, watch) is None:
            err.print(_("unknown watch: %(watch)r", watch=watch), style="red", markup=False)
            raise typer.Exit(2)
        rows = queries.export_rows(session, watch=watch, since=start)
    for row in rows:
        row["veille"]["link"] = post_link(
            network=row["network"],
            username=row["author"]["username"],
            post_id=row["id"],
            payload=row,
        )
    target = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "jsonl":
            for row in rows:
                target.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            write_csv(target, [queries.CSV_COLUMNS, *(queries.csv_row(row) for row in rows)])
    finally:
        if output:
            target.close()


def _parse_since(value: str, zone: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        err.print(
            _("--since: invalid date %(value)r (e.g. 2026-11-20)", value=value),
            style="red",
            markup=False,
        )
        raise typer.Exit(2) from None
    if not FIRST_DAY <= parsed.date() <= LAST_DAY:
        err.print(
            _(
                "--since: %(day)s is outside %(first)s to %(last)s",
                day=parsed.date(),
                first=FIRST_DAY,
                last=LAST_DAY,
            ),
            style="red",
            markup=False,
        )
        raise typer.Exit(2)
    if len(value) == 10:
        parsed = datetime.combine(parsed.date(), time(0, 0))
    return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed


@app.command(help=_("Full-text search of stored posts (case and accents folded)."))
def search(
    query: Annotated[str, typer.Argument(help=_('Words, "exact phrase", -excluded, OR, prefix*.'))],
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Full-text search of stored posts (case and accents folded)."""
    db = open_database(get_settings())
    try:
        with db.session() as session:
            hits = queries.search_posts(session, query, limit=limit)
    except SearchQueryError as exc:
        err.print(said(exc), style="red", markup=False)
        raise typer.Exit(2) from None
    for hit in hits:
        out.print(
            f"{hit.created_at:%Y-%m-%d %H:%M} {hit.network:<8} @{hit.username}: {hit.text}",
            markup=False,
            highlight=False,
        )
    err.print(ngettext("%(count)s result", "%(count)s results", len(hits)))


users_app = typer.Typer(help=_("Users of the web app."), no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add", help=_("Create a web user (the password is asked for, never echoed)."))
def users_add(
    username: Annotated[str, typer.Argument(help=_("Sign-in name."))],
    role: Annotated[str, typer.Option(help=_("owner, manager, member or viewer."))] = "member",
    password: Annotated[
        str,
        typer.Option(
            prompt=_("Password"),
            hide_input=True,
            confirmation_prompt=_("The same password, once more"),
            show_default=False,
            help=_("Password."),
        ),
    ] = "",
) -> None:
    """Create a web user (the password is asked for, never echoed)."""
    from veille.permissions import ROLES
    from veille.users import create_user

    if role not in ROLES:
        err.print(
            _("unknown role: %(role)r (expected: %(roles)s)", role=role, roles=", ".join(ROLES)),
            markup=False,
        )
        raise typer.Exit(2)
    if len(password) < 8:
        err.print(_("password too short: 8 characters at least"), markup=False)
        raise typer.Exit(2)
    db = open_database(get_settings())
    try:
        with db.session() as session:
            create_user(session, username=username, password=password, role=role)
    except IntegrityError:
        err.print(_("the user %(name)r exists already", name=username), markup=False)
        raise typer.Exit(1) from None
    out.print(_("user %(name)s created (%(role)s)", name=username, role=role), markup=False)


@app.command(help=_("Serve the web app."))
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Serve the web app."""
    from veille.web.server import run

    settings = get_settings()
    run(settings, host=host or settings.host, port=port or settings.port)


@app.command(
    help=_("Build the demo business's database, print a short brief, then serve the web app.")
)
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help=_("Serve the web app after the demo."))
    ] = True,
    seed: Annotated[int, typer.Option(help=_("Seed of the generator."))] = 7,
) -> None:
    """Build the demo business's database, print a short brief, then serve the web app."""
    from veille.demo.run import (
        build_demo,
        demo_instance_url,
        demo_settings,
        print_accuracy,
        print_brief,
    )

    settings = demo_settings(get_settings())
    instance_url = demo_instance_url(settings)
    result = build_demo(settings, seed=seed, console=err, instance_url=instance_url)
    print_brief(result, console=out)
    print_accuracy(result, console=out)
    if serve_after:
        out.print(
            "\n"
            + _(
                "Veille runs on %(address)s — sign in as [bold]demo[/bold] with the password "
                "[bold]demo[/bold]. Replies and posts go to the demo instance, %(instance)s. "
                "(Ctrl-C to stop)",
                address=f"http://{settings.host}:{settings.port}",
                instance=instance_url,
            )
        )
        _serve_demo(settings)


DEMO_SCHEDULER_INTERVAL = 5.0  # seconds: a post scheduled "now" goes out while the user watches


def _serve_demo(settings: Any) -> None:
    """The web app, the demo's Mastodon-compatible instance on the next port, and the
    publishing scheduler, so that a reply or a scheduled post goes out and shows."""
    import threading

    from veille.crypto import SecretBox
    from veille.demo.instance import DemoInstance
    from veille.publish.publisher import ConnectorPublisher
    from veille.publish.scheduler import Scheduler
    from veille.store.db import Database
    from veille.web.server import run

    instance = DemoInstance(settings.port + 1).start()
    stop = threading.Event()
    db = Database.from_settings(settings)
    scheduler = Scheduler(db, ConnectorPublisher(db, SecretBox(settings.resolved_secret_key())))

    def publish_due() -> None:
        while not stop.wait(DEMO_SCHEDULER_INTERVAL):
            scheduler.run_due()

    threading.Thread(target=publish_due, name="demo-scheduler", daemon=True).start()
    try:
        run(settings, host=settings.host, port=settings.port)
    finally:
        stop.set()
        instance.close()


def _register_commands() -> None:
    """Each area adds its own subcommands (rules, guard, listen ...)."""
    from veille import workspaces_cli
    from veille.broker import commands as broker_commands
    from veille.publish import commands as publish_commands
    from veille.report import commands as report_commands
    from veille.rules import commands as rules_commands
    from veille.setup import commands as setup_commands
    from veille.sources import commands as sources_commands
    from veille.store import commands as store_commands
    from veille.understand import commands as understand_commands

    rules_commands.register(app)
    understand_commands.register(app)
    publish_commands.register(app)
    report_commands.register(app)
    setup_commands.register(app)
    store_commands.register(app)
    sources_commands.register(app, on_post_factory=_pipeline_sink, broker_sink_factory=_broker_sink)
    broker_commands.register(app)
    workspaces_cli.register(app)


def _pipeline_sink() -> Any:
    """`veille listen` stores what it hears through the pipeline, one post at a time, heard
    by the workspace whose account heard it."""
    pipeline = build_pipeline(open_database(get_settings()))

    def on_post(post: Any, heard_by: int | None) -> None:
        pipeline.process([post], heard_by=heard_by)

    return on_post


@contextmanager
def _broker_sink(address: str) -> Iterator[Any]:
    """`veille listen --broker`: each post heard goes to the stream, not the store, with the
    workspace that heard it."""
    with _broker_publisher(address) as publisher:
        yield lambda post, heard_by: publisher.publish([post], heard_by=heard_by)


_register_commands()


def main() -> None:
    try:
        app()
    except Refusal as refused:  # e.g. VEILLE_WORKSPACE names no workspace
        err.print(said(refused), markup=False)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
