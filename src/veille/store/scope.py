"""Workspace scoping: a session bound to a workspace reads, updates and deletes only that
workspace's rows, and stamps it on the rows it adds.

Every table with a ``workspace_id`` column is scoped, in every ORM statement (selects, joins,
subqueries, bulk updates and deletes), so a query cannot forget its workspace. Posts, authors,
matches and enrichments are shared: they are reached through a scoped table (a match through
its watch) or filtered by `visible_posts`. Plain SQL text is not scoped: the few queries
written that way take the workspace as a parameter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from veille.store import tables

WORKSPACE = "workspace_id"  # the key in Session.info
# An execution option for the few look-ups that must find a row in any workspace (a link
# from an invitation opened by someone not signed in yet).
ANY_WORKSPACE = "any_workspace"


class WorkspaceMissing(RuntimeError):
    """A row of a workspace's table was added by a session bound to no workspace."""


def scoped_classes() -> list[type[Any]]:
    """Every mapped class carrying workspace_id (the web session's current workspace is not)."""
    return [
        mapper.class_
        for mapper in tables.Base.registry.mappers
        if WORKSPACE in mapper.columns and mapper.class_ is not tables.Membership
    ]


def bind(session: Session, workspace_id: int | None) -> Session:
    """Bind ``session`` to a workspace (None: every workspace, for the pipeline and jobs)."""
    session.info[WORKSPACE] = workspace_id
    return session


def workspace_of(session: Session) -> int | None:
    value = session.info.get(WORKSPACE)
    return int(value) if value is not None else None


def required_workspace(session: Session) -> int:
    workspace = workspace_of(session)
    if workspace is None:
        raise WorkspaceMissing("this needs a session bound to a workspace")
    return workspace


def install(factory: sessionmaker[Session]) -> None:
    classes = scoped_classes()

    @event.listens_for(factory, "do_orm_execute")
    def _only_its_rows(state: ORMExecuteState) -> None:
        workspace = workspace_of(state.session)
        if workspace is None or state.is_column_load or state.is_relationship_load:
            return
        if state.execution_options.get(ANY_WORKSPACE):
            return
        if not (state.is_select or state.is_update or state.is_delete):
            return
        state.statement = state.statement.options(
            *(
                with_loader_criteria(
                    cls, getattr(cls, WORKSPACE) == workspace, include_aliases=True
                )
                for cls in classes
            )
        )

    @event.listens_for(factory, "before_flush")
    def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
        for row in session.new:
            if type(row) in classes and getattr(row, WORKSPACE, None) is None:
                setattr(row, WORKSPACE, required_workspace(session))
