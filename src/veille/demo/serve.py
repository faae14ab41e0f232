"""Serving the demo: the web app, the demo's Mastodon instance beside it, and the publishing
scheduler every few seconds, so that a reply or a scheduled post goes out and shows."""

from __future__ import annotations

import threading

from veille.config import Settings
from veille.crypto import SecretBox
from veille.demo.instance import DemoInstance
from veille.publish.publisher import ConnectorPublisher
from veille.publish.scheduler import Scheduler
from veille.store.db import Database
from veille.web.server import run

SCHEDULER_INTERVAL = 5.0  # seconds: a post scheduled "now" goes out while the user watches


def serve_demo(settings: Settings) -> None:
    instance = DemoInstance(settings.port + 1).start()
    stop = threading.Event()
    db = Database.from_settings(settings)
    scheduler = Scheduler(db, ConnectorPublisher(db, SecretBox(settings.resolved_secret_key())))

    def publish_due() -> None:
        while not stop.wait(SCHEDULER_INTERVAL):
            scheduler.run_due()

    thread = threading.Thread(target=publish_due, name="demo-scheduler", daemon=True)
    thread.start()
    try:
        run(settings, host=settings.host, port=settings.port)
    finally:
        stop.set()
        instance.close()
