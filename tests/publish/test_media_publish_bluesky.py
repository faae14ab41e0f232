"""Bluesky: images uploaded with uploadBlob and embedded as app.bsky.embed.images on the post
record, written once under the job's record key; a failed upload writes no record."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from tests.helpers.bluesky import Pds
from tests.helpers.media import ALTS, IMAGES, job_of, quick, schedule_with_images, stored_image
from tests.publish.conftest import StepClock
from tests.sources.servers import FakeClock, HttpServer, Request, Response, http_server

from veille.accounts import connect_account
from veille.config import Settings
from veille.crypto import SecretBox
from veille.publish.drafts import create_draft, schedule_draft
from veille.publish.publisher import ConnectorPublisher
from veille.publish.scheduler import Scheduler
from veille.store.db import Database

PASSWORD = "abcd-efgh-ijkl-mnop"


class PdsWithBlobs(Pds):
    """The PDS of the connector tests, plus com.atproto.repo.uploadBlob (content-addressed)."""

    def __init__(self) -> None:
        super().__init__()
        self.blobs: dict[str, tuple[bytes, str]] = {}
        self.fail_uploads: list[Response] = []

    def __call__(self, req: Request) -> Response:
        authorised = req.headers.get("authorization") == "Bearer acc-2-secret"
        if req.path == "/xrpc/com.atproto.repo.uploadBlob" and authorised:
            if self.fail_uploads:
                return self.fail_uploads.pop(0)
            link = "bafkrei" + hashlib.sha256(req.body).hexdigest()[:40]
            mime = req.headers.get("content-type", "")
            self.blobs[link] = (req.body, mime)
            size = len(req.body)
            blob = {"$type": "blob", "ref": {"$link": link}, "mimeType": mime, "size": size}
            return Response(200, {"blob": blob})
        return super().__call__(req)


@pytest.fixture
def pds() -> Iterator[tuple[PdsWithBlobs, HttpServer]]:
    state = PdsWithBlobs()
    with http_server(state) as server:
        yield state, server


@pytest.fixture
def bluesky_account(db: Database, box: SecretBox) -> int:
    with db.session() as session:
        return connect_account(
            session,
            box,
            network="bluesky",
            handle="martin.bsky.social",
            label="Peintures Martin",
            kind="company",
            credentials={"app_password": PASSWORD},
        ).id


def _publisher(db: Database, box: SecretBox, server: HttpServer, settings: Settings) -> Any:
    return ConnectorPublisher(
        db,
        box,
        endpoints={"bluesky": server.url},
        gateway=quick(FakeClock()),
        data_dir=settings.data_dir,
    )


def test_bluesky_scheduled_draft_is_one_record_embedding_both_images(
    db: Database,
    settings: Settings,
    box: SecretBox,
    pds: tuple[PdsWithBlobs, HttpServer],
    bluesky_account: int,
    clock: StepClock,
) -> None:
    state, server = pds
    draft_id = schedule_with_images(db, settings, bluesky_account, clock() - timedelta(minutes=1))

    published = Scheduler(db, _publisher(db, box, server, settings), now=clock).run_due()

    job = job_of(db, draft_id)
    assert published.published == [job.id]
    assert state.create_calls == 1 and len(state.records) == 1
    record = next(iter(state.records.values()))
    assert job.network_post_id == record["uri"]
    embed = record["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [i["alt"] for i in embed["images"]] == list(ALTS)
    sent = [state.blobs[i["image"]["ref"]["$link"]] for i in embed["images"]]
    assert sent == [(data, "image/png") for data in IMAGES]
    assert [i["aspectRatio"] for i in embed["images"]] == [
        {"width": 30, "height": 20},
        {"width": 16, "height": 24},
    ]


def test_bluesky_upload_failure_writes_no_record_and_the_retry_posts_once(
    db: Database,
    settings: Settings,
    box: SecretBox,
    pds: tuple[PdsWithBlobs, HttpServer],
    bluesky_account: int,
    clock: StepClock,
) -> None:
    state, server = pds
    draft_id = schedule_with_images(db, settings, bluesky_account, clock() - timedelta(minutes=1))
    state.fail_uploads = [Response(502, {"error": "UpstreamFailure", "message": "try later"})]
    publisher = _publisher(db, box, server, settings)

    assert Scheduler(db, publisher, now=clock).run_due().retrying == [job_of(db, draft_id).id]
    error = job_of(db, draft_id).last_error or ""
    assert error.startswith(f'bluesky: image 1/2 "{ALTS[0]}": upload failed') and "502" in error
    assert state.create_calls == 0
    assert not any(s in error for s in ("acc-2-secret", "ref-1-secret", PASSWORD))

    clock.advance(timedelta(minutes=2))
    assert Scheduler(db, publisher, now=clock).run_due().published == [job_of(db, draft_id).id]
    assert state.create_calls == 1
    [record] = state.records.values()
    assert len(record["value"]["embed"]["images"]) == 2


def test_bluesky_refuses_an_image_over_its_size_limit_without_posting(
    db: Database,
    settings: Settings,
    box: SecretBox,
    pds: tuple[PdsWithBlobs, HttpServer],
    bluesky_account: int,
    clock: StepClock,
) -> None:
    state, server = pds
    big = IMAGES[0] + b"\x00" * 1_200_000  # a PNG the composer accepts (5 MB) but too big here
    stored = stored_image(settings, big, name="grand.png", alt="Vue large")
    with db.session() as session:
        draft = create_draft(
            session,
            text="Avant / après",
            account_ids=[bluesky_account],
            user_id=None,
            media=[stored],
        )
        schedule_draft(session, draft, at=clock() - timedelta(minutes=1), user_id=None)
        draft_id = draft.id

    summary = Scheduler(db, _publisher(db, box, server, settings), now=clock).run_due()

    assert summary.failed == [job_of(db, draft_id).id]  # retrying cannot help
    error = job_of(db, draft_id).last_error or ""
    assert error.startswith('bluesky: image 1/1 "Vue large"')
    assert "1,000,000 bytes" in error
    assert state.blobs == {} and state.create_calls == 0
