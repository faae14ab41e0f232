"""A brand watch with ten quiet days, then a spike: the crisis the alert tests replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from tests.factories import post_json
from veille.posts import parse_post
from veille.store import counts, repository

ZONE = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 17, 12, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> façade coulures'


def add_post(
    session: Session, watch_id: int, key: str, when: datetime, text: str, likes: int = 2
) -> int:
    data = post_json(key, text, username=f"user{key}", created_at=when.isoformat())
    data["metrics"]["likes"] = likes
    ids = repository.insert_posts(session, [parse_post(data)])
    (post_id,) = ids.values()
    repository.insert_matches(session, [{"post_id": post_id, "watch_id": watch_id}])
    counts.rebuild(session)  # what the pipeline keeps up to date
    return post_id


def seed_crisis(session: Session, *, now: datetime = NOW) -> int:
    """Ten days of one post an hour, then six an hour for the last three hours; the watch id."""
    watch = repository.upsert_watch(
        session, name="Ma marque", kind="brand", description="", rules=['"peintures martin"']
    )
    for hour in range(10 * 24, 3, -1):
        when = now - timedelta(hours=hour, minutes=-20)
        add_post(session, watch.id, f"b{hour}", when, f"Chantier numéro {hour} terminé à Angers")
    for hour in range(3, 0, -1):
        for i in range(6):
            when = now - timedelta(hours=hour, minutes=-5 * i - 1)
            if (hour, i) == (1, 0):  # the most liked post of the crisis
                add_post(session, watch.id, "hostile", when, HOSTILE, likes=80)
            else:
                add_post(
                    session, watch.id, f"s{hour}-{i}", when, f"Façade ratée, coulures {hour}{i}"
                )
    return watch.id
