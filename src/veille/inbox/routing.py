"""Which account answers: routing rules per intent, and per-account approval policy.

A reply can only go out on the network the post came from, so only accounts of that network
with credentials are offered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.inbox.replies import SUGGESTIONS
from veille.store import scope, tables
from veille.store.tables_inbox import AccountPolicy, RoutingRule
from veille.translations import N_, Refusal

ROUTABLE_INTENTS = tuple(SUGGESTIONS)


class RoutingError(Refusal):
    """A refused routing rule or policy; the message names the field."""


def set_rule(session: Session, *, intent: str, account_id: int | None) -> None:
    """Route an intent to an account (None removes the rule)."""
    if intent not in ROUTABLE_INTENTS:
        raise RoutingError(N_("intent: choose one of the kinds of message offered"))
    row = session.get(RoutingRule, (scope.required_workspace(session), intent))
    if account_id is None:
        if row is not None:
            session.delete(row)
        return
    if session.get(tables.Account, account_id) is None:
        raise RoutingError(N_("account: account %(id)s does not exist"), id=account_id)
    if row is None:
        session.add(RoutingRule(intent=intent, account_id=account_id))
    else:
        row.account_id = account_id


def rules(session: Session) -> dict[str, int]:
    return {r.intent: r.account_id for r in session.scalars(select(RoutingRule))}


def set_needs_approval(session: Session, *, account_id: int, needs_approval: bool) -> None:
    if session.get(tables.Account, account_id) is None:
        raise RoutingError(N_("account: account %(id)s does not exist"), id=account_id)
    row = session.get(AccountPolicy, account_id)
    if row is None:
        session.add(AccountPolicy(account_id=account_id, needs_approval=needs_approval))
    else:
        row.needs_approval = needs_approval


def save_settings(
    session: Session, *, routes: Mapping[str, int | None], approvals: Collection[int]
) -> None:
    """The settings form at once: each intent's account (missing or None: no rule) and which
    accounts need a manager's approval (every other account then needs none)."""
    for intent in ROUTABLE_INTENTS:
        set_rule(session, intent=intent, account_id=routes.get(intent))
    for account_id in session.scalars(select(tables.Account.id)):
        set_needs_approval(session, account_id=account_id, needs_approval=account_id in approvals)


def needs_approval(session: Session, account_id: int) -> bool:
    row = session.get(AccountPolicy, account_id)
    return bool(row and row.needs_approval)


def candidate_accounts(session: Session, *, network: str) -> list[tables.Account]:
    """Accounts that can answer a post of this network: same network, credentials stored."""
    return list(
        session.scalars(
            select(tables.Account)
            .where(
                tables.Account.network == network,
                tables.Account.credentials_encrypted.is_not(None),
            )
            .order_by(tables.Account.id)
        )
    )


def choose_account(session: Session, *, intent: str | None, network: str) -> tables.Account | None:
    """The routed account for the intent when it fits the network, else the first company
    account of that network, else any; the boss's personal account comes last."""
    candidates = candidate_accounts(session, network=network)
    if not candidates:
        return None
    routed = rules(session).get(intent or "other")
    for account in candidates:
        if account.id == routed:
            return account
    return sorted(candidates, key=lambda a: (a.kind != "company", a.id))[0]
