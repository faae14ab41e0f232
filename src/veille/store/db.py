"""Engine, sessions and migrations for the configured database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine.url import make_url
from sqlalchemy.orm import Session, sessionmaker

from veille.config import SECRET_KEY_FILE, Settings
from veille.store import scope, tables
from veille.translations import N_, Refusal

DEFAULT_WORKSPACE = 1  # the workspace a single-business instance keeps everything in
DEFAULT_SLUG = "default"
UNKNOWN = N_("workspace %(slug)s: unknown; create it with `veille workspaces add %(slug)s`")

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_sqlite_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_driver_name() == "psycopg":
        # No server-side prepared statements: a plan prepared while a table was small (a scan)
        # would be kept as it grows; each statement is planned with its own values instead.
        return create_engine(url, pool_pre_ping=True, connect_args={"prepare_threshold": None})
    return create_engine(url, pool_pre_ping=True)


def private_sqlite_file(path: Path) -> None:
    """Create the database file readable by its owner only, and tighten an existing one.

    SQLite gives its -wal and -shm files the database file's mode, so they follow; files left
    by an older install (0644) are tightened too. The folder is created private when missing.
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while the pipeline writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def migrate(engine: Engine, *, secret_key: str | None = None) -> None:
    """Bring the schema to the newest revision (every branch head). ``secret_key`` lets the
    migrations that rewrite encrypted credentials decrypt them."""
    config = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a column by rebuilding its table: with foreign keys on, dropping the
            # old table would cascade-delete the rows that refer to it. The pragma only takes
            # effect outside a transaction, hence before begin().
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                config.attributes["secret_key"] = secret_key
                command.upgrade(config, "heads")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _existing_secret_key(settings: Settings) -> str | None:
    """The key credentials were encrypted with, if there is one (none is created here)."""
    configured = settings.secret_key.get_secret_value()
    if not configured and not (settings.data_dir / SECRET_KEY_FILE).exists():
        return None  # nothing was ever encrypted
    try:
        return settings.resolved_secret_key()
    except ValueError:  # a placeholder: credentials stay as they are
        return None


class Database:
    """The store's entry point: an engine and a session factory."""

    def __init__(self, url: str, *, workspace_id: int = DEFAULT_WORKSPACE) -> None:
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        scope.install(self.sessions)
        # The workspace `session()` is bound to unless told otherwise (the CLI's --workspace).
        self.workspace_id = workspace_id

    @classmethod
    def from_settings(cls, settings: Settings, *, migrate_now: bool = True) -> Database:
        settings.private_data_dir()
        database = cls(settings.sqlalchemy_url)
        if migrate_now:
            database.migrate(secret_key=_existing_secret_key(settings))
        if settings.workspace != DEFAULT_SLUG:
            database.workspace_id = database.workspace_named(settings.workspace)
        return database

    def workspace_named(self, slug: str) -> int:
        """The id of the workspace called ``slug``; a clear refusal when there is none."""
        with self.session(workspace_id=None) as session:
            found = session.scalar(select(tables.Workspace.id).where(tables.Workspace.slug == slug))
        if found is None:
            raise Refusal(UNKNOWN, slug=slug)
        return found

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self, *, secret_key: str | None = None) -> None:
        migrate(self.engine, secret_key=secret_key)

    @contextmanager
    def session(self, workspace_id: int | Literal["own"] | None = "own") -> Iterator[Session]:
        """A session that commits on success and rolls back on error, bound to this database's
        workspace, to ``workspace_id``, or with None to every workspace (the pipeline, jobs)."""
        with self.sessions() as session, session.begin():
            scope.bind(session, self.workspace_id if workspace_id == "own" else workspace_id)
            yield session
