"""Serving the app with uvicorn."""

from __future__ import annotations

import uvicorn

from veille.config import Settings
from veille.web.app import create_app


def run(settings: Settings, *, host: str, port: int) -> None:
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
