"""`veille listen`: run the sources until stopped, then save every cursor.

By default the sources are the accounts connected in the web app (see ``veille.listening``)
and the cursors live in the database. A TOML file given with ``--sources`` is still accepted;
secrets are never in it: they come from the environment or from the encrypted token store.

    [bluesky]
    wanted_dids = []                       # empty: every post of the network
    [[mastodon]]
    instance = "https://piaille.fr"
    stream = "hashtag"                     # hashtag, public, public:local, user
    tag = "angers"
    token_env = "VEILLE_MASTODON_TOKEN"    # optional for public streams
    [x]
    bearer_token_env = "VEILLE_X_BEARER_TOKEN"
    [news]
    feeds = [{ url = "https://example.org/rss", interval = 900 }]
    [replay]
    files = ["posts.jsonl"]
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from veille.config import get_settings
from veille.posts import Post
from veille.sources import registry
from veille.sources.base import CursorStore, JsonFileCursorStore, Listener, OnHeard, OnPost
from veille.sources.network import ListenOptions, SourcesFile
from veille.terminal import _, ngettext, said
from veille.translations import N_, Refusal

log = logging.getLogger("veille.sources.listen")


class SourcesConfigError(Refusal):
    """The sources file is wrong; the message names the file, the section and the key."""


def _section(config: dict[str, Any], name: str, path: Path) -> list[dict[str, Any]]:
    value = config.get(name)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, dict):
            raise SourcesConfigError(
                N_("%(file)s: [%(section)s] must be a table"), file=path, section=name
            )
    return items


def _secret_from_env(section: Mapping[str, Any], key: str, where: str) -> str | None:
    name = section.get(key)
    if not name:
        return None
    value = os.environ.get(str(name))
    if not value:
        raise SourcesConfigError(
            N_("%(where)s: environment variable %(name)s is not set"), where=where, name=name
        )
    return value


def build_listeners(path: Path, *, cursors: CursorStore) -> list[Listener]:
    """The listeners a sources file describes, each resuming from ``cursors``."""
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesConfigError(
            N_("%(file)s: no such sources file (see `veille listen --help`)"), file=path
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesConfigError(
            N_("%(file)s: not valid TOML (%(why)s)"), file=path, why=exc
        ) from None
    file = SourcesFile(
        path=path, cursors=cursors, secret_from_env=_secret_from_env, error=SourcesConfigError
    )
    listeners: list[Listener] = []
    for network in registry.SOURCES:
        if network.sources_section is None or network.from_sources_file is None:
            continue
        sections = _section(config, network.sources_section, path)
        if sections:
            listeners += network.from_sources_file(sections, file)
    return listeners


@dataclass
class RunReport:
    posts: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # listener name → error
    interrupted: bool = False


def run_listeners(
    listeners: Iterable[Listener],
    on_post: OnPost,
    *,
    stop: threading.Event | None = None,
    duration: float | None = None,
    join_timeout: float = 10.0,
    heard: Callable[[int], OnPost] | None = None,
) -> RunReport:
    """Run every listener in its own thread until ``stop``, Ctrl-C, SIGTERM or ``duration``.

    ``on_post`` is called from one thread at a time, so the pipeline needs no locking; the
    posts of a listener of a workspace's account (carrying ``workspace_id``) go to
    ``heard(workspace)`` when given. Each listener saves its cursor when it returns; a
    listener that fails does not stop the others.
    """
    stop = stop or threading.Event()
    report = RunReport()
    lock = threading.Lock()

    def deliverer(listener: Listener) -> OnPost:
        workspace: int | None = getattr(listener, "workspace_id", None)
        sink = heard(workspace) if heard is not None and workspace is not None else on_post

        def deliver(post: Post) -> None:
            with lock:
                sink(post)
                report.posts += 1

        return deliver

    def run(listener: Listener) -> None:
        try:
            listener.listen(deliverer(listener), stop)
        except Exception as exc:  # one broken source must not take the others down
            report.failed[listener.name] = str(exc)
            log.error("%s: stopped listening: %s", listener.name, exc)

    threads = [
        threading.Thread(target=run, args=(lst,), name=f"listen-{lst.name}", daemon=True)
        for lst in listeners
    ]
    previous = _on_sigterm(stop)
    try:
        for thread in threads:
            thread.start()
        timer = threading.Timer(duration, stop.set) if duration else None
        if timer:
            timer.daemon = True
            timer.start()
        while any(t.is_alive() for t in threads) and not stop.is_set():
            # A plain sleep, not stop.wait(): Ctrl-C landing inside Event.wait can leave the
            # event's lock held by this thread, and stop.set() below would then wait forever.
            time.sleep(0.2)
    except KeyboardInterrupt:
        report.interrupted = True
        log.info("stopping: saving cursors")
    finally:
        stop.set()
        for thread in threads:
            thread.join(join_timeout)
        _restore_sigterm(previous)
    return report


_Handler = Callable[[int, FrameType | None], Any] | int | None


def _on_sigterm(stop: threading.Event) -> _Handler:
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())


def _restore_sigterm(previous: _Handler) -> None:
    if previous is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, previous)


def _print_post(post: Post, _heard_by: int | None) -> None:
    sys.stdout.write(json.dumps(post.to_json_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()


def register(
    app: typer.Typer,
    *,
    on_post_factory: Callable[[], OnHeard] | None = None,
    broker_sink_factory: Callable[[str], AbstractContextManager[OnHeard]] | None = None,
) -> None:
    """Add `veille listen` to ``app``; ``on_post_factory`` gives the pipeline (default: print
    each post as a Post JSON line), ``broker_sink_factory`` what `--broker` publishes with;
    both are told which workspace heard each post."""

    @app.command(
        "listen",
        help=_(
            "Listen to the connected accounts (or a sources file) until Ctrl-C; cursors are "
            "saved on the way out and each account's state is shown on the Accounts page."
        ),
    )
    def listen(
        sources: Annotated[
            Path | None,
            typer.Option(help=_("Sources file (TOML) instead of the accounts in the database.")),
        ] = None,
        cursors: Annotated[
            Path | None, typer.Option(help=_("Cursor file (JSON); default: the database."))
        ] = None,
        duration: Annotated[
            float | None, typer.Option(help=_("Stop after this many seconds (default: Ctrl-C)."))
        ] = None,
        mentions_interval: Annotated[
            float, typer.Option(min=10, help=_("Seconds between mention/notification polls."))
        ] = 300.0,
        search_interval: Annotated[
            float, typer.Option(min=30, help=_("Seconds between searches (X, Bluesky)."))
        ] = 900.0,
        feed_interval: Annotated[
            float, typer.Option(min=60, help=_("Seconds between polls of each news feed."))
        ] = 900.0,
        broker: Annotated[
            str | None,
            typer.Option(help=_("nats://HOST:PORT: publish to the NATS JetStream stream instead.")),
        ] = None,
    ) -> None:
        """Listen to the connected accounts (or a sources file) until Ctrl-C; cursors are
        saved on the way out and each account's state is shown on the Accounts page."""
        from veille.crypto import SecretBox
        from veille.listening import build_account_listeners, deduplicate
        from veille.sources.db_stores import DatabaseCursorStore
        from veille.store.db import Database

        settings = get_settings()
        db = Database.from_settings(settings) if sources is None or cursors is None else None
        cursor_store: CursorStore
        if cursors is not None:
            cursor_store = JsonFileCursorStore(cursors)
        else:
            assert db is not None
            cursor_store = DatabaseCursorStore(db)
        listeners: Sequence[Listener]
        try:
            if sources is not None:
                listeners = build_listeners(sources, cursors=cursor_store)
                where = str(sources)
            else:
                assert db is not None
                options = ListenOptions(
                    mentions_interval=mentions_interval,
                    search_interval=search_interval,
                    feed_interval=feed_interval,
                )
                box = SecretBox(settings.resolved_secret_key())
                listeners = build_account_listeners(db, box, cursors=cursor_store, options=options)
                where = _("the database (connect accounts on the Accounts page, or pass --sources)")
        except (SourcesConfigError, ValueError) as exc:
            typer.echo(_("error: %(error)s", error=said(exc)), err=True)
            raise typer.Exit(2) from None
        if not listeners:
            typer.echo(_("error: %(where)s names no source", where=where), err=True)
            raise typer.Exit(2)
        names = ", ".join(lst.name for lst in listeners)
        typer.echo(_("listening to %(names)s (Ctrl-C to stop)", names=names), err=True)
        if broker is not None and broker_sink_factory is None:
            typer.echo(_("error: --broker is not available here"), err=True)
            raise typer.Exit(2)
        sink: AbstractContextManager[OnHeard] = (
            broker_sink_factory(broker)
            if broker is not None and broker_sink_factory is not None
            else nullcontext(on_post_factory() if on_post_factory else _print_post)
        )
        try:
            with sink as deliver:
                # Each workspace hears what its accounts hear, deduplicated on its own; a
                # sources file's listeners are the command line's workspace's.
                heard: dict[int | None, OnPost] = {}

                def heard_by(workspace: int | None) -> OnPost:
                    if workspace not in heard:

                        def hand_over(post: Post, workspace: int | None = workspace) -> None:
                            deliver(post, workspace)

                        heard[workspace] = deduplicate(hand_over)
                    return heard[workspace]

                report = run_listeners(listeners, heard_by(None), duration=duration, heard=heard_by)
        finally:
            if db is not None:
                db.engine.dispose()
        stopped = ngettext(
            "stopped: %(count)s post, cursors saved",
            "stopped: %(count)s posts, cursors saved",
            report.posts,
        )
        typer.echo(stopped, err=True)
        for name, error in report.failed.items():
            typer.echo(_("%(name)s failed: %(error)s", name=name, error=error), err=True)
        if report.failed:
            raise typer.Exit(1)
