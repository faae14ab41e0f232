"""`veille demo --no-serve`: the whole product on its embedded default, as a newcomer sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from veille.cli import app
from veille.config import Settings, get_settings
from veille.store import tables
from veille.store.db import Database
from veille.users import authenticate, create_user


def test_demo_builds_briefs_and_measures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The user's own database, configured: the demo must build beside it and leave it untouched.
    own_url = f"sqlite:///{tmp_path / 'own.db'}"
    own = Database.from_settings(
        Settings(data_dir=tmp_path / "own", database_url=own_url, _env_file=None)  # type: ignore[call-arg]
    )
    with own.session() as session:
        create_user(session, username="julien", password="un-long-mot-de-passe", role="owner")
    own.engine.dispose()
    own_bytes = (tmp_path / "own.db").read_bytes()
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VEILLE_DATABASE_URL", own_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["demo", "--no-serve"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Peintures Martin" in result.stdout and "Part de voix" in result.stdout
    assert "Justesse mesurée" in result.stdout and "sentiment (accurate)" in result.stdout
    assert (tmp_path / "data" / "demo" / "labels.jsonl").is_file()
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'data' / 'demo.db'}",
        _env_file=None,
    )
    db = Database.from_settings(settings)
    with db.session() as session:
        assert (session.scalar(select(func.count(tables.Post.id))) or 0) >= 3000
        assert (session.scalar(select(func.count(tables.Match.post_id))) or 0) > 500
        assert authenticate(session, "demo", "demo") is not None
        crisis = session.scalars(select(tables.Alert).where(tables.Alert.score > 20)).all()
        assert crisis, "the day-11 crisis raises an alert"
    db.engine.dispose()
    assert (tmp_path / "own.db").read_bytes() == own_bytes, "the configured database was touched"
    assert not (tmp_path / "own.db-wal").exists() or (tmp_path / "own.db-wal").stat().st_size == 0
