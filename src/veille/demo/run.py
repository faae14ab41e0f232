"""`veille demo`: build the demo business's database from its generated stream, and brief."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import select

from veille.accounts import connect_account
from veille.config import Settings
from veille.crypto import SecretBox
from veille.demo.accuracy import measure
from veille.demo.business import DEMO_BUSINESS, save_demo_business
from veille.demo.generator import DemoStream, generate_demo, write_demo
from veille.demo.instance import DEMO_TOKEN, HANDLE
from veille.ingest import IngestSummary, ingest_posts, parse_post_lines
from veille.report.alerts_run import run_alerts
from veille.report.brief import build_brief, urgent_items
from veille.runtime import build_pipeline
from veille.store import tables
from veille.store.db import Database
from veille.timeutil import utcnow
from veille.users import create_user

DEMO_USER = "demo"
# The documented demo login; it exists only in the demo database.
DEMO_PASSWORD = "demo"


@dataclass
class DemoResult:
    settings: Settings
    db: Database
    summary: IngestSummary
    posts_path: Path
    labels_path: Path
    seconds: float
    stream: DemoStream


def demo_settings(settings: Settings) -> Settings:
    """The demo's own SQLite file in the data directory, whatever database is configured.

    The demo is rebuilt from scratch each time: it must never run on the user's database.
    """
    url = f"sqlite:///{(settings.data_dir / 'demo.db').resolve()}"
    return settings.model_copy(update={"database_url": url})


def _reset_sqlite_file(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def demo_instance_url(settings: Settings) -> str:
    """Where `veille demo` serves its Mastodon instance: the port after the app's."""
    return f"http://127.0.0.1:{settings.port + 1}"


def build_demo(
    settings: Settings,
    *,
    seed: int = 7,
    console: Console | None = None,
    instance_url: str | None = None,
) -> DemoResult:
    """Rebuild the demo database from scratch: profile, watches, demo user, 14 days of posts,
    and (with ``instance_url``) the business's account on the demo's Mastodon instance."""
    console = console or Console(stderr=True)
    started = time.perf_counter()
    _reset_sqlite_file(settings.sqlalchemy_url)
    db = Database.from_settings(settings)
    with db.session() as session:
        save_demo_business(session)
        if session.scalar(select(tables.User).where(tables.User.username == DEMO_USER)) is None:
            create_user(session, username=DEMO_USER, password=DEMO_PASSWORD, role="owner")
        if instance_url:
            account = connect_account(
                session,
                SecretBox(settings.resolved_secret_key()),
                network="mastodon",
                handle=HANDLE,
                label="Peintures Martin (instance de démonstration)",
                kind="company",
                credentials={"instance_url": instance_url, "access_token": DEMO_TOKEN},
            )
            account.state = "connected"
    stream = generate_demo(seed=seed)
    posts_path, labels_path = write_demo(stream, settings.data_dir / "demo")
    pipeline = build_pipeline(db)
    with (
        posts_path.open(encoding="utf-8") as handle,
        Progress(
            TextColumn("démo : {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
        ) as progress,
    ):
        task = progress.add_task("ingestion", total=len(stream.posts))
        summary = ingest_posts(
            pipeline, parse_post_lines(handle), progress=lambda n: progress.advance(task, n)
        )
    replay_alerts(db, settings, days=7)
    seconds = time.perf_counter() - started
    return DemoResult(settings, db, summary, posts_path, labels_path, seconds, stream)


# Each check reads the whole history again, so the replay checks every other hour: a crisis
# lasts hours and still opens its alert while it goes on, and the demo builds twice as fast.
REPLAY_STEP = timedelta(hours=2)


def replay_alerts(db: Database, settings: Settings, *, days: int) -> int:
    """Run the alert check over the last days, as `veille alerts run` would have.

    Nothing is sent: the demo has no channels. The crisis of day 11 then shows as an alert.
    """
    now = utcnow().replace(minute=5, second=0, microsecond=0)
    moment = now - timedelta(days=days)
    opened = 0
    while moment <= now:
        with db.session() as session:
            opened += len(run_alerts(session, now=moment, zone=settings.zone, send=None).opened)
        moment += REPLAY_STEP
    return opened


def print_brief(result: DemoResult, *, console: Console) -> None:
    """A short brief in the terminal: the figures a boss reads first."""
    summary = result.summary.as_dict()
    console.print(
        f"[bold]{DEMO_BUSINESS.name}[/bold] — démo construite en {result.seconds:.1f} s : "
        f"{summary['new']} posts stockés, {summary['matched']} retenus par vos veilles."
    )
    with result.db.session() as session:
        brief = build_brief(session, zone=result.settings.zone, now=utcnow())
        urgent = urgent_items(session, zone=result.settings.zone, now=utcnow())[:5]
    mentions, negative, positive, leads = brief.changes
    console.print(
        f"Aujourd'hui : {mentions.today} mentions (hier {mentions.yesterday}), "
        f"{negative.today} négatives, {positive.today} positives, "
        f"{leads.today} pistes, {brief.to_handle} éléments à traiter."
    )
    if brief.share:
        share = ", ".join(f"{row.name} {row.percent} %" for row in brief.share)
        console.print(f"Part de voix sur 7 jours : {share}.", markup=False)
    with result.db.session() as session:
        alerts = session.scalars(
            select(tables.Alert).order_by(tables.Alert.score.desc()).limit(3)
        ).all()
    if alerts:
        console.print("Alertes les plus fortes des 7 derniers jours :")
        for alert in alerts:
            local = alert.started_at.astimezone(result.settings.zone)
            console.print(f"  • {local:%d/%m %H:%M} {alert.summary}", markup=False)
    if urgent:
        console.print("À faire en premier :")
        for view in urgent:
            text = view.post.text
            excerpt = text if len(text) < 100 else text[:97] + "..."
            reason = view.triage.explanation
            console.print(f"  • @{view.author.username} ({reason}) : {excerpt}", markup=False)


def print_accuracy(result: DemoResult, *, console: Console) -> None:
    """Each classifier against the demo's ground truth (labels.jsonl beside posts.jsonl)."""
    texts = [str(post["text"]) for post in result.stream.posts]
    scores = measure(result.db, result.stream.labels, texts)
    console.print("Justesse mesurée sur la vérité terrain de la démo :")
    for score in scores:
        console.print(
            f"  {score.name:<45} {score.metric:<9} {score.value:.2f}"
            f" [{score.low:.2f}, {score.high:.2f}]  (n={score.support})",
            markup=False,
            highlight=False,
        )
