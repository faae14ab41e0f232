"""Bulk import of drafts from CSV: every line checked first, nothing imported while a line is
wrong, and each error names its line and column.

Columns (header required, `;` or `,` separated): text, accounts (handles separated by `|`),
scheduled_at (local time like 2026-04-02 09:30, empty: stays a draft), evergreen (oui/yes).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.publish.approvals import Actor, request_publication
from veille.publish.drafts import (
    MAX_DRAFT_CHARS,
    PUBLISHING_NETWORKS,
    check_variants,
    create_draft,
    overall_risk,
    variants_of,
)
from veille.publish.length import overflows
from veille.publish.schedule import ScheduleError, parse_local
from veille.store import tables

MAX_ROWS = 1000
TRUE_WORDS = {"oui", "yes", "true", "1", "x"}


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    text: str
    account_ids: list[int]
    at: datetime | None
    evergreen: bool


def _rows(content: str, session: Session, zone: str, errors: list[str]) -> list[_Row]:
    try:
        dialect = csv.Sniffer().sniff(content.split("\n", 1)[0], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    columns = {c.strip().lower() for c in reader.fieldnames or []}
    missing = {"text", "accounts"} - columns
    if missing:
        errors.append(f"line 1: missing column(s) {', '.join(sorted(missing))}")
        return []
    handles = {
        a.handle.lower(): a
        for a in session.scalars(
            select(tables.Account).where(tables.Account.network.in_(PUBLISHING_NETWORKS))
        )
    }
    rows = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            errors.append(f"line {number}: more than {MAX_ROWS} drafts in one file")
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        where = f"line {reader.line_num}"
        text = row.get("text", "")
        if not text:
            errors.append(f"{where}: text: empty")
            continue
        if len(text) > MAX_DRAFT_CHARS:
            errors.append(f"{where}: text: longer than {MAX_DRAFT_CHARS} characters")
            continue
        ids, unknown = [], []
        for handle in filter(None, (h.strip().lstrip("@") for h in row["accounts"].split("|"))):
            account = handles.get(handle.lower())
            if account is None:
                unknown.append(handle)
            else:
                ids.append(account.id)
        if unknown or not ids:
            errors.append(
                f"{where}: accounts: unknown account {unknown[0]!r}"
                if unknown
                else f"{where}: accounts: empty"
            )
            continue
        too_long = overflows(session, text, ids)
        if too_long:  # never cut silently: the composer offers a thread or a shorter text
            where_long = ", ".join(f"@{o.handle} ({o.length}/{o.limit})" for o in too_long)
            errors.append(f"{where}: text: too long for {where_long}; shorten it")
            continue
        at = None
        if row.get("scheduled_at"):
            try:
                at = parse_local(row["scheduled_at"], zone)
            except ScheduleError as exc:
                errors.append(f"{where}: {exc}")
                continue
        rows.append(_Row(text, ids, at, row.get("evergreen", "").lower() in TRUE_WORDS))
    return rows


def import_csv(
    session: Session, content: str, *, actor: Actor, zone: str = "Europe/Paris"
) -> ImportResult:
    """Create (and schedule, under the approval rules) one draft per line."""
    result = ImportResult()
    content = content.lstrip("\ufeff")  # spreadsheets save UTF-8 with a BOM
    if not content.strip():
        result.errors.append("line 1: the file is empty")
        return result
    rows = _rows(content, session, zone, result.errors)
    if result.errors:
        return result
    for row in rows:
        draft = create_draft(
            session,
            text=row.text,
            account_ids=row.account_ids,
            user_id=actor.id,
            scheduled_at=row.at,
            evergreen=row.evergreen,
        )
        if row.at is not None:
            checks = check_variants(session, variants_of(session, draft.id), scheduled_at=row.at)
            request_publication(session, draft, actor=actor, at=row.at, risk=overall_risk(checks))
        result.created.append(draft.id)
    return result
