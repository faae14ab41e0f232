"""Who may publish what: per-account rules ("posts from the company account need a manager")
and the owner's setting "no high risk without a manager". A draft that needs more than its
author's role waits in pending_approval until someone with that role approves it."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from veille.labels import words
from veille.permissions import Permission, at_least, can, higher
from veille.publish.drafts import record_event, schedule_draft, variants_of
from veille.store import repository, tables
from veille.store.tables_publish import ApprovalRule, PublishJob
from veille.timeutil import utcnow
from veille.translations import N_, Refusal, Words

POLICY_KEY = "publish.approvals"


class ApprovalError(Refusal):
    """An action the user's role does not allow; the message says which role is needed."""


@dataclass(frozen=True)
class Actor:
    id: int | None
    role: str


@dataclass(frozen=True)
class Requirement:
    role: str  # the lowest role allowed to publish this draft
    reasons: tuple[Words, ...]  # why (kept in the history as words); empty: a member may


def high_risk_needs_manager(session: Session) -> bool:
    row = repository.setting_row(session, POLICY_KEY)
    return bool(row and row.value.get("high_risk_needs_manager"))


def set_high_risk_needs_manager(session: Session, *, actor: Actor, value: bool) -> None:
    if not can(actor.role, Permission.SET_APPROVAL_POLICY):
        raise ApprovalError(N_("only the owner can change the approval policy"))
    row = repository.setting_row(session, POLICY_KEY)
    if row is None:
        session.add(tables.Setting(key=POLICY_KEY, value={"high_risk_needs_manager": value}))
    else:
        row.value = {**row.value, "high_risk_needs_manager": value}


def set_account_rule(
    session: Session, *, actor: Actor, account_id: int, required_role: str | None
) -> None:
    """``required_role`` manager or owner; None removes the rule."""
    if not can(actor.role, Permission.SET_APPROVAL_RULES):
        raise ApprovalError(N_("a manager or the owner sets approval rules"))
    # A rule names a role that can approve drafts: manager or owner.
    if required_role is not None and not can(required_role, Permission.APPROVE_DRAFTS):
        raise ApprovalError(N_("required_role: choose manager or owner"))
    rule = session.get(ApprovalRule, account_id)
    if required_role is None:
        if rule is not None:
            session.delete(rule)
    elif rule is None:
        session.add(ApprovalRule(account_id=account_id, required_role=required_role))
    else:
        rule.required_role = required_role


def requirement(session: Session, draft: tables.Draft, *, risk: str) -> Requirement:
    role, reasons = "member", list[Words]()
    for variant in variants_of(session, draft.id):
        rule = session.get(ApprovalRule, variant.account_id)
        if rule is not None:
            account = session.get(tables.Account, variant.account_id)
            handle = account.handle if account else str(variant.account_id)
            needed = words(f"role.{rule.required_role}")
            why = N_("posts from %(handle)s need approval by the %(role)s")
            reasons.append(Words(why, handle=handle, role=needed))
            role = higher(role, rule.required_role)
    if risk == "high" and high_risk_needs_manager(session):
        reasons.append(Words(N_("high-risk posts need a manager")))
        role = higher(role, "manager")
    return Requirement(role, tuple(reasons))


def request_publication(
    session: Session, draft: tables.Draft, *, actor: Actor, at: datetime, risk: str
) -> list[PublishJob]:
    """Schedule the draft if the actor may; otherwise put it in pending_approval."""
    if not can(actor.role, Permission.WRITE_DRAFTS):
        raise ApprovalError(N_("viewers cannot publish"))
    if draft.status in ("published", "cancelled"):
        raise ApprovalError(
            N_("the draft is already %(status)s"), status=words(f"publish.status_{draft.status}")
        )
    needed = requirement(session, draft, risk=risk)
    if at_least(actor.role, needed.role):
        draft.approved_by, draft.approved_at = actor.id, utcnow()
        return schedule_draft(session, draft, at=at, user_id=actor.id)
    draft.status, draft.scheduled_at, draft.updated_at = "pending_approval", at, utcnow()
    record_event(
        session,
        draft.id,
        actor.id,
        "approval_requested",
        role=needed.role,
        why=[reason.stored() for reason in needed.reasons],
    )
    return []


def reviewed_texts(session: Session, draft: tables.Draft) -> str:
    """A fingerprint of the texts a reviewer sees: the approval page sends it back, so that
    only the texts that were read can be approved."""
    texts = sorted((v.account_id, v.text) for v in variants_of(session, draft.id))
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()


def approve(
    session: Session, draft: tables.Draft, *, actor: Actor, risk: str, reviewed: str
) -> list[PublishJob]:
    """Approve the texts the reviewer read (``reviewed``, from `reviewed_texts`) and schedule
    them at the requested time; a draft edited since then is refused."""
    if draft.status != "pending_approval" or draft.scheduled_at is None:
        raise ApprovalError(N_("this draft is not waiting for approval"))
    needed = requirement(session, draft, risk=risk)
    if not (can(actor.role, Permission.APPROVE_DRAFTS) and at_least(actor.role, needed.role)):
        raise ApprovalError(
            N_("approving this draft needs a %(role)s"), role=words(f"role.{needed.role}")
        )
    if not hmac.compare_digest(reviewed, reviewed_texts(session, draft)):
        raise ApprovalError(
            N_("the draft changed since you opened it: read it again, then approve")
        )
    draft.approved_by, draft.approved_at = actor.id, utcnow()
    texts = {str(v.account_id): v.text for v in variants_of(session, draft.id)}
    record_event(session, draft.id, actor.id, "approved", texts=texts)
    return schedule_draft(session, draft, at=draft.scheduled_at, user_id=actor.id)


def reject(session: Session, draft: tables.Draft, *, actor: Actor, reason: str) -> None:
    if not can(actor.role, Permission.APPROVE_DRAFTS):
        raise ApprovalError(N_("sending a draft back needs a manager"))
    if draft.status != "pending_approval":
        raise ApprovalError(N_("this draft is not waiting for approval"))
    draft.status, draft.updated_at = "draft", utcnow()
    record_event(session, draft.id, actor.id, "rejected", reason=reason.strip()[:2000])
