"""The bridge from a publish job to a network connector, built from the account's encrypted
credentials. Each network gets the job's idempotency in its own form: Mastodon's
Idempotency-Key header, a Bluesky record key derived from the job, and on X the connector's
look-up of the account's recent posts before a retry."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from veille.accounts import account_credentials
from veille.config import get_settings
from veille.publish.media import Image, MediaError, read_image
from veille.sources.base import AuthExpired, HttpGateway, PublishedPost, TokenStore
from veille.sources.bluesky.client import PDS_URL, BlueskyClient, make_tid
from veille.sources.crypto import SecretBox
from veille.sources.mastodon.client import MastodonClient
from veille.sources.media import MediaFile, MediaRefused
from veille.sources.x.client import API_URL, XClient, XUserAuth
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


class Publisher(Protocol):
    def publish(self, request: JobRequest) -> PublishedPost: ...


def record_key(request: JobRequest) -> str:
    """A Bluesky record key fixed by the job: the same on every retry, distinct per job."""
    digest = int(hashlib.sha256(request.idempotency_key.encode()).hexdigest()[:3], 16)
    return make_tid(int(request.due_at.timestamp() * 1_000_000), clock_id=digest & 0x3FF)


class AccountTokenStore:
    """Session and OAuth tokens kept inside the account's encrypted credentials, so a rotated
    refresh token survives a restart."""

    def __init__(self, db: Database, box: SecretBox, account_id: int) -> None:
        self.db, self.box, self.account_id = db, box, account_id

    def load(self, key: str) -> dict[str, str] | None:
        with self.db.session() as session:
            account = session.get(tables.Account, self.account_id)
            if account is None:
                return None
            creds = account_credentials(self.box, account)
        token = {k[len(key) + 1 :]: v for k, v in creds.items() if k.startswith(key + ".")}
        if not token and "access_token" in creds:  # credentials entered on the accounts page
            token = {k: creds[k] for k in ("access_token", "refresh_token") if k in creds}
            token.setdefault("expires_at", "0" if "refresh_token" in token else "9e18")
        return token or None

    def save(self, key: str, token: dict[str, str]) -> None:
        with self.db.session() as session:
            account = session.get(tables.Account, self.account_id)
            if account is None:
                return
            creds = account_credentials(self.box, account)
            creds = {k: v for k, v in creds.items() if not k.startswith(key + ".")}
            creds.update({f"{key}.{k}": v for k, v in token.items()})
            account.credentials_encrypted = self.box.encrypt(json.dumps(creds))


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
        with self.db.session() as session:
            account = session.get(tables.Account, request.account_id)
            if account is None:
                raise AuthExpired(request.network, f"account {request.account_id} was removed")
            handle = account.handle
            creds = account_credentials(self.box, account)
        if request.network == "mastodon":
            instance = self.endpoints.get("mastodon") or creds.get("instance_url", "")
            if not instance or not creds.get("access_token"):
                raise AuthExpired("mastodon", "instance URL or access token missing; reconnect")
            return MastodonClient(
                instance_url=instance,
                access_token=creds["access_token"],
                gateway=self.gateway("mastodon"),
            ).publish(
                request.text,
                idempotency_key=request.idempotency_key,
                in_reply_to_id=request.in_reply_to,
                media=self._media(request),
            )
        if request.network == "bluesky":
            if not creds.get("app_password"):
                raise AuthExpired("bluesky", "app password missing; reconnect the account")
            return BlueskyClient(
                identifier=handle,
                app_password=creds["app_password"],
                tokens=self._tokens(request.account_id),
                pds_url=self.endpoints.get("bluesky", PDS_URL),
                gateway=self.gateway("bluesky"),
            ).publish(
                request.text,
                reply_to_uri=request.in_reply_to,
                rkey=record_key(request),
                created_at=request.due_at,
                media=self._media(request),
            )
        if request.network == "x":
            if not creds.get("client_id"):
                raise AuthExpired("x", "client id missing; reconnect the account")
            api = self.endpoints.get("x", API_URL)
            gateway = self.gateway("x")
            user = XUserAuth(
                client_id=creds["client_id"],
                tokens=self._tokens(request.account_id),
                key=f"x:{handle}",
                gateway=gateway,
                api_url=api,
            )
            client = XClient(
                bearer_token=creds.get("bearer_token"), user=user, api_url=api, gateway=gateway
            )
            if request.unknown_since is not None:
                found = client.find_own_post(
                    request.text,
                    reply_to_id=request.in_reply_to,
                    since=request.unknown_since.timestamp() - 120,
                )
                if found is not None:
                    return found
            # Images are read only now: a post found online needs none of them.
            media = self._media(request)
            return client.create_post(request.text, reply_to_id=request.in_reply_to, media=media)
        raise AuthExpired(request.network, "this network cannot publish")

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
