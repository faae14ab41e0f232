"""Shared fixtures: settings in a temporary data directory and a migrated SQLite database.

Tests never read the user's configuration: at session start every VEILLE_* variable (except the
VEILLE_TEST_* ones the tests read) leaves the environment, and the working directory becomes an
empty temporary one, so no `.env` is found and no relative `data/` lands in the repository.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.environment import scrub
from veille.config import Settings, get_settings
from veille.store.db import Database

_START_DIR = os.getcwd()
_WORK_DIR = Path(tempfile.mkdtemp(prefix="veille-tests-"))


def pytest_configure(config: pytest.Config) -> None:
    scrub(os.environ)
    os.chdir(_WORK_DIR)
    get_settings.cache_clear()


def pytest_unconfigure(config: pytest.Config) -> None:
    os.chdir(_START_DIR)
    shutil.rmtree(_WORK_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cli_settings() -> Iterator[None]:
    # The CLI caches its Settings; a test must never see the previous test's.
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database.from_settings(settings)
    yield database
    database.engine.dispose()
