"""What the page and ingest benchmarks share: the database they may empty, signing in, p95.

Only ``VEILLE_BENCH_DATABASE_URL`` names a database a benchmark may empty: never the user's own
``VEILLE_DATABASE_URL``. Unset, each benchmark uses a SQLite file of its own.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from veille.config import Settings

BENCH_URL = os.environ.get("VEILLE_BENCH_DATABASE_URL", "")


def bench_settings(data_dir: Path) -> Settings:
    """Settings for a benchmark run: its data folder, and the benchmark database if one is named."""
    return Settings(data_dir=data_dir, database_url=BENCH_URL, _env_file=None)  # type: ignore[call-arg]


def empty_if_postgres(settings: Settings) -> None:
    """Drop everything in a PostgreSQL benchmark database so a build starts clean."""
    url = settings.sqlalchemy_url
    if make_url(url).get_backend_name() != "postgresql":
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def sign_in(client: TestClient, username: str, password: str) -> None:
    """Log the test client in through the real login form."""
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    if csrf is None:
        raise SystemExit("no CSRF token on /login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf": csrf[1], "next": "/"},
        follow_redirects=False,
    )
    if response.status_code != 303:
        raise SystemExit(f"sign-in refused: {response.status_code}")


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
