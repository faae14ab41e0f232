"""`veille rules check RULE` and `veille match --rules FILE --posts FILE.jsonl`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from veille.posts import PostError, parse_post
from veille.rules.compile import compile_rules
from veille.rules.errors import RuleError
from veille.rules.language import format_tree
from veille.rules.parser import parse_rule
from veille.terminal import _, language
from veille.translations import translator

Lang = Annotated[
    str | None,
    typer.Option("--lang", help=_("Language of messages: fr or en (default: the instance's).")),
]
MaxLength = Annotated[int, typer.Option("--max-length", help=_("Longest rule accepted."))]


def read_rules_file(path: Path) -> list[tuple[str, str]]:
    """Rules one per line, or `id<TAB>rule`; ids default to line numbers from 1.

    Blank lines and lines starting with '#' are skipped (they still count in line numbers).
    """
    rules: list[tuple[str, str]] = []
    text = path.read_text(encoding="utf-8-sig")  # a file saved by Windows Notepad too
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in line:
            rule_id, rule = line.split("\t", 1)
            rules.append((rule_id.strip(), rule.strip()))
        else:
            rules.append((str(number), stripped))
    return rules


def register(app: typer.Typer) -> None:
    """Add `rules check` and `match` to the veille command."""
    rules_app = typer.Typer(help=_("Watch rules: check their syntax."), no_args_is_help=True)

    @rules_app.command(
        "check",
        help=_("Print the rule as a tree, or the error with a caret under the column (exit 1)."),
    )
    def check(
        rule: Annotated[str, typer.Argument(help=_("The rule, quoted for the shell."))],
        lang: Lang = None,
        max_length: MaxLength = 1024,
    ) -> None:
        """Print the rule as a tree, or the error with a caret under the column (exit 1)."""
        lang = lang or language()
        try:
            parsed = parse_rule(rule, max_length=max_length)
        except RuleError as exc:
            typer.echo(exc.render(rule, lang), err=True)
            raise typer.Exit(1) from None
        typer.echo(format_tree(parsed, lang=lang))

    app.add_typer(rules_app, name="rules")

    @app.command(
        "match",
        help=_(
            'Write {"post_id", "rules"} for each post, one JSON line each. Exit 1 if a rule '
            "is invalid; exit 2 if some post lines were skipped."
        ),
    )
    def match(
        rules: Annotated[
            Path, typer.Option("--rules", help=_("One rule a line, or id<TAB>rule."), exists=True)
        ],
        posts: Annotated[
            Path, typer.Option("--posts", help=_("Post JSON, one object a line."), exists=True)
        ],
        lang: Lang = None,
        max_length: MaxLength = 1024,
    ) -> None:
        """Write {"post_id", "rules"} for each post, one JSON line each.

        Exit 1 if a rule is invalid; exit 2 if some post lines were skipped.
        """
        lang = lang or language()
        pairs = read_rules_file(rules)
        matcher = compile_rules(pairs, max_length=max_length, collect_errors=True)
        if matcher.errors:
            sources = dict(pairs)
            for error in matcher.errors:
                typer.echo(error.render(sources.get(error.rule_id or "", ""), lang), err=True)
            raise typer.Exit(1)
        skipped = 0
        out = sys.stdout
        with posts.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    post = parse_post(json.loads(line))
                except (json.JSONDecodeError, PostError) as exc:
                    skipped += 1
                    where = translator("en" if lang == "en" else "fr").gettext(
                        "%(file)s line %(number)s"
                    )
                    typer.echo(f"{where % {'file': posts, 'number': number}}: {exc}", err=True)
                    continue
                record = {"post_id": post.id, "rules": matcher.match(post)}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if skipped:
            raise typer.Exit(2)
