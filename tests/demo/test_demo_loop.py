"""The demo's whole loop: its business's Mastodon account is connected to the demo's own
instance, so a reply from the inbox and a scheduled post go out and show there, and the draft
page links to what was published."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from sqlalchemy import select

from tests.helpers.web import csrf_of
from tests.web.conftest import login
from veille.config import Settings
from veille.crypto import SecretBox
from veille.demo.instance import DemoInstance
from veille.demo.run import build_demo, demo_settings
from veille.publish.publisher import ConnectorPublisher
from veille.publish.scheduler import Scheduler
from veille.store import tables
from veille.timeutil import utcnow
from veille.web.app import create_app


@pytest.fixture
def instance() -> Iterator[DemoInstance]:
    running = DemoInstance(0).start()
    yield running
    running.close()


def test_reply_and_scheduled_post_reach_the_demo_instance(
    tmp_path: Path, instance: DemoInstance
) -> None:
    settings = demo_settings(Settings(data_dir=tmp_path / "data", _env_file=None))  # type: ignore[call-arg]
    result = build_demo(settings, console=Console(quiet=True), instance_url=instance.url)
    db = result.db
    with db.session() as session:
        account = session.scalars(
            select(tables.Account).where(tables.Account.network == "mastodon")
        ).one()
        account_id = account.id
        item_id, post_id = session.execute(
            select(tables.InboxItem.id, tables.Post.network_post_id)
            .join(tables.Post, tables.Post.id == tables.InboxItem.post_id)
            .where(tables.Post.network == "mastodon", tables.InboxItem.status == "new")
            .limit(1)
        ).one()
    with TestClient(create_app(settings, db)) as client:
        assert login(client, "demo", "demo") == 303
        page = client.get(f"/inbox/{item_id}").text
        assert "peinturesmartin" in page
        text = "Merci pour votre message, nous vous rappelons aujourd'hui. L'équipe"
        form = {"account_id": str(account_id), "text": text, "confirm_risk": "yes"}
        sent = client.post(
            f"/inbox/{item_id}/reply",
            data={**form, "csrf": csrf_of(page)},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        (reply,) = instance.statuses.items
        assert reply["in_reply_to_id"] == post_id and reply["text"] == text

        drafts = client.get("/drafts").text
        new = client.post(
            "/drafts",
            data={
                "text": "Chantier terminé à Angers !",
                "account": str(account_id),
                "csrf": csrf_of(drafts),
            },
            follow_redirects=False,
        )
        assert new.status_code == 303, new.text
        draft_url = new.headers["location"]
        soon = (utcnow() + timedelta(minutes=1)).astimezone(settings.zone)
        scheduled = client.post(
            f"{draft_url}/schedule",
            data={
                "scheduled_at": soon.strftime("%Y-%m-%dT%H:%M"),
                "csrf": csrf_of(client.get(draft_url).text),
            },
            follow_redirects=False,
        )
        assert scheduled.status_code == 303, scheduled.text
        publisher = ConnectorPublisher(db, SecretBox(settings.resolved_secret_key()))
        later = utcnow() + timedelta(minutes=2)
        summary = Scheduler(db, publisher, now=lambda: later).run_due()
        assert len(summary.published) == 1, summary
        post = instance.statuses.items[-1]
        assert post["text"] == "Chantier terminé à Angers !"
        assert post["url"] in client.get(draft_url).text  # what went out shows in the demo
    db.engine.dispose()
