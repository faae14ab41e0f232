"""Serving the app with uvicorn."""

from __future__ import annotations

import gc

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


def freeze_start_up() -> None:
    """Set the objects made so far (modules, models, the app) aside from the collector: they
    live as long as the server, and a full collection walking them paused a request by 80 to
    200 ms (benchmarks/search.py at a million posts)."""
    gc.collect()
    gc.freeze()


def run(settings: Settings, *, host: str, port: int) -> None:
    config = server_config(settings, host=host, port=port)
    freeze_start_up()
    uvicorn.Server(config).run()
