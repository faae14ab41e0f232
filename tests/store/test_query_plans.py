"""The pages' main queries use indexes: on a filled SQLite database, no query the home page, the
post list, search, a report, the brief or the inbox runs reads the whole posts table."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from veille.demo.business import save_demo_business
from veille.demo.generator import generate_demo, write_demo
from veille.inbox import figures, queue
from veille.inbox.clock import BusinessHours
from veille.ingest import ingest_posts, parse_post_lines
from veille.report.brief import build_brief
from veille.report.metrics import build_report
from veille.runtime import build_pipeline
from veille.store import queries
from veille.store.db import Database
from veille.timeutil import utcnow
from veille.workspaces import create

ZONE = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module", params=["one workspace", "two workspaces"])
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """Two days of the demo stream through the pipeline (a few hundred posts); with a second
    workspace watching the same, the pages read the first's posts alone (store/visibility.py)."""
    folder: Path = tmp_path_factory.mktemp("plans")
    db = Database(f"sqlite:///{folder / 'veille.db'}")
    db.migrate()
    with db.session() as session:
        save_demo_business(session)
    if request.param == "two workspaces":
        with db.session(workspace_id=None) as session:
            other = create(session, slug="autre").id
        with db.session(workspace_id=other) as session:
            save_demo_business(session)
    posts_path, _ = write_demo(generate_demo(seed=3, days=2), folder / "demo")
    with posts_path.open(encoding="utf-8") as handle:
        ingest_posts(build_pipeline(db), parse_post_lines(handle))
    yield db
    db.engine.dispose()


def _statements(db: Database, work: Callable[[Session], Any]) -> list[tuple[str, Any]]:
    """Every SELECT the work ran, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.session() as session:
            work(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def _reads_all_posts(detail: str) -> bool:
    """A plan step that reads the posts table through: without an index, or through an index
    on the network alone (one network holds most posts)."""
    table = re.match(r"(SCAN|SEARCH) posts(_\d+)?(\s|$)", detail)
    if table is None:
        return False
    return (table[1] == "SCAN" and "INDEX" not in detail) or detail.endswith("(network=?)")


def _reads_all_counts(detail: str) -> bool:
    """A plan step that reads the whole counts table (a year holds thousands of hours)."""
    return re.match(r"SCAN post_counts(\s|$)", detail) is not None


def _full_scans_of_posts(
    db: Database, statements: list[tuple[str, Any]], reads_all: Callable[[str], bool] | None = None
) -> list[str]:
    found = []
    with db.engine.connect() as conn:
        for statement, parameters in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            for row in plan:
                if (reads_all or _reads_all_posts)(str(row[-1])):
                    found.append(f"{row[-1]}\n  in: {' '.join(statement.split())[:300]}")
    return found


def test_the_plan_reader_knows_a_full_scan() -> None:
    assert _reads_all_posts("SCAN posts")
    assert _reads_all_posts("SEARCH posts_1 USING INDEX ix_posts_conversation (network=?)")
    assert not _reads_all_posts("SEARCH posts USING INDEX ix_posts_created_at (created_at>?)")
    assert not _reads_all_posts("SCAN posts USING INDEX ix_posts_created_at")
    assert not _reads_all_posts("SCAN posts_fts VIRTUAL TABLE INDEX 0:M1")


def _today() -> date:
    return utcnow().astimezone(ZONE).date()


PAGES: dict[str, Callable[[Session], Any]] = {
    "brief": lambda s: build_brief(s, zone=ZONE, now=utcnow()),
    "report_30": lambda s: build_report(
        s,
        start=_today() - timedelta(days=29),
        end=_today(),
        zone=ZONE,
        now=utcnow(),
        hours=BusinessHours(),
    ),
    "report_365": lambda s: build_report(
        s,
        start=_today() - timedelta(days=364),
        end=_today(),
        zone=ZONE,
        now=utcnow(),
        hours=BusinessHours(),
    ),
    "posts": lambda s: queries.list_posts(s, queries.PostFilter()),
    "posts_page_3": lambda s: queries.list_posts(s, queries.PostFilter(), offset=100),
    "posts_watch": lambda s: queries.list_posts(s, queries.PostFilter(watch_id=1)),
    "posts_negative": lambda s: queries.list_posts(s, queries.PostFilter(sentiment="negative")),
    "posts_lead": lambda s: queries.list_posts(s, queries.PostFilter(intent="lead")),
    "posts_network": lambda s: queries.list_posts(s, queries.PostFilter(network="x")),
    "search": lambda s: queries.search_posts(s, "peinture"),
    "search_matched": lambda s: queries.list_posts(s, queries.PostFilter(query="angers")),
    "post": lambda s: queries.post_with_thread(s, 5),
    "inbox": lambda s: queue.load_views(s, zone=ZONE.key),
    "inbox_figures": lambda s: figures.workload(
        s, hours=BusinessHours(), since=utcnow() - timedelta(days=30), now=utcnow()
    ),
    "per_watch": lambda s: queries.per_watch(s, since=_midnight(-29), until=_midnight(1)),
}

# Pages whose figures come from the counts per hour (post_counts).
COUNTED = (
    "brief",
    "report_30",
    "report_365",
    "per_watch",
    "posts",
    "posts_watch",
    "posts_negative",
    "posts_lead",
)


def _midnight(days: int) -> datetime:
    return datetime.combine(_today() + timedelta(days=days), time(0), ZONE)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_no_full_scan_of_posts(filled: Database, page: str) -> None:
    statements = _statements(filled, PAGES[page])
    assert statements, "the page ran no query"
    assert _full_scans_of_posts(filled, statements) == []


@pytest.mark.parametrize("page", COUNTED)
def test_counted_figures_read_the_counts_by_key(filled: Database, page: str) -> None:
    statements = _statements(filled, PAGES[page])
    assert any("post_counts" in statement for statement, _ in statements)
    assert _full_scans_of_posts(filled, statements, _reads_all_counts) == []


def test_the_plan_reader_knows_a_full_scan_of_counts() -> None:
    assert _reads_all_counts("SCAN post_counts")
    assert not _reads_all_counts(
        "SEARCH post_counts USING INDEX sqlite_autoindex_post_counts_1 (watch_id=? AND intent=?)"
    )


SEARCHES = [
    queries.PostFilter(query="angers"),
    queries.PostFilter(query="peinture OR façade"),
    queries.PostFilter(query="angers", watch_id=1),
    queries.PostFilter(query="angers", sentiment="negative"),
    queries.PostFilter(query="merci", intent="praise"),
    queries.PostFilter(query="angers", network="x"),
]


@pytest.mark.parametrize("flt", SEARCHES, ids=lambda f: f"{f.query}-{f.watch_id}-{f.sentiment}")
def test_a_common_word_among_matched_posts_lists_what_the_general_way_lists(
    filled: Database, flt: queries.PostFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every word counts as common here (FEW_POSTS 0): the matched posts holding it, read
    once, give the same page and total as walking the time index."""
    monkeypatch.setattr(queries, "FEW_POSTS", 0)
    with filled.session() as session:
        pages = [queries.list_posts(session, flt, limit=7, offset=o) for o in (0, 7)]
        monkeypatch.setattr(queries, "MANY_IDS", -1)  # the general way
        general = [queries.list_posts(session, flt, limit=7, offset=o) for o in (0, 7)]
    assert [([v.id for v in views], total) for views, total in pages] == [
        ([v.id for v in views], total) for views, total in general
    ]
    assert pages[0][1] > 0


def test_a_common_word_among_matched_posts_reads_no_whole_table(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "FEW_POSTS", 0)
    flt = queries.PostFilter(query="angers", sentiment="negative")
    statements = _statements(filled, lambda s: queries.list_posts(s, flt))
    assert any("matched_fts" in statement for statement, _ in statements)
    assert _full_scans_of_posts(filled, statements) == []


@pytest.mark.parametrize("flt", SEARCHES, ids=lambda f: f"{f.query}-{f.watch_id}-{f.sentiment}")
def test_a_search_among_matched_posts_never_reads_the_index_of_all_posts(
    filled: Database, flt: queries.PostFilter
) -> None:
    """Whatever the word, rare or common: its ids among every post (125,000 for "de" in a
    million tweets) are never read, only those among matched posts."""
    statements = _statements(filled, lambda s: queries.list_posts(s, flt))
    assert not [statement for statement, _ in statements if "posts_fts" in statement]
    assert any("matched_fts" in statement for statement, _ in statements)
    assert _full_scans_of_posts(filled, statements) == []
