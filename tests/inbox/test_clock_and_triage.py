"""Business-hours clock and the priority score's explanation."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from veille.inbox.clock import BusinessHours, HoursError, business_seconds, describe
from veille.inbox.triage import Signals, score

PARIS = BusinessHours()


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS.tz())


def test_friday_evening_to_monday_morning_is_one_business_hour() -> None:
    asked, answered = paris("2026-11-20T17:30"), paris("2026-11-23T09:30")  # Friday, Monday
    assert business_seconds(asked, answered, PARIS) == 3600


def test_night_and_weekend_count_nothing() -> None:
    assert business_seconds(paris("2026-11-21T10:00"), paris("2026-11-22T20:00"), PARIS) == 0
    assert business_seconds(paris("2026-11-24T19:00"), paris("2026-11-25T08:59"), PARIS) == 0


def test_daylight_saving_change_keeps_nine_to_six() -> None:
    # The clocks went back on Sunday 25 October 2026; Monday still opens nine hours.
    monday = business_seconds(paris("2026-10-26T00:00"), paris("2026-10-27T00:00"), PARIS)
    assert monday == 9 * 3600


def test_custom_hours_and_bad_settings_are_named() -> None:
    saturday = BusinessHours.from_setting(
        {"days": [5], "start": "08:00", "end": "12:00"}, zone="Europe/Paris"
    )
    assert saturday.start == time(8) and saturday.days == frozenset({5})
    assert business_seconds(paris("2026-11-21T00:00"), paris("2026-11-22T00:00"), saturday) == (
        4 * 3600
    )
    with pytest.raises(HoursError, match=r"^end: the closing time must be after"):
        BusinessHours.from_setting({"start": "18:00", "end": "09:00"}, zone="Europe/Paris")
    with pytest.raises(HoursError, match=r"^days: expected numbers 0"):
        BusinessHours.from_setting({"days": [7]}, zone="Europe/Paris")


def test_describe_reads_like_a_person() -> None:
    assert describe(45 * 60) == "45 min"
    assert describe(3 * 3600 + 20 * 60) == "3 h 20"
    assert describe(50 * 3600, "en") == "2 d 2 h"


def _signals(**changes: object) -> Signals:
    base: dict[str, object] = {
        "intents": {},
        "sentiment": None,
        "sentiment_score": 0.0,
        "followers": 50,
        "posted_at": paris("2026-11-24T10:00"),
        "addressed": False,
        "known_customer": False,
    }
    base.update(changes)
    return Signals(**base)  # type: ignore[arg-type]


def test_crisis_outranks_a_question_and_each_part_is_explained() -> None:
    now = paris("2026-11-24T10:30")
    crisis = score(_signals(intents={"crisis": 1.0}), now=now, hours=PARIS)
    question = score(
        _signals(intents={"question": 1.0}, addressed=True, known_customer=True),
        now=now,
        hours=PARIS,
    )
    assert crisis.score > question.score
    assert crisis.explanation == "signal de crise" and crisis.level == "haute"
    assert question.explanation == "question · nous est adressé · client connu"
    assert question.level == "haute"  # 45 points: words, never the bare number


def test_waiting_in_business_hours_raises_the_score() -> None:
    posted = paris("2026-11-20T17:00")  # Friday
    monday = score(_signals(posted_at=posted), now=paris("2026-11-23T12:00"), hours=PARIS)
    assert monday.explanation == "attend depuis 4 h ouvrées" and monday.level == "basse"
    saturday = score(_signals(posted_at=posted), now=paris("2026-11-21T12:00"), hours=PARIS)
    assert saturday.explanation == "attend depuis 1 h ouvrées"
    english = score(
        _signals(followers=12_000, sentiment="negative", sentiment_score=1.0),
        now=paris("2026-11-24T10:00"),
        hours=PARIS,
        lang="en",
    )
    assert english.explanation == "12 000 followers · negative"  # the strongest first
    assert english.level == "normal"


def test_aware_times_in_any_zone_compare() -> None:
    asked = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 9:00 in Paris
    assert business_seconds(asked, paris("2026-11-24T10:00"), PARIS) == 3600
