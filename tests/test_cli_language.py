"""The command line speaks the instance's language (VEILLE_LANGUAGE): every help page and a
refusal of each command, read in French with no English interface word and in English with no
French one, as tests/web/test_interface_language.py reads the web pages. What Typer's vendored
Click writes without gettext is left out, by name."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.environment import clean_env
from tests.helpers.interface_words import ALLOWED, catalog_words, foreign_words, vocabulary
from veille.cli_frame import FRAMEWORK_WORDS
from veille.translations import LANGUAGES, Language

ROOT = Path(__file__).resolve().parents[1]
# Typer's vendored Click writes these without gettext: they stay English in every language.
FRAMEWORK = re.compile(
    r"Usage:|Show this message and exit\.|Missing argument|Invalid value( for)?|No such option"
)
BOXES = re.compile(r"[│╭╮╰╯─\s]+")  # Typer's panels, which wrap a sentence across lines
# What a person types or reads as is: option and command names, placeholders, type marks,
# values in quotes, the roles and formats a command takes by their names.
TYPED = re.compile(
    r"--?[\w-]+|\b\w+(?:-\w+)+\b|\{\w+\}|<[^>]*>|'[^' ]*'|\[[A-Z_]+\]|\b[A-Z_]{2,}\b"
)
NAMES = """
owner manager member viewer post jsonl csv x bluesky mastodon rss atom fast accurate low normal
high poisson cusum zscore default count negative timestamp toml stdin utf id tab root
username query rule text file
"""


def pages(lang: Language, work: Path) -> dict[str, str]:
    environ = clean_env({"VEILLE_LANGUAGE": lang, "VEILLE_DATA_DIR": str(work / lang)})
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.cli_pages", str(work)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found: dict[str, str] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_help_page_and_refusal_speaks_the_instances_language(
    lang: Language, tmp_path: Path
) -> None:
    other: Language = "en" if lang == "fr" else "fr"
    foreign = vocabulary(other, catalog_words())
    allowed = ALLOWED | set(NAMES.split())
    found = {}
    shown = pages(lang, tmp_path)
    assert len(shown) > 40  # every command's help and refusals: the check is not idle
    allowed |= {word for typed in shown if typed.endswith("--help") for word in typed.split()}
    for invocation, output in shown.items():
        for typed in [str(tmp_path), *invocation.split()]:  # what the person typed, echoed
            output = output.replace(typed, " ")
        text = BOXES.sub(" ", output)
        text = TYPED.sub(" ", FRAMEWORK.sub(" ", text))
        bad = foreign_words(text, lang, vocabulary=foreign, allowed=allowed)
        if bad:
            found[invocation] = sorted(bad)
    assert found == {}, f"{other} words in `veille` said in {lang}:\n" + json.dumps(
        found, ensure_ascii=False, indent=1
    )


def test_the_framework_words_are_typers_own() -> None:
    """A Typer upgrade that rewords one of them would silently leave it in English."""
    import typer

    source = "".join(
        p.read_text(encoding="utf-8") for p in Path(typer.__file__).parent.glob("*.py")
    )
    missing = [w for w in FRAMEWORK_WORDS if f'_("{w}")' not in source]
    assert missing == []
