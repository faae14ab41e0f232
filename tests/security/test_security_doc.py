"""docs/security.md names a test for each promise: every test it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
CITED = re.compile(r"`(tests/[\w/]+\.py)((?:::\w+)?)`|`::(\w+)`")


def test_every_cited_test_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing, last_file = [], None
    for match in CITED.finditer(text):
        path, name, continued = match.group(1), match.group(2), match.group(3)
        if path:
            last_file = path
            if not (ROOT / path).is_file():
                missing.append(path)
                continue
            name = name.removeprefix("::")
        else:  # "`::other_test`" continues the file cited just before
            name = continued
        if name and last_file and f"def {name}(" not in (ROOT / last_file).read_text("utf-8"):
            missing.append(f"{last_file}::{name}")
    assert missing == []


def test_every_security_test_file_is_cited() -> None:
    text = DOC.read_text(encoding="utf-8")
    files = sorted(p.name for p in (ROOT / "tests" / "security").glob("test_*.py"))
    uncited = [f for f in files if f not in text and f != Path(__file__).name]
    assert uncited == []
