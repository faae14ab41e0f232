"""Alert lifecycle: one crisis gives one alert, updated as it grows, closed once it has passed.

Pure functions: the caller runs :func:`veille.report.spikes.detect` on a watch's hourly counts
(with ``until=now``), hands the spikes and the watch's open alert (if any) to :func:`decide`,
then persists each returned :class:`AlertDecision` and sends its notification when
``decision.notify`` is true. Run it at least hourly: an alert opens on a spike that is still
going on, never on one already over.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from veille.report.spikes import Spike
from veille.textfold import fold
from veille.translations import N_

Action = Literal["open", "update", "close"]
QUIET_HOURS = 6  # back to baseline this long before the alert closes
GROWTH = 2.0  # notify again when the crisis has doubled in posts since the last notice


@dataclass(frozen=True)
class Alert:
    """What is persisted about one alert; the caller adds its own id, watch and cause."""

    start: datetime
    end: datetime  # exclusive, like Spike.end
    detected_at: datetime
    score: float
    peak_count: int
    total: int
    expected: float
    notified_total: int  # posts counted when the last notification went out
    status: Literal["open", "closed"] = "open"
    closed_at: datetime | None = None
    # The usual range of the count over [start, end) (Spike.expected_low / expected_high).
    expected_low: int = 0
    expected_high: int = 0


@dataclass(frozen=True)
class AlertDecision:
    """One change to persist: ``alert`` is the new state of the alert it concerns."""

    action: Action
    alert: Alert
    notify: bool
    reason: str  # why, in a few English words, for logs and the alert's history


def decide(
    spikes: Sequence[Spike],
    open_alert: Alert | None,
    *,
    now: datetime,
    quiet_hours: int = QUIET_HOURS,
    growth: float = GROWTH,
) -> list[AlertDecision]:
    """What to do with a watch's alert given its current spikes (an empty list: nothing)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    quiet = timedelta(hours=quiet_hours)
    decisions: list[AlertDecision] = []
    if open_alert is not None:
        if open_alert.status != "open":
            raise ValueError("open_alert must be an open alert, not a closed one")
        same = [
            s for s in spikes if s.end >= open_alert.start and s.start <= open_alert.end + quiet
        ]
        if same:
            decision = _follow(open_alert, same[-1], now=now, quiet=quiet, growth=growth)
        elif now - open_alert.end >= quiet:
            decision = _close(open_alert, now, N_("no longer above baseline"))
        else:
            decision = None
        if decision is not None:
            decisions.append(decision)
        if decision is None or decision.action != "close":
            return decisions
        spikes = [s for s in spikes if s.start > decision.alert.end]
    fresh = [s for s in spikes if s.ongoing]
    if fresh:
        spike = fresh[-1]
        alert = Alert(
            start=spike.start,
            end=spike.end,
            detected_at=spike.detected_at,
            score=spike.score,
            peak_count=spike.peak_count,
            total=spike.total,
            expected=spike.expected,
            notified_total=spike.total,
            expected_low=spike.expected_low,
            expected_high=spike.expected_high,
        )
        decisions.append(AlertDecision("open", alert, True, N_("spike above baseline")))
    return decisions


def _follow(
    alert: Alert, spike: Spike, *, now: datetime, quiet: timedelta, growth: float
) -> AlertDecision | None:
    grown = replace(
        alert,
        start=min(alert.start, spike.start),
        end=max(alert.end, spike.end),
        score=max(alert.score, spike.score),
        peak_count=max(alert.peak_count, spike.peak_count),
        total=max(alert.total, spike.total),
    )
    if spike.expected >= alert.expected:  # the spike's span covers the alert's: its baseline
        grown = replace(
            grown,
            expected=spike.expected,
            expected_low=spike.expected_low,
            expected_high=spike.expected_high,
        )
    if not spike.ongoing and now - grown.end >= quiet:
        return _close(grown, now, N_("back to baseline"))
    if grown.total >= growth * alert.notified_total:
        grown = replace(grown, notified_total=grown.total)
        return AlertDecision("update", grown, True, f"grew to {grown.total} posts")
    if grown != alert:
        return AlertDecision("update", grown, False, N_("still above baseline"))
    return None


def _close(alert: Alert, now: datetime, reason: str) -> AlertDecision:
    closed = replace(alert, status="closed", closed_at=now)
    return AlertDecision("close", closed, True, reason)


def top_posts(posts: Sequence[tuple[str, float]], k: int = 5) -> list[str]:
    """Ids of the ``k`` posts with the most weight (reach, engagement), first seen first on ties."""
    ranked = sorted(enumerate(posts), key=lambda item: (-item[1][1], item[0]))
    return [post_id for _, (post_id, _) in ranked[:k]]


def top_terms(texts: Sequence[str], baseline_texts: Sequence[str], k: int = 8) -> list[str]:
    """Words that set ``texts`` apart from ``baseline_texts`` (accents folded, no stopwords).

    Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn, 2008),
    over document frequencies so one post repeating a word does not make it a cause.
    """
    spike_docs = [set(_words(text)) for text in texts]
    base_docs = [set(_words(text)) for text in baseline_texts]
    in_spike: Counter[str] = Counter(w for doc in spike_docs for w in doc)
    in_base: Counter[str] = Counter(w for doc in base_docs for w in doc)
    n_spike, n_base = sum(in_spike.values()), sum(in_base.values())
    if n_spike == 0:
        return []
    least = 2 if len(texts) >= 3 else 1  # a cause is shared by several posts
    prior_total = 500.0
    vocabulary = in_spike + in_base
    size = sum(vocabulary.values())
    scored: list[tuple[float, str]] = []
    for word, count in in_spike.items():
        if count < least:
            continue
        other = in_base[word]
        alpha = prior_total * vocabulary[word] / size
        delta = math.log((count + alpha) / (n_spike + prior_total - count - alpha)) - math.log(
            (other + alpha) / (n_base + prior_total - other - alpha)
        )
        z = delta / math.sqrt(1 / (count + alpha) + 1 / (other + alpha))
        if z > 0:
            scored.append((z, word))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [word for _, word in scored[:k]]


_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@[\w.]+")
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    folded = fold(_MENTION.sub(" ", _URL.sub(" ", text)))
    return [
        w for w in _WORD.findall(folded) if len(w) > 2 and not w.isdigit() and w not in STOPWORDS
    ]


# French and English function words, accents folded; "l'" and "qu'" split off by the tokenizer.
_STOPWORD_TEXT = """
    alors au aucun aussi autre aux avant avec avoir bon car cela ces cet cette ceci celle celui
    chaque chez comme comment dans des depuis deux doit donc dont elle elles encore est etaient
    etait etant ete etre eux fait faire faut fois hors ici ils jamais juste leur leurs lui mais
    meme memes moins mon moi nos notre nous ont ou par parce pas peu peut plus pour pourquoi
    quand que quel quelle quelles quels qui quoi sans sera ses seulement sien son sont sous soyez
    suis sur ta tandis tellement tes ton tous tout toute toutes tres trop une vos votre vous vers
    voila vraiment etes avez avais avait ont aurait sont fut serait ceux cela celles rien ete
    deja bien tres tout toujours apres aujourd hui oui non merci une les des est pas ses mes
    the and for are but not you all any can had her was one our out has have him his how its
    may new now old see two way who did does doing done from into just like more most much must
    only other over same should some such than that their them then there these they this those
    through very what when where which while will with would your yours about after again also
    been before being below between both could down during each few further here hers herself
    himself itself let me myself nor off once ours ourselves own she themselves too under until
    were whom why yourself yourselves because above against don isn wasn aren weren won
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


_EVENTS = {"open": "alert.opened", "update": "alert.updated", "close": "alert.closed"}


def alert_payload(
    decision: AlertDecision,
    *,
    watch: str,
    link: str,
    post_ids: Sequence[str] = (),
    terms: Sequence[str] = (),
) -> dict[str, object]:
    """The JSON body of an alert webhook (docs/alerts.md shows one)."""
    alert = decision.alert
    return {
        "event": _EVENTS[decision.action],
        "watch": watch,
        "reason": decision.reason,
        "alert": {
            "start": alert.start.isoformat(),
            "end": alert.end.isoformat(),
            "detected_at": alert.detected_at.isoformat(),
            "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
            "status": alert.status,
            "score": alert.score,
            "posts": alert.total,
            "expected_posts": round(alert.expected, 1),
            "usual_range": [alert.expected_low, alert.expected_high],
            "peak_posts_per_hour": alert.peak_count,
        },
        "cause": {"post_ids": list(post_ids), "terms": list(terms)},
        "link": link,
    }
