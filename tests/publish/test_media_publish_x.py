"""X: images uploaded with POST /2/media/upload, alt text set with POST /2/media/metadata,
then attached with media.media_ids on one POST /2/tweets; a failed upload posts nothing."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from tests.helpers.media import ALTS, IMAGES, job_of, quick, schedule_with_images
from tests.helpers.publishing import DiesAfterSending, Killed
from tests.helpers.x_api import XApi
from tests.publish.conftest import StepClock
from tests.sources.servers import FakeClock, HttpServer, Request, Response, http_server

from veille.accounts import connect_account
from veille.config import Settings
from veille.crypto import SecretBox
from veille.publish.publisher import ConnectorPublisher
from veille.publish.scheduler import Scheduler
from veille.store.db import Database


class XApiWithMedia(XApi):
    """The X API of the recovery tests, plus the v2 one-shot media upload and metadata."""

    def __init__(self) -> None:
        super().__init__()
        self.media: dict[str, dict[str, Any]] = {}
        self.uploads = 0
        self.fail_uploads: dict[int, Response] = {}  # the n-th upload (from 1) gets this

    def __call__(self, request: Request) -> Response:
        authorised = request.headers.get("authorization") == "Bearer x-user-token"
        if authorised and request.method == "POST" and request.path == "/2/media/upload":
            self.uploads += 1
            if self.uploads in self.fail_uploads:
                return self.fail_uploads.pop(self.uploads)
            body = request.json()
            media_id = str(1_880_000_000_000 + len(self.media))
            self.media[media_id] = {
                "bytes": base64.b64decode(body["media"]),
                "category": body["media_category"],
                "alt": None,
            }
            key = f"3_{media_id}"
            return Response(200, {"data": {"id": media_id, "media_key": key, "size": 1}})
        if authorised and request.method == "POST" and request.path == "/2/media/metadata":
            body = request.json()
            self.media[body["id"]]["alt"] = body["metadata"]["alt_text"]["text"]
            return Response(200, {"data": {"id": body["id"], "associated_metadata": {}}})
        return super().__call__(request)


@pytest.fixture
def x_api() -> Iterator[tuple[XApiWithMedia, HttpServer]]:
    state = XApiWithMedia()
    with http_server(state) as server:
        yield state, server


@pytest.fixture
def x_account(db: Database, box: SecretBox) -> int:
    with db.session() as session:
        return connect_account(
            session,
            box,
            network="x",
            handle="PeinturesMartin",
            label="Peintures Martin",
            kind="company",
            credentials={"client_id": "cid", "access_token": "x-user-token"},
        ).id


def _publisher(db: Database, box: SecretBox, server: HttpServer, settings: Settings) -> Any:
    return ConnectorPublisher(
        db, box, endpoints={"x": server.url}, gateway=quick(FakeClock()), data_dir=settings.data_dir
    )


def test_x_scheduled_draft_is_one_post_with_both_images_and_their_alt_texts(
    db: Database,
    settings: Settings,
    box: SecretBox,
    x_api: tuple[XApiWithMedia, HttpServer],
    x_account: int,
    clock: StepClock,
) -> None:
    state, server = x_api
    draft_id = schedule_with_images(db, settings, x_account, clock() - timedelta(minutes=1))

    summary = Scheduler(db, _publisher(db, box, server, settings), now=clock).run_due()

    job = job_of(db, draft_id)
    assert summary.published == [job.id]
    [tweet] = state.tweets
    assert job.network_post_id == tweet["id"]
    ids = tweet["media"]["media_ids"]
    assert [state.media[i]["bytes"] for i in ids] == list(IMAGES)
    assert [state.media[i]["alt"] for i in ids] == list(ALTS)
    assert {state.media[i]["category"] for i in ids} == {"tweet_image"}


def test_x_upload_failure_posts_nothing_then_the_retry_posts_once(
    db: Database,
    settings: Settings,
    box: SecretBox,
    x_api: tuple[XApiWithMedia, HttpServer],
    x_account: int,
    clock: StepClock,
) -> None:
    state, server = x_api
    draft_id = schedule_with_images(db, settings, x_account, clock() - timedelta(minutes=1))
    state.fail_uploads = {
        2: Response(503, {"title": "Service Unavailable", "detail": "Bearer x-user-token"})
    }
    publisher = _publisher(db, box, server, settings)

    assert Scheduler(db, publisher, now=clock).run_due().retrying == [job_of(db, draft_id).id]
    error = job_of(db, draft_id).last_error or ""
    assert error.startswith(f'x: image 2/2 "{ALTS[1]}": upload failed') and "503" in error
    assert "x-user-token" not in error
    assert state.tweets == []

    clock.advance(timedelta(minutes=2))
    assert Scheduler(db, publisher, now=clock).run_due().published == [job_of(db, draft_id).id]
    [tweet] = state.tweets
    assert [state.media[i]["alt"] for i in tweet["media"]["media_ids"]] == list(ALTS)


def test_x_restart_after_the_post_went_out_finds_it_without_uploading_again(
    db: Database,
    settings: Settings,
    box: SecretBox,
    x_api: tuple[XApiWithMedia, HttpServer],
    x_account: int,
    clock: StepClock,
) -> None:
    state, server = x_api
    draft_id = schedule_with_images(db, settings, x_account, clock() - timedelta(minutes=1))
    real = _publisher(db, box, server, settings)
    job_id = job_of(db, draft_id).id
    with pytest.raises(Killed):
        Scheduler(db, DiesAfterSending(real, {job_id}), now=clock, worker="first").run_due()

    clock.advance(timedelta(minutes=6))  # the lease runs out; a restarted process takes it
    assert Scheduler(db, real, now=clock, worker="second").run_due().published == [job_id]
    [tweet] = state.tweets
    assert job_of(db, draft_id).network_post_id == tweet["id"]
    assert state.uploads == 2  # the images went up once, with the one post
