"""Alert lifecycle over a crisis that starts, grows and passes; alert causes."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from veille.report.alerting import Alert, alert_payload, decide, fold, top_posts, top_terms
from veille.report.spikes import detect

START = datetime(2026, 3, 2, tzinfo=UTC)


def crisis_counts() -> list[int]:
    rng = random.Random(4)
    counts = []
    for _ in range(16 * 24):
        limit, k, product = math.exp(-1.0), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        counts.append(k)
    onset = 15 * 24 + 8
    for offset, extra in enumerate([4, 5, 8, 12, 20, 25, 10, 4]):
        counts[onset + offset] += extra
    return counts


def test_one_crisis_gives_one_alert_updated_as_it_grows_then_closed() -> None:
    counts = crisis_counts()
    series = [(START + timedelta(hours=i), c) for i, c in enumerate(counts)]
    alert: Alert | None = None
    opened = closed = notices = 0
    updates: list[int] = []
    # Replay the day hour by hour, as the scheduler would, persisting each decision.
    for hour in range(15 * 24, 16 * 24):
        now = START + timedelta(hours=hour + 1)
        spikes = detect(series[: hour + 1], until=now - timedelta(hours=1))
        for decision in decide(spikes, alert, now=now):
            notices += decision.notify
            if decision.action == "open":
                assert alert is None
                opened += 1
            elif decision.action == "update":
                updates.append(decision.alert.total)
            else:
                closed += 1
            alert = decision.alert if decision.alert.status == "open" else None
            if decision.action == "close":
                assert decision.alert.closed_at == now
                assert decision.alert.peak_count >= 25
    assert opened == 1 and closed == 1
    assert alert is None
    assert updates == sorted(updates) and updates[-1] > 60  # it grew, one alert followed it
    assert 3 <= notices <= 5  # opened, a couple of escalations, closed: not one per hour


def test_a_spike_already_over_does_not_open_an_alert() -> None:
    counts = crisis_counts()
    series = [(START + timedelta(hours=i), c) for i, c in enumerate(counts)]
    spikes = detect(series)
    assert spikes and not spikes[-1].ongoing
    assert decide(spikes, None, now=START + timedelta(days=16)) == []


def test_a_new_crisis_after_a_quiet_spell_closes_the_old_alert_and_opens_another() -> None:
    counts = crisis_counts()
    series = [(START + timedelta(hours=i), c) for i, c in enumerate(counts)]
    old = Alert(
        start=START + timedelta(days=10),
        end=START + timedelta(days=10, hours=5),
        detected_at=START + timedelta(days=10, hours=1),
        score=6.0,
        peak_count=9,
        total=30,
        expected=6.0,
        notified_total=30,
    )
    now = START + timedelta(days=15, hours=11)
    spikes = detect(series[: 15 * 24 + 11], until=now - timedelta(hours=1))
    actions = [(d.action, d.alert.start) for d in decide(spikes, old, now=now)]
    assert [a for a, _ in actions] == ["close", "open"]
    assert actions[1][1] >= START + timedelta(days=15, hours=6)


def test_decide_refuses_naive_now_and_closed_alerts() -> None:
    with pytest.raises(ValueError, match="aware"):
        decide([], None, now=datetime(2026, 1, 1))
    closed = Alert(START, START, START, 1.0, 1, 1, 1.0, 1, status="closed")
    with pytest.raises(ValueError, match="open alert"):
        decide([], closed, now=START)


def test_top_terms_name_what_the_crisis_is_about() -> None:
    baseline = [
        "Super chantier de peinture à Angers, merci à l'équipe",
        "Qui connaît un bon peintre à Angers ?",
        "Devis reçu rapidement, très pro",
        "Peinture des volets terminée, bravo",
    ] * 5
    crisis = [
        "Chantier abandonné, des coulures partout sur la façade #arnaque",
        "Encore une façade ratée par Dupont, coulures et retard",
        "La FAÇADE de ma voisine : coulures, chantier abandonné, honteux",
        "Ils ont abandonné le chantier sans prévenir",
    ]
    terms = top_terms(crisis, baseline, k=4)
    assert "facade" in terms and "coulures" in terms
    assert "abandonne" in terms
    for word in terms:
        assert word == fold(word)  # accents folded
    assert "des" not in top_terms(crisis, [], k=20)  # stopwords never surface
    assert top_terms([], baseline) == []


def test_top_posts_ranks_by_weight() -> None:
    assert top_posts([("a", 3), ("b", 40), ("c", 3), ("d", 7)], k=3) == ["b", "d", "a"]


def test_alert_payload_is_json_ready_and_names_the_cause() -> None:
    import json

    alert = Alert(START, START + timedelta(hours=6), START, 7.25, 12, 40, 6.0, 40)
    decision = decide([], alert, now=START + timedelta(hours=13))[0]
    payload = alert_payload(
        decision,
        watch="Ma marque",
        link="https://veille.local/inbox?alert=3",
        post_ids=["x:1", "bsky:2"],
        terms=["facade", "coulures"],
    )
    assert json.loads(json.dumps(payload)) == payload
    assert payload["event"] == "alert.closed"
    assert payload["alert"]["status"] == "closed"  # type: ignore[index]
    assert payload["cause"] == {"post_ids": ["x:1", "bsky:2"], "terms": ["facade", "coulures"]}
