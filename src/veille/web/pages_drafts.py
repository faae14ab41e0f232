"""Publish: the composer (guard flags and X cost before anything is scheduled), a draft's
page (variants, approval, comments, history, jobs with the network's answer), CSV import,
and the calendar (week and month)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from veille.publish.approvals import (
    ROLE_RANK,
    Actor,
    ApprovalError,
    approve,
    reject,
    request_publication,
    requirement,
)
from veille.publish.drafts import (
    PUBLISHING_NETWORKS,
    DraftError,
    add_comment,
    cancel_draft,
    check_variants,
    create_draft,
    edit_variant,
    overall_risk,
    variants_of,
)
from veille.publish.importer import import_csv
from veille.publish.media import (
    MAX_IMAGE_BYTES,
    MAX_IMAGES,
    MediaError,
    images_of,
    read_image,
    store_image,
)
from veille.publish.queue import make_recurring, queue_draft
from veille.publish.schedule import (
    WEEKDAYS_EN,
    WEEKDAYS_FR,
    ScheduleError,
    WeeklyTime,
    best_times,
    local_to_utc,
    parse_local,
)
from veille.publish.slots import (
    add_slot,
    evergreen_gap,
    next_queue_time,
    remove_slot,
    set_evergreen_gap,
    slots_of,
)
from veille.store import tables
from veille.store.tables_publish import DraftComment, DraftEvent, PublishJob, Recurrence
from veille.timeutil import utcnow
from veille.web.auth import CurrentUser, tokens_match
from veille.web.deps import DbSession, User, get_settings, language_of, render

router = APIRouter()
MAX_CSV_BYTES = 1_000_000


def _guard(user: CurrentUser, csrf: str, *, role: str = "member") -> Actor:
    if not tokens_match(user.csrf_token, csrf):
        raise HTTPException(status_code=403)
    if ROLE_RANK.get(user.role, 0) < ROLE_RANK[role]:
        raise HTTPException(status_code=403)
    return Actor(user.id, user.role)


def _accounts(session: Session) -> list[tables.Account]:
    return list(
        session.scalars(
            select(tables.Account)
            .where(tables.Account.network.in_(PUBLISHING_NETWORKS))
            .order_by(tables.Account.id)
        )
    )


def _draft(session: Session, draft_id: int) -> tables.Draft:
    draft = session.get(tables.Draft, draft_id)
    if draft is None:
        raise HTTPException(status_code=404)
    return draft


def _history(session: Session, account_ids: list[int]) -> list[tuple[datetime, int]]:
    """The accounts' own posts and their engagement, for the best time to post."""
    accounts = [session.get(tables.Account, a) for a in account_ids]
    rows: list[tuple[datetime, int]] = []
    for account in filter(None, accounts):
        handle = account.handle.split("@")[0]
        rows += [
            (p.created_at, p.likes + p.reposts + p.replies)
            for p in session.scalars(
                select(tables.Post)
                .join(tables.Author, tables.Author.id == tables.Post.author_id)
                .where(tables.Post.network == account.network, tables.Author.username == handle)
                .order_by(tables.Post.created_at.desc())
                .limit(500)
            )
        ]
    return rows


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
    status_code: int = 200,
) -> Response:
    drafts = session.scalars(
        select(tables.Draft).order_by(tables.Draft.updated_at.desc()).limit(200)
    ).all()
    failed = session.scalars(
        select(PublishJob).where(PublishJob.status == "failed").order_by(PublishJob.id.desc())
    ).all()
    accounts = _accounts(session)
    settings = get_settings(request)
    return render(
        request,
        "drafts.html",
        user,
        status_code=status_code,
        drafts=drafts,
        failed=failed,
        accounts=accounts,
        best=best_times(_history(session, [a.id for a in accounts]), zone=settings.time_zone),
        can_write=ROLE_RANK.get(user.role, 0) >= ROLE_RANK["member"],
        error=error,
        import_errors=import_errors or [],
        zone=settings.zone,
    )


@router.post("/drafts")
async def new_draft(
    request: Request,
    session: DbSession,
    user: User,
    text: Annotated[str, Form(max_length=10_000)],
    csrf: Annotated[str, Form(max_length=128)] = "",
    evergreen: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    actor = _guard(user, csrf)
    form = await request.form()
    account_ids = [int(str(v)) for v in form.getlist("account") if str(v).isdigit()]
    alts = [str(a) for a in form.getlist("alt")]
    uploads = [f for f in form.getlist("image") if isinstance(f, StarletteUpload)]
    data_dir = get_settings(request).data_dir
    try:
        images = []
        for index, upload in enumerate(uploads):
            raw = await upload.read(MAX_IMAGE_BYTES + 1)
            if not raw and not upload.filename:
                continue  # an empty file field
            alt = alts[index] if index < len(alts) else ""
            images.append(store_image(data_dir, raw, name=upload.filename or "", alt=alt))
        if len(images) > MAX_IMAGES:
            raise MediaError(f"images: at most {MAX_IMAGES} per post")
        draft = create_draft(
            session,
            text=text,
            account_ids=account_ids,
            user_id=actor.id,
            evergreen=bool(evergreen),
            media=[i.to_json() for i in images],
        )
    except (DraftError, MediaError) as exc:
        return _list_page(request, session, user, error=str(exc), status_code=400)
    return _back(draft)


@router.post("/drafts/import")
async def import_drafts(
    request: Request,
    session: DbSession,
    user: User,
    file: UploadFile,
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    actor = _guard(user, csrf)
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
    result = import_csv(session, content, actor=actor, zone=get_settings(request).time_zone)
    if result.errors:
        return _list_page(request, session, user, import_errors=result.errors, status_code=400)
    return RedirectResponse("/calendar", status_code=303)


@router.get("/drafts/{draft_id}")
def show_draft(request: Request, session: DbSession, user: User, draft_id: int) -> Response:
    return _draft_page(request, session, user, _draft(session, draft_id))


def _draft_page(
    request: Request,
    session: Session,
    user: CurrentUser,
    draft: tables.Draft,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    settings = get_settings(request)
    variants = variants_of(session, draft.id)
    checks = check_variants(
        session,
        variants,
        scheduled_at=draft.scheduled_at,
        zone=settings.time_zone,
        lang=language_of(request, user),
    )
    risk = overall_risk(checks)
    needed = requirement(session, draft, risk=risk)
    names = {u.id: u.username for u in session.scalars(select(tables.User))}
    accounts = {a.id: a for a in _accounts(session)}
    rank = ROLE_RANK.get(user.role, 0)
    return render(
        request,
        "drafts_detail.html",
        user,
        status_code=status_code,
        draft=draft,
        checks=checks,
        risk=risk,
        needed=needed,
        accounts=accounts,
        names=names,
        comments=session.scalars(
            select(DraftComment).where(DraftComment.draft_id == draft.id).order_by(DraftComment.id)
        ).all(),
        events=session.scalars(
            select(DraftEvent).where(DraftEvent.draft_id == draft.id).order_by(DraftEvent.id)
        ).all(),
        jobs=session.scalars(
            select(PublishJob).where(PublishJob.draft_id == draft.id).order_by(PublishJob.due_at)
        ).all(),
        can_write=rank >= ROLE_RANK["member"],
        images=images_of(draft.media or []),
        recurrence=_recurrence_label(session, draft.id, language_of(request, user)),
        weekdays=WEEKDAYS_FR if language_of(request, user) == "fr" else WEEKDAYS_EN,
        can_approve=draft.status == "pending_approval"
        and rank >= max(ROLE_RANK[needed.role], ROLE_RANK["manager"]),
        error=error,
        zone=settings.zone,
    )


@router.get("/drafts/{draft_id}/media/{index}")
def draft_image(
    request: Request, session: DbSession, user: User, draft_id: int, index: int
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


@router.post("/drafts/{draft_id}/schedule")
def schedule(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: int,
    scheduled_at: Annotated[str, Form(max_length=32)],
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    actor = _guard(user, csrf)
    draft = _draft(session, draft_id)
    settings = get_settings(request)
    try:
        at = parse_local(scheduled_at, settings.time_zone)
        checks = check_variants(session, variants_of(session, draft.id), scheduled_at=at)
        request_publication(session, draft, actor=actor, at=at, risk=overall_risk(checks))
    except (ScheduleError, ApprovalError, DraftError) as exc:
        return _refuse(request, session, user, draft, str(exc))
    return _back(draft)


def _refuse(
    request: Request, session: Session, user: CurrentUser, draft: tables.Draft, error: str
) -> Response:
    """The draft's page again, with what was refused and why."""
    return _draft_page(request, session, user, draft, error=error, status_code=400)


def _back(draft: tables.Draft, anchor: str = "") -> Response:
    return RedirectResponse(f"/drafts/{draft.id}{anchor}", status_code=303)


def _recurrence_label(session: Session, draft_id: int, lang: str) -> str:
    row = session.get(Recurrence, draft_id)
    if row is None:
        return ""
    return f"{WeeklyTime(row.weekday, row.minute_of_day, row.zone).label(lang)} ({row.zone})"


def _risk(session: Session, draft: tables.Draft, at: datetime | None) -> str:
    return overall_risk(check_variants(session, variants_of(session, draft.id), scheduled_at=at))


@router.post("/drafts/{draft_id}/queue")
def add_to_queue(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: int,
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    """Schedule in the first free queue slot of the draft's accounts."""
    actor = _guard(user, csrf)
    draft = _draft(session, draft_id)
    if draft.status not in ("draft", "failed"):
        return _refuse(request, session, user, draft, "queue: cancel first")
    try:
        account_ids = [v.account_id for v in variants_of(session, draft.id)]
        at = next_queue_time(session, account_ids, after=utcnow())
        queue_draft(session, draft, actor=actor, risk=_risk(session, draft, at), now=utcnow())
    except (ScheduleError, ApprovalError, DraftError) as exc:
        return _refuse(request, session, user, draft, str(exc))
    return _back(draft)


@router.post("/drafts/{draft_id}/recurring")
def recurring(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: int,
    weekday: Annotated[int, Form()],
    wall_clock: Annotated[str, Form(max_length=8)],
    csrf: Annotated[str, Form(max_length=128)] = "",
    zone: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Every week at a wall-clock time, in the business's zone unless another is given."""
    actor = _guard(user, csrf)
    draft = _draft(session, draft_id)
    if draft.status not in ("draft", "failed"):
        return _refuse(request, session, user, draft, "recurring: cancel first")
    zone = zone.strip() or get_settings(request).time_zone
    try:
        make_recurring(
            session,
            draft,
            actor=actor,
            risk=_risk(session, draft, None),
            weekday=weekday,
            wall_clock=wall_clock,
            zone=zone,
            now=utcnow(),
        )
    except (ScheduleError, ApprovalError, DraftError) as exc:
        return _refuse(request, session, user, draft, str(exc))
    return _back(draft)


@router.post("/drafts/{draft_id}/cancel")
def cancel(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: int,
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    actor = _guard(user, csrf)
    draft = _draft(session, draft_id)
    if draft.status not in ("scheduled", "pending_approval"):
        return _refuse(request, session, user, draft, "cancel: nothing is scheduled")
    cancel_draft(session, draft, user_id=actor.id)
    return _back(draft)


@router.post("/drafts/{draft_id}/approve")
def approve_draft(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: int,
    csrf: Annotated[str, Form(max_length=128)] = "",
    decision: Annotated[str, Form(max_length=16)] = "approve",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    actor = _guard(user, csrf)
    draft = _draft(session, draft_id)
    try:
        if decision == "reject":
            reject(session, draft, actor=actor, reason=reason)
        else:
            checks = check_variants(
                session, variants_of(session, draft.id), scheduled_at=draft.scheduled_at
            )
            approve(session, draft, actor=actor, risk=overall_risk(checks))
    except ApprovalError as exc:
        raise HTTPException(status_code=403, detail=str(exc)) from None
    return _back(draft)


@router.post("/drafts/{draft_id}/comment")
def comment(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: int,
    text: Annotated[str, Form(max_length=4000)],
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    actor = _guard(user, csrf)
    draft = _draft(session, draft_id)
    try:
        add_comment(session, draft_id=draft.id, user_id=actor.id, text=text)
    except DraftError as exc:
        return _refuse(request, session, user, draft, str(exc))
    return _back(draft, "#comments")


@router.post("/drafts/{draft_id}/variant")
def variant(
    request: Request,
    session: DbSession,
    user: User,
    draft_id: int,
    account_id: Annotated[int, Form()],
    text: Annotated[str, Form(max_length=10_000)],
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    actor = _guard(user, csrf)
    draft = _draft(session, draft_id)
    if draft.status not in ("draft", "pending_approval"):
        return _refuse(request, session, user, draft, "scheduled: cancel first")
    try:
        edit_variant(session, draft_id=draft.id, account_id=account_id, text=text, user_id=actor.id)
    except DraftError as exc:
        return _refuse(request, session, user, draft, str(exc))
    return _back(draft)


@router.get("/calendar")
def calendar(
    request: Request,
    session: DbSession,
    user: User,
    view: str = "week",
    day: str = "",
) -> Response:
    settings = get_settings(request)
    zone = settings.zone
    try:
        anchor = date.fromisoformat(day) if day else datetime.now(zone).date()
    except ValueError:
        raise HTTPException(status_code=400, detail=f"day: {day!r} is not YYYY-MM-DD") from None
    if view == "month":
        first = anchor.replace(day=1)
        start = first - timedelta(days=first.weekday())
        days = [start + timedelta(days=n) for n in range(42)]
        previous, following = (first - timedelta(days=1)).replace(day=1), first + timedelta(32)
        following = following.replace(day=1)
    else:
        view = "week"
        start = anchor - timedelta(days=anchor.weekday())
        days = [start + timedelta(days=n) for n in range(7)]
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    begin = local_to_utc(days[0], datetime.min.time(), settings.time_zone)
    end = local_to_utc(days[-1] + timedelta(days=1), datetime.min.time(), settings.time_zone)
    jobs = session.scalars(
        select(PublishJob)
        .where(PublishJob.due_at >= begin, PublishJob.due_at < end)
        .where(PublishJob.status != "cancelled")
        .order_by(PublishJob.due_at)
    ).all()
    waiting = session.scalars(
        select(tables.Draft).where(
            tables.Draft.status == "pending_approval",
            tables.Draft.scheduled_at >= begin,
            tables.Draft.scheduled_at < end,
        )
    ).all()
    by_day: dict[date, list[tuple[datetime, str, str, int | None, str]]] = {d: [] for d in days}
    for job in jobs:
        local = job.due_at.astimezone(zone)
        by_day.setdefault(local.date(), []).append(
            (local, job.network, job.text, job.draft_id, job.status)
        )
    for draft in waiting:
        assert draft.scheduled_at is not None
        local = draft.scheduled_at.astimezone(zone)
        by_day.setdefault(local.date(), []).append(
            (local, "", draft.text, draft.id, "pending_approval")
        )
    for entries in by_day.values():
        entries.sort(key=lambda e: e[0])
    return render(
        request,
        "calendar.html",
        user,
        view=view,
        days=days,
        by_day=by_day,
        month=anchor.month,
        anchor=anchor,
        previous=previous,
        following=following,
        today=datetime.now(zone).date(),
    )


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
    accounts = _accounts(session)
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
        weekdays=WEEKDAYS_FR if lang == "fr" else WEEKDAYS_EN,
        gap_days=evergreen_gap(session).days,
        can_edit=ROLE_RANK.get(user.role, 0) >= ROLE_RANK["manager"],
        error=error,
        zone=get_settings(request).time_zone,
    )


@router.post("/calendar/slots")
def new_slot(
    request: Request,
    session: DbSession,
    user: User,
    account_id: Annotated[int, Form()],
    weekday: Annotated[int, Form()],
    wall_clock: Annotated[str, Form(max_length=8)],
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    _guard(user, csrf, role="manager")
    try:
        add_slot(
            session,
            account_id=account_id,
            weekday=weekday,
            wall_clock=wall_clock,
            zone=get_settings(request).time_zone,
        )
    except ScheduleError as exc:
        return _slots_page(request, session, user, error=str(exc), status_code=400)
    return RedirectResponse("/calendar/slots", status_code=303)


@router.post("/calendar/slots/{slot_id}/delete")
def delete_slot(
    request: Request,
    session: DbSession,
    user: User,
    slot_id: int,
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    _guard(user, csrf, role="manager")
    try:
        remove_slot(session, slot_id)
    except ScheduleError:
        raise HTTPException(status_code=404) from None
    return RedirectResponse("/calendar/slots", status_code=303)


@router.post("/calendar/evergreen")
def evergreen_setting(
    request: Request,
    session: DbSession,
    user: User,
    gap_days: Annotated[int, Form()],
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    _guard(user, csrf, role="manager")
    try:
        set_evergreen_gap(session, gap_days)
    except ScheduleError as exc:
        return _slots_page(request, session, user, error=str(exc), status_code=400)
    return RedirectResponse("/calendar/slots", status_code=303)
