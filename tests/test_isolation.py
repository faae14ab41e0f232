"""The suite never reads the user's configuration: hostile VEILLE_* variables and a `.env` where
pytest starts change nothing, and the database and directory they name stay untouched."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.helpers.environment import clean_env, is_user_setting, scrub

ROOT = Path(__file__).resolve().parents[1]
# Small but representative: defaults, the `settings`/`db` fixtures under the web app, and the CLI.
SUBSET = [
    "tests/test_config.py",
    "tests/web/test_web.py::test_home_shows_figures",
    "tests/test_cli.py::test_users_add_creates_a_user_who_can_log_in",
]


def _sentinel_database(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE users (username TEXT)")
        connection.execute("INSERT INTO users VALUES ('the user''s own data')")
    connection.close()


def _snapshot(*places: Path) -> dict[str, str]:
    """Every file under `places` (and whether each place exists) with a hash of its bytes."""
    seen: dict[str, str] = {}
    for place in places:
        seen[str(place)] = "present" if place.exists() else "absent"
        files = [place] if place.is_file() else sorted(place.rglob("*")) if place.exists() else []
        for file in files:
            if file.is_file():
                seen[str(file)] = hashlib.sha256(file.read_bytes()).hexdigest()
    return seen


def test_user_settings_are_recognised() -> None:
    environ = {"VEILLE_DATABASE_URL": "x", "veille_language": "en", "VEILLE_TEST_DATABASE_URL": "y"}
    environ |= {"VEILLE_CHROMIUM": "/usr/bin/chromium", "PATH": "/bin"}
    assert scrub(environ) == ["VEILLE_DATABASE_URL", "veille_language"]
    assert sorted(environ) == ["PATH", "VEILLE_CHROMIUM", "VEILLE_TEST_DATABASE_URL"]
    assert not is_user_setting("VEILLE_TEST_ANYTHING") and is_user_setting("VEILLE_SECRET_KEY")


def test_suite_ignores_the_users_environment_and_dotenv(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    database, data_dir = user / "veille.db", user / "data"
    _sentinel_database(database)
    data_dir.mkdir()
    (data_dir / "secret_key").write_text("the-users-own-secret-key-0123456789", encoding="utf-8")
    dotenv_database, dotenv_dir = user / "dotenv.db", user / "dotenv-data"
    start = tmp_path / "start"
    start.mkdir()
    (start / ".env").write_text(
        f"VEILLE_DATABASE_URL=sqlite:///{dotenv_database}\n"
        f"VEILLE_DATA_DIR={dotenv_dir}\n"
        "VEILLE_LANGUAGE=en\n",
        encoding="utf-8",
    )
    hostile = {
        "VEILLE_DATABASE_URL": f"sqlite:///{database}",
        "VEILLE_DATA_DIR": str(data_dir),
        "VEILLE_SECRET_KEY": "a-real-looking-secret-key-of-the-user",
        "VEILLE_LANGUAGE": "en",
        "VEILLE_TIME_ZONE": "America/Montreal",
    }
    before = _snapshot(database, data_dir, dotenv_database, dotenv_dir, start)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ROOT / "pyproject.toml"),
        ]
        + ["--rootdir", str(ROOT)]
        + [str(ROOT / path) for path in SUBSET],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=clean_env(hostile),
        cwd=start,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    passed = re.search(r"(\d+) passed", done.stdout)
    assert passed and int(passed.group(1)) >= len(SUBSET), done.stdout[-3000:]
    assert _snapshot(database, data_dir, dotenv_database, dotenv_dir, start) == before
