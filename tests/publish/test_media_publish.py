"""Scheduled drafts with images, published through the real connectors against servers on
127.0.0.1 that speak each network's media protocol: both images arrive with their alt texts,
the post is created once, and a failed upload never lets the text go out alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.helpers.media import ALTS, IMAGES, job_of, multipart, quick, schedule_with_images
from tests.publish.conftest import MastodonInstance, StepClock
from tests.sources.servers import FakeClock, HttpServer, Request, Response, http_server

from veille.config import Settings
from veille.crypto import SecretBox
from veille.publish.publisher import ConnectorPublisher
from veille.publish.scheduler import Scheduler
from veille.store.db import Database


class MastodonWithMedia(MastodonInstance):
    """Adds POST /api/v2/media and GET /api/v1/media/:id to the instance of the other tests.

    ``processing`` polls answer 206 before an attachment is ready (0: ready at once, 200);
    ``fail_uploads`` answers are given to the next uploads instead of accepting them."""

    def __init__(self, processing: int = 0) -> None:
        super().__init__()
        self.processing = processing
        self.attachments: dict[str, dict[str, Any]] = {}
        self.polls: dict[str, int] = {}
        self.fail_uploads: list[Response] = []
        self.media_lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        if request.headers.get("authorization") != "Bearer tok-123":
            return Response(401, {"error": "The access token is invalid"})
        if request.method == "POST" and request.path == "/api/v2/media":
            with self.media_lock:
                if self.fail_uploads:
                    return self.fail_uploads.pop(0)
                fields = multipart(request)
                data, mime = fields["file"]
                media_id = str(900 + len(self.attachments))
                url = f"https://files.piaille.example/{media_id}.png"
                self.attachments[media_id] = {
                    "id": media_id,
                    "type": "image",
                    "url": url,
                    "description": fields.get("description", (b"", ""))[0].decode(),
                    "bytes": data,
                    "mime": mime,
                }
                self.polls[media_id] = self.processing
                shown = {k: v for k, v in self.attachments[media_id].items() if k != "bytes"}
            if self.processing:
                return Response(202, {**shown, "url": None})
            return Response(200, shown)
        if request.method == "GET" and request.path.startswith("/api/v1/media/"):
            media_id = request.path.rsplit("/", 1)[-1]
            with self.media_lock:
                if self.polls.get(media_id, 0) > 0:
                    self.polls[media_id] -= 1
                    return Response(206, {"id": media_id, "url": None})
                shown = {k: v for k, v in self.attachments[media_id].items() if k != "bytes"}
            return Response(200, shown)
        return super().__call__(request)

    def status_posts(self, server: HttpServer) -> list[dict[str, Any]]:
        return [
            r.json() for r in server.requests if r.method == "POST" and r.path == "/api/v1/statuses"
        ]


@pytest.fixture
def media_instance() -> Iterator[tuple[MastodonWithMedia, HttpServer]]:
    state = MastodonWithMedia(processing=2)
    with http_server(state) as server:
        yield state, server


@pytest.fixture
def instance(
    media_instance: tuple[MastodonWithMedia, HttpServer],
) -> tuple[MastodonWithMedia, HttpServer]:
    """The account fixture of the other tests points at this media-speaking instance."""
    return media_instance


def test_mastodon_scheduled_draft_goes_out_once_with_both_images_after_processing(
    db: Database,
    settings: Settings,
    box: SecretBox,
    media_instance: tuple[MastodonWithMedia, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, server = media_instance
    draft_id = schedule_with_images(db, settings, mastodon_account, clock() - timedelta(minutes=1))
    fake = FakeClock()
    publisher = ConnectorPublisher(db, box, gateway=quick(fake), data_dir=settings.data_dir)

    assert Scheduler(db, publisher, now=clock).run_due().published == [job_of(db, draft_id).id]

    posts = state.status_posts(server)
    assert len(posts) == 1 and len(state.statuses) == 1
    attached = [state.attachments[i] for i in posts[0]["media_ids"]]
    assert [a["bytes"] for a in attached] == list(IMAGES)
    assert [a["description"] for a in attached] == list(ALTS)
    assert {a["mime"] for a in attached} == {"image/png"}
    # The 202 was waited out: each attachment polled until ready, before the status.
    assert all(n == 0 for n in state.polls.values()) and fake.sleeps
    order = [r.path for r in server.requests]
    assert order.index("/api/v1/statuses") > max(
        i for i, p in enumerate(order) if p.startswith("/api/v1/media/")
    )
    assert job_of(db, draft_id).network_post_id == state.statuses[0]["id"]


def test_mastodon_upload_failure_retries_later_and_never_posts_the_text_alone(
    db: Database,
    settings: Settings,
    box: SecretBox,
    media_instance: tuple[MastodonWithMedia, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, server = media_instance
    state.processing = 0
    draft_id = schedule_with_images(db, settings, mastodon_account, clock() - timedelta(minutes=1))
    publisher = ConnectorPublisher(db, box, gateway=quick(FakeClock()), data_dir=settings.data_dir)
    # The first image goes up; the second fails with an error echoing the credentials.
    state.fail_uploads = [Response(200, {"id": "800", "url": "https://f/800.png"})]
    state.fail_uploads.append(Response(503, {"error": "overloaded (Bearer tok-123)"}))

    summary = Scheduler(db, publisher, now=clock).run_due()

    job = job_of(db, draft_id)
    assert summary.retrying == [job.id] and job.status == "pending"
    assert state.status_posts(server) == []  # no text-only post
    assert job.last_error is not None
    assert job.last_error.startswith("mastodon: image 2/2")
    assert ALTS[1] in job.last_error and "503" in job.last_error
    assert "tok-123" not in job.last_error

    clock.advance(timedelta(minutes=2))  # past the backoff; the instance is back
    assert Scheduler(db, publisher, now=clock).run_due().published == [job.id]
    posts = state.status_posts(server)
    assert len(posts) == 1
    assert [state.attachments[i]["description"] for i in posts[0]["media_ids"]] == list(ALTS)


def test_mastodon_missing_image_file_fails_the_job_naming_the_image(
    db: Database,
    settings: Settings,
    box: SecretBox,
    media_instance: tuple[MastodonWithMedia, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, server = media_instance
    draft_id = schedule_with_images(db, settings, mastodon_account, clock() - timedelta(minutes=1))
    for stored in Path(settings.data_dir, "media").iterdir():
        stored.unlink()
    publisher = ConnectorPublisher(db, box, gateway=quick(FakeClock()), data_dir=settings.data_dir)

    assert Scheduler(db, publisher, now=clock).run_due().failed == [job_of(db, draft_id).id]
    error = job_of(db, draft_id).last_error or ""
    assert error.startswith("mastodon: image 1/2") and "missing" in error
    assert state.status_posts(server) == [] and state.attachments == {}
