"""One typed Settings object, read from the environment and .env (prefix VEILLE_)."""

from __future__ import annotations

import os
import secrets
import time
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_KEY_FILE = "secret_key"
_PLACEHOLDERS = {"changeme", "change-me", "secret", "xxx", ""}


class Settings(BaseSettings):
    """Everything configurable. Unset values get safe defaults for a single-machine install."""

    model_config = SettingsConfigDict(
        env_prefix="VEILLE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path("data"), description="Where the database and keys live.")
    database_url: str = Field(
        default="", description="SQLAlchemy URL; empty means a SQLite file in data_dir."
    )
    secret_key: SecretStr = Field(
        default=SecretStr(""),
        description="Signs sessions and encrypts secrets; generated into data_dir when empty.",
    )
    workspace: str = Field(
        default="default",
        description="The workspace (business) the command line acts on, by its short name.",
    )
    time_zone: str = "Europe/Paris"
    language: Literal["fr", "en"] = "fr"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    rule_max_length: int = Field(default=1024, ge=16, le=100_000)
    base_url: str = Field(
        default="",
        description="The web app's public address (https://veille.example.fr): every link in "
        "an e-mail starts with it, never with the address a request claims. Empty: http://host:port.",
    )
    media_quota_mb: int = Field(
        default=2000,
        ge=1,
        description="The most the draft images of the whole instance may take, in MB.",
    )
    allow_private_urls: bool = Field(
        default=False,
        description="Let the reply assistant, webhooks and feed checks call loopback, private "
        "and link-local addresses (a self-hosted model on the same machine). Off by default: a "
        "URL typed in a settings page must not reach what only the server can reach.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are believed. Empty (the default): none is.",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (expected e.g. Europe/Paris)") from None
        return value

    @field_validator("base_url")
    @classmethod
    def _public_address(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url {value!r} must start with https:// or http:// and a host")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError(f"base_url {value!r} must not carry a query, fragment or login")
        return value

    @property
    def public_url(self) -> str:
        """Where users reach the web app, without a trailing slash."""
        return self.base_url or f"http://{self.host}:{self.port}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'veille.db').resolve()}"

    def private_data_dir(self) -> Path:
        """The data directory, created or tightened so that only its owner can read it.

        It holds the secret key, the SQLite database and the draft images.
        """
        path = self.data_dir
        # exist_ok: processes starting at once (workers) may all find it missing.
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        if path.stat().st_mode & 0o077:
            path.chmod(path.stat().st_mode & 0o700)
        return path

    def resolved_secret_key(self) -> str:
        """The secret key: from settings, else from data_dir/secret_key (created 0600)."""
        configured = self.secret_key.get_secret_value()
        if configured:
            if configured.lower() in _PLACEHOLDERS or len(configured) < 16:
                raise ValueError("VEILLE_SECRET_KEY is a placeholder or shorter than 16 characters")
            return configured
        return _read_or_create_key(self.data_dir / SECRET_KEY_FILE)


def _read_or_create_key(path: Path) -> str:
    path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    # O_EXCL: of processes starting at once, one creates the key and the others read it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _written_key(path)
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _written_key(path: Path, wait: float = 2.0) -> str:
    """The key in `path`, which a process starting beside this one may still be writing."""
    deadline = time.monotonic() + wait
    while not (key := path.read_text(encoding="utf-8").strip()):
        if time.monotonic() > deadline:
            raise ValueError(f"{path} is empty: delete it and a new secret key will be made")
        time.sleep(0.01)
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
