"""`veille publish run` (the scheduler loop) and `veille schedule` (what is queued, what
failed and why)."""

from __future__ import annotations

import json
import threading
from typing import Annotated

import typer
from sqlalchemy import select

from veille.config import get_settings
from veille.publish.publisher import ConnectorPublisher
from veille.publish.scheduler import Scheduler
from veille.sources.crypto import SecretBox
from veille.store.db import Database
from veille.store.tables_publish import PublishJob


def register(app: typer.Typer) -> None:
    """Adds `publish run` and `schedule` to `app`."""
    publish = typer.Typer(help="Publish scheduled posts.", no_args_is_help=True)
    app.add_typer(publish, name="publish")

    @publish.command("run")
    def run(
        once: Annotated[
            bool, typer.Option("--once", help="Publish what is due now, then stop.")
        ] = False,
        interval: Annotated[
            float, typer.Option("--interval", min=1.0, help="Seconds between two looks.")
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

    @app.command("schedule")
    def schedule(
        limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 50,
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
