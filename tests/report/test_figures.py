"""The figures' definitions on a small day: a period stops at now, a lead told twice counts once,
the owner's watch is in the share of voice, a reply in the stream or from the inbox is an answer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.factories import post_json
from tests.helpers.brief_data import NOW, ZONE, add_post
from veille.business import BusinessProfile
from veille.inbox.clock import BusinessHours
from veille.posts import parse_post
from veille.report import figures
from veille.store import repository, tables
from veille.store.db import Database

TODAY = figures.Period.ending_today(days=1, zone=ZONE, now=NOW)


def test_a_post_dated_later_today_counts_nowhere_yet(db: Database) -> None:
    with db.session() as session:
        brand = repository.upsert_watch(
            session, name="Ma marque", kind="brand", description="", rules=["martin"]
        ).id
        add_post(session, "past", "Martin, déçu", watch=brand, sentiment="negative")
        add_post(
            session,
            "later",
            "Martin, déçu",
            watch=brand,
            sentiment="negative",
            ago=-timedelta(hours=3),
        )
        assert figures.mentions(session, TODAY) == 1
        assert figures.negatives(session, TODAY) == 1
        assert figures.watch_mentions(session, TODAY)[brand] == 1
        later = figures.Period.ending_today(days=1, zone=ZONE, now=NOW + timedelta(hours=4))
        assert figures.mentions(session, later) == 2


def test_a_lead_told_twice_is_one_lead(db: Database) -> None:
    with db.session() as session:
        leads = repository.upsert_watch(
            session, name="Pistes", kind="leads", description="", rules=["peintre"]
        ).id
        text = "Quelqu'un connaît un bon peintre à Angers ? Façade à refaire"
        for key in ("a", "b"):
            add_post(session, key, text, watch=leads, intents=("lead",))
        add_post(
            session, "c", "Je cherche un peintre pour mes volets", watch=leads, intents=("lead",)
        )
        found = figures.leads(session, TODAY)
    assert [p.username for p in found] == ["uc", "ua"]


def test_share_of_voice_counts_the_owner_with_the_business(db: Database) -> None:
    with db.session() as session:
        ids = {
            kind: repository.upsert_watch(
                session, name=kind, kind=kind, description="", rules=[kind]
            ).id
            for kind in ("brand", "owner", "competitor", "sector")
        }
        for kind, n in (("brand", 2), ("owner", 1), ("competitor", 1), ("sector", 5)):
            for i in range(n):
                add_post(session, f"{kind}{i}", f"{kind} {i}", watch=ids[kind])
        share = figures.share_of_voice(session, TODAY)
    assert [(r.name, r.percent, r.own) for r in share] == [
        ("brand", 50.0, True),
        ("owner", 25.0, True),
        ("competitor", 25.0, False),
    ]


def test_answers_from_the_stream_and_the_inbox_count_once_each(db: Database) -> None:
    with db.session() as session:
        repository.save_profile(
            session, BusinessProfile(name="Martin", handles=["peinturesmartin"])
        )
        brand = repository.upsert_watch(
            session, name="Ma marque", kind="brand", description="", rules=["martin"]
        ).id
        asked = add_post(session, "q1", "Martin, vous faites les volets ?", watch=brand)
        inbox = add_post(session, "q2", "Martin, un devis ?", watch=brand)
        add_post(session, "q3", "Martin, personne ne répond", watch=brand)
        reply = post_json(
            "r1",
            "Oui, bien sûr",
            username="peinturesmartin",
            created_at=(NOW - timedelta(hours=1)).isoformat(),
            is_reply=True,
            in_reply_to_id="q1",
        )
        repository.insert_posts(session, [parse_post(reply)])
        repository.insert_inbox_items(session, [{"post_id": inbox, "priority": 1.0, "reason": ""}])
        item = session.scalars(
            select(tables.InboxItem).where(tables.InboxItem.post_id == inbox)
        ).one()
        item.first_response_at = NOW - timedelta(minutes=30)
        session.flush()
        found = figures.responses(session, TODAY, BusinessHours())
        assert asked != inbox
    # Both asked two hours before now: answered after one hour and after ninety minutes.
    assert found == figures.Responses(2, 4500.0, 5400.0)
