"""The web app served for real by uvicorn on 127.0.0.1, over a temporary database."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from veille.config import Settings
from veille.store.db import Database
from veille.users import create_user
from veille.web.server import server_config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(settings: Settings) -> Iterator[str]:
    """Serve the app as `veille serve` does; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(server_config(settings, host="127.0.0.1", port=port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def users(db: Database) -> Database:
    with db.session() as session:
        create_user(session, username="claire", password="bon-mot-de-passe", role="owner")
        create_user(session, username="paul", password="autre-mot-de-passe", role="member")
    return db


@pytest.fixture
def live_url(settings: Settings, users: Database) -> Iterator[str]:
    yield from serve(settings)
