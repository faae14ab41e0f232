"""`veille worker`: one consumer of the distributed mode (start as many as the machines hold)."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from typing import Annotated

import typer

from veille.config import get_settings
from veille.terminal import _, said


def register(app: typer.Typer) -> None:
    @app.command(
        "worker",
        help=_(
            "Take posts from the broker's stream, run the pipeline and store them, until Ctrl-C "
            "or SIGTERM (the batch in hand is finished and acknowledged first)."
        ),
    )
    def worker(
        broker: Annotated[
            str, typer.Option(help=_("Address of the NATS JetStream broker: nats://HOST:PORT."))
        ],
        batch: Annotated[
            int, typer.Option(min=1, max=5000, help=_("Messages taken and stored together."))
        ] = 500,
        ack_wait: Annotated[
            float,
            typer.Option(
                min=1.0,
                help=_(
                    "Seconds before a batch of a worker that vanished goes to another "
                    "(when the shared consumer is created)."
                ),
            ),
        ] = 30.0,
        pause: Annotated[float, typer.Option(min=0.0, hidden=True)] = 0.0,
    ) -> None:
        """Take posts from the broker's stream, run the pipeline and store them, until Ctrl-C
        or SIGTERM (the batch in hand is finished and acknowledged first)."""
        from veille.runtime import build_pipeline, open_database

        try:
            from veille.broker.stream import check_address
            from veille.broker.worker import WorkerOptions, run_worker
        except ImportError as exc:  # installed without the extra
            typer.echo(
                _("distributed mode unavailable (%(why)s): pip install 'veille[broker]'", why=exc),
                err=True,
            )
            raise typer.Exit(2) from None

        try:
            address = check_address(broker)
        except ValueError as exc:
            typer.echo(_("error: %(error)s", error=said(exc)), err=True)
            raise typer.Exit(2) from None
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        db = open_database(get_settings())
        pipeline = build_pipeline(db)
        # The models load now, not inside the first batch while its ack_wait runs.
        pipeline.understander.analyze(["échauffement des modèles"], tier="accurate")
        options = WorkerOptions(batch=batch, ack_wait=ack_wait, pause=pause)

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            typer.echo(
                _("worker listening to %(address)s (Ctrl-C to stop)", address=address), err=True
            )
            report = await run_worker(pipeline, address, options=options, stop=stop)
            stages = {k: round(v, 2) for k, v in pipeline.stage_seconds.items()}
            typer.echo(json.dumps({**report.as_dict(), "stage_seconds": stages}))

        try:
            asyncio.run(main())
        finally:
            db.engine.dispose()
