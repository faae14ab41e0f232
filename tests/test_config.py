"""Settings: defaults, environment, the generated secret key and refused placeholders."""

from __future__ import annotations

import multiprocessing
import stat
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from pydantic import ValidationError

from veille.config import Settings


def test_defaults_are_sqlite_in_the_data_dir_paris_and_french(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path.resolve() / 'veille.db'}"
    assert settings.time_zone == "Europe/Paris" and settings.language == "fr"


def test_environment_with_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VEILLE_LANGUAGE", "en")
    monkeypatch.setenv("VEILLE_TIME_ZONE", "America/Montreal")
    monkeypatch.setenv("VEILLE_DATABASE_URL", "postgresql+psycopg://u:p@db/veille")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.language == "en" and settings.zone.key == "America/Montreal"
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db/veille"


def test_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", _env_file=None)  # type: ignore[call-arg]
    key = settings.resolved_secret_key()
    path = tmp_path / "d" / "secret_key"
    assert len(key) >= 32 and path.read_text() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.resolved_secret_key() == key  # read back, not regenerated


def test_bad_values_are_refused_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(time_zone="Europe/Angers", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Settings(language="de", _env_file=None)  # type: ignore[call-arg]
    placeholder = Settings(secret_key="changeme", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="placeholder"):
        placeholder.resolved_secret_key()


def _start_at_once(data_dir: str, barrier: Barrier, keys: Queue[str]) -> None:
    settings = Settings(data_dir=Path(data_dir), _env_file=None)  # type: ignore[call-arg]
    barrier.wait()
    settings.private_data_dir()
    keys.put(settings.resolved_secret_key())


def test_processes_starting_at_once_share_one_data_dir_and_one_key(tmp_path: Path) -> None:
    # Workers started together once crashed on the data directory another had just made.
    fork = multiprocessing.get_context("fork")
    for attempt in range(5):
        data_dir = tmp_path / f"d{attempt}" / "data"
        barrier, keys = fork.Barrier(6), fork.Queue()
        started = [
            fork.Process(target=_start_at_once, args=(str(data_dir), barrier, keys))
            for _ in range(6)
        ]
        for process in started:
            process.start()
        for process in started:
            process.join(timeout=30)
        assert [p.exitcode for p in started] == [0] * 6
        found = {keys.get(timeout=5) for _ in started}
        assert len(found) == 1
        assert [p.name for p in data_dir.iterdir()] == ["secret_key"]
        assert (data_dir / "secret_key").read_text(encoding="utf-8") == found.pop()


def test_an_empty_key_file_is_named_with_how_to_mend_it(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("", encoding="utf-8")  # a crash before the write
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match=r"secret_key is empty: delete it"):
        settings.resolved_secret_key()
