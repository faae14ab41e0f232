"""First-run set-up: the business, the proposed watches (previewed, editable), the accounts,
the brief. The first owner lands here until it is done; every step stays reachable from
the Réglages page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.business import BusinessProfile
from veille.channels import ChannelSettingsError, load_brief, split_addresses
from veille.permissions import Permission
from veille.setup import actions
from veille.setup.communes import search_communes
from veille.setup.profile import ProfileError, ProfileInput, build_profile
from veille.setup.proposals import ProposedWatch, propose_watches
from veille.setup.trades import TRADES
from veille.store import queries, tables
from veille.store.repository import load_profile
from veille.translations import said
from veille.watches import check_rules, preview, split_rules
from veille.web.deps import DbSession, User, get_settings, language_of, render, requires
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
SETTINGS = [Depends(requires(Permission.EDIT_SETTINGS))]


def should_set_up(session: Session) -> bool:
    """The home page sends a manager here: on an empty database, or a set-up begun and not
    finished (a database filled before set-up existed, like the demo's, is left alone)."""
    if actions.next_step(session) is None:
        return False
    if actions.steps_done(session):
        return True
    empty = session.scalar(select(tables.Watch.id).limit(1)) is None
    return empty and load_profile(session) is None


@router.get("/setup")
def start(session: DbSession, user: User) -> Response:
    step = actions.next_step(session) or "business"
    return RedirectResponse(f"/setup/{step}", status_code=303)


def _answers_of(profile: BusinessProfile | None) -> dict[str, Any]:
    if profile is None:
        return {"radius_km": 10}
    return {
        "name": profile.name,
        "trade": profile.trade,
        "city": profile.city
        + (f" ({profile.departement_code})" if profile.departement_code else ""),
        "radius_km": profile.radius_km,
        "handles": "\n".join(profile.handles),
        "owner": profile.owner_name,
        "owner_handles": "\n".join(profile.owner_handles),
        "competitors": "\n".join(c.name for c in profile.competitors),
        "website": profile.website,
    }


def _business_page(request: Request, user: Any, answers: dict[str, Any], **extra: Any) -> Response:
    return render(
        request,
        "setup_business.html",
        user,
        answers=answers,
        trades=TRADES,
        step="business",
        **extra,
    )


@router.get("/setup/business")
def business_form(request: Request, session: DbSession, user: User) -> Response:
    return _business_page(request, user, _answers_of(load_profile(session)), error=None)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(";", "\n").splitlines() if line.strip()]


@router.post("/setup/business", dependencies=SETTINGS)
def save_business(
    request: Request,
    session: DbSession,
    user: User,
    name: Annotated[str, Form(max_length=200)],
    trade: Annotated[str, Form(max_length=200)],
    city: Annotated[str, Form(max_length=200)],
    radius_km: Annotated[int, Form(ge=0, le=200)] = 10,
    words: Annotated[str, Form(max_length=2000)] = "",
    handles: Annotated[str, Form(max_length=4000)] = "",
    owner: Annotated[str, Form(max_length=200)] = "",
    owner_handles: Annotated[str, Form(max_length=4000)] = "",
    competitors: Annotated[str, Form(max_length=8000)] = "",
    website: Annotated[str, Form(max_length=500)] = "",
    extra_area: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    form = {
        "extra_area": extra_area,
        "name": name,
        "trade": trade,
        "city": city,
        "radius_km": radius_km,
        "words": words,
        "handles": handles,
        "owner": owner,
        "owner_handles": owner_handles,
        "competitors": competitors,
        "website": website,
    }
    answers = ProfileInput(
        name=name,
        trade=trade,
        city=city,
        radius_km=radius_km,
        handles=_lines(handles),
        owner=owner,
        owner_handles=_lines(owner_handles),
        competitors=_lines(competitors),
        website=website,
        words=[w.strip() for w in words.split(",") if w.strip()],
        extra_area=_lines(extra_area),
    )
    try:
        profile = build_profile(answers)
    except ProfileError as exc:
        towns = search_communes(city) if exc.field == "commune" else []
        return _business_page(
            request,
            user,
            form,
            error=said(exc, language_of(request, user)),
            closest=exc.closest or [c.label for c in towns],
            status_code=400,
        )
    actions.do_save_profile(session, profile)
    return RedirectResponse("/setup/watches", status_code=303)


def _proposals(request: Request, session: Session) -> list[ProposedWatch]:
    profile = load_profile(session)
    if profile is None:
        return []
    return propose_watches(profile, max_length=get_settings(request).rule_max_length)


def _with_preview(request: Request, session: Session, watch: ProposedWatch) -> dict[str, Any]:
    max_length = get_settings(request).rule_max_length
    scanned, matched, ids = preview(session, watch.rules, max_length=max_length)
    return {
        "watch": watch,
        "rules_text": "\n".join(watch.rules),
        "scanned": scanned,
        "matched": matched,
        "posts": queries.posts_by_ids(session, ids[:3]),
        "problems": [],
    }


@router.get("/api/communes")
def api_communes(user: User, q: str = "") -> JSONResponse:
    """The town picker: up to ten communes whose name starts with ``q``, largest first."""
    return JSONResponse([c.label for c in search_communes(q[:100])])


@router.get("/setup/watches")
def watches_form(request: Request, session: DbSession, user: User) -> Response:
    proposals = _proposals(request, session)
    if not proposals:
        return RedirectResponse("/setup/business", status_code=303)
    items = [_with_preview(request, session, w) for w in proposals]
    return render(
        request,
        "setup_watches.html",
        user,
        items=items,
        step="watches",
        zone=get_settings(request).zone,
    )


@router.post("/setup/watches", dependencies=SETTINGS)
async def save_watches(request: Request, session: DbSession, user: User) -> Response:
    """Save the ticked proposals with their rules as edited (action=preview only shows)."""
    form = await request.form()
    settings = get_settings(request)
    lang = language_of(request, user)
    chosen, items, broken = [], [], False
    for index, proposal in enumerate(_proposals(request, session)):
        text = str(form.get(f"rules_{index}", ""))[:20_000]
        rules = split_rules(text)
        watch = ProposedWatch(proposal.name, proposal.kind, proposal.description, rules)
        problems = check_rules(rules, lang=lang, max_length=settings.rule_max_length)
        item = {"watch": watch, "rules_text": text, "problems": problems}
        if rules and not problems:
            item.update(_with_preview(request, session, watch))
            item["rules_text"] = text
        broken = broken or bool(problems)
        items.append(item)
        if form.get(f"keep_{index}") and rules:
            chosen.append(watch)
    if broken or form.get("action") == "preview":
        return render(
            request,
            "setup_watches.html",
            user,
            items=items,
            step="watches",
            zone=settings.zone,
            status_code=400 if broken else 200,
        )
    actions.do_save_watches(session, chosen, max_length=settings.rule_max_length)
    return RedirectResponse("/setup/accounts", status_code=303)


@router.get("/setup/accounts")
def accounts_step(request: Request, session: DbSession, user: User) -> Response:
    accounts = session.scalars(select(tables.Account).order_by(tables.Account.id)).all()
    return render(request, "setup_accounts.html", user, accounts=accounts, step="accounts")


@router.post("/setup/accounts", dependencies=SETTINGS)
def accounts_done(session: DbSession, user: User) -> Response:
    actions.mark_step(session, "accounts")
    return RedirectResponse("/setup/brief", status_code=303)


@router.get("/setup/brief")
def brief_step(request: Request, session: DbSession, user: User) -> Response:
    try:
        brief = load_brief(session)
        hour, to = brief.hour, ", ".join(brief.to)
    except ChannelSettingsError:
        hour, to = 7, ""
    return render(request, "setup_brief.html", user, hour=hour, to=to, error=None, step="brief")


@router.post("/setup/brief", dependencies=SETTINGS)
def save_brief_step(
    request: Request,
    session: DbSession,
    user: User,
    hour: Annotated[int, Form(ge=0, le=23)] = 7,
    to: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    addresses = split_addresses(to)
    try:
        actions.do_save_brief(session, hour=hour, to=addresses)
    except ChannelSettingsError as exc:
        return render(
            request,
            "setup_brief.html",
            user,
            hour=hour,
            to=to,
            error=said(exc, language_of(request, user)),
            step="brief",
            status_code=400,
        )
    return RedirectResponse("/?welcome=1", status_code=303)
