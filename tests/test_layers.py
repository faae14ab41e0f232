"""Imports follow the flow: lower layers never import the ones built on them, and test modules
share helpers through tests/helpers/ or a conftest, never through another test module."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "veille"

# Only the places the interface is started from may import the web application.
WEB_IMPORTERS = {"web", "cli"}
# What each unit (a package under veille/, or a top-level module) must never import.
FORBIDDEN: dict[str, set[str]] = {
    "store": {
        "accounts",
        "broker",
        "cli",
        "demo",
        "inbox",
        "ingest",
        "listening",
        "pipeline",
        "publish",
        "report",
        "rules",
        "runtime",
        "sources",
        "understand",
        "web",
    },
    "config": {"store", "inbox", "publish", "report", "web", "cli"},
    "translations": {"store", "inbox", "publish", "report", "web", "cli"},
    "labels": {"store", "inbox", "publish", "report", "web", "cli"},
    "localise": {"store", "inbox", "publish", "report", "web", "cli"},
    "notify": {"inbox", "publish", "report", "web", "cli"},
    "channels": {"inbox", "publish", "report", "web", "cli"},
    "inbox": {"report", "demo", "cli"},  # the brief and reports read the inbox, not the reverse
    "publish": {"report", "demo", "cli"},
    "report": {"demo", "cli"},
    "understand": {"store", "inbox", "publish", "report", "pipeline"},
    "rules": {"store", "inbox", "publish", "report", "pipeline"},
    # The stages do not know whether they run in one process or on a broker's workers.
    "pipeline": {"broker"},
    "ingest": {"broker"},
}


def imported_units(source: str) -> set[str]:
    """The veille units a module's source imports (at the top or inside a function)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "veille":  # from veille import notify
                names = [f"veille.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        else:
            continue
        found |= {name.split(".")[1] for name in names if name.startswith("veille.")}
    return found


def _unit(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        targets = imported_units(path.read_text(encoding="utf-8")) - {unit}
        bad = targets & FORBIDDEN.get(unit, set())
        if "web" in targets and unit not in WEB_IMPORTERS:
            bad.add("web")
        found += [f"{path.relative_to(ROOT)} imports veille.{target}" for target in sorted(bad)]
    return found


def test_the_scanner_sees_every_import_form() -> None:
    source = (
        "import veille.web.app\nfrom veille.report import brief\nfrom veille import notify\n"
        "def f():\n    from veille.inbox.queue import load_views\nimport os\nfrom . import x\n"
    )
    assert imported_units(source) == {"web", "report", "notify", "inbox"}


def test_no_upward_import() -> None:
    assert _violations() == []


def test_test_modules_share_helpers_not_each_other() -> None:
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module and module.startswith("tests.") and module.split(".")[-1].startswith("test_"):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []
