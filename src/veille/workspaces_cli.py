"""`veille workspaces`: the businesses one instance serves. Other commands act on the
workspace named by VEILLE_WORKSPACE (default: "default")."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from veille.config import get_settings
from veille.runtime import open_database
from veille.terminal import _, ngettext, said
from veille.translations import Refusal
from veille.workspaces import add_member, create, listed

err = Console(stderr=True)
out = Console()

workspaces_app = typer.Typer(
    help=_("Workspaces: the businesses this instance serves."), no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(workspaces_app, name="workspaces")


@workspaces_app.command("add", help=_("Create an empty workspace for another business."))
def add(
    slug: Annotated[str, typer.Argument(help=_("Short name: lowercase letters, digits, dashes."))],
    name: Annotated[str, typer.Option(help=_("The business's name, as shown in the app."))] = "",
) -> None:
    db = open_database(get_settings())
    try:
        with db.session(workspace_id=None) as session:
            create(session, slug=slug, name=name)
    except Refusal as refused:
        err.print(said(refused), markup=False)
        raise typer.Exit(2) from None
    out.print(_("workspace %(slug)s created", slug=slug), markup=False)


@workspaces_app.command("join", help=_("Give an existing user a role in a workspace."))
def join(
    slug: Annotated[str, typer.Argument(help=_("The workspace's short name."))],
    username: Annotated[str, typer.Argument(help=_("Sign-in name."))],
    role: Annotated[str, typer.Option(help=_("owner, manager, member or viewer."))] = "member",
) -> None:
    db = open_database(get_settings())
    try:
        with db.session(workspace_id=None) as session:
            add_member(session, slug=slug, username=username, role=role)
    except Refusal as refused:
        err.print(said(refused), markup=False)
        raise typer.Exit(2) from None
    out.print(
        _("%(name)s is %(role)s in %(slug)s", name=username, role=role, slug=slug), markup=False
    )


@workspaces_app.command("list", help=_("Every workspace, with its number of members."))
def list_workspaces() -> None:
    db = open_database(get_settings())
    with db.session(workspace_id=None) as session:
        for workspace in listed(session):
            out.print(
                f"{workspace.slug}\t{workspace.name}\t"
                + ngettext("%(n)s member", "%(n)s members", workspace.members, n=workspace.members),
                markup=False,
            )
