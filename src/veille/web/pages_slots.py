"""The publishing settings: weekly queue slots per account and the evergreen gap (managers and
the owner edit them), and the approval rules: the role each account's posts need (managers)
and "a high-risk post needs a manager" (the owner)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from veille.localise import weekday_names
from veille.permissions import Permission, can
from veille.publish import actions, approvals, queries
from veille.publish.approvals import Actor, ApprovalError
from veille.publish.schedule import ScheduleError, WeeklyTime
from veille.publish.slots import (
    add_slot,
    evergreen_gap,
    remove_slot,
    set_evergreen_gap,
    slots_of,
)
from veille.translations import said
from veille.web.auth import CurrentUser
from veille.web.deps import DbSession, RowId, User, get_settings, language_of, render, requires
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
EDIT = [Depends(requires(Permission.EDIT_SCHEDULE))]


@router.get("/calendar/slots")
def slots_page(request: Request, session: DbSession, user: User) -> Response:
    return _slots_page(request, session, user)


def _slots_page(
    request: Request,
    session: Session,
    user: CurrentUser,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    lang = language_of(request, user)
    accounts = queries.publishing_accounts(session)
    slots = slots_of(session, [a.id for a in accounts])
    labels = {s.id: WeeklyTime(s.weekday, s.minute_of_day, s.zone).label(lang) for s in slots}
    return render(
        request,
        "calendar_slots.html",
        user,
        status_code=status_code,
        accounts=accounts,
        slots=slots,
        labels=labels,
        weekdays=weekday_names(lang),
        gap_days=evergreen_gap(session).days,
        can_edit=can(user.role, Permission.EDIT_SCHEDULE),
        rules=queries.approval_rules(session),
        high_risk_needs_manager=approvals.high_risk_needs_manager(session),
        can_set_rules=can(user.role, Permission.SET_APPROVAL_RULES),
        can_set_policy=can(user.role, Permission.SET_APPROVAL_POLICY),
        error=error,
        zone=get_settings(request).time_zone,
    )


def _back(anchor: str = "") -> Response:
    return RedirectResponse(f"/calendar/slots{anchor}", status_code=303)


@router.post("/calendar/slots", dependencies=EDIT)
def new_slot(
    request: Request,
    session: DbSession,
    user: User,
    account_id: Annotated[int, Form()],
    weekday: Annotated[int, Form()],
    wall_clock: Annotated[str, Form(max_length=8)],
) -> Response:
    try:
        add_slot(
            session,
            account_id=account_id,
            weekday=weekday,
            wall_clock=wall_clock,
            zone=get_settings(request).time_zone,
        )
    except ScheduleError as exc:
        return _slots_page(
            request, session, user, error=said(exc, language_of(request, user)), status_code=400
        )
    return _back()


@router.post("/calendar/slots/{slot_id}/delete", dependencies=EDIT)
def delete_slot(session: DbSession, slot_id: RowId) -> Response:
    try:
        remove_slot(session, slot_id)
    except ScheduleError:
        raise HTTPException(status_code=404) from None
    return _back()


@router.post("/calendar/evergreen", dependencies=EDIT)
def evergreen_setting(
    request: Request, session: DbSession, user: User, gap_days: Annotated[int, Form()]
) -> Response:
    try:
        set_evergreen_gap(session, gap_days)
    except ScheduleError as exc:
        return _slots_page(
            request, session, user, error=said(exc, language_of(request, user)), status_code=400
        )
    return _back()


@router.post("/calendar/approvals", dependencies=[Depends(requires(Permission.SET_APPROVAL_RULES))])
def approval_rule(
    request: Request,
    session: DbSession,
    user: User,
    account_id: Annotated[int, Form()],
    required_role: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """The role posts from one account need; empty removes the rule."""
    try:
        actions.set_account_rule(
            session,
            actor=Actor(user.id, user.role),
            account_id=account_id,
            required_role=required_role or None,
        )
    except ApprovalError as exc:
        return _slots_page(
            request, session, user, error=said(exc, language_of(request, user)), status_code=400
        )
    return _back("#approvals")


@router.post(
    "/calendar/approvals/policy",
    dependencies=[Depends(requires(Permission.SET_APPROVAL_POLICY))],
)
def approval_policy(
    session: DbSession,
    user: User,
    high_risk_needs_manager: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The owner's "a high-risk post needs a manager"."""
    actions.set_high_risk_needs_manager(
        session, actor=Actor(user.id, user.role), value=high_risk_needs_manager == "on"
    )
    return _back("#approvals")
