"""Two workspaces filled with the same demo stream, their businesses told apart by markers
(the business's name, watches, account, drafts, notes, replies, alerts, settings, a post heard
by one alone). Crawled page by page and export by export as each user, a workspace's pages
never show the other's markers; the other's object ids answer "not found"; the user of both
switches from the header and then sees the other's alone; the command line's export, told a
workspace, writes that workspace's posts alone."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import post_json
from tests.helpers.crawl import crawl
from tests.helpers.pdf import pdf_text
from tests.helpers.web import csrf_of
from tests.web.conftest import login
from veille.accounts import connect_account
from veille.cli import app as cli_app
from veille.config import Settings, get_settings
from veille.crypto import SecretBox
from veille.demo.business import DEMO_BUSINESS, DEMO_WATCHES
from veille.demo.generator import generate_demo, write_demo
from veille.ingest import ingest_posts, parse_post_lines
from veille.posts import parse_post
from veille.runtime import build_pipeline
from veille.setup.actions import do_save_brief
from veille.store import repository, tables
from veille.store.db import Database
from veille.store.tables_inbox import InboxNote, InboxReply, SavedReply
from veille.timeutil import utcnow
from veille.users import create_user, join
from veille.web.app import create_app
from veille.workspaces import create

PASSWORD = "bon-mot-de-passe"
# What only one workspace holds, in its names and texts (never in the shared stream).
MARK = {1: "Xanthor", 2: "Yquelon"}
ONLY_HEARD_BY_TWO = "Yquelon-seul"  # a post the second workspace alone heard
START = [
    "/",
    "/inbox",
    "/inbox/figures",
    "/inbox/settings",
    "/posts",
    "/posts?all=1",
    "/posts?all=1&q=rien",
    "/posts?q=peintre",
    "/watches",
    "/accounts",
    "/drafts",
    "/calendar",
    "/calendar?view=month",
    "/calendar/slots",
    "/reports",
    "/alerts",
    "/settings",
    "/team",
    "/setup",
    "/setup/business",
    "/setup/watches",
    "/setup/accounts",
    "/setup/brief",
]
EXPORTS = ["/reports.csv", "/reports.pdf", "/reports/brief.pdf"]


@dataclass
class Site:
    settings: Settings
    db: Database
    app: FastAPI
    ids: dict[int, dict[str, int]]  # workspace -> object kind -> an id of it


def _fill(db: Database, workspace: int, box: SecretBox) -> None:
    """The business of ``workspace``: the demo's, with its marker in every name."""
    mark = MARK[workspace]
    with db.session(workspace_id=workspace) as session:
        repository.save_profile(
            session, DEMO_BUSINESS.model_copy(update={"name": f"Peintures {mark}"})
        )
        for watch in DEMO_WATCHES:
            repository.upsert_watch(
                session,
                name=f"{watch.name} {mark}",
                kind=watch.kind,
                description=f"{watch.description} {mark}",
                rules=watch.rules,
            )
        connect_account(
            session,
            box,
            network="mastodon",
            handle=f"{mark.lower()}@exemple.social",
            label=f"Compte {mark}",
            kind="company",
            credentials={"instance_url": "https://exemple.social", "access_token": "t" * 20},
        )
        do_save_brief(session, hour=7, to=[f"{mark.lower()}@exemple.fr"])
        session.add(SavedReply(name=f"Réponse {mark}", body=f"Merci, {mark}"))
        session.add(tables.Draft(text=f"Brouillon {mark}"))


def _fill_inbox(db: Database, workspace: int) -> dict[str, int]:
    """A note and a reply on the workspace's first inbox item; the ids a page names."""
    mark = MARK[workspace]
    with db.session(workspace_id=workspace) as session:
        item = session.scalars(select(tables.InboxItem).order_by(tables.InboxItem.id)).first()
        account = session.scalars(select(tables.Account)).one()
        assert item is not None
        session.add(InboxNote(item_id=item.id, text=f"Note {mark}"))
        reply = InboxReply(
            item_id=item.id,
            account_id=account.id,
            text=f"Réponse envoyée {mark}",
            status="pending_approval",
            idempotency_key=f"isolation-{workspace}",
        )
        session.add(reply)
        start = utcnow() - timedelta(hours=2)
        watch = session.scalars(select(tables.Watch).order_by(tables.Watch.id)).first()
        assert watch is not None
        session.add(
            tables.Alert(
                kind="spike",
                watch_id=watch.id,
                started_at=start,
                summary=f"Pic {mark}",
                data={
                    "watch": watch.name,
                    "start": start.isoformat(),
                    "end": utcnow().isoformat(),
                    "detected_at": utcnow().isoformat(),
                    "peak_count": 5,
                    "total": 12,
                    "expected": 2.0,
                    "expected_low": 0,
                    "expected_high": 4,
                    "notified_total": 12,
                    "post_ids": [item.post_id],
                    "terms": [mark.lower()],
                    "history": [],
                },
            )
        )
        session.flush()
        return {
            "item": item.id,
            "reply": reply.id,
            "draft": session.scalars(select(tables.Draft.id)).one(),
            "alert": session.scalars(select(tables.Alert.id)).one(),
            "watch": session.scalars(select(tables.Watch.id)).first() or 0,
            "account": account.id,
        }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("workspaces")
    settings = Settings(data_dir=folder / "data", _env_file=None)  # type: ignore[call-arg]
    db = Database.from_settings(settings)
    box = SecretBox(settings.resolved_secret_key())
    with db.session(workspace_id=None) as session:
        second = create(session, slug="yquelon", name="Deuxième espace").id
    assert second == 2
    for workspace in MARK:
        _fill(db, workspace, box)
    with db.session(workspace_id=1) as session:
        create_user(session, username="alice", password=PASSWORD, role="owner")
        both = create_user(session, username="claude", password=PASSWORD, role="owner")
        join(session, user_id=both.id, role="viewer", workspace_id=2)
    with db.session(workspace_id=2) as session:
        create_user(session, username="bruno", password=PASSWORD, role="owner")
    # The same stream heard by both workspaces; one more post heard by the second alone.
    # Ending now: by default the demo runs to the next local midnight, and in the hour after
    # midnight a whole day of posts would be newer than the ones dated now below.
    posts_path, _ = write_demo(generate_demo(seed=3, days=2, end=utcnow()), folder / "demo")
    for workspace in MARK:
        hearing = Database(settings.sqlalchemy_url, workspace_id=workspace)
        with posts_path.open(encoding="utf-8") as handle:
            ingest_posts(build_pipeline(hearing), parse_post_lines(handle))
        if workspace == 2:
            # Heard by the second alone: a post none of its watches match, and one only a
            # watch of its own matches, the newest and much liked (a mention, a top post):
            # dated now, it heads the list of posts whatever the hour the stream ends at.
            with hearing.session() as session:
                repository.upsert_watch(
                    session, name="Veille Yquelon", kind="brand", description="", rules=["yquelon"]
                )
            lone = post_json("lone-1", f"{ONLY_HEARD_BY_TWO} : rien à signaler ici")
            mention = post_json(
                "lone-2",
                "Yquelon-capté : une mention que seul le second espace guette",
                username="auteur_yquelon",
                created_at=utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
                metrics={"likes": 9000, "reposts": 900, "replies": 90},
            )
            build_pipeline(hearing).process([parse_post(p) for p in (lone, mention)], heard_by=2)
        hearing.engine.dispose()
    ids = {workspace: _fill_inbox(db, workspace) for workspace in MARK}
    with db.session(workspace_id=None) as session:
        lone = dict(
            session.execute(
                select(tables.Post.network_post_id, tables.Post.id).where(
                    tables.Post.network_post_id.in_(("lone-1", "lone-2"))
                )
            ).all()
        )
        ids[2] |= {"post": lone["lone-1"], "mention": lone["lone-2"]}
    yield Site(settings, db, create_app(settings, db), ids)
    db.engine.dispose()


def _signed_in(site: Site, username: str) -> TestClient:
    client = TestClient(site.app)
    assert login(client, username, PASSWORD) == 303
    return client


def _pages(client: TestClient) -> dict[str, str]:
    """Every page the user reaches: the starting pages and what their links lead to."""
    texts: dict[str, str] = {}
    for start in START:
        response = client.get(start)
        assert response.status_code in (200, 403), start  # 403: not for a viewer
        if response.status_code == 200:
            texts[start] = response.text
    for page in crawl(client, "/", limit=150, per_shape=3):
        if page not in texts:
            response = client.get(page)
            if response.status_code == 200:
                texts[page] = response.text
    for export in EXPORTS:
        response = client.get(export)
        assert response.status_code == 200, export
        body = response.content
        texts[export] = pdf_text(body) if body.startswith(b"%PDF") else response.text
    return texts


def _marked(texts: dict[str, str], mark: str) -> list[str]:
    pattern = re.compile(re.escape(mark), re.IGNORECASE)
    return sorted(page for page, text in texts.items() if pattern.search(text))


@pytest.mark.parametrize(("username", "own", "other"), [("alice", 1, 2), ("bruno", 2, 1)])
def test_each_user_sees_only_their_workspace(
    site: Site, username: str, own: int, other: int
) -> None:
    with _signed_in(site, username) as client:
        texts = _pages(client)
    assert len(texts) > 40
    assert _marked(texts, MARK[other]) == []
    # The crawl reads the workspace's own business, in its pages and its exports.
    shown = _marked(texts, MARK[own])
    for page in (
        "/",
        "/watches",
        "/accounts",
        "/drafts",
        "/alerts",
        "/settings",
        "/inbox/settings",
    ):
        assert page in shown, page
    assert "/reports/brief.pdf" in shown
    assert any(page.startswith("/inbox/") and page[7:].isdigit() for page in shown)
    heard_alone = _marked(texts, ONLY_HEARD_BY_TWO)
    assert (heard_alone != []) == (own == 2)
    # The post only the second's own watch matches: among its mentions and its brief's top posts.
    mentioned = set(_marked(texts, "Yquelon-capté"))
    if own == 2:
        assert {"/posts", "/reports/brief.pdf"} <= mentioned
    else:
        assert mentioned == set()


def test_the_other_workspaces_objects_are_not_found(site: Site) -> None:
    theirs = site.ids[2]
    with _signed_in(site, "alice") as client:
        for page in (
            f"/posts/{theirs['post']}",
            f"/posts/{theirs['mention']}",
            f"/drafts/{theirs['draft']}",
            f"/drafts/{theirs['draft']}/media/0",
            f"/inbox/{theirs['item']}",
            f"/alerts/{theirs['alert']}",
            f"/watches/{theirs['watch']}",
        ):
            assert client.get(page).status_code == 404, page
        # Their watch named in the post list's filter: nothing of it shows.
        for page in (f"/posts?watch={theirs['watch']}", f"/posts?watch={theirs['watch']}&q=rien"):
            response = client.get(page)
            assert response.status_code == 200 and MARK[2] not in response.text, page
        csrf = csrf_of(client.get("/inbox").text)
        for action, data in (
            (f"/inbox/replies/{theirs['reply']}/approve", {}),
            (f"/inbox/replies/{theirs['reply']}/reject", {}),
            (f"/inbox/{theirs['item']}/notes", {"text": "intrus"}),
            (f"/inbox/{theirs['item']}/status", {"status": "done"}),
            (f"/drafts/{theirs['draft']}/comment", {"text": "intrus"}),
            (f"/drafts/{theirs['draft']}/cancel", {}),
            (f"/posts/{theirs['post']}/answer", {}),
        ):
            response = client.post(action, data={"csrf": csrf, **data}, follow_redirects=False)
            assert response.status_code == 404, action
        # Their own ones are found: the same requests are not refused for another reason.
        assert client.get(f"/drafts/{site.ids[1]['draft']}").status_code == 200
        assert client.get(f"/inbox/{site.ids[1]['item']}").status_code == 200
    with site.db.session(workspace_id=2) as session:
        assert session.scalars(select(InboxNote.text)).all() == ["Note Yquelon"]
        reply = session.get(InboxReply, theirs["reply"])
        assert reply is not None and reply.status == "pending_approval"


def test_the_user_of_both_switches_from_the_header(site: Site) -> None:
    with _signed_in(site, "claude") as client:
        home = client.get("/").text
        assert MARK[1] in home and MARK[2] not in home
        csrf = csrf_of(home)
        # The role is the one held in the workspace looked at: an owner here, a viewer there.
        invited = client.post("/team/invitations", data={"csrf": csrf, "role": "member"})
        assert invited.status_code == 200 and "/invite/" in invited.text
        refused = client.post("/workspace", data={"csrf": csrf, "workspace": "99"})
        assert refused.status_code == 404
        switched = client.post(
            "/workspace", data={"csrf": csrf, "workspace": "2"}, follow_redirects=False
        )
        assert switched.status_code == 303
        texts = _pages(client)
        assert _marked(texts, MARK[1]) == []
        assert {"/", "/watches", "/drafts", "/alerts"} <= set(_marked(texts, MARK[2]))
        # The team page lists the second workspace's members, with their roles there.
        team = client.get("/team").text
        assert "bruno" in team and "claude" in team and "alice" not in team
        assert "<td>claude</td><td>lecteur</td>" in team
        refused = client.post("/team/invitations", data={"csrf": csrf, "role": "member"})
        assert refused.status_code == 403


def test_an_invitation_joins_the_inviting_workspace(site: Site) -> None:
    with _signed_in(site, "bruno") as client:
        page = client.post(
            "/team/invitations",
            data={"csrf": csrf_of(client.get("/team").text), "role": "member"},
        )
        token = page.text.split("/invite/")[1].split('"')[0]
    with TestClient(site.app) as stranger:
        form = stranger.get(f"/invite/{token}")
        assert form.status_code == 200
        joined = stranger.post(
            f"/invite/{token}",
            data={"csrf": csrf_of(form.text), "username": "denise", "password": PASSWORD},
            follow_redirects=False,
        )
        assert joined.status_code == 303
    with site.db.session(workspace_id=None) as session:
        memberships = session.execute(
            select(tables.Membership.workspace_id, tables.Membership.role)
            .join(tables.User, tables.User.id == tables.Membership.user_id)
            .where(tables.User.username == "denise")
        ).all()
    assert [tuple(row) for row in memberships] == [(2, "member")]


def test_the_command_line_exports_the_workspace_it_is_told(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(site.settings.data_dir))
    exported: dict[int, list[dict[str, object]]] = {}
    for workspace, slug in ((1, "default"), (2, "yquelon")):
        monkeypatch.setenv("VEILLE_WORKSPACE", slug)
        get_settings.cache_clear()
        result = CliRunner().invoke(cli_app, ["export"])
        assert result.exit_code == 0, result.output
        exported[workspace] = [json.loads(line) for line in result.output.splitlines()]
    get_settings.cache_clear()
    for workspace, rows in exported.items():
        text = json.dumps(rows, ensure_ascii=False)
        other = MARK[3 - workspace]
        assert other not in text
        assert MARK[workspace] in text  # its watches' names
        assert (ONLY_HEARD_BY_TWO in text) == (workspace == 2)
    assert len(exported[2]) == len(exported[1]) + 2
