"""Images for the media tests: two small PNGs with alt texts, a draft scheduled with them, and
the multipart bodies the fake servers read."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from sqlalchemy import select

from tests.sources.servers import FakeClock, Request
from veille.config import Settings
from veille.publish.drafts import create_draft, schedule_draft
from veille.publish.media import check_image, write_images
from veille.sources.base import HttpGateway
from veille.store.db import Database
from veille.store.tables_publish import PublishJob

ALTS = ("Façade repeinte en bleu", "L'équipe devant le chantier")


def png(width: int, height: int) -> bytes:
    """A real (tiny, grey) PNG of the given size."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


IMAGES = (png(30, 20), png(16, 24))


def multipart(request: Request) -> dict[str, tuple[bytes, str]]:
    """Fields of a multipart/form-data body: name → (bytes, part content type)."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.body)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        fields[str(name)] = (payload, part.get_content_type())
    return fields


def quick(clock: FakeClock) -> Callable[[str], HttpGateway]:
    """No in-line retries (the scheduler's backoff is under test) and no real sleeping."""
    return lambda network: HttpGateway(network, max_attempts=1, clock=clock)


def schedule_with_images(db: Database, settings: Settings, account: int, at: Any) -> int:
    """A draft with the two images (stored as the composer stores them), due at ``at``."""
    media = [
        stored_image(settings, data, name=f"photo{n}.png", alt=alt)
        for n, (data, alt) in enumerate(zip(IMAGES, ALTS, strict=True))
    ]
    with db.session() as session:
        draft = create_draft(
            session,
            text="Chantier terminé rue des Lices, merci à l'équipe !",
            account_ids=[account],
            user_id=None,
            media=media,
        )
        schedule_draft(session, draft, at=at, user_id=None)
        return draft.id


def job_of(db: Database, draft_id: int) -> PublishJob:
    with db.session() as session:
        job = session.scalar(select(PublishJob).where(PublishJob.draft_id == draft_id))
        assert job is not None
        return job


# ---------------------------------------------------------------- Mastodon


def stored_image(settings: Settings, data: bytes, *, name: str, alt: str) -> dict[str, str]:
    """One image checked and written as the composer does; its entry on drafts.media."""
    checked = check_image(data, name=name, alt=alt)
    write_images(settings.data_dir, [checked], quota_bytes=settings.media_quota_mb * 1_000_000)
    return checked.image.to_json()
