"""Serving the app with uvicorn."""

from __future__ import annotations

import uvicorn

from veille.config import Settings
from veille.web.app import create_app


def server_config(settings: Settings, *, host: str, port: int) -> uvicorn.Config:
    """uvicorn's settings for the app: forwarded headers only from configured proxies."""
    proxies = settings.trusted_proxies.strip()
    # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: a local process
    # could then pose as any address and dodge the login throttle.
    return uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or "",
    )


def run(settings: Settings, *, host: str, port: int) -> None:
    uvicorn.Server(server_config(settings, host=host, port=port)).run()
