"""Finding 10 (files): the data directory, the database and its WAL and SHM are private."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from veille.config import Settings
from veille.store import tables
from veille.store.db import Database
from veille.users import create_user


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems have (022), which made files 0644 before."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _others_bits(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode) & 0o077


def _write_something(settings: Settings, username: str = "claire") -> Database:
    db = Database.from_settings(settings)
    with db.session() as session:
        create_user(session, username=username, password="bon-mot-de-passe", role="owner")
    return db


def test_a_new_install_is_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    settings.resolved_secret_key()
    db = _write_something(settings)
    database = tmp_path / "data" / "veille.db"
    try:
        for path in (tmp_path / "data", database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            assert path.exists(), path
            assert _others_bits(path) == 0, f"{path} is {oct(path.stat().st_mode)}"
        assert _others_bits(tmp_path / "data" / "secret_key") == 0
    finally:
        db.engine.dispose()


def test_an_older_open_install_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    database = data / "veille.db"
    settings = Settings(data_dir=data, _env_file=None)  # type: ignore[call-arg]
    _write_something(settings).engine.dispose()
    for path in (data, database):
        path.chmod(0o755 if path.is_dir() else 0o644)
    db = _write_something(Settings(data_dir=data, _env_file=None), "paul")  # type: ignore[call-arg]
    try:
        assert _others_bits(data) == 0 and _others_bits(database) == 0
        with db.session() as session:  # nothing lost on the way
            names = session.scalars(select(tables.User.username).order_by(tables.User.username))
            assert list(names) == ["claire", "paul"]
    finally:
        db.engine.dispose()
