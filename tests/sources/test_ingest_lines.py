"""`veille ingest` on hostile files: every malformed line is rejected by number and reason,
every good line is stored, exit codes say how it went, and no input makes a traceback."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.factories import post_json
from tests.helpers.hostile_lines import HOSTILE
from veille.cli import app
from veille.config import Settings, get_settings
from veille.ingest import Rejection, parse_post_lines
from veille.posts import Post, plainly_storable_json, unstorable
from veille.store import queries
from veille.translations import said

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VEILLE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def _good(n: int) -> bytes:
    return json.dumps(post_json(str(n), f"Bonjour Angers, post {n}")).encode()


def _stored_ids(settings: Settings) -> list[str]:
    from veille.store.db import Database

    db = Database.from_settings(settings)
    with db.session() as session:
        rows = queries.export_rows(session, watch=None, since=None)
    db.engine.dispose()
    return sorted(row["id"] for row in rows)


def test_each_bad_line_is_rejected_by_number_and_the_good_ones_stored(
    env: Settings, tmp_path: Path
) -> None:
    lines = [_good(0)]
    for i, (bad, _) in enumerate(HOSTILE, start=1):
        lines += [bad, _good(i)]
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = result.stderr.splitlines()
    for i, (_, reason) in enumerate(HOSTILE):
        number = 2 * i + 2
        line = next((e for e in errors if e.startswith(f"ligne {number} rejetée")), "")
        assert reason in line, (number, reason, errors)
    assert _stored_ids(env) == sorted(str(i) for i in range(len(HOSTILE) + 1))


def test_exit_codes_all_stored_and_nothing_read(env: Settings, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(_good(1) + b"\n" + _good(2) + b"\n")
    assert runner.invoke(app, ["ingest", str(good)]).exit_code == 0
    # An X response handed as Post JSON: nothing read, and the file is recognised.
    x_body = {
        "data": [
            {
                "id": "1",
                "text": "Salut",
                "author_id": "9",
                "created_at": "2026-11-20T09:30:00.000Z",
                "edit_history_tweet_ids": ["1"],
            }
        ],
        "includes": {"users": [{"id": "9", "username": "claire", "name": "Claire"}]},
    }
    wrong = tmp_path / "x.json"
    wrong.write_text(json.dumps(x_body), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(wrong)])
    assert result.exit_code == 2
    assert "aucun post lu au format post" in result.stderr
    assert "lisible avec --format x" in result.stderr
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = runner.invoke(app, ["ingest", str(binary)])
    assert result.exit_code == 2 and "binaire" in result.stderr


def test_a_store_refusal_costs_one_post_not_its_batch(env: Settings, tmp_path: Path) -> None:
    from veille.ingest import ingest_posts
    from veille.runtime import build_pipeline, open_database

    pipeline = build_pipeline(open_database(env))
    posts = [
        Post.model_validate(post_json(str(i), f"post {i}", username=f"user{i}")) for i in range(5)
    ]
    # Built directly (not parsed): a value only the database refuses.
    posts[2].author.followers_count = 10**30
    summary = ingest_posts(pipeline, enumerate(posts, start=1))
    assert summary.new == 4
    assert [said(r.where, "fr") for r in summary.rejected] == ["ligne 3"]
    assert "refusé à l'enregistrement" in said(summary.rejected[0].reason, "fr")
    assert str(summary.rejected[0]).startswith("ligne 3 rejetée : refusé à l'enregistrement")
    assert summary.rejected[0].in_language("en").startswith("line 3 rejected: refused by")


def test_a_huge_post_costs_the_models_milliseconds(env: Settings, tmp_path: Path) -> None:
    from veille.store import repository
    from veille.store.db import Database

    db = Database.from_settings(env)
    with db.session() as session:  # matched, so the accurate tier reads it too
        repository.upsert_watch(
            session, name="Ma marque", kind="brand", description="", rules=['"peintures martin"']
        )
    db.engine.dispose()
    path = tmp_path / "huge.jsonl"
    text = "Peintures Martin à Angers, un avis ? " * 30_000  # about 1 MB
    path.write_text(json.dumps(post_json("big", text)) + "\n", encoding="utf-8")
    runner.invoke(app, ["ingest", str(_write_good(tmp_path))])  # models loaded once
    start = time.perf_counter()
    result = runner.invoke(app, ["ingest", str(path)])
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert elapsed < 20, elapsed  # was still running after 300 s
    db = Database.from_settings(env)
    with db.session() as session:
        rows = queries.export_rows(session, watch=None, since=None)
    db.engine.dispose()
    assert [len(r["text"]) for r in rows if r["id"] == "big"] == [len(text)]  # stored whole


def _counted(line: bytes) -> bool:
    try:
        return bool(line.decode("utf-8").strip())
    except UnicodeDecodeError:
        return True  # rejected by number, blank or not


def _write_good(tmp_path: Path) -> Path:
    path = tmp_path / "warm.jsonl"
    path.write_bytes(_good(99) + b"\n")
    return path


# ---------------------------------------------------------------- fuzzing the Post JSON reader

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "id",
    "network",
    "created_at",
    "text",
    "lang",
    "author",
    "urls",
    "media",
    "mentions",
    "metrics",
    "place",
    "geo",
    "is_reply",
    "in_reply_to",
    "extra",
]
SUBFIELDS = ["id", "username", "name", "followers_count", "verified", "likes", "type"]


@st.composite
def hostile_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["field", "subfield", "bytes", "deep"]))
    if kind == "bytes":
        return draw(st.binary(max_size=60)).replace(b"\n", b" ").replace(b"\r", b" ")
    if kind == "deep":
        depth = draw(st.integers(min_value=50, max_value=5000))
        return b'{"a":' * depth + b"1" + b"}" * depth
    data = post_json("fuzz", "texte")
    value = draw(JSON_VALUES)
    if kind == "field":
        data[draw(st.sampled_from(FIELDS))] = value
    else:
        target = draw(st.sampled_from(["author", "metrics", "media"]))
        holder = data.setdefault(target, {}) if target != "media" else {}
        if target == "media":
            data["media"] = [holder]
        holder[draw(st.sampled_from(SUBFIELDS))] = value
    return json.dumps(data).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_lines(), min_size=1, max_size=4))
def test_fuzzed_lines_never_raise_and_good_lines_always_read(bad: list[bytes]) -> None:
    lines = []
    for i, line in enumerate(bad):
        lines += [_good(i), line]
    lines.append(_good(len(bad)))
    found = dict(parse_post_lines(lines))  # nothing may escape
    for number in range(1, len(lines) + 1, 2):
        assert isinstance(found[number], Post), found[number]
    for number, item in found.items():
        assert isinstance(item, Post | Rejection)
        if isinstance(item, Rejection):
            assert said(item.where, "fr") == f"ligne {number}" and item.reason
        else:
            json.dumps(item.to_json_dict(), allow_nan=False).encode("utf-8")  # storable


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(bad=st.lists(hostile_lines(), min_size=1, max_size=3))
def test_fuzzed_files_store_every_good_line(bad: list[bytes], tmp_path_factory: Any) -> None:
    from veille.ingest import ingest_posts
    from veille.runtime import build_pipeline, open_database
    from veille.store.db import Database

    folder = tmp_path_factory.mktemp("fuzz")
    settings_ = Settings(data_dir=folder / "data", _env_file=None)  # type: ignore[call-arg]
    lines = []
    for i, line in enumerate(bad):
        lines += [_good(i), line]
    lines.append(_good(len(bad)))
    summary = ingest_posts(build_pipeline(open_database(settings_)), parse_post_lines(lines))
    db = Database.from_settings(settings_)
    with db.session() as session:
        stored = {row["id"] for row in queries.export_rows(session, watch=None, since=None)}
    db.engine.dispose()
    assert {str(i) for i in range(len(bad) + 1)} <= stored
    assert summary.read == sum(_counted(line) for line in lines)  # blank lines are skipped
    assert summary.new == len(stored)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(alphabet=st.characters(codec=None, exclude_categories=())),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=3), children, max_size=3)
        ),
        max_leaves=30,
    ),
    st.booleans(),
)
def test_a_line_read_without_the_full_check_is_one_the_check_passes(
    value: Any, ascii_only: bool
) -> None:
    """The firehose's shortcut (plainly_storable_json) never lets through a value that
    `unstorable` refuses, whatever the JSON holds and however it is written."""
    try:
        line = json.dumps(value, ensure_ascii=ascii_only)
    except (ValueError, UnicodeEncodeError):
        return
    if plainly_storable_json(line):
        assert unstorable(json.loads(line)) is None, line
