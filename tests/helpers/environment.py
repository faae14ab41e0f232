"""Keep the user's configuration out of the tests: no VEILLE_* variable and no `.env` is read."""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping

# Read by the tests themselves, never by Settings: the PostgreSQL test database, the browser.
KEPT_PREFIXES = ("VEILLE_TEST_",)
KEPT_NAMES = frozenset({"VEILLE_CHROMIUM"})


def is_user_setting(name: str) -> bool:
    """Whether `name` could configure Veille (and so must not reach a test)."""
    upper = name.upper()
    if not upper.startswith("VEILLE_") or upper in KEPT_NAMES:
        return False
    return not upper.startswith(KEPT_PREFIXES)


def scrub(environ: MutableMapping[str, str]) -> list[str]:
    """Remove every user setting from `environ`; returns the names removed."""
    removed = sorted(name for name in environ if is_user_setting(name))
    for name in removed:
        del environ[name]
    return removed


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for a subprocess: this one without user settings, plus `extra`."""
    environ = dict(os.environ)
    scrub(environ)
    environ.update(extra or {})
    return environ
