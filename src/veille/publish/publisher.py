"""The bridge from a publish job to a network connector, built from the account's encrypted
credentials. Each network (its folder's ``publish``) gives the job's idempotency its own
form: an idempotency header, a record key derived from the job, or a look-up of the
account's recent posts before a retry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from veille.accounts import account_credentials
from veille.config import get_settings
from veille.crypto import SecretBox
from veille.publish.media import Image, MediaError, read_image
from veille.sources import registry
from veille.sources.base import AuthExpired, HttpGateway, PublishedPost, TokenStore
from veille.sources.db_stores import AccountTokenStore
from veille.sources.media import MediaFile, MediaRefused
from veille.sources.network import AccountPublishing
from veille.store import tables
from veille.store.db import Database


@dataclass(frozen=True)
class JobRequest:
    """What one attempt of a job sends; ``idempotency_key`` is the same on every attempt."""

    job_id: int
    account_id: int
    network: str
    text: str
    in_reply_to: str | None
    idempotency_key: str
    due_at: datetime
    # Set when a previous attempt was claimed and never recorded (a crash): the post may
    # already be online, sent at or after this instant.
    unknown_since: datetime | None = None
    # The draft's images (read from data_dir/media when the job is sent).
    images: tuple[Image, ...] = ()
    # The workspace the job (or reply) belongs to; its outcome is written there.
    workspace_id: int | None = None


class Publisher(Protocol):
    def publish(self, request: JobRequest) -> PublishedPost: ...


class ConnectorPublisher:
    """Publishes through the real connectors. ``endpoints`` overrides a network's base URL
    (tests point it at local servers); ``gateway`` builds the HTTP gateway for a network."""

    def __init__(
        self,
        db: Database,
        box: SecretBox,
        *,
        endpoints: dict[str, str] | None = None,
        gateway: Callable[[str], HttpGateway] | None = None,
        data_dir: Path | None = None,
    ) -> None:
        self.db, self.box = db, box
        self.data_dir = data_dir
        self.endpoints = endpoints or {}
        self.gateway = gateway or (lambda network: HttpGateway(network))

    def publish(self, request: JobRequest) -> PublishedPost:
        # The account of the job's workspace (any workspace's, by its id, when not said).
        with self.db.session(workspace_id=request.workspace_id) as session:
            account = session.get(tables.Account, request.account_id)
            if account is None:
                raise AuthExpired(request.network, f"account {request.account_id} was removed")
            handle = account.handle
            creds = account_credentials(self.box, account)
        publishing = registry.publishing(request.network)
        if publishing is None:
            raise AuthExpired(request.network, "this network cannot publish")
        return publishing.publish(
            AccountPublishing(
                handle=handle,
                credentials=creds,
                tokens=self._tokens(request.account_id),
                endpoint=self.endpoints.get(request.network),
                gateway=self.gateway(request.network),
                media=lambda: self._media(request),
            ),
            request,
        )

    def _media(self, request: JobRequest) -> list[MediaFile]:
        """The job's images as bytes, each named for error messages by its place and alt."""
        if not request.images:
            return []
        data_dir = self.data_dir or get_settings().data_dir
        files = []
        count = len(request.images)
        for n, image in enumerate(request.images, 1):
            label = f'"{image.alt[:40]}"' if image.alt else image.file
            name = f"image {n}/{count} {label}"
            try:
                data = read_image(data_dir, image)
            except MediaError as exc:
                raise MediaRefused(request.network, f"{name}: {exc}") from None
            files.append(MediaFile(data, image.mime, image.alt, name))
        return files

    def _tokens(self, account_id: int) -> TokenStore:
        return AccountTokenStore(self.db, self.box, account_id)
