"""Wiring of the default parts: the database, the business profile, the pipeline."""

from __future__ import annotations

from collections.abc import Iterable

from veille.business import BusinessProfile
from veille.config import Settings
from veille.pipeline import Matcher, Pipeline
from veille.rules import compile_rules
from veille.store import repository
from veille.store.db import Database
from veille.understand import Analyzer

BUSINESS_KEY = "business"


def open_database(settings: Settings) -> Database:
    """The configured database, migrated to the newest schema."""
    return Database.from_settings(settings)


def load_profile(db: Database) -> BusinessProfile | None:
    with db.session() as session:
        value = repository.get_setting(session, BUSINESS_KEY)
    return None if value is None else BusinessProfile.model_validate(value)


def save_profile(db: Database, profile: BusinessProfile) -> None:
    with db.session() as session:
        repository.put_setting(session, BUSINESS_KEY, profile.model_dump(mode="json"))


def _compile(rules: Iterable[tuple[str, str]]) -> Matcher:
    return compile_rules(list(rules), skip_invalid=True)


def build_pipeline(db: Database, *, analyzer: Analyzer | None = None) -> Pipeline:
    profile = load_profile(db)
    return Pipeline(
        db,
        profile=profile,
        understander=analyzer or Analyzer(profile),
        matcher_factory=_compile,
    )
