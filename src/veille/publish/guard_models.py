"""What the guard is given (GuardContext) and what it answers (GuardReport made of Flags)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from veille.business import BusinessProfile
from veille.sources import registry
from veille.translations import N_, Refusal

Severity = Literal["low", "medium", "high"]
Lang = Literal["fr", "en"]
SEVERITY_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
GUARD_NETWORKS = registry.publishing_networks()


class GuardInputError(Refusal):
    """A draft or a context the guard cannot read; the message says what and where."""


@dataclass(frozen=True)
class GuardContext:
    """Where and when a draft will go out, and for whom. Every field is optional."""

    networks: list[str] = field(default_factory=list)  # empty: every network that publishes
    scheduled_at: datetime | None = None  # naive datetimes are read in `time_zone`
    time_zone: str = "Europe/Paris"
    open_crisis: bool = False
    profile: BusinessProfile | None = None
    client_names: list[str] = field(default_factory=list)
    lang: Lang = "fr"
    learned: bool = True  # also read the draft with the learned risk model (guard_learned.py)

    def __post_init__(self) -> None:
        unknown = [n for n in self.networks if n not in GUARD_NETWORKS]
        if unknown:
            raise GuardInputError(
                N_("networks: unknown network %(network)r; expected one of %(networks)s"),
                network=unknown[0],
                networks=", ".join(GUARD_NETWORKS),
            )
        if self.lang not in ("fr", "en"):
            raise GuardInputError(
                N_("lang: %(lang)r is not supported; use 'fr' or 'en'"), lang=self.lang
            )
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise GuardInputError(
                N_("time_zone: %(zone)r is not a known time zone (e.g. Europe/Paris)"),
                zone=self.time_zone,
            ) from error

    @property
    def target_networks(self) -> tuple[str, ...]:
        return tuple(self.networks) if self.networks else GUARD_NETWORKS

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class Flag:
    """One risk: what kind, how serious, which characters of the draft, and why."""

    kind: str
    severity: Severity
    start: int  # offsets in Python characters (code points) of the original text
    end: int
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class GuardReport:
    """The guard's answer: the highest severity found and every flag, in text order."""

    risk: Severity
    flags: list[Flag]

    def to_json(self) -> dict[str, Any]:
        return {"risk": self.risk, "flags": [flag.to_json() for flag in self.flags]}

    def kinds(self) -> set[str]:
        return {flag.kind for flag in self.flags}
