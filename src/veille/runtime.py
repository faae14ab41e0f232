"""Wiring of the default parts: the database, the business profile, the pipeline."""

from __future__ import annotations

from collections.abc import Iterable

from veille.config import Settings
from veille.pipeline import Matcher, Pipeline
from veille.rules import compile_rules
from veille.store import repository
from veille.store.db import Database
from veille.understand import Analyzer


def open_database(settings: Settings) -> Database:
    """The configured database, migrated to the newest schema."""
    return Database.from_settings(settings)


def _compile(rules: Iterable[tuple[str, str]]) -> Matcher:
    return compile_rules(list(rules))


def build_pipeline(db: Database, *, analyzer: Analyzer | None = None) -> Pipeline:
    with db.session() as session:
        profile = repository.load_profile(session)
    return Pipeline(
        db,
        profile=profile,
        understander=analyzer or Analyzer(profile),
        matcher_factory=_compile,
    )
