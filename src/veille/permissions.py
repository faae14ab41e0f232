"""Who may do what: the four roles and the named permissions each one holds.

Every role check reads this module: the web routes declare one permission each (through
``veille.web.deps.requires``), and the publish and inbox actions check the actor's role
against the same names. It sits at the top of the package rather than in ``web/`` because
those actions (``publish.approvals``, ``inbox.sending``) check roles too, and a domain
module must not import the web layer.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

Role = Literal["owner", "manager", "member", "viewer"]
# Highest first: the order the team page and the CLI list them in.
ROLES: tuple[Role, ...] = ("owner", "manager", "member", "viewer")


class Permission(StrEnum):
    """One thing a route or an action lets someone do."""

    SIGN_IN = "sign_in"  # forms opened before any session: login, invitation, password reset
    SIGN_OUT = "sign_out"
    EDIT_WATCHES = "edit_watches"
    WRITE_DRAFTS = "write_drafts"  # compose, import, comment, edit, schedule, queue, cancel
    APPROVE_DRAFTS = "approve_drafts"  # approve or send back a draft waiting for approval
    EDIT_SCHEDULE = "edit_schedule"  # queue slots and the evergreen gap
    SET_APPROVAL_RULES = "set_approval_rules"  # "posts from this account need a manager"
    SET_APPROVAL_POLICY = "set_approval_policy"  # "no high risk without a manager"
    TRIAGE = "triage"  # inbox status, assignment, snooze, notes, writing and retrying replies
    APPROVE_REPLIES = "approve_replies"
    EDIT_INBOX_SETTINGS = "edit_inbox_settings"  # saved replies, routing, assistant
    MANAGE_ACCOUNTS = "manage_accounts"
    INVITE = "invite"
    EDIT_SETTINGS = "edit_settings"  # the business profile, set-up, e-mail, brief, webhooks
    SET_ASSISTANT_ENDPOINT = "set_assistant_endpoint"  # where the reply assistant's key goes


# Granted to anyone, signed in or not; their forms carry the login form's CSRF cookie.
PUBLIC: frozenset[Permission] = frozenset({Permission.SIGN_IN})

_VIEWER = frozenset({Permission.SIGN_OUT})
_MEMBER = _VIEWER | {Permission.EDIT_WATCHES, Permission.WRITE_DRAFTS, Permission.TRIAGE}
_MANAGER = _MEMBER | {
    Permission.APPROVE_DRAFTS,
    Permission.EDIT_SCHEDULE,
    Permission.SET_APPROVAL_RULES,
    Permission.APPROVE_REPLIES,
    Permission.EDIT_INBOX_SETTINGS,
    Permission.MANAGE_ACCOUNTS,
    Permission.INVITE,
    Permission.EDIT_SETTINGS,
}
_OWNER = _MANAGER | {Permission.SET_APPROVAL_POLICY, Permission.SET_ASSISTANT_ENDPOINT}

GRANTS: dict[str, frozenset[Permission]] = {
    "viewer": _VIEWER,
    "member": _MEMBER,
    "manager": _MANAGER,
    "owner": _OWNER,
}
_RANK: dict[str, int] = {role: len(ROLES) - i for i, role in enumerate(ROLES)}


def can(role: str | None, permission: Permission) -> bool:
    """True when ``role`` holds ``permission`` (an unknown role or nobody holds only the
    public ones)."""
    return permission in PUBLIC or permission in GRANTS.get(role or "", frozenset())


def at_least(role: str | None, minimum: str) -> bool:
    """True when ``role`` ranks as high as ``minimum`` (the approval rules name a role)."""
    return _RANK.get(role or "", 0) >= _RANK[minimum]


def higher(first: str, second: str) -> str:
    """The higher-ranked of two roles."""
    return first if _RANK[first] >= _RANK[second] else second
