"""Wiring of the default parts: the database, the business profile, the pipeline."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from veille.config import Settings
from veille.pipeline import Matcher, Pipeline
from veille.rules import compile_rules
from veille.store import repository
from veille.store.db import Database
from veille.understand import Analyzer

log = logging.getLogger(__name__)


def open_database(settings: Settings) -> Database:
    """The configured database, migrated to the newest schema."""
    return Database.from_settings(settings)


def _compile(rules: Iterable[tuple[str, str]]) -> Matcher:
    """All valid rules; a broken stored rule is logged and left out, never fatal to ingest."""
    matcher = compile_rules(list(rules), collect_errors=True)
    for error in matcher.errors:
        log.warning("rule %s left out: %s", error.rule_id, error.message_in("en"))
    return matcher


def build_pipeline(db: Database, *, analyzer: Analyzer | None = None) -> Pipeline:
    with db.session() as session:
        profile = repository.load_profile(session)
    return Pipeline(
        db,
        profile=profile,
        understander=analyzer or Analyzer(profile),
        matcher_factory=_compile,
    )
