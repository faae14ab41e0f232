"""Per-network variants: length limits, mentions and hashtags adapted; history kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from veille.publish.drafts import (
    DraftError,
    adapt_text,
    check_variants,
    create_draft,
    edit_variant,
    variants_of,
)
from veille.sources.x.text import x_length
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import DraftEvent


def test_long_text_is_shortened_per_network_keeping_the_link() -> None:
    text = "Nouvelle façade rénovée rue Saint-Laud, " * 12 + "https://peintures-martin.fr/chantiers"
    x = adapt_text(text, "x")
    mastodon = adapt_text(text, "mastodon")
    assert x_length(x) <= 280 and x.endswith("… https://peintures-martin.fr/chantiers")
    assert len(mastodon) > len(x)
    assert adapt_text("Court et clair.", "x") == "Court et clair."


def test_hashtags_and_mentions_are_adapted() -> None:
    text = "Merci @martin pour le #chantier à #Angers ! #peinture #déco #artisan"
    handles = {"@martin": {"x": "@PeinturesMartin", "bluesky": "@martin.bsky.social"}}
    assert adapt_text(text, "x", handles=handles) == (
        "Merci @PeinturesMartin pour le #chantier à #Angers !"
    )
    assert adapt_text(text, "bluesky", handles=handles) == (
        "Merci @martin.bsky.social pour le #chantier à #Angers ! #peinture"
    )
    assert adapt_text(text, "mastodon", handles=handles) == text


def test_draft_has_a_variant_per_account_and_a_history(db: Database) -> None:
    with db.session() as session:
        x = tables.Account(network="x", handle="PeinturesMartin", kind="company")
        masto = tables.Account(network="mastodon", handle="martin@piaille.fr", kind="company")
        news = tables.Account(network="news", handle="flux", kind="company")
        session.add_all([x, masto, news])
        session.flush()
        with pytest.raises(DraftError, match="accounts: flux"):
            create_draft(session, text="t", account_ids=[news.id], user_id=None)
        with pytest.raises(DraftError, match="text"):
            create_draft(session, text="  ", account_ids=[x.id], user_id=None)
        draft = create_draft(
            session,
            text="Visitez https://peintures-martin.fr " + "#a " * 6,
            account_ids=[x.id, masto.id],
            user_id=None,
        )
        variants = variants_of(session, draft.id)
        assert [v.network for v in variants] == ["x", "mastodon"]
        edit_variant(
            session, draft_id=draft.id, account_id=x.id, text="Visitez notre site", user_id=None
        )
        checks = check_variants(
            session,
            variants_of(session, draft.id),
            scheduled_at=datetime(2026, 5, 1, 21, 30, tzinfo=UTC),
        )
        assert checks[0].cost is not None and not checks[0].cost.has_link
        assert checks[1].cost is None
        assert "late_night" in checks[1].report.kinds()  # 23:30 in Paris
        actions = session.scalars(select(DraftEvent.action).order_by(DraftEvent.id)).all()
        assert actions == ["created", "edited"]
