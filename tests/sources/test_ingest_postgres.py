"""`veille ingest` on PostgreSQL, whose columns are stricter than SQLite's: values at the
bounds are stored, values past them rejected by line, and Bluesky deletes applied.

Runs when VEILLE_TEST_DATABASE_URL names a PostgreSQL database (emptied first).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from tests.factories import post_json
from tests.helpers.bluesky import post_event
from veille.cli import app
from veille.config import get_settings
from veille.store import tables
from veille.store.db import Database

URL = os.environ.get("VEILLE_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not URL.startswith("postgresql"), reason="VEILLE_TEST_DATABASE_URL names no PostgreSQL database"
)


@pytest.fixture
def pg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    database = Database(URL)
    with database.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    database.migrate()
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VEILLE_DATABASE_URL", URL)
    get_settings.cache_clear()
    yield database
    get_settings.cache_clear()
    database.engine.dispose()


def _count(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(tables.Post.id))) or 0)


def test_bounds_on_postgresql(pg: Database, tmp_path: Path) -> None:
    at_bounds = post_json(
        "max",
        "Tout au maximum",
        author={
            "id": "a" * 128,
            "username": "u" * 255,
            "name": "n" * 255,
            "followers_count": 2**31 - 1,
        },
        metrics={"likes": 2**31 - 1, "reposts": 0, "replies": 0},
        extra={"big": 2**63 - 1},
    )
    lines = [
        json.dumps(at_bounds),
        json.dumps(post_json("over", "x", metrics={"likes": 2**31})),
        json.dumps(post_json("nul", "a\x00b")),
        json.dumps(post_json("sur", "a\ud800b")),
        json.dumps(post_json("ok", "Bonjour")),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(path)])
    assert result.exit_code == 1, result.output
    assert [line.split(" rejetée")[0] for line in result.stderr.splitlines()[-3:]] == [
        "ligne 2",
        "ligne 3",
        "ligne 4",
    ]
    assert _count(pg) == 2


def test_bluesky_deletes_on_postgresql(pg: Database, tmp_path: Path) -> None:
    first, second = post_event(1), post_event(2)
    delete = {
        "did": first["did"],
        "time_us": second["time_us"] + 1,
        "kind": "commit",
        "commit": {
            "operation": "delete",
            "collection": "app.bsky.feed.post",
            "rkey": first["commit"]["rkey"],
        },
    }
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in (first, second, delete)) + "\n")
    result = CliRunner().invoke(app, ["ingest", str(path), "--format", "bluesky"])
    assert result.exit_code == 0, result.output
    assert '"deleted": 1' in result.stdout and _count(pg) == 1
