"""Watches: list, edit rules with live validation, preview matches, save and re-match."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import select

from veille.labels import label
from veille.permissions import Permission, can
from veille.rules import check_rule
from veille.store import queries, tables
from veille.translations import said
from veille.watches import (
    WATCH_KINDS,
    WatchError,
    check_rules,
    match_counts,
    preview,
    rules_by_watch,
    save_watch,
    split_rules,
)
from veille.web.deps import DbSession, RowId, User, get_settings, language_of, render, requires
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)


@router.get("/watches")
def list_watches(request: Request, session: DbSession, user: User) -> Response:
    return render(
        request,
        "watches.html",
        user,
        watches=queries.watches(session),
        counts=match_counts(session),
        rules=rules_by_watch(session),
        can_edit=can(user.role, Permission.EDIT_WATCHES),
    )


def _form_context(watch: tables.Watch | None, rules_text: str, **extra: Any) -> dict[str, Any]:
    return {
        "watch": watch,
        "rules_text": rules_text,
        "kinds": WATCH_KINDS,
        "problems": [],
        "preview": None,
        **extra,
    }


@router.get("/watches/new")
def new_watch(request: Request, session: DbSession, user: User) -> Response:
    return render(request, "watch_edit.html", user, **_form_context(None, ""))


@router.get("/watches/{watch_id}")
def edit_watch(request: Request, session: DbSession, user: User, watch_id: RowId) -> Response:
    watch = session.get(tables.Watch, watch_id)
    if watch is None:
        raise HTTPException(status_code=404)
    rules = session.scalars(
        select(tables.WatchRule.query)
        .where(tables.WatchRule.watch_id == watch_id)
        .order_by(tables.WatchRule.id)
    ).all()
    return render(request, "watch_edit.html", user, **_form_context(watch, "\n".join(rules)))


@router.post("/watches/save", dependencies=[Depends(requires(Permission.EDIT_WATCHES))])
def save(
    request: Request,
    session: DbSession,
    user: User,
    name: Annotated[str, Form(min_length=1, max_length=128)],
    kind: Annotated[str, Form(max_length=32)],
    rules: Annotated[str, Form(max_length=200_000)],
    description: Annotated[str, Form(max_length=2000)] = "",
    watch_id: Annotated[str, Form(max_length=20)] = "",
    action: Annotated[str, Form(max_length=16)] = "save",
) -> Response:
    """Save (or, with action=preview, only show what the rules would match)."""
    settings = get_settings(request)
    lang = language_of(request, user)
    existing = session.get(tables.Watch, int(watch_id)) if watch_id.isdigit() else None
    rule_list = split_rules(rules)
    problems = check_rules(rule_list, lang=lang, max_length=settings.rule_max_length)
    if not rule_list:
        problems = []
    context = _form_context(existing, rules, name=name, kind=kind)
    if problems or not rule_list or kind not in WATCH_KINDS:
        context["problems"] = problems
        context["form_error"] = (
            None
            if problems
            else label("watch.no_rule" if not rule_list else "watch.unknown_kind", lang)
        )
        return render(request, "watch_edit.html", user, status_code=400, **context)
    if action == "preview":
        scanned, matched, ids = preview(session, rule_list, max_length=settings.rule_max_length)
        posts = queries.posts_by_ids(session, ids)
        context["preview"] = {"scanned": scanned, "matched": matched, "posts": posts}
        return render(request, "watch_edit.html", user, zone=settings.zone, **context)
    try:
        watch = save_watch(
            session,
            watch_id=existing.id if existing else None,
            name=name.strip(),
            kind=kind,
            description=description.strip(),
            rules=rule_list,
            max_length=settings.rule_max_length,
        )
    except WatchError as exc:
        context["form_error"] = said(exc, language_of(request, user))
        return render(request, "watch_edit.html", user, status_code=400, **context)
    return RedirectResponse(f"/posts?watch={watch.id}", status_code=303)


@router.get("/api/rules/check")
def api_check_rule(request: Request, user: User, rule: str = "") -> JSONResponse:
    """Live validation for the rule editor (one rule)."""
    settings = get_settings(request)
    result = check_rule(rule, lang=language_of(request, user), max_length=settings.rule_max_length)
    return JSONResponse(result)
