"""`veille classify [FILE]`: understand texts from a file or stdin, one JSON line each."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer

from veille.business import BusinessProfile
from veille.terminal import _, file_problem, said
from veille.translations import N_, Refusal, Words

BATCH = 256


class InputError(Refusal):
    """A line of input that is neither plain text nor a JSON object with a "text" string."""


def parse_line(line: str, where: Words | str) -> str:
    stripped = line.strip()
    if not stripped.startswith("{"):
        return line.rstrip("\r\n")
    try:
        record = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise InputError(
            N_("%(where)s: invalid JSON (%(why)s at column %(column)s)"),
            where=where,
            why=exc.msg,
            column=exc.colno,
        ) from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError(N_('%(where)s: a JSON line needs a "text" string field'), where=where)
    return str(record["text"])


def read_texts(stream: TextIO, name: str) -> Iterator[list[str]]:
    """Batches of texts, in input order."""
    batch: list[str] = []
    for number, line in enumerate(stream, start=1):
        batch.append(
            parse_line(line, Words(N_("%(file)s line %(number)s"), file=name, number=number))
        )
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def register(app: typer.Typer) -> None:
    @app.command(
        help=_("Language, sentiment, intents and entities for each text, one JSON line per input.")
    )
    def classify(
        file: Annotated[
            Path | None,
            typer.Argument(
                help=_("Texts, one per line or JSON lines with a 'text' field; stdin if omitted.")
            ),
        ] = None,
        tier: Annotated[str, typer.Option(help=_("fast or accurate"))] = "accurate",
        profile: Annotated[
            Path | None,
            typer.Option(help=_("JSON file of the business profile, for leads and competitors.")),
        ] = None,
    ) -> None:
        """Language, sentiment, intents and entities for each text, one JSON line per input."""
        from veille.understand.analyzer import Analyzer

        if tier not in ("fast", "accurate"):
            raise typer.BadParameter(
                _("must be fast or accurate, not %(tier)r", tier=tier), param_hint="--tier"
            )
        business = None
        if profile is not None:
            try:
                business = BusinessProfile.model_validate_json(profile.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise typer.BadParameter(
                    _("%(file)s: not a business profile (%(why)s)", file=profile, why=exc),
                    param_hint="--profile",
                ) from exc
        analyzer = Analyzer(business)
        try:
            stream = sys.stdin if file is None else file.open(encoding="utf-8")
        except OSError as exc:
            raise typer.BadParameter(
                f"{file}: {said(file_problem(exc))}", param_hint="FILE"
            ) from exc
        name = _("standard input") if file is None else str(file)
        try:
            for texts in read_texts(stream, name):
                for result in analyzer.analyze(
                    texts, tier="fast" if tier == "fast" else "accurate"
                ):
                    sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
        except InputError as exc:
            typer.echo(_("error: %(error)s", error=said(exc)), err=True)
            raise typer.Exit(2) from exc
        except UnicodeDecodeError as exc:
            typer.echo(
                _(
                    "error: %(file)s is not UTF-8 text (byte %(byte)s of a line)",
                    file=name,
                    byte=exc.start,
                ),
                err=True,
            )
            raise typer.Exit(2) from exc
        finally:
            if file is not None:
                stream.close()
