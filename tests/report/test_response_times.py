"""The report's response times: from a post to the business's first reply, over the posts of
the period, whatever the business's other replies and other people's."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from tests.factories import post_json
from veille.business import BusinessProfile
from veille.posts import parse_post
from veille.report.metrics import build_report
from veille.store import repository
from veille.store.db import Database


def _post(key: str, at: str, *, by: str = "client", to: str | None = None) -> dict[str, object]:
    extra: dict[str, object] = {}
    if to is not None:
        extra = {"is_reply": True, "in_reply_to": "client", "in_reply_to_id": to}
    return post_json(key, f"message {key}", username=by, created_at=at, **extra)


def test_response_times_count_the_first_reply_of_the_business(db: Database) -> None:
    own = "PeinturesMartin"
    posts = [
        _post("a", "2026-03-10T09:00:00Z"),
        _post("a1", "2026-03-10T10:00:00Z", by=own, to="a"),  # first answer: 1 h
        _post("a2", "2026-03-10T11:30:00Z", by=own, to="a"),
        _post("a3", "2026-03-10T09:10:00Z", by="voisin", to="a"),  # not the business
        _post("b", "2026-03-11T09:00:00Z"),
        _post("b1", "2026-03-11T12:00:00Z", by=own, to="b"),  # 3 h
        _post("c", "2026-02-01T09:00:00Z"),  # before the period
        _post("c1", "2026-03-10T09:00:00Z", by=own, to="c"),
        _post("d1", "2026-03-10T09:00:00Z", by=own, to="absent"),  # its original is not stored
    ]
    with db.session() as session:
        profile = BusinessProfile(name="Martin", handles=["peinturesmartin"])
        repository.save_profile(session, profile)
        repository.insert_posts(session, [parse_post(p) for p in posts])
    with db.session() as session:
        report = build_report(
            session, start=date(2026, 3, 1), end=date(2026, 3, 31), zone=ZoneInfo("Europe/Paris")
        )
    assert report.responses.answered == 2
    assert report.responses.median_hours == 2.0
    assert report.responses.p90_hours == 3.0
