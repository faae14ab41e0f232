"""The demo business built into a temporary folder and served by the web app, as `veille demo`
shows it: for tests that look at every page on real data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from rich.console import Console

from veille.config import Settings
from veille.demo.run import DEMO_PASSWORD, DEMO_USER, build_demo, demo_settings
from veille.store.db import Database
from veille.web.app import create_app

__all__ = ["DEMO_PASSWORD", "DEMO_USER", "DemoSite", "demo_site"]


@dataclass
class DemoSite:
    settings: Settings
    db: Database
    app: FastAPI


@contextmanager
def demo_site(folder: Path, *, instance_url: str | None = None) -> Iterator[DemoSite]:
    """The demo in ``folder``; with ``instance_url``, its Mastodon account is connected there."""
    settings = demo_settings(Settings(data_dir=folder / "data", _env_file=None))  # type: ignore[call-arg]
    result = build_demo(settings, console=Console(quiet=True), instance_url=instance_url)
    try:
        yield DemoSite(settings, result.db, create_app(settings, result.db))
    finally:
        result.db.engine.dispose()
