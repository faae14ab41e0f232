"""A nats-server per test (skipped, saying why, when none is installed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.nats import MISSING, NatsServer, nats_server_binary


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    binary = nats_server_binary()
    if binary is None:
        pytest.skip(MISSING)
    server = NatsServer(binary, tmp_path / "jetstream", tmp_path / "nats.log").start()
    yield server
    server.stop()
