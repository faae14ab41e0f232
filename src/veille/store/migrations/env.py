"""Alembic environment: runs on the connection handed over by veille.store.db.migrate."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from veille.store.search import FULL_TEXT_OBJECTS
from veille.store.tables import Base

config = context.config
target_metadata = Base.metadata


def include_object(_obj: Any, name: str | None, _type: str, _reflected: bool, _to: Any) -> bool:
    """Autogenerate ignores the full-text index, which lives outside the models."""
    return name not in FULL_TEXT_OBJECTS


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, include_object=include_object
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(
            connection=conn, target_metadata=target_metadata, include_object=include_object
        )
        with context.begin_transaction():
            context.run_migrations()


run()
