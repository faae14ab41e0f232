"""The daily brief: its sections from the store, and the e-mail a real SMTP server receives."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy
from email.message import Message

from tests.helpers.brief_data import NOW, ZONE, add_post, seed_business
from tests.report.conftest import Mailbox
from veille.config import Settings
from veille.inbox.queue import group, load_views
from veille.report.brief import build_brief
from veille.report.mailer import send_brief_if_due
from veille.store import repository
from veille.store.db import Database


def test_brief_sections(db: Database) -> None:
    with db.session() as session:
        seed_business(session)
        brief = build_brief(session, zone=ZONE, now=NOW)
    assert brief.business == "Peintures Martin"
    mentions = brief.changes[0]
    assert (mentions.today, mentions.yesterday) == (14, 1)
    assert len(brief.todo) == 5
    kinds = [item.kind for item in brief.todo]
    assert kinds.count("thank") == 1 and kinds.count("lead") == 1 and kinds[0] == "answer"
    assert [row.name for row in brief.share] == ["Ma marque", "Dupont"]
    assert brief.share[0].own and brief.share[0].percent == 75.0
    # The story told three times is one item, ranked first; the other news follows.
    assert [item.copies for item in brief.news] == [3, 1]
    assert "Fédération" in brief.news[0].post.text
    assert [p.username for p in brief.leads] == ["ulead"]
    assert brief.reputation[-1][1:] == (1, 6, 0) and brief.reputation[-2][3] == 1


def test_brief_todo_follows_the_inbox_order(db: Database) -> None:
    """Waiting time, reach and known customers move items in the inbox; the brief agrees."""
    with db.session() as session:
        brand = repository.upsert_watch(
            session, name="Ma marque", kind="brand", description="", rules=["martin"]
        ).id
        cases = [  # key, waited, sentiment, intents
            ("fresh", timedelta(minutes=10), "neutral", ("question",)),
            ("old", timedelta(days=3), "neutral", ("question",)),
            ("angry", timedelta(hours=1), "negative", ("complaint",)),
            ("crisis", timedelta(minutes=5), "negative", ("crisis",)),
            ("mild", timedelta(hours=5), "neutral", ("complaint",)),
            ("late", timedelta(days=1), "neutral", ("question",)),
        ]
        ids = [
            add_post(
                session, key, f"{key} : martin ?", watch=brand, ago=ago, sentiment=s, intents=i
            )
            for key, ago, s, i in cases
        ]
        # Stored priorities in the reverse of any sensible order: the brief must not use them.
        repository.insert_inbox_items(
            session,
            [{"post_id": pid, "priority": float(n), "reason": "x"} for n, pid in enumerate(ids)],
        )
        brief = build_brief(session, zone=ZONE, now=NOW)
        conversations = group(load_views(session, zone=ZONE.key, now=NOW))
    # Each to-do opens the inbox item, where the reply box is.
    inbox_order = [f"/inbox/{c.lead.item.id}#reply" for c in conversations]
    answers = [item.href for item in brief.todo if item.kind == "answer"]
    assert len(answers) == 5 and answers == inbox_order[:5]
    crisis = next(c.lead.item.id for c in conversations if c.lead.post.id == ids[3])
    assert answers[0] == f"/inbox/{crisis}#reply"  # though its stored priority is low
    posts_in_order = [c.lead.post.id for c in conversations]
    assert posts_in_order != list(reversed(ids))


def test_brief_email_reaches_the_smtp_server_once_a_day(
    db: Database, settings: Settings, smtp_server: tuple[int, Mailbox]
) -> None:
    port, box = smtp_server
    with db.session() as session:
        seed_business(session)
        repository.put_setting(
            session,
            "smtp",
            {
                "host": "127.0.0.1",
                "port": port,
                "username": box.username,
                "password": box.password,
                "use_tls": False,
                "sender": "veille@peintures-martin.fr",
            },
        )
        repository.put_setting(
            session,
            "brief",
            {"hour": 17, "to": ["claire@peintures-martin.fr"], "base_url": "https://v.example"},
        )
        # 16:00 in Paris: too early for a brief set at 17:00.
        early = send_brief_if_due(session, now=NOW, settings=settings)
        assert early.in_language("fr") == "pas encore : le brief part à 17:00"
        assert str(early) == "not yet: the brief goes out at 17:00"
        later = NOW + timedelta(hours=1)
        sent = send_brief_if_due(session, now=later, settings=settings)
        assert str(sent) == "brief sent to claire@peintures-martin.fr"
        again = send_brief_if_due(session, now=later, settings=settings)
        assert str(again).startswith("already sent")
    assert len(box.messages) == 1
    _, recipients, raw = box.messages[0]
    assert recipients == ["claire@peintures-martin.fr"]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Peintures Martin — brief du 17/03/2026"
    html = _part(message, "text/html")
    assert "À faire aujourd&#39;hui" in html or "À faire aujourd'hui" in html
    assert 'href="https://v.example/posts/' in html and "Fédération du bâtiment" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "Répondre" in _part(message, "text/plain")


def _part(message: Message, kind: str) -> str:
    for part in message.walk():
        if part.get_content_type() == kind:
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no {kind} part")
