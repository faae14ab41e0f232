"""Publish: the composer (guard flags and X cost before anything is scheduled), a draft's
page (variants, approval, comments, history, jobs with the network's answer) and CSV import.
The calendar is in ``pages_calendar``, the queue's settings in ``pages_slots``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from veille.crypto import SecretBox
from veille.inbox import assistant
from veille.localise import weekday_names
from veille.permissions import Permission, at_least, can
from veille.publish import actions, queries
from veille.publish.approvals import Actor, ApprovalError, requirement, reviewed_texts
from veille.publish.drafts import (
    DraftError,
    check_variants,
    crisis_open,
    overall_risk,
    variants_of,
)
from veille.publish.guard_second_opinion import SecondOpinion, ask
from veille.publish.importer import import_csv
from veille.publish.length import TooLong
from veille.publish.media import MAX_IMAGE_BYTES, MediaError, images_of, read_image
from veille.publish.schedule import (
    ScheduleError,
    best_times,
    parse_local,
)
from veille.sources import registry
from veille.store import tables
from veille.timeutil import utcnow
from veille.translations import N_, Refusal, said
from veille.web.auth import CurrentUser
from veille.web.deps import DbSession, RowId, User, get_settings, language_of, render, requires
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
MAX_CSV_BYTES = 1_000_000
MAX_COMPOSED_CHARS = 100_000


def text_rules() -> dict[str, dict[str, Any]]:
    """Each publishing network's limit and counting, for the composer's live counter."""
    rules = {}
    for network in registry.publishing_networks():
        publishing = registry.publishing(network)
        assert publishing is not None  # publishing_networks lists only these
        count = publishing.browser_count
        rules[network] = {
            "name": registry.display_name(network),
            "max": publishing.max_length,
            "url": count.url_weight,
            "light": [list(r) for r in count.light_ranges],
        }
    return rules


WRITE = [Depends(requires(Permission.WRITE_DRAFTS))]
# What the rules refuse is shown on the draft's page, with the reason.
REFUSALS = (ScheduleError, ApprovalError, DraftError)
NO_ASSISTANT = Refusal(
    N_(
        "second opinion: no language model is set; an owner or a manager can set one on the "
        "Inbox page Replies and routing"
    )
)
KEY_UNREADABLE = Refusal(
    N_(
        "second opinion: the language model's stored key cannot be read with this instance's "
        "secret key (was it changed?); type the key again on the Inbox page Replies and routing"
    )
)


def _actor(user: CurrentUser) -> Actor:
    return Actor(user.id, user.role)


def _draft(session: Session, draft_id: RowId) -> tables.Draft:
    draft = session.get(tables.Draft, draft_id)
    if draft is None:
        raise HTTPException(status_code=404)
    return draft


@router.get("/drafts")
def list_drafts(request: Request, session: DbSession, user: User) -> Response:
    return _list_page(request, session, user)


def _list_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    *,
    error: str | None = None,
    import_errors: list[str] | None = None,
    too_long: TooLong | None = None,
    status_code: int = 200,
) -> Response:
    accounts = queries.publishing_accounts(session)
    settings = get_settings(request)
    history = queries.own_history(session, [a.id for a in accounts])
    return render(
        request,
        "drafts.html",
        user,
        status_code=status_code,
        drafts=queries.recent_drafts(session),
        failed=queries.failed_jobs(session),
        accounts=accounts,
        best=best_times(history, zone=settings.time_zone),
        can_write=can(user.role, Permission.WRITE_DRAFTS),
        error=error,
        import_errors=import_errors or [],
        too_long=too_long,
        text_rules=text_rules(),
        zone=settings.zone,
    )


@router.post("/drafts", dependencies=WRITE)
async def new_draft(
    request: Request,
    session: DbSession,
    user: User,
    # Longer than a draft holds is still taken: it may become a thread.
    text: Annotated[str, Form(max_length=MAX_COMPOSED_CHARS)],
    evergreen: Annotated[str, Form(max_length=8)] = "",
    fit: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    form = await request.form()
    account_ids = [int(str(v)) for v in form.getlist("account") if str(v).isdigit()]
    alts = [str(a) for a in form.getlist("alt")]
    uploads = []
    for index, upload in enumerate(
        f for f in form.getlist("image") if isinstance(f, StarletteUpload)
    ):
        raw = await upload.read(MAX_IMAGE_BYTES + 1)
        if not raw and not upload.filename:
            continue  # an empty file field
        alt = alts[index] if index < len(alts) else ""
        uploads.append(actions.Upload(raw, upload.filename or "", alt))
    try:
        draft = actions.compose(
            session,
            actor=_actor(user),
            text=text,
            account_ids=account_ids,
            uploads=uploads,
            data_dir=get_settings(request).data_dir,
            media_quota_bytes=get_settings(request).media_quota_mb * 1_000_000,
            evergreen=bool(evergreen),
            fit="thread" if fit == "thread" else "shorten" if fit == "shorten" else "",
        )
    except TooLong as exc:
        return _list_page(request, session, user, too_long=exc, status_code=400)
    except (DraftError, MediaError) as exc:
        return _list_page(
            request, session, user, error=said(exc, language_of(request, user)), status_code=400
        )
    return _back(draft)


@router.post("/drafts/import", dependencies=WRITE)
async def import_drafts(
    request: Request, session: DbSession, user: User, file: UploadFile
) -> Response:
    raw = await file.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        return _list_page(
            request, session, user, import_errors=["file: larger than 1 MB"], status_code=400
        )
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _list_page(
            request,
            session,
            user,
            import_errors=[f"file: not UTF-8 (byte {exc.start})"],
            status_code=400,
        )
    zone = get_settings(request).time_zone
    result = import_csv(session, content, actor=_actor(user), zone=zone)
    if result.errors:
        return _list_page(request, session, user, import_errors=result.errors, status_code=400)
    return RedirectResponse("/calendar", status_code=303)


@router.get("/drafts/{draft_id}")
def show_draft(request: Request, session: DbSession, user: User, draft_id: RowId) -> Response:
    return _draft_page(request, session, user, _draft(session, draft_id))


def _draft_page(
    request: Request,
    session: Session,
    user: CurrentUser,
    draft: tables.Draft,
    *,
    error: str | None = None,
    status_code: int = 200,
    opinions: dict[str, SecondOpinion] | None = None,
) -> Response:
    settings = get_settings(request)
    lang = language_of(request, user)
    checks = check_variants(
        session,
        variants_of(session, draft.id),
        scheduled_at=draft.scheduled_at,
        zone=settings.time_zone,
        lang=lang,
        thread=draft.thread,
    )
    risk = overall_risk(checks)
    needed = requirement(session, draft, risk=risk)
    may_approve = can(user.role, Permission.APPROVE_DRAFTS) and at_least(user.role, needed.role)
    return render(
        request,
        "drafts_detail.html",
        user,
        status_code=status_code,
        draft=draft,
        checks=checks,
        risk=risk,
        needed=needed,
        accounts={a.id: a for a in queries.publishing_accounts(session)},
        names=queries.user_names(session),
        comments=queries.comments_of(session, draft.id),
        events=queries.events_of(session, draft.id),
        jobs=queries.jobs_of(session, draft.id),
        can_write=can(user.role, Permission.WRITE_DRAFTS),
        images=images_of(draft.media or []),
        recurrence=queries.recurrence_label(session, draft.id, lang),
        weekdays=weekday_names(lang),
        can_approve=draft.status == "pending_approval" and may_approve,
        reviewed=reviewed_texts(session, draft),
        error=error,
        zone=settings.zone,
        can_ask_opinion=can(user.role, Permission.WRITE_DRAFTS)
        and assistant.configured(session) is not None,
        opinions=opinions or {},
    )


@router.post("/drafts/{draft_id}/second-opinion", dependencies=WRITE)
def second_opinion(request: Request, session: DbSession, user: User, draft_id: RowId) -> Response:
    """The language model's reading of each text of the draft, shown beside the guard's."""
    draft = _draft(session, draft_id)
    settings, lang = get_settings(request), language_of(request, user)
    try:
        endpoint = assistant.load(session, SecretBox(settings.resolved_secret_key()))
    except ValueError:  # a key the current secret cannot decrypt
        return _refuse(request, session, user, draft, said(KEY_UNREADABLE, lang))
    if endpoint is None:
        return _refuse(request, session, user, draft, said(NO_ASSISTANT, lang))
    texts = dict.fromkeys(v.text for v in variants_of(session, draft.id))
    crisis = crisis_open(session)
    opinions = {
        text: ask(
            endpoint,
            text,
            lang=lang,
            open_crisis=crisis,
            allow_private=settings.allow_private_urls,
        )
        for text in texts
    }
    return _draft_page(request, session, user, draft, opinions=opinions)


@router.get("/drafts/{draft_id}/media/{index}")
def draft_image(
    request: Request, session: DbSession, user: User, draft_id: RowId, index: RowId
) -> Response:
    images = images_of(_draft(session, draft_id).media or [])
    if not 0 <= index < len(images):
        raise HTTPException(status_code=404)
    try:
        data = read_image(get_settings(request).data_dir, images[index])
    except MediaError:
        raise HTTPException(status_code=404) from None
    return Response(
        data,
        media_type=images[index].mime,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"},
    )


def _refuse(
    request: Request, session: Session, user: CurrentUser, draft: tables.Draft, error: str
) -> Response:
    """The draft's page again, with what was refused and why."""
    return _draft_page(request, session, user, draft, error=error, status_code=400)


def _back(draft: tables.Draft, anchor: str = "") -> Response:
    return RedirectResponse(f"/drafts/{draft.id}{anchor}", status_code=303)


@router.post("/drafts/{draft_id}/schedule", dependencies=WRITE)
def schedule(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: RowId,
    scheduled_at: Annotated[str, Form(max_length=32)],
) -> Response:
    draft = _draft(session, draft_id)
    try:
        at = parse_local(scheduled_at, get_settings(request).time_zone)
        actions.schedule_at(session, draft=draft, actor=_actor(user), at=at)
    except REFUSALS as exc:
        return _refuse(request, session, user, draft, said(exc, language_of(request, user)))
    return _back(draft)


@router.post("/drafts/{draft_id}/queue", dependencies=WRITE)
def add_to_queue(request: Request, session: DbSession, user: User, draft_id: RowId) -> Response:
    """Schedule in the first free queue slot of the draft's accounts."""
    draft = _draft(session, draft_id)
    try:
        actions.add_to_queue(session, draft=draft, actor=_actor(user), now=utcnow())
    except REFUSALS as exc:
        return _refuse(request, session, user, draft, said(exc, language_of(request, user)))
    return _back(draft)


@router.post("/drafts/{draft_id}/recurring", dependencies=WRITE)
def recurring(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: RowId,
    weekday: Annotated[int, Form()],
    wall_clock: Annotated[str, Form(max_length=8)],
    zone: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Every week at a wall-clock time, in the business's zone unless another is given."""
    draft = _draft(session, draft_id)
    try:
        actions.repeat_weekly(
            session,
            draft=draft,
            actor=_actor(user),
            weekday=weekday,
            wall_clock=wall_clock,
            zone=zone.strip() or get_settings(request).time_zone,
            now=utcnow(),
        )
    except REFUSALS as exc:
        return _refuse(request, session, user, draft, said(exc, language_of(request, user)))
    return _back(draft)


@router.post("/drafts/{draft_id}/cancel", dependencies=WRITE)
def cancel(request: Request, session: DbSession, user: User, draft_id: RowId) -> Response:
    draft = _draft(session, draft_id)
    try:
        actions.cancel(session, draft=draft, actor=_actor(user))
    except DraftError as exc:
        return _refuse(request, session, user, draft, said(exc, language_of(request, user)))
    return _back(draft)


@router.post(
    "/drafts/{draft_id}/approve", dependencies=[Depends(requires(Permission.APPROVE_DRAFTS))]
)
def approve_draft(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: RowId,
    decision: Annotated[str, Form(max_length=16)] = "approve",
    reason: Annotated[str, Form(max_length=2000)] = "",
    reviewed: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Approve (and schedule) a waiting draft, or send it back with a reason."""
    draft = _draft(session, draft_id)
    try:
        if decision == "reject":
            actions.send_back(session, draft=draft, actor=_actor(user), reason=reason)
        else:
            actions.approve(session, draft=draft, actor=_actor(user), reviewed=reviewed)
    except ApprovalError as exc:
        raise HTTPException(status_code=403, detail=said(exc, language_of(request, user))) from None
    return _back(draft)


@router.post("/drafts/{draft_id}/comment", dependencies=WRITE)
def comment(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: RowId,
    text: Annotated[str, Form(max_length=4000)],
) -> Response:
    draft = _draft(session, draft_id)
    try:
        actions.comment(session, draft=draft, actor=_actor(user), text=text)
    except DraftError as exc:
        return _refuse(request, session, user, draft, said(exc, language_of(request, user)))
    return _back(draft, "#comments")


@router.post("/drafts/{draft_id}/variant", dependencies=WRITE)
def variant(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: RowId,
    account_id: Annotated[int, Form()],
    text: Annotated[str, Form(max_length=10_000)],
) -> Response:
    draft = _draft(session, draft_id)
    try:
        actions.rewrite_variant(
            session, draft=draft, actor=_actor(user), account_id=account_id, text=text
        )
    except DraftError as exc:
        return _refuse(request, session, user, draft, said(exc, language_of(request, user)))
    return _back(draft)
