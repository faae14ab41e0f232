"""Saving what the set-up decided: the profile, the watches it proposed, the steps done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.business import BusinessProfile
from veille.channels import ChannelSettingsError
from veille.setup.proposals import ProposedWatch
from veille.store import tables
from veille.store.repository import get_setting, put_setting, save_profile
from veille.translations import N_
from veille.watches import save_watch

SETUP_KEY = "setup"
# The first-run steps, in order; the owner lands on the first one not done.
STEPS = ("business", "watches", "accounts", "brief")


def do_save_profile(session: Session, profile: BusinessProfile) -> None:
    """Store the business profile (the set-up's first step)."""
    save_profile(session, profile)
    mark_step(session, "business")


def do_save_watches(
    session: Session, watches: Sequence[ProposedWatch], *, max_length: int
) -> list[tables.Watch]:
    """Create the chosen watches, or update the one of the same name, and match stored posts."""
    saved = []
    for watch in watches:
        existing = session.scalar(select(tables.Watch.id).where(tables.Watch.name == watch.name))
        saved.append(
            save_watch(
                session,
                watch_id=existing,
                name=watch.name,
                kind=watch.kind,
                description=watch.description,
                rules=watch.rules,
                max_length=max_length,
            )
        )
    mark_step(session, "watches")
    return saved


def steps_done(session: Session) -> list[str]:
    value: dict[str, Any] = get_setting(session, SETUP_KEY) or {}
    done = value.get("done", [])
    return [s for s in STEPS if isinstance(done, list) and s in done]


def mark_step(session: Session, step: str) -> None:
    done = steps_done(session)
    if step not in done:
        done.append(step)
    put_setting(session, SETUP_KEY, {"done": [s for s in STEPS if s in done]})


def next_step(session: Session) -> str | None:
    """The first step not done yet, or None once the set-up is over."""
    done = steps_done(session)
    return next((s for s in STEPS if s not in done), None)


def do_save_brief(session: Session, *, hour: int, to: Sequence[str]) -> None:
    """The brief's hour and recipients (the set-up's last step); other brief keys are kept."""
    bad = [a for a in to if "@" not in a or " " in a]
    if bad:
        raise ChannelSettingsError(
            N_("to: %(addresses)s: not an e-mail address, like name@example.fr"),
            addresses=", ".join(bad),
        )
    if not 0 <= hour <= 23:
        raise ChannelSettingsError(N_("hour: a whole hour from 0 to 23"))
    value = dict(get_setting(session, "brief") or {})
    value.update({"hour": hour, "to": list(to), "enabled": True})
    put_setting(session, "brief", value)
    mark_step(session, "brief")


def do_save_business_hours(
    session: Session, *, days: Sequence[int], start: str, end: str, zone: str
) -> None:
    """Opening days and hours, and the time zone the inbox counts waiting time in."""
    from veille.inbox.clock import SETTING_KEY as HOURS_KEY
    from veille.inbox.clock import BusinessHours

    value = {"days": sorted(set(days)), "start": start, "end": end, "zone": zone}
    BusinessHours.from_setting(value, zone=zone).tz()  # HoursError names what is wrong
    put_setting(session, HOURS_KEY, value)
